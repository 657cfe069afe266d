"""Bulk grant / revoke of a colleague's practice access and bulk Prepare account manager:
preview in words, role, scope, staleness, all or nothing, one batch id, undo, Activity.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dext_tui.data.activity import activity_page
from dext_tui.data.errors import NotAllowed
from dext_tui.data.services.bulk_actions import (
    OUTSIDE_ACCESS,
    StaleBatch,
    apply_bulk,
    preview_bulk,
)
from dext_tui.data.services.practice_access import grant_practice_access
from dext_tui.data.services.undo import apply_undo, preview_undo
from tests.factories import add_client, add_member, add_practice, version
from tests.unit.test_bulk_services import _fail_updates_of, change_seq


def access(engine: Engine, member_id: int) -> dict[int, tuple[bool, ...]]:
    """The colleague's access rows: client -> (bookkeeping, approval, data_health, manager)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT client_id, bookkeeping, approval, data_health, account_manager "
                "FROM practice_access WHERE team_member_id = :m"
            ),
            {"m": member_id},
        ).all()
    return {row[0]: tuple(bool(value) for value in row[1:]) for row in rows}


def managers(engine: Engine, ids) -> dict[int, int | None]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT client_id, account_manager_id FROM prepare_account")
        ).all()
    return {client_id: manager for client_id, manager in rows if client_id in ids}


def events(engine: Engine, action: str) -> list:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT client_id, batch_id, before, after FROM audit_event "
                "WHERE action = :action ORDER BY id"
            ),
            {"action": action},
        ).all()


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "ann.lee@example.com")
    client_admin = add_member(db, practice_id, "carl.admin@example.com", "client_admin")
    other_admin = add_member(db, practice_id, "pat.admin@example.com")
    olivia = add_member(db, practice_id, "olivia.vale@example.com", "standard")
    left = add_member(db, practice_id, "left@example.com", "standard")
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET active = FALSE WHERE id = :id"),
            {"id": left.team_member_id},
        )
    clients = [add_client(db, practice_id, f"Client {n} Ltd") for n in range(4)]
    already = add_client(db, practice_id, "Already Ltd", granted_to=[olivia])
    no_prepare = add_client(db, practice_id, "Solo Only Ltd", prepare=None, solo="active")
    removed = add_client(db, practice_id, "Gone Ltd", state="removed")
    elsewhere_practice = add_practice(db, "Elsewhere")
    add_member(db, elsewhere_practice, "boss@elsewhere.example.com")
    elsewhere = add_client(db, elsewhere_practice, "Not Ours Ltd")
    return {
        "db": db,
        "admin": admin,
        "client_admin": client_admin,
        "other_admin": other_admin,
        "olivia": olivia,
        "left": left,
        "clients": clients,
        "already": already,
        "no_prepare": no_prepare,
        "removed": removed,
        "elsewhere": elsewhere,
    }


# -- grant ----------------------------------------------------------------------------
def test_grant_preview_says_who_how_many_skipped_and_refused(practice):
    db, olivia, clients = practice["db"], practice["olivia"], practice["clients"]
    ids = [*clients, practice["already"], practice["removed"], practice["elsewhere"]]
    preview = preview_bulk(
        db, practice["admin"], "grant-access", ids,
        colleague=olivia.team_member_id, toggles={"approval": True},
    )  # fmt: skip
    assert preview.will_change == tuple(clients)
    assert preview.skipped == {"already has access": (practice["already"],)}
    assert preview.refused == {
        "removed: restore it first": (practice["removed"],),
        OUTSIDE_ACCESS: (practice["elsewhere"],),
    }
    assert preview.lines() == [
        "Will grant Olivia.Vale access to 4 clients, with bookkeeping access, approval permission",
        "1 skipped: already has access",
        "1 refused: removed: restore it first",
        "1 refused: outside your access",
    ]
    assert set(access(db, olivia.team_member_id)) == {practice["already"]}  # nothing written


def test_grant_writes_rows_with_the_toggles_one_event_each_under_one_batch(practice):
    db, olivia, clients = practice["db"], practice["olivia"], practice["clients"]
    preview = preview_bulk(
        db, practice["admin"], "grant-access", [*clients, practice["already"]],
        colleague=olivia.team_member_id, toggles={"bookkeeping": False, "data_health": True},
    )  # fmt: skip
    result = apply_bulk(db, practice["admin"], preview)
    assert result.client_ids == tuple(clients)
    rows = access(db, olivia.team_member_id)
    assert {client: rows[client] for client in clients} == dict.fromkeys(
        clients, (False, False, True, False)
    )
    written = events(db, "practice_access.granted")
    assert [event.client_id for event in written] == clients
    assert {event.batch_id for event in written} == {result.batch_id}
    assert json.loads(written[0].after)["team_member"] == "Olivia.Vale <olivia.vale@example.com>"
    assert {version(db, client) for client in clients} == {2}


def test_grant_to_an_admin_or_a_colleague_who_left_is_refused_for_every_client(practice):
    db, clients = practice["db"], practice["clients"]
    admin_grant = preview_bulk(
        db, practice["admin"], "grant-access", clients,
        colleague=practice["other_admin"].team_member_id,
    )  # fmt: skip
    assert admin_grant.refused == {
        "Pat.Admin is a practice admin and sees every client by role": tuple(clients)
    }
    gone = preview_bulk(
        db, practice["admin"], "grant-access", clients, colleague=practice["left"].team_member_id
    )
    assert gone.refused == {"Left is no longer an active team member": tuple(clients)}
    with pytest.raises(NotAllowed):
        preview_bulk(db, practice["admin"], "grant-access", clients, colleague=987_654)


def test_client_admins_may_not_change_a_practice_admins_access(practice):
    db, clients, other_admin = practice["db"], practice["clients"], practice["other_admin"]
    preview = preview_bulk(
        db, practice["client_admin"], "revoke-access", clients,
        colleague=other_admin.team_member_id,
    )  # fmt: skip
    assert preview.refused == {
        "only a practice admin can change a practice admin's access": tuple(clients)
    }
    assert preview.will_change == ()


def test_standard_users_may_not_grant_in_bulk(practice):
    with pytest.raises(NotAllowed):
        preview_bulk(
            practice["db"], practice["olivia"], "grant-access", practice["clients"],
            colleague=practice["olivia"].team_member_id,
        )  # fmt: skip


def test_a_grant_made_stale_by_a_one_client_grant_is_shown_again_not_applied(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    preview = preview_bulk(db, admin, "grant-access", clients, colleague=olivia.team_member_id)
    grant_practice_access(db, admin, clients[0], version=1, team_member_id=olivia.team_member_id)
    seq = change_seq(db)
    with pytest.raises(StaleBatch) as stale:
        apply_bulk(db, admin, preview)
    assert stale.value.preview.skipped == {"already has access": (clients[0],)}
    assert change_seq(db) == seq
    assert set(access(db, olivia.team_member_id)) == {practice["already"], clients[0]}
    apply_bulk(db, admin, stale.value.preview)
    assert set(clients) <= set(access(db, olivia.team_member_id))


def test_a_failure_mid_grant_writes_nothing(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    preview = preview_bulk(db, admin, "grant-access", clients, colleague=olivia.team_member_id)
    _fail_updates_of(db, clients[-1])
    with pytest.raises(DBAPIError):
        apply_bulk(db, admin, preview)
    assert set(access(db, olivia.team_member_id)) == {practice["already"]}
    assert events(db, "practice_access.granted") == []


# -- revoke ---------------------------------------------------------------------------
def test_revoke_takes_rows_away_skipping_clients_without_access(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    apply_bulk(
        db, admin,
        preview_bulk(db, admin, "grant-access", clients[:2], colleague=olivia.team_member_id),
    )  # fmt: skip
    preview = preview_bulk(
        db, admin, "revoke-access", [*clients, practice["already"]],
        colleague=olivia.team_member_id,
    )  # fmt: skip
    assert preview.will_change == (*clients[:2], practice["already"])
    assert preview.skipped == {"has no access": tuple(clients[2:])}
    assert preview.lines()[0] == "Will revoke Olivia.Vale's access to 3 clients"
    result = apply_bulk(db, admin, preview)
    assert access(db, olivia.team_member_id) == {}
    assert [event.batch_id for event in events(db, "practice_access.removed")] == [
        result.batch_id
    ] * 3


# -- account manager --------------------------------------------------------------------
def test_set_account_manager_skips_no_prepare_and_already_and_refuses_without_access(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    other = practice["other_admin"].team_member_id
    ids = [*clients, practice["no_prepare"]]
    first = preview_bulk(db, admin, "set-account-manager", ids, colleague=other)
    assert first.will_change == tuple(clients)
    assert first.skipped == {"no Prepare account": (practice["no_prepare"],)}
    apply_bulk(db, admin, first)
    assert managers(db, clients) == dict.fromkeys(clients, other)
    again = preview_bulk(db, admin, "set-account-manager", clients[:1], colleague=other)
    assert again.skipped == {"already the manager": (clients[0],)}
    standard = preview_bulk(
        db, admin, "set-account-manager", [clients[0], practice["already"]],
        colleague=olivia.team_member_id,
    )  # fmt: skip
    assert standard.will_change == (practice["already"],)
    assert standard.refused == {
        "Olivia.Vale has no access to it: grant access first": (clients[0],)
    }
    assert standard.lines()[0] == "Will make Olivia.Vale the Prepare account manager of 1 client"


def test_a_client_admin_may_not_make_a_practice_admin_account_manager(practice):
    preview = preview_bulk(
        practice["db"], practice["client_admin"], "set-account-manager", practice["clients"],
        colleague=practice["other_admin"].team_member_id,
    )  # fmt: skip
    assert preview.will_change == ()
    assert list(preview.refused) == ["only a practice admin can change a practice admin's access"]


def test_undo_of_set_account_manager_puts_the_previous_manager_back(practice):
    db, admin, clients = practice["db"], practice["admin"], practice["clients"]
    other = practice["other_admin"].team_member_id
    before = managers(db, clients)
    result = apply_bulk(
        db, admin, preview_bulk(db, admin, "set-account-manager", clients, colleague=other)
    )
    undo = preview_undo(db, admin, result.batch_id)
    assert undo.will_undo == tuple(clients)
    apply_undo(db, admin, undo)
    assert managers(db, clients) == before


# -- undo and Activity ------------------------------------------------------------------
def test_undo_of_a_bulk_grant_puts_access_back_refusing_a_client_changed_since(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    result = apply_bulk(
        db, admin,
        preview_bulk(db, admin, "grant-access", clients, colleague=olivia.team_member_id),
    )  # fmt: skip
    other = practice["client_admin"]
    from dext_tui.data.services.clients import update_client

    update_client(db, other, clients[0], version=2, name="Renamed Meanwhile Ltd")
    undo = preview_undo(db, admin, result.batch_id)
    assert undo.will_undo == tuple(clients[1:])
    (reason,) = undo.refused
    assert reason.startswith("changed since by Carl.Admin at")
    apply_undo(db, admin, undo)
    assert set(access(db, olivia.team_member_id)) == {practice["already"], clients[0]}
    undone = events(db, "practice_access.granted.undone")
    assert [event.client_id for event in undone] == clients[1:]


def test_undo_of_a_bulk_revoke_puts_back_each_rows_toggles(practice):
    db, admin, olivia = practice["db"], practice["admin"], practice["olivia"]
    clients = practice["clients"][:2]
    apply_bulk(
        db, admin,
        preview_bulk(
            db, admin, "grant-access", clients, colleague=olivia.team_member_id,
            toggles={"approval": True, "account_manager": True},
        ),
    )  # fmt: skip
    before = access(db, olivia.team_member_id)
    result = apply_bulk(
        db, admin,
        preview_bulk(db, admin, "revoke-access", clients, colleague=olivia.team_member_id),
    )  # fmt: skip
    assert set(access(db, olivia.team_member_id)) == {practice["already"]}
    apply_undo(db, admin, preview_undo(db, admin, result.batch_id))
    assert access(db, olivia.team_member_id) == before


def test_undo_of_a_one_client_grant_finds_the_colleague_by_email(practice):
    db, admin, olivia, client = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"][0],
    )  # fmt: skip
    result = grant_practice_access(
        db, admin, client, version=1, team_member_id=olivia.team_member_id
    )
    apply_undo(db, admin, preview_undo(db, admin, result.batch_id))
    assert set(access(db, olivia.team_member_id)) == {practice["already"]}


def test_activity_says_a_bulk_grant_as_one_line_naming_the_colleague(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    result = apply_bulk(
        db, admin,
        preview_bulk(db, admin, "grant-access", clients, colleague=olivia.team_member_id),
    )  # fmt: skip
    newest = activity_page(db, admin).lines[0]
    assert newest.words == "Ann.Lee granted Olivia.Vale access to 4 clients"
    apply_undo(db, admin, preview_undo(db, admin, result.batch_id))
    newest = activity_page(db, admin).lines[0]
    assert newest.words == "Ann.Lee undid: granted Olivia.Vale access to 4 clients"
    other = practice["other_admin"].team_member_id
    apply_bulk(db, admin, preview_bulk(db, admin, "set-account-manager", clients, colleague=other))
    newest = activity_page(db, admin).lines[0]
    assert newest.words == "Ann.Lee made Pat.Admin the Prepare account manager of 4 clients"


def _fail_audit_of(engine: Engine, client_id: int) -> None:
    """A failure after the access rows are written: the client's audit event refused."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event "
                f"WHEN NEW.client_id = {client_id} BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event FOR EACH ROW "
                f"WHEN (NEW.client_id = {client_id}) EXECUTE FUNCTION refuse_audit()"
            )


def test_a_failure_after_the_access_rows_are_written_leaves_nothing(practice):
    db, admin, olivia, clients = (
        practice["db"], practice["admin"], practice["olivia"], practice["clients"],
    )  # fmt: skip
    preview = preview_bulk(db, admin, "grant-access", clients, colleague=olivia.team_member_id)
    _fail_audit_of(db, clients[-1])
    seq = change_seq(db)
    with pytest.raises(DBAPIError):
        apply_bulk(db, admin, preview)
    assert set(access(db, olivia.team_member_id)) == {practice["already"]}
    assert {version(db, client) for client in clients} == {1}
    assert events(db, "practice_access.granted") == []
    assert change_seq(db) == seq


def test_the_write_refuses_a_client_whose_version_moved_under_it(practice):
    """The set-based update keeps its per-client version guard (the lock makes this
    impossible in use; a writer bypassing it is still caught, writing nothing)."""
    from dext_tui.data.services.batches import BatchConflict, ClientWrite, write_batch
    from dext_tui.data.services.writing import writing

    db, admin, clients = practice["db"], practice["admin"], practice["clients"]
    with db.connect() as connection:
        from dext_tui.data.services.batches import clients_in_scope

        rows = clients_in_scope(connection, admin, clients)
    with db.begin() as connection:
        connection.execute(
            text("UPDATE client SET version = version + 1 WHERE id = :id"), {"id": clients[1]}
        )
    with pytest.raises(BatchConflict), writing(db, admin) as writer:
        write_batch(writer, [ClientWrite(rows[c], "client.removed", {"state": "removed"})
                             for c in clients])  # fmt: skip
    with db.connect() as connection:
        rows_now = connection.execute(text("SELECT id, state FROM client")).all()
    assert {state for client_id, state in rows_now if client_id in clients} == {"active"}


# -- every colleague action alike: scope, role, staleness, all or nothing ----------------
COLLEAGUE_ACTIONS = ("grant-access", "revoke-access", "set-account-manager")


def _ready(practice, action: str) -> int:
    """The colleague `action` is tried with, with the practice made ready for it."""
    db, admin, olivia = practice["db"], practice["admin"], practice["olivia"]
    if action == "grant-access":
        return olivia.team_member_id
    if action == "revoke-access":
        apply_bulk(
            db, admin,
            preview_bulk(db, admin, "grant-access", practice["clients"],
                         colleague=olivia.team_member_id),
        )  # fmt: skip
        return olivia.team_member_id
    return practice["other_admin"].team_member_id


def _stored(db: Engine) -> tuple:
    """Everything a colleague action writes: access rows, managers, versions, events."""
    with db.connect() as connection:
        return tuple(
            tuple(connection.execute(text(sql)).all())
            for sql in (
                "SELECT * FROM practice_access ORDER BY team_member_id, client_id",
                "SELECT client_id, account_manager_id FROM prepare_account ORDER BY client_id",
                "SELECT id, version FROM client ORDER BY id",
                "SELECT COUNT(*) FROM audit_event",
            )
        )


@pytest.mark.parametrize("action", COLLEAGUE_ACTIONS)
def test_each_colleague_action_refuses_clients_outside_scope(practice, action):
    db, admin = practice["db"], practice["admin"]
    colleague = _ready(practice, action)
    ids = [practice["clients"][0], practice["elsewhere"], 999_999]
    preview = preview_bulk(db, admin, action, ids, colleague=colleague)
    assert preview.will_change == (practice["clients"][0],)
    assert preview.refused == {OUTSIDE_ACCESS: (practice["elsewhere"], 999_999)}
    removed = preview_bulk(
        db, practice["client_admin"], action, [practice["removed"]],
        colleague=olivia_or(practice, action),
    )  # fmt: skip
    assert removed.refused == {OUTSIDE_ACCESS: (practice["removed"],)}  # hidden from them


def olivia_or(practice, action: str) -> int:
    """A colleague a client admin may act for: Olivia, or for a manager, Carl himself."""
    if action == "set-account-manager":
        return practice["client_admin"].team_member_id
    return practice["olivia"].team_member_id


@pytest.mark.parametrize("action", COLLEAGUE_ACTIONS)
def test_each_colleague_action_obeys_the_role_table(practice, action):
    db = practice["db"]
    colleague = _ready(practice, action)
    with pytest.raises(NotAllowed):
        preview_bulk(db, practice["olivia"], action, practice["clients"], colleague=colleague)
    admin_of_practice = practice["other_admin"].team_member_id
    by_client_admin = preview_bulk(
        db, practice["client_admin"], action, practice["clients"], colleague=admin_of_practice
    )
    assert by_client_admin.will_change == ()
    assert by_client_admin.refused == {
        "only a practice admin can change a practice admin's access": tuple(practice["clients"])
    }


@pytest.mark.parametrize("action", COLLEAGUE_ACTIONS)
def test_each_colleague_action_is_stale_when_a_client_changed_after_the_preview(practice, action):
    from dext_tui.data.services.clients import update_client

    db, admin, clients = practice["db"], practice["admin"], practice["clients"]
    colleague = _ready(practice, action)
    preview = preview_bulk(db, admin, action, clients, colleague=colleague)
    update_client(
        db, practice["client_admin"], clients[1], version=version(db, clients[1]), name="New Ltd"
    )
    stored = _stored(db)
    with pytest.raises(StaleBatch) as stale:
        apply_bulk(db, admin, preview)
    assert _stored(db) == stored
    apply_bulk(db, admin, stale.value.preview)
    assert _stored(db) != stored


@pytest.mark.parametrize("action", COLLEAGUE_ACTIONS)
def test_each_colleague_action_writes_all_or_nothing(practice, action):
    db, admin, clients = practice["db"], practice["admin"], practice["clients"]
    colleague = _ready(practice, action)
    preview = preview_bulk(db, admin, action, clients, colleague=colleague)
    assert preview.will_change == tuple(clients)
    _fail_audit_of(db, clients[-1])
    stored = _stored(db)
    with pytest.raises(DBAPIError):
        apply_bulk(db, admin, preview)
    assert _stored(db) == stored
