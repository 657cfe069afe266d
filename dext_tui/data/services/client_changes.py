"""The one client transaction: load, check, version, write, audit.

Every change to an existing client goes through here, whether it changes the
client's own columns (edit, lifecycle) or what hangs off it (its product
accounts, users, access): `changing_client` opens the transaction on the client
as stored now (in the viewer's scope, their role allowing the action, at the
`version` they read), and `commit_change` bumps that version, guarded by the
version read, and writes the change's one audit event. So every page opened
before a change is refused as stale instead of overwriting it, and the live list
re-reads the client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row, select, text, update

from dext_tui.data.client_rows import read_tolerantly
from dext_tui.data.errors import ClientNotFound, NotAllowed, StaleVersion
from dext_tui.data.models import (
    Client,
    PrecisionAccount,
    PrepareAccount,
    SoloAccount,
)
from dext_tui.data.roles import Action, require
from dext_tui.data.scope import scope_condition
from dext_tui.data.services.writing import Clock, Writer, as_datetime, writing
from dext_tui.data.support import WHO_JOINS, WHO_SQL
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS

T = TypeVar("T")
ACCOUNT_MODELS = {"prepare": PrepareAccount, "precision": PrecisionAccount, "solo": SoloAccount}
ACCOUNT_TABLES = {product: model.__tablename__ for product, model in ACCOUNT_MODELS.items()}
# What a change reads of the client; `scope_condition` names the table `c`. Raw SQL where the
# viewer's scope is a condition (load_client_in_scope) or the audit's who (last_change): both
# are SQL fragments shared with the reads (scope.py, support.py), not services of their own.
CLIENT_COLUMNS = "c.id, c.name, c.practice_code, c.crn, c.state, c.deactivated_at, c.version"
_client = Client.__table__.c


# -- load -------------------------------------------------------------------------------
def load_client_in_scope(connection: Connection, viewer: Viewer, client_id: int) -> Row:
    """The client as stored now if the viewer may see it (removed ones included for who
    may see those); else ClientNotFound, as if it did not exist."""
    where, params = scope_condition(viewer, include_removed=True)
    row = connection.execute(
        text(f"SELECT {CLIENT_COLUMNS} FROM client c{where} AND c.id = :client_id"),
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


# -- check and version ------------------------------------------------------------------
def last_change(connection: Connection, client_id: int) -> tuple[str | None, datetime | None]:
    """Who changed the client last, and when: what a stale write is refused with (a
    support person's change names them on behalf of the practice)."""
    row = connection.execute(
        text(
            f"SELECT {WHO_SQL}, e.at FROM audit_event e{WHO_JOINS} "
            "WHERE e.client_id = :client_id ORDER BY e.id DESC LIMIT 1"
        ),
        {"client_id": client_id},
    ).first()
    return (row[0], as_datetime(row[1])) if row else (None, None)


def stale(connection: Connection, client: Row) -> StaleVersion:
    return StaleVersion(client.name, *last_change(connection, client.id))


def check_version(connection: Connection, client: Row, version: int) -> None:
    """StaleVersion unless the client is still at the `version` the viewer read."""
    if client.version != version:
        raise stale(connection, client)


@contextmanager
def changing_any_client(
    engine: Engine, viewer: Viewer, client_id: int, version: int, clock: Clock, action: Action
) -> Iterator[tuple[Writer, Row]]:
    """The transaction for a change to one existing client, whatever its state (the
    lifecycle's own rules say which states each change applies to): the client as
    stored now is in the viewer's scope (else it does not exist for them), their role
    as stored now allows `action`, and the client is still at the `version` read."""
    with writing(engine, viewer, clock) as writer:
        client = load_client_in_scope(writer.connection, writer.viewer, client_id)
        require(writer.viewer, action)
        check_version(writer.connection, client, version)
        yield writer, client


@contextmanager
def changing_client(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    version: int,
    clock: Clock,
    action: Action = Action.EDIT_DETAILS,
) -> Iterator[tuple[Writer, Row]]:
    """`changing_any_client` for an edit (a Manage page's unless said): a removed client
    is restored before it is edited."""
    with changing_any_client(engine, viewer, client_id, version, clock, action) as (
        writer,
        client,
    ):
        if client.state == "removed":
            raise NotAllowed(f"{client.name} is removed: restore it before editing it.")
        yield writer, client


# -- write and audit --------------------------------------------------------------------
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
    updated = writer.connection.execute(
        update(Client.__table__)
        .where(_client.id == client.id, _client.version == client.version)
        .values(**(client_columns or {}), updated_at=writer.now, version=_client.version + 1)
    )
    if updated.rowcount != 1:  # another writer got there first
        raise stale(writer.connection, client)
    writer.record(client.id, action, before, after, client.version + 1)


# -- the client's product accounts --------------------------------------------------------
def product_account(connection: Connection, client: Row, product: str, columns: str) -> Row:
    """The client's account in `product` (`columns` of it), or NotAllowed saying it has none."""
    table = ACCOUNT_MODELS[product].__table__
    wanted = [table.c[name.strip()] for name in columns.split(",")]  # KeyError: not a column
    account = connection.execute(
        select(table.c.status, *wanted).where(table.c.client_id == client.id)
    ).first()
    if account is None or account.status == "not_set_up":
        label = PRODUCT_LABELS[product]
        raise NotAllowed(
            f"{client.name} has no {label} account, so it has no {label} settings to change."
        )
    return account


def update_account(writer: Writer, product: str, client_id: int, columns: dict[str, Any]) -> None:
    """Set `columns` of the client's account in `product`."""
    table = ACCOUNT_MODELS[product].__table__
    writer.connection.execute(update(table).where(table.c.client_id == client_id).values(**columns))


def product_statuses(connection: Connection, client_id: int) -> dict[str, str]:
    """The client's product accounts and their status (products it has no account in: absent)."""
    statuses = {}
    for product, model in ACCOUNT_MODELS.items():
        table = model.__table__
        status = connection.execute(
            select(table.c.status).where(table.c.client_id == client_id)
        ).scalar()
        if status is not None:
            statuses[product] = status
    return statuses
