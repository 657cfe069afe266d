"""Migrated (and seeded) databases without migrating per test: each test process
migrates once, and seeds the snapshots' demo practice once, and every test gets a copy.
Running Alembic costs over half a second a database and seeding 300 clients more; a
copy costs a few milliseconds, and is the same schema, revision and data.

SQLite: the migrated file is copied. PostgreSQL: the statements the migration wrote
(DDL and the revision row, unqualified, so they land in whatever schema the
connection's search_path names) are recorded once and replayed into each new schema.
Each xdist worker is its own process and builds its own template.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, event, text

from dext_tui.data.database import make_engine, upgrade_to_head

# What a migration writes; everything else it runs (reflection, reading the revision)
# reads the catalogue and need not be replayed.
_WRITES = ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "COMMENT")


def copy_migrated_sqlite(path: Path) -> None:
    """Put a migrated, empty SQLite database at `path`."""
    shutil.copyfile(_sqlite_template(), path)


@functools.cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="dext-test-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    _checkpoint_and_dispose(engine)
    return path


def _checkpoint_and_dispose(engine: Engine) -> None:
    """Everything into the main file (WAL mode), so copying that file copies it all."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def migrate_postgres_schema(engine: Engine, server_url: str) -> None:
    """Bring the empty schema `engine` points at to the newest migration, as Alembic would;
    `server_url` is the database that holds the schema (without a search_path)."""
    script = ";\n".join(_postgres_migration(server_url))
    connection = engine.raw_connection()
    try:
        # One round trip, as one transaction; a test schema needs no wait for the disk.
        connection.driver_connection.execute(f"SET LOCAL synchronous_commit = off;\n{script}")
        connection.commit()
    finally:
        connection.close()


@functools.cache
def _postgres_migration(server_url: str) -> tuple[str, ...]:
    """The migration's writes, recorded while Alembic migrates a throw-away schema."""
    schema = f"template_{uuid.uuid4().hex[:16]}"
    admin = make_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    engine = make_engine(f"{server_url}{separator}options={quote(f'-csearch_path={schema}')}")
    recorded: list[str] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in _WRITES:
            # Alembic writes literal SQL; a bound value could not be replayed as a script.
            assert not parameters, f"a migration statement with parameters: {statement}"
            recorded.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return tuple(recorded)


def copy_seeded_sqlite(path: Path, *, clients: int, precision_pending: int, seed: int) -> None:
    """Put at `path` a migrated SQLite database holding `seed_practice`'s demo practice
    for these arguments: seeded once per test process, then copied."""
    shutil.copyfile(_seeded_template(clients, precision_pending, seed), path)


@functools.cache
def _seeded_template(clients: int, precision_pending: int, seed: int) -> Path:
    from dext_tui.data.seed import seed_practice

    path = _sqlite_template().with_name(f"seeded-{clients}-{precision_pending}-{seed}.sqlite")
    copy_migrated_sqlite(path)
    engine = make_engine(f"sqlite:///{path}")
    seed_practice(engine, clients=clients, precision_pending=precision_pending, seed=seed)
    _checkpoint_and_dispose(engine)
    return path
