"""`dext-tui`: the TUI by default, headless sub-commands for scripts and CI.

Exit codes: 0 success, 1 rejected input (nothing written, reason on stderr),
2 usage error (click's own).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import NoReturn

import click
from sqlalchemy import Engine

from dext_tui.data.access import IdentityError, resolve_viewer
from dext_tui.data.database import DatabaseUnavailable
from dext_tui.data.database import open_database as _open_database

DB_HELP = (
    "SQLite file path or any SQLAlchemy URL "
    "(default: DEXT_DATABASE_URL, else a file in the user data directory)."
)


def _refuse(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def open_database(path_or_url: str | None) -> Engine:
    try:
        return _open_database(path_or_url)
    except DatabaseUnavailable as refusal:
        _refuse(str(refusal))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH_OR_URL", help=DB_HELP)
@click.option(
    "--user",
    "user",
    metavar="EMAIL",
    envvar="DEXT_USER",
    help="Team member to act as (default: DEXT_USER, else the OS login name).",
)
@click.option(
    "--demo", is_flag=True, help="Open the TUI on a fresh demo practice, as its practice admin."
)
@click.pass_context
def main(ctx: click.Context, db: str | None, user: str | None, demo: bool) -> None:
    """Dext client list in the terminal. With no command, opens the TUI."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["user"] = user
    if ctx.invoked_subcommand is not None:
        return
    if demo:
        _run_demo()
    else:
        _run_tui(db, user)


def _run_tui(db: str | None, user: str | None) -> None:
    from dext_tui.app import DextApp

    engine = open_database(db)
    try:
        viewer = resolve_viewer(engine, user)
    except IdentityError as refusal:
        _refuse(str(refusal))
    DextApp(engine, viewer).run()


def _run_demo() -> None:
    from dext_tui.app import DextApp
    from dext_tui.data.demo import create_demo_database
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-demo-") as directory:
        engine = create_demo_database(Path(directory))
        DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL)).run()
        engine.dispose()


@main.command()
@click.option(
    "--clients", type=click.IntRange(0, 5_000_000), required=True, help="How many clients."
)
@click.option(
    "--precision-pending",
    type=click.IntRange(0, 1_000_000),
    default=0,
    show_default=True,
    help="Precision clients waiting for import.",
)
@click.option(
    "--seed",
    "seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed gives the same practice.",
)
@click.pass_context
def seed(ctx: click.Context, clients: int, precision_pending: int, seed: int) -> None:
    """Create a realistic, deterministic demo practice."""
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL, seed_practice

    engine = open_database(ctx.obj["db"])
    try:
        summary = seed_practice(
            engine, clients=clients, precision_pending=precision_pending, seed=seed
        )
    except ValueError as refusal:
        _refuse(str(refusal))
    click.echo(
        f"Seeded {summary.clients:,} clients, {summary.precision_pending:,} Precision clients "
        f"waiting for import and {summary.team_members} team members. "
        f"Open it with: dext-tui --user {DEMO_ADMIN_EMAIL}"
    )
