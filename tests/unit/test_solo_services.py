"""Solo Edit: CRN, practice code, NI number and postcode of a client's Solo account.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services.clients import remove_client, update_client
from dext_tui.data.services.solo import load_solo_details, update_solo_details
from tests.factories import add_client, add_team, audit, clock, second_engine


def solo_row(engine: Engine, client_id: int) -> tuple:
    with engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT s.crn, s.practice_code, s.ni_number, s.postcode, c.version "
                    "FROM solo_account s JOIN client c ON c.id = s.client_id "
                    "WHERE s.client_id = :id"
                ),
                {"id": client_id},
            ).one()
        )


@pytest.fixture
def practice(db):
    team = add_team(db)
    practice_id, standard = team.pop("practice_id"), team["standard"]
    return {
        "db": db,
        **team,
        "sole": add_client(
            db,
            practice_id,
            "Jo Bloggs",
            code="JB1",
            prepare=None,
            solo="active",
            granted_to=[standard],
        ),
        "hidden": add_client(db, practice_id, "Hidden Ltd", code="HID", solo="invited"),
        "prepare_only": add_client(db, practice_id, "Prepare Only Ltd", code="PO1"),
    }


def test_solo_edit_stores_normalised_values_bumps_the_version_and_audits_once(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    result = update_solo_details(
        db,
        admin,
        sole,
        version=1,
        crn="123456",
        practice_code=" JB1 ",
        ni_number="ab 12 34 56 c",
        postcode="sw1a1aa",
        clock=clock(),
    )
    assert solo_row(db, sole) == ("00123456", "JB1", "AB123456C", "SW1A 1AA", 2)
    assert result.version_of(sole) == 2
    (event,) = audit(db, sole)
    assert event.action == "solo.updated"
    assert event.team_member_id == admin.team_member_id
    assert json.loads(event.before) == dict.fromkeys(
        ("crn", "practice_code", "ni_number", "postcode")
    )
    assert json.loads(event.after) == {
        "crn": "00123456",
        "practice_code": "JB1",
        "ni_number": "AB123456C",
        "postcode": "SW1A 1AA",
    }
    details = load_solo_details(db, admin, sole)
    assert (details.version, details.status, details.postcode) == (2, "active", "SW1A 1AA")


def test_only_the_fields_that_changed_are_audited_and_empty_clears_one(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    update_solo_details(db, admin, sole, version=1, crn="SC123456", postcode="EH1 1AA")
    update_solo_details(db, admin, sole, version=2, crn="SC123456", postcode="  ")
    assert solo_row(db, sole) == ("SC123456", None, None, None, 3)
    last = audit(db, sole)[-1]
    assert (json.loads(last.before), json.loads(last.after)) == (
        {"postcode": "EH1 1AA"},
        {"postcode": None},
    )


def test_saving_the_same_values_writes_nothing(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    update_solo_details(db, admin, sole, version=1, crn="12345678")
    result = update_solo_details(db, admin, sole, version=2, crn="12345678", postcode="")
    assert result.changes == ()
    assert solo_row(db, sole)[-1] == 2
    assert len(audit(db, sole)) == 1


def test_every_bad_field_is_named_and_nothing_is_written(practice):
    db, sole = practice["db"], practice["sole"]
    with pytest.raises(InvalidInput) as refused:
        update_solo_details(
            db,
            practice["admin"],
            sole,
            version=1,
            crn="XX123456",
            practice_code="has space",
            ni_number="QQ123456C",
            postcode="NOT A CODE",
        )
    errors = refused.value
    assert {error.field for error in errors.errors} == {
        "crn",
        "practice_code",
        "ni_number",
        "postcode",
    }
    assert "CRN prefix XX" in errors.for_field("crn").message
    assert errors.for_field("ni_number").message.startswith("National Insurance number must")
    assert errors.for_field("postcode").message.startswith("Postcode must be a UK postcode")
    assert errors.for_field("practice_code").message.startswith("Practice code must be")
    assert solo_row(db, sole) == (None, None, None, None, 1)
    assert audit(db, sole) == []


def test_a_client_without_solo_is_refused_saying_so(practice):
    db, admin, client = practice["db"], practice["admin"], practice["prepare_only"]
    with pytest.raises(NotAllowed) as refused:
        update_solo_details(db, admin, client, version=1, crn="12345678")
    assert refused.value.message.startswith("Prepare Only Ltd has no Solo account")
    with pytest.raises(NotAllowed):
        load_solo_details(db, admin, client)
    with db.connect() as connection:
        version = connection.execute(
            text("SELECT version FROM client WHERE id = :id"), {"id": client}
        ).scalar()
    assert version == 1
    assert audit(db, client) == []


def test_solo_not_set_up_counts_as_no_solo_account(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE solo_account SET status = 'not_set_up' WHERE client_id = :id"),
            {"id": sole},
        )
    with pytest.raises(NotAllowed):
        update_solo_details(db, admin, sole, version=1, crn="12345678")


def test_solo_practice_code_may_be_the_clients_own_in_any_case(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    update_solo_details(db, admin, sole, version=1, practice_code="jb1")
    assert solo_row(db, sole)[1] == "jb1"


def test_solo_practice_code_of_another_client_is_refused_naming_it(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    with pytest.raises(InvalidInput) as refused:
        update_solo_details(db, admin, sole, version=1, practice_code="hid")
    assert refused.value.for_field("practice_code").message == (
        "Practice code hid is already used by Hidden Ltd"
    )
    # Another client's Solo code is that client's too.
    update_solo_details(db, admin, practice["hidden"], version=1, practice_code="SOLO-7")
    with pytest.raises(InvalidInput) as refused:
        update_solo_details(db, admin, sole, version=1, practice_code="Solo-7")
    assert refused.value.for_field("practice_code").message == (
        "Practice code Solo-7 is already used by Hidden Ltd"
    )
    assert solo_row(db, sole) == (None, None, None, None, 1)


def test_a_clash_with_a_client_the_viewer_cannot_see_does_not_name_it(practice):
    db, standard, sole = practice["db"], practice["standard"], practice["sole"]
    with pytest.raises(InvalidInput) as refused:
        update_solo_details(db, standard, sole, version=1, practice_code="HID")
    assert refused.value.for_field("practice_code").message == (
        "Practice code HID is already in use"
    )


def test_a_standard_user_reaches_only_granted_clients(practice):
    db, standard = practice["db"], practice["standard"]
    with pytest.raises(ClientNotFound):
        update_solo_details(db, standard, practice["hidden"], version=1, crn="12345678")
    with pytest.raises(ClientNotFound):
        load_solo_details(db, standard, practice["hidden"])
    assert solo_row(db, practice["hidden"]) == (None, None, None, None, 1)
    update_solo_details(db, standard, practice["sole"], version=1, crn="12345678")
    assert solo_row(db, practice["sole"])[0] == "12345678"


def test_a_stale_page_is_refused_after_another_session_changed_the_client(practice):
    db, sole = practice["db"], practice["sole"]
    other = second_engine(db)
    try:
        # Both opened at version 1; the colleague renames the client first.
        update_client(other, practice["colleague"], sole, version=1, name="Jo Bloggs Trading")
        with pytest.raises(StaleVersion) as refused:
            update_solo_details(db, practice["admin"], sole, version=1, crn="12345678")
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert solo_row(db, sole) == (None, None, None, None, 2)
    assert [event.action for event in audit(db, sole)] == ["client.updated"]


def test_a_solo_change_makes_an_older_client_page_stale(practice):
    db, sole = practice["db"], practice["sole"]
    update_solo_details(db, practice["colleague"], sole, version=1, postcode="M1 1AE")
    with pytest.raises(StaleVersion):
        update_client(db, practice["admin"], sole, version=1, name="Overwritten Ltd")


def test_a_removed_client_is_restored_before_it_is_edited(practice):
    db, admin, sole = practice["db"], practice["admin"], practice["sole"]
    remove_client(db, admin, sole, version=1)
    with pytest.raises(NotAllowed) as refused:
        update_solo_details(db, admin, sole, version=2, crn="12345678")
    assert "restore it" in refused.value.message
    assert solo_row(db, sole)[0] is None
