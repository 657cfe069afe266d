"""Engine creation, SQLite pragmas and upgrading the schema to the newest migration."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from dext_tui.data.transactions import use_explicit_sqlite_transactions

APP_NAME = "dext-tui"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest migration's revision. Checking it with one query at start-up
# spares importing alembic (and the models) on every launch; a test keeps
# this constant equal to the migrations' head.
SCHEMA_REVISION = "0003"


def default_database_url() -> str:
    """`DEXT_DATABASE_URL`, else a SQLite file in the user's data directory."""
    from_env = os.environ.get("DEXT_DATABASE_URL")
    if from_env:
        return from_env
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'dext.sqlite'}"


def database_url(path_or_url: str | None) -> str:
    """Turn `--db`'s value (a file path or any SQLAlchemy URL) into a URL."""
    if not path_or_url:
        return default_database_url()
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser().resolve()}"


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL mode and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        # psycopg 3 is the supported driver; a bare postgresql:// would pick psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _on_sqlite_connect)
        use_explicit_sqlite_transactions(engine)
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
    """The database could not be opened; the message says which one and why."""


def open_database(path_or_url: str | None) -> Engine:
    """An engine on a database upgraded to the newest schema, or DatabaseUnavailable."""
    url = database_url(path_or_url)
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise DatabaseUnavailable(f"{url!r} is neither a file path nor a database URL.") from None
    try:
        engine = make_engine(url)
        upgrade_to_head(engine)
    except NoSuchModuleError:
        raise DatabaseUnavailable(f"No database driver for {shown}.") from None
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DatabaseUnavailable(f"Cannot open the database {shown}: {reason}") from None
    return engine
