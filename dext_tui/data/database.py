"""Engine creation, SQLite pragmas, upgrading the schema to the newest migration, and
opening a database from `--db` with a one-line refusal for anything that cannot be used."""

from __future__ import annotations

import os
import shlex
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.request import pathname2url

import platformdirs
from sqlalchemy import URL, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from dext_tui.data.database_file import watch_file
from dext_tui.data.failures import hide_passwords, plain_reason
from dext_tui.data.regular_files import NotARegularFile, check_regular
from dext_tui.data.transactions import use_explicit_sqlite_transactions

APP_NAME = "dext-tui"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest migration's revision. Checking it with one query at start-up
# spares importing alembic (and the models) on every launch; a test keeps
# this constant equal to the migrations' head.
SCHEMA_REVISION = "0007"


def default_database_path() -> Path:
    """The SQLite file used when neither `--db` nor `DEXT_DATABASE_URL` names one."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "dext.sqlite"


def default_database_url() -> str:
    """`DEXT_DATABASE_URL`, else a SQLite file in the user's data directory.

    Nothing is created here: only `seed` creates a database (and its folder).
    """
    return database_url(None)


def database_url(path_or_url: str | None) -> str:
    """Turn `--db`'s value, else `DEXT_DATABASE_URL`'s (a file path or a URL), into a URL."""
    value = path_or_url or os.environ.get("DEXT_DATABASE_URL")
    if not value:
        return f"sqlite:///{default_database_path()}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | URL) -> Engine:
    """An engine for `url`; SQLite gets WAL mode and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the supported driver; a bare postgresql:// would pick psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _on_sqlite_connect)
        use_explicit_sqlite_transactions(engine)
        if (path := sqlite_file(parsed)) is not None:
            watch_file(engine, path)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema up to the newest migration (run at every start)."""
    if current_revision(engine) == SCHEMA_REVISION:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message (one line, no password) says which and why."""


SUPPORTED = (
    "dext-tui works with SQLite (a file path or sqlite:///PATH) "
    "and PostgreSQL (postgresql://USER@HOST/DB, through psycopg 3)"
)


def shown_url(url_text: str) -> str:
    """A database URL (or what was meant as one) as messages may show it: as typed,
    with any password as `***` (failures.py's one rule)."""
    return hide_passwords(url_text)


def usable_url(url_text: str) -> URL:
    """`url_text` parsed, or DatabaseUnavailable if dext-tui has no way to use it."""
    shown = shown_url(url_text)
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise DatabaseUnavailable(
            f"{shown!r} is neither a file path nor a database URL. {SUPPORTED}."
        ) from None
    except ValueError:  # the only one make_url raises: a port that is not a number
        raise DatabaseUnavailable(
            f"{shown!r} is not a valid database URL: its port is not a number. {SUPPORTED}."
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend == "postgres":
        raise DatabaseUnavailable(f"{shown}: write postgresql:// rather than postgres://.")
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(f"{shown}: dext-tui cannot use {backend} databases. {SUPPORTED}.")
    if driver not in ("", {"sqlite": "pysqlite", "postgresql": "psycopg"}[backend]):
        raise DatabaseUnavailable(
            f"{shown}: the {driver} driver is not supported; write {backend}:// without +{driver}. "
            f"{SUPPORTED}."
        )
    if url.host and "@" in url.host:
        raise DatabaseUnavailable(f"{shown}: the password holds an '@'; write it as %40.")
    return url


def sqlite_file(url: URL) -> Path | None:
    """The file a SQLite URL names (None: in memory, or a `file:` URI left to SQLite)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    if str(url.query.get("uri", "")).lower() in ("true", "1"):
        return None
    return Path(database).absolute()  # relative to the working directory, as SQLite reads it


def seed_command(path_or_url: str | None) -> str:
    """The command that creates a practice where `path_or_url` points (for refusals)."""
    command = "dext-tui seed --clients 500"
    if path_or_url:
        command += f" --db {shlex.quote(shown_url(path_or_url))}"
    return command


def _checksqlite_file(path: Path, create: bool, path_or_url: str | None) -> None:
    """Refuse a SQLite file that is missing (unless creating), a folder, or not a
    dext-tui database, without writing to it: a read-only look, so a mistyped path
    leaves nothing behind and another program's database is left as it was."""
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file.")
    try:
        check_regular(path)  # a FIFO or device would hang SQLite's open, or worse
    except NotARegularFile as refusal:
        raise DatabaseUnavailable(f"{path} is not a database file: {refusal.strerror}.") from None
    except OSError:
        pass  # missing: said below
    if not path.exists():
        if not create:
            raise DatabaseUnavailable(
                f"No database at {path}. Create one with: {seed_command(path_or_url)}"
            )
        if not path.parent.is_dir():
            raise DatabaseUnavailable(f"Cannot create {path}: there is no folder {path.parent}.")
        return
    try:
        uri = f"file:{pathname2url(str(path))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as look:
            has_schema = look.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise DatabaseUnavailable(f"{path} is not a SQLite database ({error}).") from None
    if not has_schema and not create:
        raise DatabaseUnavailable(
            f"{path} holds no dext-tui database. Create one with: {seed_command(path_or_url)}"
        )


def _reason(error: Exception, url: URL) -> str:
    """What went wrong, without the URL's password; a failure other than the database's
    (a migration's, say) is named by its type, which is most of what it says."""
    secret = str(url.password) if url.password else None
    reason = plain_reason(error, secret=secret)
    return reason if isinstance(error, SQLAlchemyError) else f"{type(error).__name__}: {reason}"


def open_database(path_or_url: str | None, create: bool = False) -> Engine:
    """An engine on a dext-tui database upgraded to the newest schema, or DatabaseUnavailable.

    Only `create=True` (the seed) makes a database where there is none: opening a
    missing SQLite file, or one without dext-tui's tables, is refused instead.
    """
    url_text = database_url(path_or_url)
    url = usable_url(url_text)
    shown = shown_url(url_text)
    path = sqlite_file(url)
    if path is not None:
        _checksqlite_file(path, create, path_or_url)
    engine = None
    try:
        engine = make_engine(url)
        if not create and path is None and current_revision(engine) is None:
            raise DatabaseUnavailable(
                f"{shown} holds no dext-tui database. Create one with: {seed_command(path_or_url)}"
            )
        upgrade_to_head(engine)
    except DatabaseUnavailable:
        if engine is not None:
            engine.dispose()
        raise
    except Exception as error:  # any failure to connect or migrate: one line, never a traceback
        if engine is not None:
            engine.dispose()
        raise DatabaseUnavailable(
            f"Cannot open the database {shown}: {_reason(error, url)}"
        ) from None
    return engine


@contextmanager
def creating_database(path_or_url: str | None) -> Iterator[Engine]:
    """An engine for writing a whole database in one go (the seed).

    A SQLite file that does not exist yet is built under a temporary name beside
    it and appears at its path only once the block has finished: failed or
    interrupted, it leaves no file behind, so the path holds the whole database or
    nothing, and of two seeds racing to create it one wins, the other is refused.
    Anywhere else (an existing file, PostgreSQL) the block's own transaction makes
    the write all or nothing.
    """
    url_text = database_url(path_or_url)
    target = sqlite_file(usable_url(url_text))
    if target is None or target.exists():
        engine = open_database(path_or_url, create=True)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    if not path_or_url and not os.environ.get("DEXT_DATABASE_URL"):
        target.parent.mkdir(parents=True, exist_ok=True)  # the default location's folder
    if not target.parent.is_dir():
        raise DatabaseUnavailable(f"Cannot create {target}: there is no folder {target.parent}.")
    building = target.with_name(f"{target.name}.seeding-{os.getpid()}")
    try:
        engine = open_database(str(building), create=True)
        try:
            yield engine
        finally:
            engine.dispose()  # closes SQLite's last connection: the WAL is folded in
        _publish(building, target)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)


def _publish(building: Path, target: Path) -> None:
    """Give the finished file its name, unless another file took that name meanwhile."""
    if Path(f"{building}-wal").exists():
        raise DatabaseUnavailable(f"Cannot finish {target}: its write-ahead log was not folded in.")
    taken = DatabaseUnavailable(
        f"{target} appeared while seeding (another seed?); nothing was written to it."
    )
    try:
        os.link(building, target)  # fails if the name is taken, unlike a rename
    except FileExistsError:
        raise taken from None
    except OSError:  # no hard links on this file system
        if target.exists():
            raise taken from None
        os.replace(building, target)
