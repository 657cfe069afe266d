"""Bulk lifecycle changes: preview, role, scope, staleness, all or nothing, one batch id.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dext_tui.data.errors import NotAllowed
from dext_tui.data.services.bulk_actions import (
    OUTSIDE_ACCESS,
    BulkAction,
    StaleBatch,
    apply_bulk,
    preview_bulk,
)
from dext_tui.data.services.clients import update_client
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

LATER = FIXED_NOW + timedelta(days=1)
AFTER_WAIT = FIXED_NOW + timedelta(days=121)


def at(moment: datetime):
    return lambda: moment


def states(engine: Engine, ids) -> dict[int, str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, state FROM client")).all()
    return {client_id: state for client_id, state in rows if client_id in ids}


def prepare_status(engine: Engine, client_id: int) -> str:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT status FROM prepare_account WHERE client_id = :id"), {"id": client_id}
        ).scalar_one()


def events(engine: Engine, action: str) -> list:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT client_id, batch_id, team_member_id, before, after, seq "
                "FROM audit_event WHERE action = :action ORDER BY id"
            ),
            {"action": action},
        ).all()


def change_seq(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT MAX(change_seq) FROM practice")).scalar_one()


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    client_admin = add_member(db, practice_id, "cadmin@example.com", "client_admin")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    active = [add_client(db, practice_id, f"Active {n} Ltd", precision="invited") for n in range(3)]
    paused = add_client(db, practice_id, "Paused Ltd", state="deactivated")
    removed = add_client(db, practice_id, "Gone Ltd", state="removed")
    return {
        "db": db,
        "practice_id": practice_id,
        "admin": admin,
        "client_admin": client_admin,
        "standard": standard,
        "active": active,
        "paused": paused,
        "removed": removed,
    }


def test_preview_sorts_clients_into_change_skipped_and_refused_with_reasons(practice):
    db, active, paused = practice["db"], practice["active"], practice["paused"]
    ids = [*active, paused, 999_999]
    preview = preview_bulk(db, practice["admin"], "deactivate", ids, clock=at(LATER))
    assert preview.will_change == tuple(active)
    assert preview.skipped == {"already deactivated": (paused,)}
    assert preview.refused == {OUTSIDE_ACCESS: (999_999,)}
    assert preview.lines() == [
        "3 will be deactivated",
        "1 skipped: already deactivated",
        "1 refused: outside your access",
    ]
    assert states(db, ids) == {**dict.fromkeys(active, "active"), paused: "deactivated"}


def test_reactivation_refused_until_the_wait_is_over_naming_the_date(practice):
    db, paused = practice["db"], practice["paused"]
    early = preview_bulk(db, practice["admin"], "reactivate", [paused], clock=at(LATER))
    assert early.refused == {"reactivation waits until 2 March 2027": (paused,)}
    assert early.will_change == ()
    late = preview_bulk(db, practice["admin"], "reactivate", [paused], clock=at(AFTER_WAIT))
    assert late.will_change == (paused,)
    apply_bulk(db, practice["admin"], late, clock=at(AFTER_WAIT))
    assert states(db, [paused]) == {paused: "active"}
    assert prepare_status(db, paused) == "active"


def test_apply_writes_one_audit_event_per_client_sharing_one_batch_id(practice):
    db, admin, active, paused = (
        practice["db"],
        practice["admin"],
        practice["active"],
        practice["paused"],
    )
    preview = preview_bulk(db, admin, BulkAction.DEACTIVATE, [*active, paused], clock=at(LATER))
    result = apply_bulk(db, admin, preview, clock=at(LATER))
    assert result.client_ids == tuple(active)
    assert states(db, active) == dict.fromkeys(active, "deactivated")
    assert {prepare_status(db, client) for client in active} == {"deactivated"}
    written = [event for event in events(db, "client.deactivated") if event.client_id != paused]
    assert [event.client_id for event in written] == active
    assert {event.batch_id for event in written} == {result.batch_id}
    assert len(result.batch_id) == 32
    assert {event.team_member_id for event in written} == {admin.team_member_id}
    assert {event.seq for event in written} == {result.seq}
    assert json.loads(written[0].before) == {
        "state": "active",
        "products": {"prepare": "active", "precision": "invited"},
    }


def test_a_single_client_change_gets_a_batch_id_too(practice):
    db, client = practice["db"], practice["active"][0]
    result = update_client(db, practice["admin"], client, version=1, name="Renamed Ltd")
    (event,) = events(db, "client.updated")
    assert event.batch_id == result.batch_id is not None


def test_remove_then_restore_puts_each_client_back_in_its_state(practice):
    db, admin, active, paused = (
        practice["db"],
        practice["admin"],
        practice["active"],
        practice["paused"],
    )
    ids = [active[0], paused]
    apply_bulk(db, admin, preview_bulk(db, admin, "remove", ids), clock=at(LATER))
    assert states(db, ids) == dict.fromkeys(ids, "removed")
    preview = preview_bulk(db, admin, "restore", [*ids, active[1]])
    assert preview.skipped == {"not removed": (active[1],)}
    apply_bulk(db, admin, preview, clock=at(LATER))
    assert states(db, ids) == {active[0]: "active", paused: "deactivated"}


def test_standard_users_may_not_use_bulk_actions(practice):
    with pytest.raises(NotAllowed) as refused:
        preview_bulk(practice["db"], practice["standard"], "deactivate", practice["active"])
    assert "bulk actions" in refused.value.message


def test_client_admin_may_deactivate_in_bulk_but_not_restore(practice):
    db, client_admin = practice["db"], practice["client_admin"]
    preview = preview_bulk(db, client_admin, "deactivate", practice["active"])
    assert preview.will_change == tuple(practice["active"])
    with pytest.raises(NotAllowed) as refused:
        preview_bulk(db, client_admin, "restore", [practice["removed"]])
    assert "restoring removed clients" in refused.value.message


def test_client_admin_sees_a_removed_client_as_outside_their_access(practice):
    db, removed = practice["db"], practice["removed"]
    preview = preview_bulk(db, practice["client_admin"], "remove", [removed])
    assert preview.refused == {OUTSIDE_ACCESS: (removed,)}
    assert preview.versions == {}  # nothing about it is told


def test_a_role_lowered_after_the_preview_is_honoured_at_apply(practice):
    db, client_admin = practice["db"], practice["client_admin"]
    preview = preview_bulk(db, client_admin, "deactivate", practice["active"])
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
            {"id": client_admin.team_member_id},
        )
    with pytest.raises(NotAllowed):
        apply_bulk(db, client_admin, preview)
    assert set(states(db, practice["active"]).values()) == {"active"}


def test_a_client_changed_after_the_preview_makes_apply_stale_and_writes_nothing(practice):
    db, admin, active = practice["db"], practice["admin"], practice["active"]
    preview = preview_bulk(db, admin, "deactivate", active, clock=at(LATER))
    update_client(db, practice["client_admin"], active[1], version=1, name="Meanwhile Ltd")
    seq = change_seq(db)
    with pytest.raises(StaleBatch) as stale:
        apply_bulk(db, admin, preview, clock=at(LATER))
    assert stale.value.preview.will_change == tuple(active)
    assert stale.value.preview.versions[active[1]] == 2
    assert set(states(db, active).values()) == {"active"}
    assert events(db, "client.deactivated") == events(db, "client.deactivated")[:1]  # Paused's
    assert change_seq(db) == seq
    apply_bulk(db, admin, stale.value.preview, clock=at(LATER))  # the updated preview applies
    assert set(states(db, active).values()) == {"deactivated"}


def test_a_client_whose_outcome_changed_updates_the_preview(practice):
    db, admin, active = practice["db"], practice["admin"], practice["active"]
    preview = preview_bulk(db, admin, "deactivate", active, clock=at(LATER))
    apply_bulk(db, admin, preview_bulk(db, admin, "deactivate", active[:1]), clock=at(LATER))
    with pytest.raises(StaleBatch) as stale:
        apply_bulk(db, admin, preview, clock=at(LATER))
    assert stale.value.preview.skipped == {"already deactivated": (active[0],)}
    assert stale.value.preview.will_change == tuple(active[1:])


def _fail_updates_of(engine: Engine, client_id: int) -> None:
    """A real database failure part-way through the batch: a trigger refusing one client."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_one BEFORE UPDATE ON client "
                f"WHEN NEW.id = {client_id} BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_one BEFORE UPDATE ON client FOR EACH ROW "
                f"WHEN (NEW.id = {client_id}) EXECUTE FUNCTION refuse_one()"
            )


def test_a_failure_mid_batch_writes_nothing(practice):
    db, admin, active = practice["db"], practice["admin"], practice["active"]
    preview = preview_bulk(db, admin, "deactivate", active, clock=at(LATER))
    _fail_updates_of(db, active[-1])
    seq = change_seq(db)
    with pytest.raises(DBAPIError):
        apply_bulk(db, admin, preview, clock=at(LATER))
    assert set(states(db, active).values()) == {"active"}
    assert {prepare_status(db, client) for client in active} == {"active"}
    assert [event.client_id for event in events(db, "client.deactivated")] == [practice["paused"]]
    assert change_seq(db) == seq


def test_standard_users_scope_is_applied_before_their_role_would_matter(db):
    """Even a (future) bulk-capable viewer acts only in scope: ids outside it are refused
    exactly as ids that do not exist."""
    practice_id = add_practice(db)
    add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    granted = add_client(db, practice_id, "Mine Ltd", granted_to=[standard])
    hidden = add_client(db, practice_id, "Not Mine Ltd")
    from dext_tui.data.services.batches import clients_in_scope

    with db.connect() as connection:
        seen = clients_in_scope(connection, standard, [granted, hidden, 424242])
    assert set(seen) == {granted}


def test_preview_and_apply_take_the_now_of_their_clock(practice):
    db, admin, client = practice["db"], practice["admin"], practice["active"][0]
    moment = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    apply_bulk(db, admin, preview_bulk(db, admin, "deactivate", [client]), clock=at(moment))
    refused = preview_bulk(db, admin, "reactivate", [client], clock=at(moment))
    assert refused.refused == {"reactivation waits until 5 May 2027": (client,)}
