"""The support desk's headless commands (spec 15): support identities kept, a practice's
support switch, and `--practice` / `--reason` for the commands support may run.

A read by support (export, a dry run) records a visit; a write needs `--reason` and
is an elevation for that one command, audited with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import Engine

from dext_tui.cli_options import database_options, open_database, refuse, viewer_for
from dext_tui.data.errors import ServiceError
from dext_tui.data.identity import IdentityError, Viewer, resolve_viewer
from dext_tui.data.services.writing import utc_now
from dext_tui.terminal_output import say

PRACTICE_HELP = "Support identities: the practice to act on (its name or id)."
REASON_HELP = "Support identities: why (a ticket reference or a sentence); needed to write."


def support_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command `--practice` and `--reason` (its `practice` and `reason` arguments)."""
    command = click.option("--reason", "reason", metavar="TEXT", help=REASON_HELP)(command)
    return click.option("--practice", "practice", metavar="NAME|ID", help=PRACTICE_HELP)(command)


def acting_viewer(
    engine: Engine, user: str | None, practice: str | None, reason: str | None, *, writes: bool
) -> Viewer:
    """Who runs the command. A support identity's read is a recorded visit; its write an
    elevation for this command with `reason` (refused without one). A team member is
    themselves (`--practice` naming another practice is refused)."""
    from dext_tui.data.support import elevate, record_visit

    if practice is None:
        return viewer_for(engine, user)
    try:
        viewer = resolve_viewer(engine, user, practice)
        if not viewer.is_support:
            return viewer
        if not writes:
            record_visit(engine, viewer, utc_now(), reason)
            return viewer
        if not (reason or "").strip():
            raise ServiceError(
                "A support identity changes a practice only with --reason TEXT "
                "(a ticket reference or a sentence); nothing was written."
            )
        return elevate(engine, viewer, reason or "", utc_now())
    except IdentityError as refusal:
        engine.dispose()
        refuse(str(refusal))
    except ServiceError as refusal:
        engine.dispose()
        refuse(refusal.message)


@click.group("support")
def support() -> None:
    """Support identities: people who answer many practices, members of none."""


@support.command("add")
@database_options
@click.option("--name", required=True, help="The support person's name.")
@click.option("--email", required=True, help="Their email, as given to --user.")
@click.option("--login", "login", default=None, help="Their OS login name (optional).")
def support_add(db: str | None, user: str | None, name: str, email: str, login: str | None) -> None:
    """Add a support identity."""
    from dext_tui.data.support_people import add_support_person

    person = _managing(db, lambda engine: add_support_person(engine, name, email, login, utc_now()))
    say(f"Added support identity {person.name} <{person.email}>.")


@support.command("deactivate")
@database_options
@click.argument("email")
def support_deactivate(db: str | None, user: str | None, email: str) -> None:
    """Stop a support identity from signing in (its audit stays)."""
    from dext_tui.data.support_people import deactivate_support_person

    changed = _managing(db, lambda engine: deactivate_support_person(engine, email))
    say(f"Deactivated {email}." if changed else f"{email} was already inactive.")


@support.command("list")
@database_options
def support_list(db: str | None, user: str | None) -> None:
    """Every support identity: email, name, login name, active or not."""
    from dext_tui.data.support_people import support_people

    for person in _managing(db, support_people):
        state = "active" if person.active else "inactive"
        say(f"{person.email}  {person.name}  login {person.login_name or '-'}  {state}")


@click.group("practice")
def practice() -> None:
    """The practice's own settings."""


@practice.command("support-access")
@database_options
@click.argument("state", type=click.Choice(["on", "off"]))
def practice_support_access(db: str | None, user: str | None, state: str) -> None:
    """Let support identities open this practice, or not (practice admins only)."""
    from dext_tui.data.support import set_support_access

    engine = open_database(db)
    viewer = viewer_for(engine, user)
    changed = _managing_engine(
        engine, lambda engine: set_support_access(engine, viewer, state == "on", utc_now())
    )
    done = "turned" if changed else "was already"
    say(f"Support access to {viewer.practice_name} {done} {state}.")


def _managing(db: str | None, work: Callable[[Engine], Any]) -> Any:
    return _managing_engine(open_database(db), work)


def _managing_engine(engine: Engine, work: Callable[[Engine], Any]) -> Any:
    try:
        return work(engine)
    except ServiceError as refusal:
        refuse(refusal.message)
    finally:
        engine.dispose()


def register(main: click.Group) -> None:
    main.add_command(support)
    main.add_command(practice)
