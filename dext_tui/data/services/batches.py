"""Reading and writing many clients in one transaction: what bulk changes and Undo share.

A bulk change of 10,000 clients cannot afford a round trip per client and
table, so clients are read in chunks of ids, and each table is written with one
executemany. The rules stay per client (clients.py); only the I/O is batched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Row, bindparam, text
from sqlalchemy.exc import DBAPIError

from dext_tui.data.scope import scope_condition
from dext_tui.data.services.client_changes import ACCOUNT_TABLES, CLIENT_COLUMNS
from dext_tui.data.services.writing import ClientChange, Writer
from dext_tui.data.viewer import Viewer

CHUNK = 5_000  # ids per IN list: well under SQLite's variable limit


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def clients_in_scope(connection: Connection, viewer: Viewer, ids: Iterable[int]) -> dict[int, Row]:
    """The clients among `ids` the viewer may act on, as stored now; others are absent."""
    where, params = scope_condition(viewer, include_removed=True)
    statement = text(f"SELECT {CLIENT_COLUMNS} FROM client c{where} AND c.id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    found: dict[int, Row] = {}
    for chunk in chunks(sorted(set(ids))):
        for row in connection.execute(statement, {**params, "ids": chunk}):
            found[row.id] = row
    return found


def product_statuses(connection: Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each client's product accounts and their status, in the order of ACCOUNT_TABLES."""
    statuses: dict[int, dict[str, str]] = {client_id: {} for client_id in ids}
    for product, table in ACCOUNT_TABLES.items():
        statement = text(
            f"SELECT client_id, status FROM {table} WHERE client_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        for chunk in chunks(ids):
            for client_id, status in connection.execute(statement, {"ids": chunk}):
                statuses[client_id][product] = status
    return statuses


def last_befores(connection: Connection, ids: Sequence[int], action: str) -> dict[int, dict]:
    """Each client's `before` of its latest `action` event (what reactivate and restore
    put back), as `clients._last_event_before` reads it one by one."""
    statement = text(
        "SELECT e.client_id, e.before FROM audit_event e WHERE e.id IN ("
        "SELECT MAX(id) FROM audit_event WHERE action = :action AND client_id IN :ids "
        "GROUP BY client_id)"
    ).bindparams(bindparam("ids", expanding=True))
    befores: dict[int, dict] = {}
    for chunk in chunks(ids):
        for client_id, before in connection.execute(statement, {"action": action, "ids": chunk}):
            befores[client_id] = json_or_empty(before)
    return befores


def json_or_empty(value: str | None) -> dict:
    try:
        loaded = json.loads(value) if value else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


@dataclass
class ClientWrite:
    """One client's change within a batch: its columns, its products' statuses, its audit."""

    client: Row
    action: str
    columns: dict[str, Any]  # client columns to set (besides version and updated_at)
    products: dict[str, str] = field(default_factory=dict)  # product -> new status
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


class BatchConflict(Exception):
    """A client moved under the write lock: impossible unless a writer bypassed it."""


def write_batch(writer: Writer, writes: Sequence[ClientWrite]) -> None:
    """Every client's update (guarded by the version read), its products, and one audit
    event each, all in the writer's transaction; grouped by column set, one executemany each."""
    connection, now = writer.connection, _bound(writer.connection, writer.now)
    by_columns: dict[tuple[str, ...], list[ClientWrite]] = {}
    for write in writes:
        by_columns.setdefault(tuple(sorted(write.columns)), []).append(write)
    for columns, group in by_columns.items():
        assignments = "".join(f"{column} = ?, " for column in columns)
        rows = [
            (
                *(_bound(connection, w.columns[c]) for c in columns),
                now,
                w.client.id,
                w.client.version,
            )
            for w in group
        ]
        updated = driver_executemany(
            connection,
            f"UPDATE client SET {assignments}updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ?",
            rows,
        )
        if updated != len(group):
            raise BatchConflict("A client changed while the batch was written.")
    for product, table in ACCOUNT_TABLES.items():
        rows = [(w.products[product], w.client.id) for w in writes if product in w.products]
        driver_executemany(connection, f"UPDATE {table} SET status = ? WHERE client_id = ?", rows)
    writer.record_many(
        [
            ClientChange(w.client.id, w.action, w.before, w.after, w.client.version + 1)
            for w in writes
        ]
    )


def driver_executemany(connection: Connection, sql: str, rows: list[tuple]) -> int:
    """`sql` with `?` placeholders run for every row by the driver itself (SQLAlchemy's
    per-row parameter handling costs seconds at 10,000 rows); the rows it changed."""
    if not rows:
        return 0
    if connection.dialect.paramstyle in ("format", "pyformat"):
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    dbapi = connection.dialect.loaded_dbapi
    try:
        cursor.executemany(sql, rows)
        return cursor.rowcount
    except dbapi.Error as error:  # as SQLAlchemy would raise it: IntegrityError and all
        raise DBAPIError.instance(sql, rows[0], error, dbapi.Error) from error
    finally:
        cursor.close()


def _bound(connection: Connection, value: Any) -> Any:
    """A timestamp as SQLAlchemy binds it on this backend (SQLite stores text)."""
    if not isinstance(value, datetime):
        return value
    process = connection.dialect.type_descriptor(DateTime(timezone=True)).bind_processor(
        connection.dialect
    )
    return process(value) if process else value
