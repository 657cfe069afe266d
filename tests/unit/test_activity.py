"""Activity: the practice's audit events newest first, a batch as one line, paged by id,
filtered by colleague, action, client, date and name; admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dext_tui.data.activity import ActivityFilter, activity_page, batch_lines
from dext_tui.data.errors import NotAllowed
from dext_tui.data.services.bulk_actions import apply_bulk, preview_bulk
from dext_tui.data.services.clients import update_client
from dext_tui.data.services.undo import apply_undo, preview_undo
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

LATER = FIXED_NOW + timedelta(days=1)


def at(moment):
    return lambda: moment


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    olivia = add_member(db, practice_id, "olivia.vale@example.com", "client_admin")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    ids = [add_client(db, practice_id, f"Client {n} Ltd", code=f"C{n}") for n in range(5)]
    preview = preview_bulk(db, olivia, "deactivate", ids[:4], clock=at(LATER))
    batch = apply_bulk(db, olivia, preview, clock=at(LATER)).batch_id
    update_client(db, admin, ids[4], version=1, practice_code="HV0099", clock=at(LATER))
    return {"db": db, "admin": admin, "olivia": olivia, "standard": standard, "ids": ids,
            "batch": batch}  # fmt: skip


def test_newest_first_with_a_batch_as_one_line_in_words(practice):
    page = activity_page(practice["db"], practice["admin"])
    words = [line.words for line in page.lines]
    assert words[:2] == ["Admin edited Client 4 Ltd", "Olivia.Vale deactivated 4 clients"]
    assert words[2:] == [f"Admin added Client {n} Ltd" for n in (4, 3, 2, 1, 0)]
    assert page.lines[0].details == ("practice code C4 → HV0099",)
    assert page.lines[1].count == 4 and page.lines[1].batch_id == practice["batch"]
    assert page.next_before is None


def test_a_batch_opens_to_one_line_per_client(practice):
    lines = batch_lines(practice["db"], practice["admin"], practice["batch"])
    assert [line.client_id for line in lines] == practice["ids"][:4]
    assert lines[0].words == "Olivia.Vale deactivated Client 0 Ltd"
    assert lines[0].details == ("Prepare: active → deactivated", "state active → deactivated")


def test_pages_follow_the_cursor_without_splitting_a_batch(practice):
    db, admin = practice["db"], practice["admin"]
    first = activity_page(db, admin, limit=1)
    assert [line.words for line in first.lines] == ["Admin edited Client 4 Ltd"]
    second = activity_page(db, admin, before=first.next_before, limit=1)
    assert [line.count for line in second.lines] == [4]  # cut by the page, counted whole
    third = activity_page(db, admin, before=second.next_before, limit=2)
    assert [line.words for line in third.lines] == [
        "Admin added Client 4 Ltd",
        "Admin added Client 3 Ltd",
    ]
    rest = activity_page(db, admin, before=third.next_before, limit=10)
    assert len(rest.lines) == 3 and rest.next_before is None


def test_filters_by_colleague_action_client_date_and_name(practice):
    db, admin, olivia, ids = practice["db"], practice["admin"], practice["olivia"], practice["ids"]

    def words(**filters):
        return [line.words for line in activity_page(db, admin, ActivityFilter(**filters)).lines]

    assert words(by=olivia.team_member_id) == ["Olivia.Vale deactivated 4 clients"]
    assert words(action="client.updated") == ["Admin edited Client 4 Ltd"]
    assert words(client_id=ids[1]) == [
        "Olivia.Vale deactivated Client 1 Ltd",
        "Admin added Client 1 Ltd",
    ]
    assert words(since=LATER) == words(action="client.updated") + words(by=olivia.team_member_id)
    assert words(until=LATER) == [f"Admin added Client {n} Ltd" for n in (4, 3, 2, 1, 0)]
    assert words(search="CLIENT 2") == [
        "Olivia.Vale deactivated Client 2 Ltd",
        "Admin added Client 2 Ltd",
    ]
    assert words(search="100%_") == []


def test_an_undo_is_said_as_such(practice):
    db, olivia = practice["db"], practice["olivia"]
    apply_undo(db, olivia, preview_undo(db, olivia, practice["batch"]))
    (line,) = activity_page(db, practice["admin"], limit=1).lines
    assert line.words == "Olivia.Vale undid: deactivated 4 clients"


def test_standard_users_may_not_read_activity(practice):
    with pytest.raises(NotAllowed) as refused:
        activity_page(practice["db"], practice["standard"])
    assert "activity log" in refused.value.message


def test_the_colleague_filter_offers_everyone_in_the_practice_by_name(practice):
    from dext_tui.data.activity import activity_colleagues

    colleagues = activity_colleagues(practice["db"], practice["admin"])
    assert [c.email for c in colleagues] == [
        "admin@example.com", "olivia.vale@example.com", "std@example.com",
    ]  # fmt: skip
    with pytest.raises(NotAllowed):
        activity_colleagues(practice["db"], practice["standard"])
