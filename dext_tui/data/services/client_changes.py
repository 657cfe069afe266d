"""Changing what hangs off a client (its product accounts, users, access) as one client change.

A Manage page is opened on one client at one `version`. Whatever part of the
client the page changes, the client's version is bumped, so that every other
page opened before the change is refused as stale instead of overwriting it,
and one audit event names the client, so that the live list re-reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row, text

from dext_tui.data.access import Viewer
from dext_tui.data.client_rows import read_tolerantly
from dext_tui.data.errors import ClientNotFound, NotAllowed, StaleVersion
from dext_tui.data.roles import Action
from dext_tui.data.scope import scope_condition
from dext_tui.data.services.clients import _changing, _last_change
from dext_tui.data.services.writing import Clock, Writer
from dext_tui.data.vocab import PRODUCT_LABELS

T = TypeVar("T")
ACCOUNT_TABLES = {
    "prepare": "prepare_account",
    "precision": "precision_account",
    "solo": "solo_account",
}


@contextmanager
def changing_client(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    version: int,
    clock: Clock,
    action: Action = Action.EDIT_DETAILS,
) -> Iterator[tuple[Writer, Row]]:
    """The transaction for one change: the viewer's role allows `action` (a Manage page's
    edit unless said), the client is in their scope, at `version`, and not removed (a
    removed client is restored before it is edited)."""
    with _changing(engine, viewer, client_id, version, clock, action) as (writer, client):
        if client.state == "removed":
            raise NotAllowed(f"{client.name} is removed: restore it before editing it.")
        yield writer, client


def commit_change(
    writer: Writer,
    client: Row,
    action: str,
    before: dict,
    after: dict,
    client_columns: dict[str, Any] | None = None,
) -> None:
    """Bump the client's version (an UPDATE guarded by the version read, with any of the
    client's own columns that change too) and write the change's one audit event."""
    columns = client_columns or {}
    assignments = "".join(f"{column} = :{column}, " for column in columns)
    updated = writer.connection.execute(
        text(
            f"UPDATE client SET {assignments}updated_at = :now, version = version + 1 "
            "WHERE id = :client_id AND version = :version"
        ),
        {**columns, "now": writer.now, "client_id": client.id, "version": client.version},
    )
    if updated.rowcount != 1:  # another writer got there first
        raise StaleVersion(client.name, *_last_change(writer.connection, client.id))
    writer.record(client.id, action, before, after, client.version + 1)


def product_account(connection: Connection, client: Row, product: str, columns: str) -> Row:
    """The client's account in `product` (`columns` of it), or NotAllowed saying it has none."""
    account = connection.execute(
        text(f"SELECT status, {columns} FROM {ACCOUNT_TABLES[product]} WHERE client_id = :id"),
        {"id": client.id},
    ).first()
    if account is None or account.status == "not_set_up":
        label = PRODUCT_LABELS[product]
        raise NotAllowed(
            f"{client.name} has no {label} account, so it has no {label} settings to change."
        )
    return account


def update_account(writer: Writer, product: str, client_id: int, columns: dict[str, Any]) -> None:
    """Set `columns` of the client's account in `product`."""
    assignments = ", ".join(f"{column} = :{column}" for column in columns)
    writer.connection.execute(
        text(f"UPDATE {ACCOUNT_TABLES[product]} SET {assignments} WHERE client_id = :client_id"),
        {**columns, "client_id": client_id},
    )


def load_client_in_scope(connection: Connection, viewer: Viewer, client_id: int) -> Row:
    """The client (id, name, state, practice code, version) if the viewer may see it."""
    where, params = scope_condition(viewer, include_removed=True)
    row = connection.execute(
        text(
            "SELECT c.id, c.name, c.state, c.practice_code, c.version FROM client c"
            + where
            + " AND c.id = :client_id"
        ),
        {**params, "client_id": client_id},
    ).first()
    if row is None:
        raise ClientNotFound(client_id)
    return row


def read_client(
    engine: Engine, viewer: Viewer, client_id: int, read: Callable[[Connection, Row], T]
) -> T:
    """`read(connection, client)` in one snapshot, for a client in the viewer's scope."""
    return read_tolerantly(
        engine,
        lambda connection: read(connection, load_client_in_scope(connection, viewer, client_id)),
    )
