"""What every headless command shares: `--db` / `--user` wherever they stand, opening the
database, identifying the user, and refusing in one line (exit 1)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn

import click
from sqlalchemy import Engine

from dext_tui.data.database import DatabaseUnavailable
from dext_tui.data.database import open_database as _open_database
from dext_tui.data.identity import IdentityError, Viewer, resolve_viewer
from dext_tui.terminal_output import warn

DB_HELP = (
    "SQLite file path, sqlite:///PATH or postgresql://USER@HOST/DB "
    "(default: DEXT_DATABASE_URL, else a file in the user data directory)."
)
USER_HELP = "Team member to act as (default: DEXT_USER, else the OS login name)."


def refuse(message: str, code: int = 1) -> NoReturn:
    warn(f"Error: {message}")
    raise SystemExit(code)


def open_database(path_or_url: str | None, create: bool = False) -> Engine:
    try:
        return _open_database(path_or_url, create=create)
    except DatabaseUnavailable as refusal:
        refuse(str(refusal))


def database_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a sub-command `--db` and `--user`, so they may follow its name as well as
    precede it; a value given after the name wins over one given before it. The
    command receives the outcome as its `db` and `user` arguments.

    Apply it below `@main.command()`. The sub-command's own options have no default
    and no environment variable, so they never override the group's by accident.
    """

    @functools.wraps(command)
    def with_database_options(
        *args: Any, db: str | None = None, user: str | None = None, **kwargs: Any
    ) -> Any:
        before = click.get_current_context().find_object(dict) or {}
        return command(
            *args,
            db=db if db is not None else before.get("db"),
            user=user if user is not None else before.get("user"),
            **kwargs,
        )

    with_database_options = click.option("--user", "user", metavar="EMAIL", help=USER_HELP)(
        with_database_options
    )
    return click.option("--db", "db", metavar="PATH_OR_URL", help=DB_HELP)(with_database_options)


def viewer_for(engine: Engine, user: str | None) -> Viewer:
    try:
        return resolve_viewer(engine, user)
    except IdentityError as refusal:
        engine.dispose()
        refuse(str(refusal))
