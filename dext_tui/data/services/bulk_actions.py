"""Bulk lifecycle changes on marked clients (spec 14): a preview, then one transaction.

`preview_bulk` sorts the clients into will change / skipped (why) / refused
(why), by the same per-client rules as one-by-one changes (clients.py).
`apply_bulk` sorts them again inside the write transaction, on the viewer as
the database has them now; if anything differs from the preview the user saw,
nothing is written and StaleBatch carries the new preview to show instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row, text

from dext_tui.data.errors import NotAllowed, ServiceError
from dext_tui.data.roles import Action, access_refusal_for, require, sees_every_client
from dext_tui.data.services.batches import (
    ClientWrite,
    clients_in_scope,
    ids_in,
    last_befores,
    product_statuses,
    write_batch,
)
from dext_tui.data.services.clients import (
    Blocked,
    deactivate_blocked,
    reactivate_blocked,
    remove_blocked,
    restore_blocked,
)
from dext_tui.data.services.practice_access import Colleague
from dext_tui.data.services.writing import ChangeResult, Clock, utc_now, writing
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import ACCESS_TOGGLE_LABELS, ACCESS_TOGGLES, ROLE_LABELS

OUTSIDE_ACCESS = "outside your access"  # also said of ids that do not exist: scope leaks nothing


class BulkAction(StrEnum):
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    REMOVE = "remove"
    RESTORE = "restore"
    GRANT_ACCESS = "grant-access"  # a colleague's practice access, with its toggles
    REVOKE_ACCESS = "revoke-access"
    SET_ACCOUNT_MANAGER = "set-account-manager"  # the Prepare account manager


COLLEAGUE_ACTIONS = frozenset(
    {BulkAction.GRANT_ACCESS, BulkAction.REVOKE_ACCESS, BulkAction.SET_ACCOUNT_MANAGER}
)
ACCOUNT_MANAGER_SET = "prepare.account_manager_set"  # its audit action


@dataclass(frozen=True)
class _Rule:
    role_action: Action  # the one-by-one action the role table must allow too
    blocked: Callable[[Any, datetime], Blocked | None]
    past: str  # "deactivated": "38 will be deactivated"


RULES = {
    BulkAction.DEACTIVATE: _Rule(Action.DEACTIVATE, deactivate_blocked, "deactivated"),
    BulkAction.REACTIVATE: _Rule(Action.REACTIVATE, reactivate_blocked, "reactivated"),
    BulkAction.REMOVE: _Rule(Action.REMOVE, remove_blocked, "removed"),
    BulkAction.RESTORE: _Rule(Action.RESTORE, restore_blocked, "restored"),
    # Sorted by _sort_for_colleague, not by a per-client rule of their own.
    BulkAction.GRANT_ACCESS: _Rule(Action.PRACTICE_ACCESS, lambda c, n: None, "granted access"),
    BulkAction.REVOKE_ACCESS: _Rule(Action.PRACTICE_ACCESS, lambda c, n: None, "access revoked"),
    BulkAction.SET_ACCOUNT_MANAGER: _Rule(
        Action.PRACTICE_ACCESS, lambda c, n: None, "account manager set"
    ),
}


@dataclass(frozen=True)
class BulkRequest:
    """What the user asked: the action and, for access and account managers, whose and how."""

    action: BulkAction
    colleague: int | None = None  # team member id
    toggles: tuple[tuple[str, bool], ...] = ()  # for GRANT_ACCESS, in ACCESS_TOGGLES order

    @classmethod
    def of(
        cls,
        action: BulkAction | str | BulkRequest,
        colleague: int | None = None,
        toggles: Mapping[str, bool] | None = None,
    ) -> BulkRequest:
        if isinstance(action, BulkRequest):
            return action
        action = BulkAction(action)
        if action in COLLEAGUE_ACTIONS and colleague is None:
            raise NotAllowed("Choose a colleague first; nothing changed.")
        given = dict(toggles or {})
        unknown = set(given) - set(ACCESS_TOGGLES)
        if unknown:
            raise NotAllowed(f"No such permission: {', '.join(sorted(unknown))}.")
        if action is BulkAction.GRANT_ACCESS:  # as one-client Practice Access defaults them
            given = {"bookkeeping": True} | given
            chosen = tuple((name, bool(given.get(name, False))) for name in ACCESS_TOGGLES)
        else:
            chosen = ()
        return cls(action, colleague if action in COLLEAGUE_ACTIONS else None, chosen)


@dataclass(frozen=True)
class BulkPreview:
    """What applying would do now. Two previews are equal when nothing moved between them."""

    action: BulkAction
    client_ids: tuple[int, ...]  # as asked, duplicates dropped
    will_change: tuple[int, ...]
    skipped: dict[str, tuple[int, ...]]  # reason -> clients
    refused: dict[str, tuple[int, ...]]  # reason -> clients
    versions: dict[int, int]  # every client read in scope, at the version read
    colleague: int | None = None  # whose access or account management, for those actions
    colleague_name: str = ""
    toggles: tuple[tuple[str, bool], ...] = ()

    @property
    def request(self) -> BulkRequest:
        return BulkRequest(self.action, self.colleague, self.toggles)

    def lines(self) -> list[str]:
        """The preview in words, one line per group."""
        lines = [self._will()]
        lines += [f"{len(ids):,} skipped: {reason}" for reason, ids in self.skipped.items()]
        lines += [f"{len(ids):,} refused: {reason}" for reason, ids in self.refused.items()]
        return lines

    def _will(self) -> str:
        count = len(self.will_change)
        clients = f"{count:,} client{'' if count == 1 else 's'}"
        name = self.colleague_name
        if self.action is BulkAction.GRANT_ACCESS:
            on = [ACCESS_TOGGLE_LABELS[t].lower() for t, value in self.toggles if value]
            given = f", with {', '.join(on)}" if on else ", with no permissions on"
            return f"Will grant {name} access to {clients}{given}"
        if self.action is BulkAction.REVOKE_ACCESS:
            return f"Will revoke {name}'s access to {clients}"
        if self.action is BulkAction.SET_ACCOUNT_MANAGER:
            return f"Will make {name} the Prepare account manager of {clients}"
        return f"{count:,} will be {RULES[self.action].past}"

    def done(self, count: int) -> str:
        """What was written, said after it: '120 clients deactivated.'"""
        clients = f"{count:,} client{'' if count == 1 else 's'}"
        name = self.colleague_name
        if self.action is BulkAction.GRANT_ACCESS:
            return f"{name} was granted access to {clients}."
        if self.action is BulkAction.REVOKE_ACCESS:
            return f"{name}'s access to {clients} was revoked."
        if self.action is BulkAction.SET_ACCOUNT_MANAGER:
            return f"{name} is now the Prepare account manager of {clients}."
        return f"{clients} {RULES[self.action].past}."


class StaleBatch(ServiceError):
    """Clients changed after the preview was made: nothing written; here is the new one."""

    def __init__(self, preview: BulkPreview) -> None:
        super().__init__(
            "Some of these clients changed after the preview was made; nothing was changed. "
            "Check the updated preview and apply again."
        )
        self.preview = preview


def preview_bulk(
    engine: Engine,
    viewer: Viewer,
    action: BulkAction | str | BulkRequest,
    client_ids: Iterable[int],
    *,
    colleague: int | None = None,
    toggles: Mapping[str, bool] | None = None,
    clock: Clock = utc_now,
) -> BulkPreview:
    """What `action` would do to `client_ids` now; NotAllowed if the viewer's role may not.
    Access and account-manager actions name the `colleague` (and, to grant, the `toggles`
    to turn on; the others off)."""
    request = BulkRequest.of(action, colleague, toggles)
    _require(viewer, request.action)
    ids = tuple(dict.fromkeys(client_ids))
    with read_snapshot(engine) as connection:
        preview, _ = _sort(connection, viewer, request, ids, clock())
    return preview


def apply_bulk(
    engine: Engine, viewer: Viewer, preview: BulkPreview, *, clock: Clock = utc_now
) -> ChangeResult:
    """Every client of `preview.will_change` changed in one transaction, one audit event
    each under one batch id; StaleBatch (nothing written) if the preview no longer holds."""
    with writing(engine, viewer, clock) as writer:
        _require(writer.viewer, preview.action)
        fresh, writes = _sort(
            writer.connection, writer.viewer, preview.request, preview.client_ids, writer.now
        )
        if fresh != preview:
            raise StaleBatch(fresh)
        write_batch(writer, writes)
        return writer.result()


def _require(viewer: Viewer, action: BulkAction) -> None:
    require(viewer, Action.BULK)
    require(viewer, RULES[action].role_action)


def _sort(
    connection: Connection,
    viewer: Viewer,
    request: BulkRequest,
    ids: tuple[int, ...],
    now: datetime,
) -> tuple[BulkPreview, list[ClientWrite]]:
    """The preview, and the writes for the clients that will change."""
    action = request.action
    if action in COLLEAGUE_ACTIONS:
        return _sort_for_colleague(connection, viewer, request, ids)
    clients = clients_in_scope(connection, viewer, ids)
    will_change: list[Row] = []
    skipped: dict[str, list[int]] = {}
    refused: dict[str, list[int]] = {}
    for client_id in ids:
        client = clients.get(client_id)
        blocked = RULES[action].blocked(client, now) if client else None
        if client is None:
            refused.setdefault(OUTSIDE_ACCESS, []).append(client_id)
        elif blocked is None:
            will_change.append(client)
        else:
            (skipped if blocked.skip else refused).setdefault(blocked.reason, []).append(client_id)
    preview = BulkPreview(
        action=action,
        client_ids=ids,
        will_change=tuple(client.id for client in will_change),
        skipped={reason: tuple(group) for reason, group in skipped.items()},
        refused={reason: tuple(group) for reason, group in refused.items()},
        versions={client.id: client.version for client in clients.values()},
    )
    return preview, _writes(connection, action, will_change, now)


def _writes(
    connection: Connection, action: BulkAction, clients: list[Row], now: datetime
) -> list[ClientWrite]:
    """Each client's change, exactly as the one-by-one service writes it."""
    ids = [client.id for client in clients]
    if action is BulkAction.DEACTIVATE:
        statuses = product_statuses(connection, ids)
        return [_deactivation(client, statuses[client.id], now) for client in clients]
    if action is BulkAction.REACTIVATE:
        statuses = product_statuses(connection, ids)
        earlier = last_befores(connection, ids, "client.deactivated")
        return [
            _reactivation(client, statuses[client.id], earlier.get(client.id, {}))
            for client in clients
        ]
    if action is BulkAction.REMOVE:
        return [
            ClientWrite(
                client, "client.removed", {"state": "removed"}, {},
                {"state": client.state}, {"state": "removed"},
            )
            for client in clients
        ]  # fmt: skip
    removed_from = last_befores(connection, ids, "client.removed")
    return [_restoration(client, removed_from.get(client.id, {})) for client in clients]


def _deactivation(client: Row, products: dict[str, str], now: datetime) -> ClientWrite:
    deactivated = dict.fromkeys(products, "deactivated")
    return ClientWrite(
        client,
        "client.deactivated",
        {"state": "deactivated", "deactivated_at": now},
        deactivated,
        {"state": "active", "products": products},
        {"state": "deactivated", "products": deactivated},
    )


def _reactivation(client: Row, products: dict[str, str], remembered: dict) -> ClientWrite:
    earlier = remembered.get("products") or {}
    restored = {product: earlier.get(product, "active") for product in products}
    return ClientWrite(
        client,
        "client.reactivated",
        {"state": "active", "deactivated_at": None},
        restored,
        {"state": "deactivated", "products": products},
        {"state": "active", "products": restored},
    )


def _restoration(client: Row, remembered: dict) -> ClientWrite:
    state = remembered.get("state", "active")
    state = state if state in ("active", "deactivated") else "active"
    return ClientWrite(
        client, "client.restored", {"state": state}, {}, {"state": "removed"}, {"state": state}
    )


# -- a colleague's access, and the Prepare account manager ----------------------------
def _sort_for_colleague(
    connection: Connection, viewer: Viewer, request: BulkRequest, ids: tuple[int, ...]
) -> tuple[BulkPreview, list[ClientWrite]]:
    """Grant, revoke or account-manager: the same rules as one client's Practice Access
    (practice_access.py), each client sorted by one read of the colleague's rows."""
    action = request.action
    member = _colleague(connection, viewer, request.colleague)
    label = f"{member.name} <{member.email}>"
    clients = clients_in_scope(connection, viewer, ids)
    in_scope = sorted(clients)
    rows = _access_rows(connection, member.id, in_scope)
    managers = (
        _prepare_managers(connection, in_scope) if action is BulkAction.SET_ACCOUNT_MANAGER else {}
    )
    everyone_refused = _colleague_refusal(viewer, member, action)
    toggles = dict(request.toggles)
    will_change: list[ClientWrite] = []
    skipped: dict[str, list[int]] = {}
    refused: dict[str, list[int]] = {}
    for client_id in ids:
        client = clients.get(client_id)
        skip = refuse = None
        if client is None:
            refuse = OUTSIDE_ACCESS
        elif everyone_refused:
            refuse = everyone_refused
        elif client.state == "removed":
            refuse = "removed: restore it first"
        elif action is BulkAction.GRANT_ACCESS:
            if client_id in rows:
                skip = "already has access"
            else:
                will_change.append(_granting(client, member.id, label, toggles))
        elif action is BulkAction.REVOKE_ACCESS:
            if client_id not in rows:
                skip = "has no access"
            else:
                will_change.append(_revoking(client, member.id, label, rows[client_id]))
        elif client_id not in managers:
            skip = "no Prepare account"
        elif managers[client_id].id == member.id:
            skip = "already the manager"
        elif not sees_every_client(member.role) and client_id not in rows:
            refuse = f"{member.name} has no access to it: grant access first"
        else:
            will_change.append(_managing(client, member.id, label, managers[client_id]))
        if skip:
            skipped.setdefault(skip, []).append(client_id)
        if refuse:
            refused.setdefault(refuse, []).append(client_id)
    preview = BulkPreview(
        action=action,
        client_ids=ids,
        will_change=tuple(write.client.id for write in will_change),
        skipped={reason: tuple(group) for reason, group in skipped.items()},
        refused={reason: tuple(group) for reason, group in refused.items()},
        versions={client.id: client.version for client in clients.values()},
        colleague=member.id,
        colleague_name=member.name,
        toggles=request.toggles,
    )
    return preview, will_change


def _colleague(connection: Connection, viewer: Viewer, member_id: int | None) -> Row:
    member = connection.execute(
        text(
            "SELECT id, name, email, role, active FROM team_member "
            "WHERE id = :id AND practice_id = :practice_id"
        ),
        {"id": member_id, "practice_id": viewer.practice_id},
    ).first()
    if member is None:
        raise NotAllowed("That colleague is not a team member of this practice; nothing changed.")
    return member


def _colleague_refusal(viewer: Viewer, member: Row, action: BulkAction) -> str | None:
    """Why no client can be changed for this colleague (a role rule, or who they are)."""
    if access_refusal_for(viewer, member.role) is not None:
        return "only a practice admin can change a practice admin's access"
    if action is not BulkAction.REVOKE_ACCESS and not member.active:
        return f"{member.name} is no longer an active team member"
    if action is BulkAction.GRANT_ACCESS and sees_every_client(member.role):
        role = ROLE_LABELS.get(member.role, member.role).lower()
        return f"{member.name} is a {role} and sees every client by role"
    return None


def _access_rows(
    connection: Connection, member_id: int, ids: list[int]
) -> dict[int, dict[str, bool]]:
    """The colleague's toggles on each of `ids` they have an access row for."""
    among, wanted = ids_in(connection, "client_id", ids)
    statement = text(
        f"SELECT client_id, {', '.join(ACCESS_TOGGLES)} FROM practice_access "
        f"WHERE team_member_id = :member AND {among}"
    )
    return {
        row.client_id: {name: bool(getattr(row, name)) for name in ACCESS_TOGGLES}
        for row in connection.execute(statement, {"member": member_id, **wanted})
    }


@dataclass(frozen=True)
class _Manager:
    id: int | None
    label: str | None


def _prepare_managers(connection: Connection, ids: list[int]) -> dict[int, _Manager]:
    """Each client with a Prepare account among `ids`, and its account manager (or none)."""
    among, wanted = ids_in(connection, "a.client_id", ids)
    statement = text(
        "SELECT a.client_id, a.account_manager_id, m.name, m.email FROM prepare_account a "
        f"LEFT JOIN team_member m ON m.id = a.account_manager_id WHERE {among}"
    )
    return {
        client_id: _Manager(manager_id, f"{name} <{email}>" if manager_id else None)
        for client_id, manager_id, name, email in connection.execute(statement, wanted)
    }


def _granting(client: Row, member_id: int, label: str, toggles: dict[str, bool]) -> ClientWrite:
    who = {"team_member": label, "team_member_id": member_id}
    return ClientWrite(
        client,
        "practice_access.granted",
        {},
        before={**who, "access": False},
        after={**who, "access": True, **toggles},
        access=(member_id, toggles),
    )


def _revoking(client: Row, member_id: int, label: str, toggles: dict[str, bool]) -> ClientWrite:
    who = {"team_member": label, "team_member_id": member_id}
    return ClientWrite(
        client,
        "practice_access.removed",
        {},
        before={**who, "access": True, **toggles},
        after={**who, "access": False},
        access=(member_id, None),
    )


def _managing(client: Row, member_id: int, label: str, current: _Manager) -> ClientWrite:
    return ClientWrite(
        client,
        ACCOUNT_MANAGER_SET,
        {},
        before={"account_manager": current.label, "account_manager_id": current.id},
        after={"account_manager": label, "account_manager_id": member_id},
        prepare={"account_manager_id": member_id},
    )


def bulk_colleagues(engine: Engine, viewer: Viewer, action: BulkAction | str) -> list[Colleague]:
    """Whom the colleague picker offers for `action`, by name: to grant, the active standard
    colleagues (admins see every client by role); to revoke, everyone with an access row;
    as account manager, every active colleague. The preview says any rule that refuses."""
    action = BulkAction(action)
    _require(viewer, action)
    where = {
        BulkAction.GRANT_ACCESS: "m.active AND m.role = 'standard'",
        BulkAction.REVOKE_ACCESS: (
            "EXISTS (SELECT 1 FROM practice_access a WHERE a.team_member_id = m.id)"
        ),
        BulkAction.SET_ACCOUNT_MANAGER: "m.active",
    }[action]
    with read_snapshot(engine) as connection:
        rows = connection.execute(
            text(f"SELECT m.id, m.name, m.email FROM team_member m WHERE m.practice_id = :p "
                 f"AND {where}"),
            {"p": viewer.practice_id},
        ).all()  # fmt: skip
    return sorted((Colleague(*row) for row in rows), key=lambda c: (c.name.casefold(), c.email))
