"""Undo: the before values put back as a new batch linked to the undone one; refused,
naming who and when, for a client changed since; never silently partial."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import NotAllowed
from dext_tui.data.services.bulk_actions import StaleBatch, apply_bulk, preview_bulk
from dext_tui.data.services.client_products import set_client_products
from dext_tui.data.services.clients import deactivate_client, delete_client, update_client
from dext_tui.data.services.prepare import update_prepare_settings
from dext_tui.data.services.undo import apply_undo, last_batch_of, preview_undo, undoable
from dext_tui.data.services.writing import ChangeResult
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

LATER = FIXED_NOW + timedelta(days=1)


def at(moment):
    return lambda: moment


def client(engine: Engine, client_id: int):
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT c.name, c.practice_code, c.state, c.deactivated_at, c.version, "
                "p.status AS prepare FROM client c "
                "LEFT JOIN prepare_account p ON p.client_id = c.id WHERE c.id = :id"
            ),
            {"id": client_id},
        ).first()


def undo_events(engine: Engine, batch_id: str) -> list:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT client_id, action, batch_id, before, after FROM audit_event "
                "WHERE undoes_batch = :b ORDER BY id"
            ),
            {"b": batch_id},
        ).all()


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    colleague = add_member(db, practice_id, "olivia@example.com", "client_admin")
    ids = [add_client(db, practice_id, f"Client {n} Ltd", code=f"C{n}") for n in range(3)]
    return {"db": db, "admin": admin, "colleague": colleague, "ids": ids}


def deactivate_all(practice) -> str:
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    preview = preview_bulk(db, admin, "deactivate", ids, clock=at(LATER))
    return apply_bulk(db, admin, preview, clock=at(LATER)).batch_id


def test_undo_of_a_bulk_deactivation_puts_every_client_back_as_a_linked_batch(practice):
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    batch = deactivate_all(practice)
    preview = preview_undo(db, admin, batch)
    assert preview.will_undo == tuple(ids) and preview.refused == {}
    result = apply_undo(db, admin, preview, clock=at(LATER))
    for client_id in ids:
        row = client(db, client_id)
        assert (row.state, row.deactivated_at, row.prepare, row.version) == (
            "active", None, "active", 3,
        )  # fmt: skip
    written = undo_events(db, batch)
    assert [event.client_id for event in written] == ids
    assert {event.batch_id for event in written} == {result.batch_id} != {batch}
    assert {event.action for event in written} == {"client.deactivated.undone"}
    assert json.loads(written[0].after) == {"state": "active", "products": {"prepare": "active"}}


def test_undo_refuses_a_client_changed_since_naming_who_and_when(practice):
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    batch = deactivate_all(practice)
    update_client(
        db, practice["colleague"], ids[1], version=2, name="Meanwhile Ltd", clock=at(LATER)
    )
    preview = preview_undo(db, admin, batch)
    assert preview.will_undo == (ids[0], ids[2])
    assert preview.refused == {"changed since by Olivia at 09:30 on 03 Nov 2026": (ids[1],)}
    assert preview.lines() == [
        "2 clients will be put back as they were",
        "1 cannot be undone: changed since by Olivia at 09:30 on 03 Nov 2026",
    ]
    apply_undo(db, admin, preview)
    assert [client(db, i).state for i in ids] == ["active", "deactivated", "active"]


def test_undo_is_checked_again_at_apply_and_never_applied_blindly(practice):
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    batch = deactivate_all(practice)
    preview = preview_undo(db, admin, batch)
    update_client(db, practice["colleague"], ids[0], version=2, practice_code="NEW1")
    with pytest.raises(StaleBatch) as stale:
        apply_undo(db, admin, preview)
    assert stale.value.preview.will_undo == tuple(ids[1:])
    assert [client(db, i).state for i in ids] == ["deactivated"] * 3
    assert undo_events(db, batch) == []


def test_undo_of_a_name_and_code_edit_puts_both_back(practice):
    db, admin, first = practice["db"], practice["admin"], practice["ids"][0]
    edit = update_client(db, admin, first, version=1, name="New Name Ltd", practice_code="NEW")
    apply_undo(db, admin, preview_undo(db, admin, edit.batch_id))
    row = client(db, first)
    assert (row.name, row.practice_code, row.version) == ("Client 0 Ltd", "C0", 3)


def test_an_undo_whose_code_is_taken_meanwhile_writes_nothing(practice):
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    edit = update_client(db, admin, ids[0], version=1, practice_code="NEW")
    update_client(db, admin, ids[1], version=1, practice_code="C0")  # C0 now taken
    with pytest.raises(NotAllowed) as refused:
        apply_undo(db, admin, preview_undo(db, admin, edit.batch_id))
    assert "practice code" in refused.value.message
    assert client(db, ids[0]).practice_code == "NEW"
    assert undo_events(db, edit.batch_id) == []


def test_undo_of_a_reactivation_puts_back_the_deactivation_date(practice):
    db, admin, first = practice["db"], practice["admin"], practice["ids"][0]
    deactivate_all(practice)
    late = LATER + timedelta(days=121)
    back = apply_bulk(
        db, admin, preview_bulk(db, admin, "reactivate", [first], clock=at(late)), clock=at(late)
    )
    apply_undo(db, admin, preview_undo(db, admin, back.batch_id))
    row = client(db, first)
    assert (row.state, row.prepare) == ("deactivated", "deactivated")
    assert str(row.deactivated_at)[:10] == "2026-11-03"


def test_only_the_person_who_made_the_change_may_undo_it_and_only_once(practice):
    db, admin = practice["db"], practice["admin"]
    batch = deactivate_all(practice)
    with pytest.raises(NotAllowed) as refused:
        preview_undo(db, practice["colleague"], batch)
    assert "Only the person" in refused.value.message
    apply_undo(db, admin, preview_undo(db, admin, batch))
    with pytest.raises(NotAllowed) as again:
        preview_undo(db, admin, batch)
    assert "already been undone" in again.value.message


def test_a_permanent_delete_is_not_undoable(practice):
    db, admin, first = practice["db"], practice["admin"], practice["ids"][0]
    deleted = delete_client(db, admin, first, version=1)
    with pytest.raises(NotAllowed) as refused:
        preview_undo(db, admin, deleted.batch_id)
    assert "not undoable" in refused.value.message


def test_last_batch_of_names_the_viewers_latest_batch(practice):
    db, admin = practice["db"], practice["admin"]
    batch = deactivate_all(practice)
    update_client(db, practice["colleague"], practice["ids"][0], version=2, name="Other Ltd")
    assert last_batch_of(db, admin) == batch


def test_last_batch_of_since_a_moment_leaves_out_earlier_batches(practice):
    """The TUI's undo key reaches only the session's own changes."""
    db, admin = practice["db"], practice["admin"]
    batch = deactivate_all(practice)  # written at LATER
    assert last_batch_of(db, admin, since=LATER) == batch
    assert last_batch_of(db, admin, since=LATER + timedelta(seconds=1)) is None


def test_undoable_says_what_the_undo_key_would_put_back_and_undo_agrees(practice):
    """The one rule the screens offer undo by (`undoable`) is the rule undo refuses by."""
    db, admin, ids = practice["db"], practice["admin"], practice["ids"]
    renamed = update_client(db, admin, ids[0], version=1, name="Renamed Ltd", crn="01234567")
    deactivated = deactivate_client(db, admin, ids[1], version=1, clock=at(LATER))
    both = add_client(db, admin.practice_id, "Both Ltd", precision="active")
    products = set_client_products(db, admin, both, version=1, active_in={"precision": False})
    settings = update_prepare_settings(db, admin, ids[2], version=1, language="fr")
    deleted = delete_client(db, admin, ids[1], version=2)
    assert undoable(renamed.changes) and undoable(deactivated.changes)
    for not_undoable in (products, settings, deleted):
        assert not undoable(not_undoable.changes)
        with pytest.raises(NotAllowed):
            preview_undo(db, admin, not_undoable.batch_id)
    assert not undoable(ChangeResult(0).changes)  # nothing written: nothing to undo
    assert preview_undo(db, admin, renamed.batch_id).will_undo == (ids[0],)
