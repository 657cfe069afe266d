"""Reading and writing many clients in one transaction: what bulk changes and Undo share.

A bulk change of 10,000 clients cannot afford a round trip per client and
table, so clients are read with their ids as one parameter (`ids_in`), and each
table is written with one statement (PostgreSQL: joined to the rows sent as one
JSON recordset) or one executemany (SQLite). The rules stay per client
(clients.py); only the I/O is batched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, DateTime, Row, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from dext_tui.data.scope import scope_condition
from dext_tui.data.services.access_grants import grant_access_many, revoke_access_many
from dext_tui.data.services.client_changes import ACCOUNT_TABLES, CLIENT_COLUMNS
from dext_tui.data.services.writing import ClientChange, Writer
from dext_tui.data.viewer import Viewer


def ids_in(connection: Connection, column: str, ids: Iterable[int]) -> tuple[str, dict]:
    """`column IN (ids)` as SQL with one parameter, `:ids`, however many ids: PostgreSQL
    reads them as an array literal, SQLite as a JSON array (binding 10,000 parameters
    one by one costs more than the query). Ids no integer column can hold match nothing."""
    wanted = [i for i in dict.fromkeys(ids) if 0 <= i < 2**63]
    if connection.dialect.name == "postgresql":
        literal = "{" + ",".join(map(str, wanted)) + "}"
        return f"{column} = ANY(CAST(:ids AS BIGINT[]))", {"ids": literal}
    return f"{column} IN (SELECT value FROM json_each(:ids))", {"ids": json.dumps(wanted)}


def clients_in_scope(connection: Connection, viewer: Viewer, ids: Iterable[int]) -> dict[int, Row]:
    """The clients among `ids` the viewer may act on, as stored now; others are absent."""
    where, params = scope_condition(viewer, include_removed=True)
    among, wanted = ids_in(connection, "c.id", ids)
    statement = text(f"SELECT {CLIENT_COLUMNS} FROM client c{where} AND {among}")
    return {row.id: row for row in connection.execute(statement, {**params, **wanted})}


def product_statuses(connection: Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each client's product accounts and their status, in the order of ACCOUNT_TABLES."""
    statuses: dict[int, dict[str, str]] = {client_id: {} for client_id in ids}
    among, wanted = ids_in(connection, "client_id", ids)
    for product, table in ACCOUNT_TABLES.items():
        statement = text(f"SELECT client_id, status FROM {table} WHERE {among}")
        for client_id, status in connection.execute(statement, wanted):
            statuses[client_id][product] = status
    return statuses


def last_befores(connection: Connection, ids: Sequence[int], action: str) -> dict[int, dict]:
    """Each client's `before` of its latest `action` event (what reactivate and restore
    put back), as `clients._last_event_before` reads it one by one."""
    among, wanted = ids_in(connection, "client_id", ids)
    statement = text(
        "SELECT e.client_id, e.before FROM audit_event e WHERE e.id IN ("
        f"SELECT MAX(id) FROM audit_event WHERE action = :action AND {among} "
        "GROUP BY client_id)"
    )
    return {
        client_id: json_or_empty(before)
        for client_id, before in connection.execute(statement, {"action": action, **wanted})
    }


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
    # (colleague, toggles): their practice access row given with these toggles, or
    # taken away when the toggles are None
    access: tuple[int, dict[str, bool] | None] | None = None
    prepare: dict[str, Any] = field(default_factory=dict)  # prepare_account columns to set


class BatchConflict(Exception):
    """A client moved under the write lock: impossible unless a writer bypassed it."""


def write_batch(writer: Writer, writes: Sequence[ClientWrite]) -> None:
    """Every client's update (guarded by the version read), its products, and one audit
    event each, all in the writer's transaction; grouped by column set, one statement each
    (PostgreSQL: one UPDATE joined to a JSON recordset; SQLite: one executemany)."""
    connection, now = writer.connection, _bound(writer.connection, writer.now)
    by_columns: dict[tuple[str, ...], list[ClientWrite]] = {}
    for write in writes:
        by_columns.setdefault(tuple(sorted(write.columns)), []).append(write)
    for columns, group in by_columns.items():
        rows = [
            (
                *(_bound(connection, w.columns[c]) for c in columns),
                now,
                w.client.id,
                w.client.version,
            )
            for w in group
        ]
        updated = update_many(
            connection, "client", (*columns, "updated_at"), ("id", "version"), rows,
            also="version = {t}version + 1",
        )  # fmt: skip
        if updated != len(group):
            raise BatchConflict("A client changed while the batch was written.")
    for product, table in ACCOUNT_TABLES.items():
        rows = [(w.products[product], w.client.id) for w in writes if product in w.products]
        update_many(connection, table, ("status",), ("client_id",), rows)
    _write_prepare(connection, writes)
    _write_access(writer, writes)
    record_batch(
        writer,
        [
            ClientChange(w.client.id, w.action, w.before, w.after, w.client.version + 1)
            for w in writes
        ],
    )


def update_many(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    keys: Sequence[str],
    rows: list[tuple],
    *,
    also: str = "",
) -> int:
    """`UPDATE table SET column = … WHERE key = …` for every row (its `columns` values,
    then its `keys` values), `also` (SQL, `{t}` naming the table) set on each too; the
    rows changed. One statement on PostgreSQL (a join to the rows sent as one JSON
    recordset: 10,000 separate updates cost seconds there), the driver's executemany
    elsewhere."""
    if not rows:
        return 0
    if connection.dialect.name != "postgresql":
        assignments = [f"{column} = ?" for column in columns]
        if also:
            assignments.append(also.format(t=""))
        where = " AND ".join(f"{key} = ?" for key in keys)
        return driver_executemany(
            connection, f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}", rows
        )
    names = [*columns, *keys]
    fields = ", ".join(f"v{i} {_sql_type(connection, table, name)}" for i, name in enumerate(names))
    assignments = [f"{column} = v.v{i}" for i, column in enumerate(columns)]
    if also:
        assignments.append(also.format(t="t."))
    where = " AND ".join(f"t.{key} = v.v{len(columns) + i}" for i, key in enumerate(keys))
    sql = (
        f"UPDATE {table} AS t SET {', '.join(assignments)} "
        f"FROM json_to_recordset(CAST(%s AS JSON)) AS v({fields}) WHERE {where}"
    )
    return _driver_execute(connection, sql, [_records(rows)])


def _records(rows: list[tuple]) -> str:
    """Rows as one JSON array of objects {"v0": …, "v1": …}: one parameter the server
    unpacks itself (a driver binding 10,000-element arrays spends seconds in Python)."""
    return json.dumps(
        [{f"v{i}": value for i, value in enumerate(row)} for row in rows], default=_json_value
    )


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def record_batch(writer: Writer, changes: list[ClientChange]) -> None:
    """One audit event per change, as `Writer.record_many` writes them; on PostgreSQL in
    one INSERT … SELECT from a JSON recordset (the per-row insert costs seconds there)."""
    connection = writer.connection
    if connection.dialect.name != "postgresql" or not changes:
        writer.record_many(changes)
        return
    sql = (
        "INSERT INTO audit_event (practice_id, seq, at, team_member_id, client_id, action, "
        "before, after, batch_id, undoes_batch) "
        "SELECT %s, %s, %s, %s, v.v0, v.v1, v.v2, v.v3, %s, %s "
        "FROM json_to_recordset(CAST(%s AS JSON)) AS v(v0 INTEGER, v1 TEXT, v2 TEXT, v3 TEXT)"
    )
    params = [
        writer.viewer.practice_id,
        writer.seq,
        writer.now,
        writer.viewer.team_member_id,
        writer.batch_id,
        writer.undoes_batch,
        _records(
            [
                (change.client_id, change.action, _json(change.before), _json(change.after))
                for change in changes
            ]
        ),
    ]
    _driver_execute(connection, sql, params)
    writer.changes.extend(changes)


def _json(values: dict) -> str:
    """As the writer stores `before` and `after` (writing._json)."""
    return json.dumps(values, default=str, sort_keys=True, ensure_ascii=False)


def _sql_type(connection: Connection, table: str, column: str) -> str:
    return SQLModel.metadata.tables[table].c[column].type.compile(dialect=connection.dialect)


def _write_prepare(connection: Connection, writes: Sequence[ClientWrite]) -> None:
    """The Prepare account columns of each write, one statement per column set."""
    by_columns: dict[tuple[str, ...], list[ClientWrite]] = {}
    for write in writes:
        if write.prepare:
            by_columns.setdefault(tuple(sorted(write.prepare)), []).append(write)
    for columns, group in by_columns.items():
        rows = [(*(w.prepare[c] for c in columns), w.client.id) for w in group]
        update_many(connection, "prepare_account", columns, ("client_id",), rows)


def _write_access(writer: Writer, writes: Sequence[ClientWrite]) -> None:
    """Practice access rows given and taken away, through access_grants (its one place)."""
    grants = [
        (w.access[0], w.client.id, w.access[1])
        for w in writes
        if w.access is not None and w.access[1] is not None
    ]
    grant_access_many(writer, grants)
    revoked: dict[int, list[int]] = {}
    for w in writes:
        if w.access is not None and w.access[1] is None:
            revoked.setdefault(w.access[0], []).append(w.client.id)
    for member_id, client_ids in revoked.items():
        revoke_access_many(writer, member_id, client_ids)


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


def _driver_execute(connection: Connection, sql: str, params: list) -> int:
    """One statement with `%s` placeholders, run by the driver; the rows it changed."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    dbapi = connection.dialect.loaded_dbapi
    try:
        cursor.execute(sql, params)
        return cursor.rowcount
    except dbapi.Error as error:  # as SQLAlchemy would raise it: IntegrityError and all
        raise DBAPIError.instance(sql, params, error, dbapi.Error) from error
    finally:
        cursor.close()


def _bound(connection: Connection, value: Any) -> Any:
    """A timestamp as SQLAlchemy binds it on this backend (SQLite stores text)."""
    if not isinstance(value, datetime):
        return value
    process = _timestamp_processor(connection.dialect)
    return process(value) if process else value


@cache
def _timestamp_processor(dialect: Dialect) -> Callable[[Any], Any] | None:
    """Asked once per dialect: asking per value costs a third of a second at 10,000."""
    return dialect.type_descriptor(DateTime(timezone=True)).bind_processor(dialect)
