"""The write path: scope, validation, stale versions refused, audit per change, one transaction.

Every test runs on SQLite and PostgreSQL; "two people" are two engines on the
same database, so each has its own connections and sessions.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services.clients import (
    create_client,
    deactivate_client,
    delete_client,
    reactivate_client,
    remove_client,
    restore_client,
    update_client,
)
from tests.factories import FIXED_NOW as NOW
from tests.factories import add_client, add_team, audit, clock, second_engine


def client_row(engine: Engine, client_id: int):
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT name, practice_code, crn, state, version FROM client WHERE id = :id"),
            {"id": client_id},
        ).first()


@pytest.fixture
def practice(db):
    team = add_team(db)
    practice_id, standard = team.pop("practice_id"), team["standard"]
    thames = add_client(db, practice_id, "Thames Water Ltd", code="TW1", granted_to=[standard])
    hidden = add_client(db, practice_id, "Hidden Ltd", code="HID")
    return {"db": db, **team, "thames": thames, "hidden": hidden}


def test_rename_writes_once_bumps_version_and_audits(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    result = update_client(
        db, admin, thames, version=1, name=" Thames Water Limited ", clock=clock()
    )
    assert result.client_ids == (thames,)
    assert result.version_of(thames) == 2
    assert tuple(client_row(db, thames)) == ("Thames Water Limited", "TW1", None, "active", 2)
    (event,) = audit(db, thames)
    assert event.action == "client.updated"
    assert event.team_member_id == admin.team_member_id
    assert json.loads(event.before) == {"name": "Thames Water Ltd"}
    assert json.loads(event.after) == {"name": "Thames Water Limited"}
    assert event.seq == result.seq > 0


def test_stale_write_from_a_second_session_is_refused_naming_who_and_when(practice):
    db, thames = practice["db"], practice["thames"]
    other = second_engine(db)
    try:
        # Both read version 1; the colleague saves first, in their own session.
        update_client(
            other, practice["colleague"], thames, version=1, practice_code="TW9", clock=clock()
        )
        with pytest.raises(StaleVersion) as refused:
            update_client(db, practice["admin"], thames, version=1, name="Overwrite Ltd")
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert "09:30 on 02 Nov 2026" in refused.value.message
    row = client_row(db, thames)
    assert (row.name, row.practice_code, row.version) == ("Thames Water Ltd", "TW9", 2)
    assert [event.action for event in audit(db, thames)] == ["client.updated"]


def test_validation_names_every_bad_field_and_writes_nothing(practice):
    db, thames = practice["db"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        update_client(
            db,
            practice["admin"],
            thames,
            version=1,
            name="  ",
            practice_code="no spaces",
            crn="XX123456",
        )
    fields = {error.field for error in refused.value.errors}
    assert fields == {"name", "practice_code", "crn"}
    assert "Practice code must be" in refused.value.for_field("practice_code").message
    assert client_row(db, thames).version == 1
    assert audit(db, thames) == []


def test_practice_code_used_by_another_client_is_refused_case_insensitively(practice):
    db = practice["db"]
    with pytest.raises(InvalidInput) as refused:
        update_client(db, practice["admin"], practice["thames"], version=1, practice_code="hid")
    assert refused.value.for_field("practice_code").message == (
        "Practice code hid is already used by Hidden Ltd"
    )
    # A standard user is not told the name of a client not shared with them.
    with pytest.raises(InvalidInput) as hidden:
        update_client(db, practice["standard"], practice["thames"], version=1, practice_code="HID")
    assert hidden.value.for_field("practice_code").message == (
        "Practice code HID is already in use"
    )
    assert client_row(db, practice["thames"]).practice_code == "TW1"


def test_standard_user_cannot_reach_an_unassigned_client_and_learns_nothing(practice):
    db, standard = practice["db"], practice["standard"]
    with pytest.raises(ClientNotFound) as hidden:
        update_client(db, standard, practice["hidden"], version=1, name="Mine Now")
    with pytest.raises(ClientNotFound) as missing:
        update_client(db, standard, 999_999, version=1, name="Mine Now")
    assert hidden.value.message == missing.value.message
    assert client_row(db, practice["hidden"]).name == "Hidden Ltd"
    # The client granted to them is theirs to edit.
    update_client(db, standard, practice["thames"], version=1, name="Thames Water Plc")
    assert client_row(db, practice["thames"]).name == "Thames Water Plc"


def test_a_role_lowered_after_sign_in_applies_to_the_next_write(practice):
    db, colleague = practice["db"], practice["colleague"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
            {"id": colleague.team_member_id},
        )
    with pytest.raises(ClientNotFound):
        update_client(db, colleague, practice["hidden"], version=1, name="Sneaky Ltd")


def test_nothing_to_change_writes_no_audit_and_keeps_the_version(practice):
    db, thames = practice["db"], practice["thames"]
    result = update_client(db, practice["admin"], thames, version=1, name="Thames Water Ltd")
    assert result.changes == ()
    assert client_row(db, thames).version == 1
    assert audit(db, thames) == []


def test_create_client_with_products_and_access_for_a_standard_adder(practice):
    db, standard = practice["db"], practice["standard"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = true WHERE id = :id"),
            {"id": standard.team_member_id},
        )
    result = create_client(
        db,
        standard,
        name="New Co Ltd",
        products={"prepare": "invited", "solo": "active"},
        practice_code="NEW1",
        crn="123456",
        clock=clock(),
    )
    (client_id,) = result.client_ids
    assert tuple(client_row(db, client_id)) == ("New Co Ltd", "NEW1", "00123456", "active", 1)
    with db.connect() as connection:
        statuses = connection.execute(
            text(
                "SELECT p.status, s.status, pr.client_id FROM client c "
                "LEFT JOIN prepare_account p ON p.client_id = c.id "
                "LEFT JOIN solo_account s ON s.client_id = c.id "
                "LEFT JOIN precision_account pr ON pr.client_id = c.id WHERE c.id = :id"
            ),
            {"id": client_id},
        ).one()
        granted = connection.execute(
            text(
                "SELECT COUNT(*) FROM practice_access WHERE client_id = :id AND team_member_id = :m"
            ),
            {"id": client_id, "m": standard.team_member_id},
        ).scalar()
    assert tuple(statuses) == ("invited", "active", None)
    assert granted == 1
    assert [e.action for e in audit(db, client_id, since_created=False)] == ["client.created"]


def test_standard_user_without_permission_cannot_add(practice):
    with pytest.raises(NotAllowed):
        create_client(
            practice["db"], practice["standard"], name="X Ltd", products={"prepare": "active"}
        )


def test_bundle_limit_refuses_a_new_client(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET client_bundle_limit = 2"))
    with pytest.raises(NotAllowed) as refused:
        create_client(db, practice["admin"], name="One Too Many", products={"prepare": "active"})
    assert "bundle is full (2 of 2" in refused.value.message
    with db.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM client")).scalar() == 2


def test_deactivate_then_reactivation_waits_120_days(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    deactivate_client(db, admin, thames, version=1, clock=clock())
    with db.connect() as connection:
        status = connection.execute(
            text("SELECT status FROM prepare_account WHERE client_id = :id"), {"id": thames}
        ).scalar()
    assert (client_row(db, thames).state, status) == ("deactivated", "deactivated")
    too_soon = NOW + timedelta(days=119)
    with pytest.raises(NotAllowed) as refused:
        reactivate_client(db, admin, thames, version=2, clock=clock(too_soon))
    assert "from 02 March 2027" in refused.value.message
    reactivate_client(db, admin, thames, version=2, clock=clock(NOW + timedelta(days=120)))
    with db.connect() as connection:
        status = connection.execute(
            text("SELECT status FROM prepare_account WHERE client_id = :id"), {"id": thames}
        ).scalar()
    assert (client_row(db, thames).state, status) == ("active", "active")


def test_remove_and_restore_by_a_practice_admin_only(practice):
    db, thames = practice["db"], practice["thames"]
    remove_client(db, practice["colleague"], thames, version=1)
    assert client_row(db, thames).state == "removed"
    with pytest.raises(NotAllowed):  # a client admin no longer sees removed clients
        restore_client(db, practice["colleague"], thames, version=2)
    restore_client(db, practice["admin"], thames, version=2)
    assert client_row(db, thames).state == "active"
    assert [e.action for e in audit(db, thames)] == ["client.removed", "client.restored"]


def test_delete_only_without_client_users_and_the_audit_stays(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    with db.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client_user (client_id, name, email, role, active, is_owner) "
                "VALUES (:id, 'Owner', 'o@example.com', 'business_admin', true, true)"
            ),
            {"id": thames},
        )
    with pytest.raises(NotAllowed):
        delete_client(db, admin, thames, version=1)
    assert client_row(db, thames) is not None
    result = delete_client(db, admin, practice["hidden"], version=1)
    assert result.version_of(practice["hidden"]) is None
    assert client_row(db, practice["hidden"]) is None
    assert [e.action for e in audit(db, practice["hidden"])] == ["client.deleted"]


def test_change_numbers_follow_commit_order(practice):
    db, admin = practice["db"], practice["admin"]
    first = update_client(db, admin, practice["thames"], version=1, name="A Ltd")
    second = update_client(db, admin, practice["hidden"], version=1, name="B Ltd")
    assert second.seq == first.seq + 1
    with db.connect() as connection:
        assert connection.execute(text("SELECT change_seq FROM practice")).scalar() == second.seq
