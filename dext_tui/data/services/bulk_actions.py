"""Bulk lifecycle changes on marked clients (spec 14): a preview, then one transaction.

`preview_bulk` sorts the clients into will change / skipped (why) / refused
(why), by the same per-client rules as one-by-one changes (clients.py).
`apply_bulk` sorts them again inside the write transaction, on the viewer as
the database has them now; if anything differs from the preview the user saw,
nothing is written and StaleBatch carries the new preview to show instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row

from dext_tui.data.errors import ServiceError
from dext_tui.data.roles import Action, require
from dext_tui.data.services.batches import (
    ClientWrite,
    clients_in_scope,
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
from dext_tui.data.services.writing import ChangeResult, Clock, utc_now, writing
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer

OUTSIDE_ACCESS = "outside your access"  # also said of ids that do not exist: scope leaks nothing


class BulkAction(StrEnum):
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    REMOVE = "remove"
    RESTORE = "restore"


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
}


@dataclass(frozen=True)
class BulkPreview:
    """What applying would do now. Two previews are equal when nothing moved between them."""

    action: BulkAction
    client_ids: tuple[int, ...]  # as asked, duplicates dropped
    will_change: tuple[int, ...]
    skipped: dict[str, tuple[int, ...]]  # reason -> clients
    refused: dict[str, tuple[int, ...]]  # reason -> clients
    versions: dict[int, int]  # every client read in scope, at the version read

    def lines(self) -> list[str]:
        """The preview in words, one line per group."""
        past = RULES[self.action].past
        lines = [f"{len(self.will_change):,} will be {past}"]
        lines += [f"{len(ids):,} skipped: {reason}" for reason, ids in self.skipped.items()]
        lines += [f"{len(ids):,} refused: {reason}" for reason, ids in self.refused.items()]
        return lines


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
    action: BulkAction | str,
    client_ids: Iterable[int],
    *,
    clock: Clock = utc_now,
) -> BulkPreview:
    """What `action` would do to `client_ids` now; NotAllowed if the viewer's role may not."""
    action = BulkAction(action)
    _require(viewer, action)
    ids = tuple(dict.fromkeys(client_ids))
    with read_snapshot(engine) as connection:
        preview, _ = _sort(connection, viewer, action, ids, clock())
    return preview


def apply_bulk(
    engine: Engine, viewer: Viewer, preview: BulkPreview, *, clock: Clock = utc_now
) -> ChangeResult:
    """Every client of `preview.will_change` changed in one transaction, one audit event
    each under one batch id; StaleBatch (nothing written) if the preview no longer holds."""
    with writing(engine, viewer, clock) as writer:
        _require(writer.viewer, preview.action)
        fresh, writes = _sort(
            writer.connection, writer.viewer, preview.action, preview.client_ids, writer.now
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
    action: BulkAction,
    ids: tuple[int, ...],
    now: datetime,
) -> tuple[BulkPreview, list[ClientWrite]]:
    """The preview, and the writes for the clients that will change."""
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
