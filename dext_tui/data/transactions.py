"""Real transactions on every backend: one snapshot for a read, one lock order for writes.

Python's sqlite3 driver starts a transaction only before a data-changing
statement, so a run of SELECTs would each see a different moment and
SQLAlchemy's `begin()` would not take SQLite's write lock up front. The
driver is put in autocommit mode and the transaction is begun explicitly
(SQLAlchemy's documented recipe): `BEGIN` for reads, whose snapshot then
holds across every statement, and `BEGIN IMMEDIATE` for writes, which take
the write lock at once instead of failing half-way when another writer
holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event

WRITE_OPTION = "dext_write"
BUSY_TIMEOUT_MS = 5_000  # how long a writer waits for another writer's lock


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the driver's own implicit BEGINs off
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def use_explicit_sqlite_transactions(engine: Engine) -> None:
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose every read sees the same committed state (one read transaction;
    REPEATABLE READ on PostgreSQL), however others write meanwhile."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


@contextmanager
def write_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that takes SQLite's write lock at once; commits on success."""
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection
