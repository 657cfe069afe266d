"""The role table of spec section 6, walked through the real services on both backends.

For every action and every role (practice admin, client admin, standard with and
without the right to add clients) the service is called on a real client in the
actor's scope: allowed means the change is in the database; denied means
NotAllowed naming the role rule and the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from dext_tui.data import roles
from dext_tui.data.client_record import load_history
from dext_tui.data.csv_files import read_csv_bytes
from dext_tui.data.errors import NotAllowed
from dext_tui.data.export import build_export
from dext_tui.data.identity import Viewer, resolve_viewer
from dext_tui.data.roles import Action
from dext_tui.data.scope import can_see_client
from dext_tui.data.services.client_products import set_client_products
from dext_tui.data.services.clients import (
    create_client,
    deactivate_client,
    delete_client,
    reactivate_client,
    remove_client,
    restore_client,
    update_client,
)
from dext_tui.data.services.practice_access import grant_practice_access, set_practice_access
from dext_tui.data.services.practice_code_upload import apply_upload
from dext_tui.data.services.precision_import import LINK, NEW, ImportChoice, apply_import
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

ALL = frozenset({"practice_admin", "client_admin", "standard", "standard_may_add"})
ADMINS = frozenset({"practice_admin", "client_admin"})

# Spec section 6, written out again: the table in data/roles.py must say the same.
SPEC: dict[Action, frozenset[str]] = {
    Action.SEE_ALL_CLIENTS: ADMINS,
    Action.SEE_REMOVED: frozenset({"practice_admin"}),
    Action.EXPORT: ALL,
    Action.HISTORY: ALL,
    Action.EDIT_DETAILS: ALL,
    Action.TURN_PRODUCTS: ADMINS,
    Action.DEACTIVATE: ADMINS,
    Action.REACTIVATE: ADMINS,
    Action.REMOVE: ADMINS,
    Action.RESTORE: frozenset({"practice_admin"}),
    Action.DELETE: frozenset({"practice_admin"}),
    Action.PRACTICE_ACCESS: ADMINS,
    Action.ADD_CLIENT: ADMINS | {"standard_may_add"},
    Action.IMPORT_AS_NEW: ADMINS | {"standard_may_add"},
    Action.LINK_PRECISION: ALL,
    Action.UPLOAD_CODES: ALL,
    Action.BULK: ADMINS,
    Action.ACTIVITY: ADMINS,
    Action.SUPPORT_ACCESS: frozenset({"practice_admin"}),  # spec 15: the practice decides
}
LATER = timedelta(days=121)  # past the reactivation wait


@dataclass
class Practice:
    db: Engine
    practice_id: int
    actors: dict[str, Viewer]
    colleague: Viewer  # a standard colleague whose access the actors change

    def client(self, name: str, **kwargs: Any) -> int:
        """A client every actor sees: granted to both standard actors."""
        granted = [self.actors["standard"], self.actors["standard_may_add"]]
        return add_client(self.db, self.practice_id, name, granted_to=granted, **kwargs)

    def source(self, name: str) -> int:
        with self.db.begin() as connection:
            return connection.execute(
                text(
                    "INSERT INTO precision_source_client (practice_id, name, software, "
                    "import_state) VALUES (:p, :n, 'xero', 'pending') RETURNING id"
                ),
                {"p": self.practice_id, "n": name},
            ).scalar_one()

    def one(self, sql: str, **params: Any) -> Any:
        with self.db.connect() as connection:
            return connection.execute(text(sql), params).scalar()


@pytest.fixture
def practice(db) -> Practice:
    practice_id = add_practice(db)
    actors = {
        "practice_admin": add_member(db, practice_id, "admin@example.com"),
        "client_admin": add_member(db, practice_id, "cadmin@example.com", "client_admin"),
        "standard": add_member(db, practice_id, "std@example.com", "standard"),
    }
    add_member(db, practice_id, "adder@example.com", "standard")
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = TRUE WHERE email = 'adder@example.com'")
        )
    actors["standard_may_add"] = resolve_viewer(db, "adder@example.com")
    colleague = add_member(db, practice_id, "colleague@example.com", "standard")
    return Practice(db, practice_id, actors, colleague)


def database_state(db: Engine) -> dict:
    """Everything a refused service might have touched."""
    tables = (
        "client",
        "prepare_account",
        "precision_account",
        "solo_account",
        "practice_access",
        "precision_source_client",
        "audit_event",
    )
    with db.connect() as connection:
        state = {
            table: connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in tables
        }
        state["seq"] = connection.execute(text("SELECT change_seq FROM practice")).scalar_one()
    return state


# -- one case per action: make a target, act on it, see that it was written ---------------
@dataclass(frozen=True)
class Case:
    prepare: Callable[[Practice, str], Any]  # (practice, role) -> the target
    act: Callable[[Practice, Viewer, Any], Any]
    written: Callable[[Practice, Any], bool]


def _state(p: Practice, client_id: int) -> str | None:
    return p.one("SELECT state FROM client WHERE id = :id", id=client_id)


CASES: dict[Action, Case] = {
    Action.EDIT_DETAILS: Case(
        lambda p, role: p.client(f"Edit {role}"),
        lambda p, v, c: update_client(p.db, v, c, version=1, name=f"Edited {c}"),
        lambda p, c: p.one("SELECT name FROM client WHERE id = :id", id=c) == f"Edited {c}",
    ),
    Action.TURN_PRODUCTS: Case(
        lambda p, role: p.client(f"Products {role}", precision="active"),
        lambda p, v, c: set_client_products(p.db, v, c, version=1, active_in={"precision": False}),
        lambda p, c: (
            p.one("SELECT status FROM precision_account WHERE client_id = :id", id=c)
            == "deactivated"
        ),
    ),
    Action.DEACTIVATE: Case(
        lambda p, role: p.client(f"Deactivate {role}"),
        lambda p, v, c: deactivate_client(p.db, v, c, version=1),
        lambda p, c: _state(p, c) == "deactivated",
    ),
    Action.REACTIVATE: Case(
        lambda p, role: p.client(f"Reactivate {role}", state="deactivated"),
        lambda p, v, c: reactivate_client(p.db, v, c, version=2, clock=lambda: FIXED_NOW + LATER),
        lambda p, c: _state(p, c) == "active",
    ),
    Action.REMOVE: Case(
        lambda p, role: p.client(f"Remove {role}"),
        lambda p, v, c: remove_client(p.db, v, c, version=1),
        lambda p, c: _state(p, c) == "removed",
    ),
    Action.RESTORE: Case(
        lambda p, role: p.client(f"Restore {role}", state="removed"),
        lambda p, v, c: restore_client(p.db, v, c, version=2),
        lambda p, c: _state(p, c) == "active",
    ),
    Action.DELETE: Case(
        lambda p, role: p.client(f"Delete {role}"),
        lambda p, v, c: delete_client(p.db, v, c, version=1),
        lambda p, c: _state(p, c) is None,
    ),
    Action.PRACTICE_ACCESS: Case(
        lambda p, role: p.client(f"Access {role}"),
        lambda p, v, c: grant_practice_access(
            p.db, v, c, version=1, team_member_id=p.colleague.team_member_id
        ),
        lambda p, c: (
            p.one(
                "SELECT COUNT(*) FROM practice_access WHERE client_id = :c AND team_member_id = :m",
                c=c,
                m=p.colleague.team_member_id,
            )
            == 1
        ),
    ),
    Action.ADD_CLIENT: Case(
        lambda p, role: f"Added by {role}",
        lambda p, v, name: create_client(p.db, v, name=name, products={"prepare": "active"}),
        lambda p, name: p.one("SELECT COUNT(*) FROM client WHERE name = :n", n=name) == 1,
    ),
    Action.IMPORT_AS_NEW: Case(
        lambda p, role: p.source(f"Imported for {role}"),
        lambda p, v, s: apply_import(p.db, v, [ImportChoice(s, NEW)]),
        lambda p, s: (
            p.one("SELECT import_state FROM precision_source_client WHERE id = :id", id=s)
            == "imported"
        ),
    ),
    Action.LINK_PRECISION: Case(
        lambda p, role: (p.source(f"Linked for {role}"), p.client(f"Link {role}")),
        lambda p, v, t: apply_import(p.db, v, [ImportChoice(t[0], LINK, t[1])]),
        lambda p, t: (
            p.one("SELECT client_id FROM precision_source_client WHERE id = :id", id=t[0]) == t[1]
        ),
    ),
    Action.UPLOAD_CODES: Case(
        lambda p, role: (p.client(f"Upload {role}"), f"Upload {role}"),
        lambda p, v, t: apply_upload(
            p.db, v, read_csv_bytes(f"Client name,Practice code\r\n{t[1]},X{t[0]}\r\n".encode())
        ),
        lambda p, t: (
            p.one("SELECT practice_code FROM client WHERE id = :id", id=t[0]) == f"X{t[0]}"
        ),
    ),
    # Reads: every role may, on the clients in its scope; `written` is what was read.
    Action.EXPORT: Case(
        lambda p, role: {"client": p.client(f"Export {role}")},
        lambda p, v, t: t.update(read=build_export(p.db, v, [t["client"]]).clients),
        lambda p, t: t["read"] == 1,
    ),
    Action.HISTORY: Case(
        lambda p, role: {"client": p.client(f"History {role}")},
        lambda p, v, t: t.update(read=load_history(p.db, v, t["client"])),
        lambda p, t: bool(t["read"]),
    ),
}


def test_the_table_is_spec_section_6():
    for action, allowed in SPEC.items():
        assert {role for role in ALL if _may(role, action)} == allowed, action
    assert set(SPEC) == set(Action)


def _may(role: str, action: Action) -> bool:
    stored = "standard" if role == "standard_may_add" else role
    return roles.role_may(stored, action, can_add_clients=role == "standard_may_add")


@pytest.mark.parametrize("action", list(CASES), ids=str)
def test_every_role_through_the_real_service(practice: Practice, action: Action):
    """Allowed: written. Denied: NotAllowed naming the rule, and nothing written."""
    case = CASES[action]
    outcomes = {}
    for role, viewer in practice.actors.items():
        target = case.prepare(practice, role)
        before = database_state(practice.db)
        try:
            case.act(practice, viewer, target)
        except NotAllowed as refused:
            outcomes[role] = "denied"
            assert refused.message.startswith(roles.refusal(viewer, action) or "?"), role
            label = roles.role_label(viewer.role)
            assert f"Your role ({label}) does not allow" in refused.message
            assert refused.message.split(": ")[-1].split(" may.")[0] == roles.who_may(action)
            assert database_state(practice.db) == before, f"{role} wrote despite the refusal"
        else:
            outcomes[role] = "allowed"
            assert case.written(practice, target), f"{role} was allowed but nothing was written"
    assert outcomes == {role: "allowed" if role in SPEC[action] else "denied" for role in ALL}


def test_scope_follows_the_table(practice: Practice):
    """See all clients, and see removed ones: which roles see a client not granted to them."""
    hidden = add_client(practice.db, practice.practice_id, "Not Granted Ltd")
    removed = add_client(practice.db, practice.practice_id, "Removed Ltd", state="removed")
    with practice.db.connect() as connection:
        sees_hidden = {
            r for r, v in practice.actors.items() if can_see_client(connection, v, hidden)
        }
        sees_removed = {
            r for r, v in practice.actors.items() if can_see_client(connection, v, removed)
        }
    assert sees_hidden == SPEC[Action.SEE_ALL_CLIENTS]
    assert sees_removed == SPEC[Action.SEE_REMOVED]


def test_a_client_admin_may_not_change_a_practice_admins_access(practice: Practice):
    client = practice.client("Admins Ltd")
    admin = practice.actors["practice_admin"]
    before = database_state(practice.db)
    with pytest.raises(NotAllowed, match="Only a practice admin can change a practice admin"):
        set_practice_access(
            practice.db,
            practice.actors["client_admin"],
            client,
            version=1,
            team_member_id=admin.team_member_id,
            approval=True,
        )
    assert database_state(practice.db) == before
    assert roles.access_refusal_for(practice.actors["client_admin"], "practice_admin")
    set_practice_access(
        practice.db, admin, client, version=1, team_member_id=admin.team_member_id, approval=True
    )
    assert practice.one(
        "SELECT approval FROM practice_access WHERE client_id = :c AND team_member_id = :m",
        c=client,
        m=admin.team_member_id,
    )


def test_a_role_lowered_after_the_viewer_was_made_is_refused_at_the_next_write(
    practice: Practice,
):
    client_admin = practice.actors["client_admin"]  # the app holds this Viewer all along
    client = add_client(practice.db, practice.practice_id, "Lowered Ltd", granted_to=[client_admin])
    with practice.db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
            {"id": client_admin.team_member_id},
        )
    before = database_state(practice.db)
    with pytest.raises(NotAllowed) as refused:
        deactivate_client(practice.db, client_admin, client, version=1)
    assert refused.value.message.startswith(
        "Your role (Standard) does not allow deactivating clients: "
        "practice admins and client admins may."
    )
    assert database_state(practice.db) == before
    assert _state(practice, client) == "active"


def test_a_right_to_add_taken_away_is_refused_at_the_next_write(practice: Practice):
    adder = practice.actors["standard_may_add"]
    with practice.db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = FALSE WHERE id = :id"),
            {"id": adder.team_member_id},
        )
    before = database_state(practice.db)
    with pytest.raises(NotAllowed, match=r"Your role \(Standard\) does not allow adding clients"):
        create_client(practice.db, adder, name="Too Late Ltd", products={"prepare": "active"})
    assert database_state(practice.db) == before
