"""Precision System Settings: connected software, visibility and the account managers.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services.practice_access import load_practice_access
from dext_tui.data.services.precision import load_precision_settings, update_precision_settings
from tests.factories import add_client, add_member, add_team, audit, clock, second_engine


def precision(engine: Engine, client_id: int) -> tuple:
    with engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT p.software, p.visibility, c.version FROM precision_account p "
                    "JOIN client c ON c.id = p.client_id WHERE c.id = :id"
                ),
                {"id": client_id},
            ).one()
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
    return {
        "db": db,
        **team,
        "newcomer": newcomer,
        "books": add_client(
            db, practice_id, "Books Ltd", prepare=None, precision="active", granted_to=[standard]
        ),
        "hidden": add_client(db, practice_id, "Hidden Ltd", prepare=None, precision="active"),
        "prepare_only": add_client(db, practice_id, "Prepare Only Ltd"),
    }


def test_software_and_visibility_are_saved_in_one_audited_change(practice):
    db, admin, books = practice["db"], practice["admin"], practice["books"]
    result = update_precision_settings(
        db,
        admin,
        books,
        version=1,
        software="QuickBooks Online",
        visibility="software_users_only",
        clock=clock(),
    )
    assert precision(db, books) == ("quickbooks_online", "software_users_only", 2)
    assert result.version_of(books) == 2
    (event,) = audit(db, books)
    assert event.action == "precision.settings_updated"
    assert event.team_member_id == admin.team_member_id
    assert json.loads(event.before) == {"software": "xero", "visibility": "whole_team"}
    assert json.loads(event.after) == {
        "software": "quickbooks_online",
        "visibility": "software_users_only",
    }


def test_the_page_shows_settings_managers_and_who_could_manage(practice):
    db, admin, books = practice["db"], practice["admin"], practice["books"]
    add_member(db, admin.practice_id, "retired@example.com", "client_admin", active=False)
    settings = load_precision_settings(db, admin, books)
    assert (settings.client_name, settings.version, settings.status) == ("Books Ltd", 1, "active")
    assert (settings.software, settings.visibility) == ("xero", "whole_team")
    assert settings.account_managers == ()
    # Admins by role and colleagues granted access; not a colleague without access.
    assert [c.email for c in settings.candidates] == [
        "admin@example.com",
        "colleague@example.com",
        "std@example.com",
    ]
    assert settings.can_change_account_managers


def test_account_managers_are_set_as_a_whole(practice):
    db, admin, books = practice["db"], practice["admin"], practice["books"]
    colleague, standard = practice["colleague"].team_member_id, practice["standard"].team_member_id
    update_precision_settings(
        db, admin, books, version=1, account_managers=[colleague, standard], clock=clock()
    )
    # The client admin gets a row for the toggle alone; the colleague's other toggles stay.
    assert access(db, books) == {
        colleague: (False, False, False, True),
        standard: (True, False, False, True),
    }
    event = audit(db, books)[-1]
    assert json.loads(event.before) == {"account_managers": []}
    assert json.loads(event.after) == {
        "account_managers": ["Colleague <colleague@example.com>", "Std <std@example.com>"]
    }
    update_precision_settings(db, admin, books, version=2, account_managers={standard})
    assert access(db, books) == {
        colleague: (False, False, False, False),
        standard: (True, False, False, True),
    }
    assert json.loads(audit(db, books)[-1].after) == {"account_managers": ["Std <std@example.com>"]}
    settings = load_precision_settings(db, admin, books)
    assert [c.email for c in settings.account_managers] == ["std@example.com"]
    # The Practice Access pages show the same toggle.
    shown = {c.email: c.account_manager for c in load_practice_access(db, admin, books).colleagues}
    assert shown["std@example.com"] and not shown["colleague@example.com"]


def test_an_account_manager_must_be_an_active_colleague_who_sees_the_client(practice):
    db, admin, books = practice["db"], practice["admin"], practice["books"]
    add_member(db, admin.practice_id, "gone@example.com", "client_admin", active=False)
    with db.connect() as connection:
        gone = connection.execute(
            text("SELECT id FROM team_member WHERE email = 'gone@example.com'")
        ).scalar_one()
    with pytest.raises(InvalidInput) as refused:
        update_precision_settings(
            db,
            admin,
            books,
            version=1,
            visibility="software_users_only",
            account_managers=[practice["newcomer"].team_member_id, gone, 999_999],
        )
    assert refused.value.for_field("account_managers").message == (
        "Account managers: Newcomer has no access to Books Ltd: grant it first; "
        "Gone is no longer an active team member; no colleague 999999 in this practice"
    )
    assert precision(db, books) == ("xero", "whole_team", 1)
    assert access(db, books) == {practice["standard"].team_member_id: (True, False, False, False)}
    assert audit(db, books) == []


def test_a_standard_user_may_change_the_software_but_not_the_account_managers(practice):
    db, standard, books = practice["db"], practice["standard"], practice["books"]
    settings = load_precision_settings(db, standard, books)
    assert not settings.can_change_account_managers
    assert settings.why_not.startswith("Your role (Standard) does not allow changing")
    with pytest.raises(NotAllowed) as refused:
        update_precision_settings(
            db,
            standard,
            books,
            version=1,
            software="quickbooks_online",
            account_managers=[standard.team_member_id],
        )
    assert refused.value.message == settings.why_not
    assert precision(db, books) == ("xero", "whole_team", 1)
    # The same set as stored is no change to access.
    update_precision_settings(
        db, standard, books, version=1, software="quickbooks_online", account_managers=[]
    )
    assert precision(db, books) == ("quickbooks_online", "whole_team", 2)


def test_a_client_admin_cannot_make_a_practice_admin_an_account_manager(practice):
    db, colleague, books = practice["db"], practice["colleague"], practice["books"]
    admin = practice["admin"]
    with pytest.raises(NotAllowed) as refused:
        update_precision_settings(
            db, colleague, books, version=1, account_managers=[admin.team_member_id]
        )
    assert "Only a practice admin can make a practice admin an account manager" in (
        refused.value.message
    )
    update_precision_settings(db, admin, books, version=1, account_managers=[admin.team_member_id])
    with pytest.raises(NotAllowed):  # nor take it away
        update_precision_settings(db, colleague, books, version=2, account_managers=[])
    assert access(db, books)[admin.team_member_id][3] is True


def test_every_bad_field_is_named_and_nothing_is_written(practice):
    db, books = practice["db"], practice["books"]
    with pytest.raises(InvalidInput) as refused:
        update_precision_settings(
            db,
            practice["admin"],
            books,
            version=1,
            software="sage",
            visibility="",
            account_managers="Std",
        )
    messages = {error.field: error.message for error in refused.value.errors}
    assert messages["software"].startswith("Connected software must be one of the list (xero")
    assert messages["visibility"] == "Visibility is required"
    assert messages["account_managers"].startswith("Account managers must be a list")
    with pytest.raises(InvalidInput):
        update_precision_settings(db, practice["admin"], books, version=1, account_managers=[True])
    assert precision(db, books) == ("xero", "whole_team", 1)


def test_saving_what_is_stored_writes_nothing(practice):
    db, admin, books = practice["db"], practice["admin"], practice["books"]
    result = update_precision_settings(
        db, admin, books, version=1, software="xero", visibility="whole_team", account_managers=[]
    )
    assert result.changes == ()
    assert precision(db, books)[2] == 1


def test_a_client_without_precision_has_no_precision_settings(practice):
    db, admin, client = practice["db"], practice["admin"], practice["prepare_only"]
    with pytest.raises(NotAllowed) as refused:
        update_precision_settings(db, admin, client, version=1, visibility="whole_team")
    assert refused.value.message.startswith("Prepare Only Ltd has no Precision account")
    with pytest.raises(NotAllowed):
        load_precision_settings(db, admin, client)


def test_a_standard_user_cannot_reach_an_unassigned_client(practice):
    db, standard, hidden = practice["db"], practice["standard"], practice["hidden"]
    with pytest.raises(ClientNotFound):
        load_precision_settings(db, standard, hidden)
    with pytest.raises(ClientNotFound):
        update_precision_settings(db, standard, hidden, version=1, software="quickbooks_online")
    assert precision(db, hidden) == ("xero", "whole_team", 1)


def test_a_stale_settings_page_is_refused_after_another_sessions_change(practice):
    db, books = practice["db"], practice["books"]
    other = second_engine(db)
    try:
        update_precision_settings(
            other, practice["colleague"], books, version=1, visibility="software_users_only"
        )
        with pytest.raises(StaleVersion) as refused:
            update_precision_settings(
                db, practice["admin"], books, version=1, software="quickbooks_online"
            )
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert precision(db, books) == ("xero", "software_users_only", 2)
