"""Practice Access: who works on a client, their toggles, and who may change them.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.change_feed import changes_since, current_change_seq
from dext_tui.data.client_rows import load_rows_by_ids
from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services.practice_access import (
    grant_practice_access,
    load_practice_access,
    remove_practice_access,
    set_practice_access,
)
from tests.factories import (
    add_client,
    add_member,
    add_practice,
    add_team,
    audit,
    clock,
    second_engine,
    version,
)


def access(engine: Engine, client_id: int) -> dict[int, tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT team_member_id, bookkeeping, approval, data_health, account_manager "
                "FROM practice_access WHERE client_id = :id"
            ),
            {"id": client_id},
        ).all()
    return {row[0]: tuple(bool(value) for value in row[1:]) for row in rows}


@pytest.fixture
def practice(db):
    team = add_team(db)
    practice_id, standard = team.pop("practice_id"), team["standard"]
    newcomer = add_member(db, practice_id, "newcomer@example.com", "standard")
    add_member(db, practice_id, "gone@example.com", "standard", active=False)
    elsewhere = add_member(db, add_practice(db, "Other Practice"), "x@other.example")
    with db.connect() as connection:
        gone = connection.execute(
            text("SELECT id FROM team_member WHERE email = 'gone@example.com'")
        ).scalar_one()
    return {
        "db": db,
        **team,
        "newcomer": newcomer,
        "gone": gone,
        "elsewhere": elsewhere,
        "thames": add_client(db, practice_id, "Thames Water Ltd", granted_to=[standard]),
        "hidden": add_client(db, practice_id, "Hidden Ltd"),
    }


def test_the_page_lists_admins_by_role_then_colleagues_with_access(practice):
    db, admin = practice["db"], practice["admin"]
    page = load_practice_access(db, admin, practice["thames"])
    assert (page.client_name, page.version, page.can_change) == ("Thames Water Ltd", 1, True)
    listed = [
        (c.email, c.role, c.by_role, c.granted, c.bookkeeping, c.approval, c.changeable)
        for c in page.colleagues
    ]
    assert listed == [
        ("admin@example.com", "practice_admin", True, False, False, False, True),
        ("colleague@example.com", "client_admin", True, False, False, False, True),
        ("std@example.com", "standard", False, True, True, False, True),
    ]
    assert [c.email for c in page.assignable] == ["newcomer@example.com"]
    assert page.colleagues[2].label == "Std <std@example.com>"


def test_inactive_colleagues_show_only_while_they_hold_access(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    add_member(db, admin.practice_id, "retired@example.com", "client_admin", active=False)
    with db.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO practice_access (team_member_id, client_id, bookkeeping, approval, "
                "data_health, account_manager) VALUES (:m, :c, true, false, false, false)"
            ),
            {"m": practice["gone"], "c": thames},
        )
    page = load_practice_access(db, admin, thames)
    assert [(c.email, c.active) for c in page.colleagues] == [
        ("admin@example.com", True),
        ("colleague@example.com", True),
        ("gone@example.com", False),
        ("std@example.com", True),
    ]
    # Their access can still be taken away, not changed.
    with pytest.raises(NotAllowed):
        set_practice_access(
            db, admin, thames, version=1, team_member_id=practice["gone"], approval=True
        )
    remove_practice_access(db, admin, thames, version=1, team_member_id=practice["gone"])
    assert practice["gone"] not in access(db, thames)


def test_a_client_admin_may_not_change_a_practice_admins_access(practice):
    db, colleague, admin = practice["db"], practice["colleague"], practice["admin"]
    thames = practice["thames"]
    page = load_practice_access(db, colleague, thames)
    assert [c.changeable for c in page.colleagues] == [False, True, True]
    with pytest.raises(NotAllowed) as refused:
        set_practice_access(
            db, colleague, thames, version=1, team_member_id=admin.team_member_id, approval=True
        )
    assert (
        refused.value.message
        == "Only a practice admin can change a practice admin's access (Admin)."
    )
    assert access(db, thames) == {practice["standard"].team_member_id: (True, False, False, False)}
    # A practice admin may; an admin's toggles get a row of their own.
    set_practice_access(
        db, admin, thames, version=1, team_member_id=admin.team_member_id, account_manager=True
    )
    assert access(db, thames)[admin.team_member_id] == (False, False, False, True)


def test_a_standard_user_sees_who_has_access_but_may_not_change_it(practice):
    db, standard, thames = practice["db"], practice["standard"], practice["thames"]
    page = load_practice_access(db, standard, thames)
    assert not page.can_change
    assert page.why_not.startswith("Your role (Standard) does not allow changing practice access")
    assert not any(c.changeable for c in page.colleagues)
    newcomer = practice["newcomer"].team_member_id
    for attempt in (
        lambda: grant_practice_access(db, standard, thames, version=1, team_member_id=newcomer),
        lambda: set_practice_access(
            db, standard, thames, version=1, team_member_id=standard.team_member_id, approval=True
        ),
        lambda: remove_practice_access(
            db, standard, thames, version=1, team_member_id=standard.team_member_id
        ),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert refused.value.message == page.why_not
    assert version(db, thames) == 1
    assert audit(db, thames) == []


def test_a_standard_user_cannot_reach_an_unassigned_client(practice):
    db, standard, hidden = practice["db"], practice["standard"], practice["hidden"]
    with pytest.raises(ClientNotFound):
        load_practice_access(db, standard, hidden)
    with pytest.raises(ClientNotFound):
        grant_practice_access(
            db, standard, hidden, version=1, team_member_id=standard.team_member_id
        )
    assert access(db, hidden) == {}


def test_granting_access_lets_the_colleague_see_the_client_and_is_audited(practice):
    db, colleague, hidden = practice["db"], practice["colleague"], practice["hidden"]
    newcomer = practice["newcomer"]
    with pytest.raises(ClientNotFound):
        load_practice_access(db, newcomer, hidden)
    result = grant_practice_access(
        db,
        colleague,
        hidden,
        version=1,
        team_member_id=newcomer.team_member_id,
        approval=True,
        clock=clock(),
    )
    assert result.version_of(hidden) == 2
    assert access(db, hidden) == {newcomer.team_member_id: (True, True, False, False)}
    assert load_practice_access(db, newcomer, hidden).version == 2
    (event,) = audit(db, hidden)
    assert event.action == "practice_access.granted"
    assert event.team_member_id == colleague.team_member_id
    label = "Newcomer <newcomer@example.com>"
    assert json.loads(event.before) == {"team_member": label, "access": False}
    assert json.loads(event.after) == {
        "team_member": label,
        "access": True,
        "bookkeeping": True,
        "approval": True,
        "data_health": False,
        "account_manager": False,
    }


def test_grants_that_make_no_sense_are_refused(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    cases = {
        practice["standard"].team_member_id: "Std already has access to Thames Water Ltd.",
        practice["colleague"].team_member_id: (
            "Colleague is a client admin and sees every client by role; "
            "change their toggles instead."
        ),
        practice["gone"]: "Gone is no longer an active team member.",
        practice["elsewhere"].team_member_id: (
            "That colleague is not a team member of this practice; nothing changed."
        ),
    }
    for member_id, message in cases.items():
        with pytest.raises(NotAllowed) as refused:
            grant_practice_access(db, admin, thames, version=1, team_member_id=member_id)
        assert refused.value.message == message
    assert version(db, thames) == 1
    assert audit(db, thames) == []


def test_setting_toggles_audits_only_those_that_changed(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    standard = practice["standard"].team_member_id
    set_practice_access(
        db,
        admin,
        thames,
        version=1,
        team_member_id=standard,
        bookkeeping=True,
        approval=True,
        data_health=True,
    )
    assert access(db, thames) == {standard: (True, True, True, False)}
    (event,) = audit(db, thames)
    assert event.action == "practice_access.updated"
    assert json.loads(event.before) == {
        "team_member": "Std <std@example.com>",
        "approval": False,
        "data_health": False,
    }
    assert json.loads(event.after) == {
        "team_member": "Std <std@example.com>",
        "approval": True,
        "data_health": True,
    }
    unchanged = set_practice_access(
        db, admin, thames, version=2, team_member_id=standard, approval=True
    )
    assert unchanged.changes == ()
    assert version(db, thames) == 2


def test_toggles_must_be_on_or_off_and_each_bad_one_is_named(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        set_practice_access(
            db,
            admin,
            thames,
            version=1,
            team_member_id=practice["standard"].team_member_id,
            approval="yes",
            account_manager=None,
        )
    assert {error.field for error in refused.value.errors} == {"approval", "account_manager"}
    assert refused.value.for_field("approval").message == (
        "Approval permission must be on or off, not 'yes'"
    )
    assert version(db, thames) == 1


def test_a_standard_colleague_without_access_is_granted_first(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    newcomer = practice["newcomer"].team_member_id
    with pytest.raises(NotAllowed) as refused:
        set_practice_access(db, admin, thames, version=1, team_member_id=newcomer, approval=True)
    assert refused.value.message == "Newcomer has no access to Thames Water Ltd: grant it first."
    with pytest.raises(NotAllowed):
        remove_practice_access(db, admin, thames, version=1, team_member_id=newcomer)
    assert newcomer not in access(db, thames)


def test_removing_access_takes_the_client_off_the_colleagues_list(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    standard = practice["standard"]
    assert len(load_rows_by_ids(db, standard, [thames])) == 1
    seen = current_change_seq(db, standard.practice_id)
    remove_practice_access(
        db, admin, thames, version=1, team_member_id=standard.team_member_id, clock=clock()
    )
    assert access(db, thames) == {}
    # Their list's change feed names the client; re-read in their scope, it is gone.
    assert changes_since(db, standard, seen).client_ids == (thames,)
    assert len(load_rows_by_ids(db, standard, [thames])) == 0
    with pytest.raises(ClientNotFound):
        load_practice_access(db, standard, thames)
    (event,) = audit(db, thames)
    assert event.action == "practice_access.removed"
    assert json.loads(event.before) == {
        "team_member": "Std <std@example.com>",
        "access": True,
        "bookkeeping": True,
        "approval": False,
        "data_health": False,
        "account_manager": False,
    }
    assert json.loads(event.after) == {"team_member": "Std <std@example.com>", "access": False}


def test_a_stale_access_page_is_refused_after_another_sessions_change(practice):
    db, thames = practice["db"], practice["thames"]
    newcomer = practice["newcomer"].team_member_id
    other = second_engine(db)
    try:
        grant_practice_access(
            other, practice["colleague"], thames, version=1, team_member_id=newcomer
        )
        with pytest.raises(StaleVersion) as refused:
            remove_practice_access(
                db,
                practice["admin"],
                thames,
                version=1,
                team_member_id=practice["standard"].team_member_id,
            )
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert set(access(db, thames)) == {practice["standard"].team_member_id, newcomer}
    assert [event.action for event in audit(db, thames)] == ["practice_access.granted"]


def test_an_admin_lowered_to_standard_after_sign_in_may_no_longer_change_access(practice):
    db, colleague, thames = practice["db"], practice["colleague"], practice["thames"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
            {"id": colleague.team_member_id},
        )
        connection.execute(
            text(
                "INSERT INTO practice_access (team_member_id, client_id, bookkeeping, approval, "
                "data_health, account_manager) VALUES (:m, :c, true, false, false, false)"
            ),
            {"m": colleague.team_member_id, "c": thames},
        )
    with pytest.raises(NotAllowed):
        grant_practice_access(
            db, colleague, thames, version=1, team_member_id=practice["newcomer"].team_member_id
        )
