"""`dext-tui bulk …` and `dext-tui activity`: bulk lifecycle changes and the Activity log
headless, through the same services, scope and exit codes as the TUI (spec 13, 14).

Exit codes: 0 success, 1 rejected input (nothing written; one line per reason on
stderr), 2 usage error.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from dext_tui.cli_options import database_options, open_database
from dext_tui.cli_options import refuse as _refuse
from dext_tui.cli_support import acting_viewer, support_options
from dext_tui.data.failures import plain_reason
from dext_tui.data.viewer import Viewer

ACTIONS = ("deactivate", "reactivate", "remove", "restore")
COLLEAGUE_ACTIONS = ("grant-access", "revoke-access", "set-account-manager")
TOGGLES = ("bookkeeping", "approval", "data_health", "account_manager")


@click.command("bulk")
@database_options
@click.argument("action", type=click.Choice(ACTIONS + COLLEAGUE_ACTIONS))
@click.option(
    "--colleague",
    metavar="EMAIL",
    help="Whose access to grant or revoke, or who becomes the Prepare account manager.",
)
@click.option(
    "--on",
    "toggles_on",
    multiple=True,
    type=click.Choice(TOGGLES),
    help="grant-access: a permission to turn on (repeatable; the others off). "
    "Default: bookkeeping.",
)
@click.option(
    "--ids",
    "ids_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file of client ids, one per line.",
)
@click.option("--search", "search", metavar="Q", help="The clients the list's search finds.")
@click.option("--dry-run", is_flag=True, help="Print the preview; write nothing.")
@support_options
def bulk(
    db: str | None,
    user: str | None,
    action: str,
    colleague: str | None,
    toggles_on: tuple[str, ...],
    ids_file: Path | None,
    search: str | None,
    dry_run: bool,
    practice: str | None = None,
    reason: str | None = None,
) -> None:
    """Deactivate, reactivate, remove or restore many clients, grant or revoke a colleague's
    practice access to them, or make a colleague their Prepare account manager, in one
    transaction. The preview is printed first; a client refused (with its reason) means
    nothing is written."""
    from dext_tui.data.errors import ServiceError
    from dext_tui.data.services.bulk_actions import StaleBatch, apply_bulk, preview_bulk

    if (ids_file is None) == (search is None):
        raise click.UsageError("Give exactly one of --ids FILE and --search Q.")
    if (action in COLLEAGUE_ACTIONS) != (colleague is not None):
        raise click.UsageError(
            f"--colleague EMAIL is needed by {', '.join(COLLEAGUE_ACTIONS)} and only by them."
        )
    if toggles_on and action != "grant-access":
        raise click.UsageError("--on is for grant-access only.")
    client_ids = _read_ids(ids_file) if ids_file else None
    engine = open_database(db)
    viewer = acting_viewer(engine, user, practice, reason, writes=not dry_run)
    try:
        if client_ids is None:
            client_ids = _searched(engine, viewer, search or "")
        preview = preview_bulk(
            engine,
            viewer,
            action,
            client_ids,
            colleague=_member_id(engine, viewer, colleague) if colleague else None,
            toggles={name: name in (toggles_on or ("bookkeeping",)) for name in TOGGLES},
        )
        for line in preview.lines():
            click.echo(_printable(line))
        if preview.refused:
            for reason, refused in preview.refused.items():
                shown = ", ".join(str(client_id) for client_id in refused[:10])
                more = ", …" if len(refused) > 10 else ""
                click.echo(f"Error: clients {shown}{more}: {_printable(reason)}", err=True)
            _refuse("Nothing was written.")
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        result = apply_bulk(engine, viewer, preview)
    except StaleBatch as stale:
        for line in stale.preview.lines():
            click.echo(f"Now: {_printable(line)}", err=True)
        _refuse(stale.message)
    except ServiceError as refusal:
        _refuse(refusal.message)
    except SQLAlchemyError as error:
        _refuse(f"Nothing was written: {plain_reason(error)}")
    finally:
        engine.dispose()
    click.echo(f"Done: {_printable(preview.done(len(result.client_ids)))}")


def _read_ids(path: Path) -> list[int]:
    """One client id a line; blank lines and `#` comments ignored; anything else refused."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        _refuse(f"Cannot read {path}: {getattr(error, 'strerror', None) or error}")
    ids, problems = [], []
    for number, line in enumerate(lines, start=1):
        value = line.split("#", 1)[0].strip()
        if not value:
            continue
        if value.isdigit() and value.isascii():
            ids.append(int(value))
        else:
            problems.append(f"line {number}: {value[:40]!r} is not a client id")
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        _refuse("Nothing was written.")
    return ids


def _searched(engine: Engine, viewer: Viewer, search: str) -> list[int]:
    from dext_tui.data.export import search_view_ids

    return search_view_ids(engine, viewer, search) if search.strip() else []


@click.command("activity")
@database_options
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only events on or after this day (YYYY-MM-DD, UTC).",
)
@click.option("--by", "by", metavar="EMAIL", help="Only the changes of this colleague.")
@click.option("--client", "client_id", type=int, metavar="ID", help="Only this client's events.")
@click.option(
    "--format", "output", type=click.Choice(("text", "csv")), default="text", show_default=True
)
@support_options
def activity(
    db: str | None,
    user: str | None,
    since: datetime | None,
    by: str | None,
    client_id: int | None,
    output: str,
    practice: str | None = None,
    reason: str | None = None,
) -> None:
    """The practice's Activity log, newest first, a batch as one line (practice admins and
    client admins)."""
    from dext_tui.data.activity import ActivityFilter, activity_page
    from dext_tui.data.csv_files import write_csv_rows
    from dext_tui.data.errors import ServiceError

    engine = open_database(db)
    viewer = acting_viewer(engine, user, practice, reason, writes=False)
    try:
        filters = ActivityFilter(
            by=_member_id(engine, viewer, by) if by else None,
            client_id=client_id,
            since=since.replace(tzinfo=UTC) if since else None,
        )
        cursor = None
        rows = []
        while True:
            page = activity_page(engine, viewer, filters, before=cursor, limit=500)
            rows.extend(page.lines)
            if page.next_before is None:
                break
            cursor = page.next_before
    except ServiceError as refusal:
        _refuse(refusal.message)
    except SQLAlchemyError as error:
        _refuse(f"Activity cannot be read: {plain_reason(error)}")
    finally:
        engine.dispose()
    if output == "csv":
        write_csv_rows(
            sys.stdout,
            ["at", "by", "action", "clients", "client_id", "what", "details"],
            (
                [f"{line.at:%Y-%m-%d %H:%M:%S}", line.who, line.action, line.count,
                 line.client_id, line.words, "; ".join(line.details)]
                for line in rows
            ),
        )  # fmt: skip
        return
    for line in rows:
        details = f" ({'; '.join(line.details)})" if line.details else ""
        click.echo(f"{line.at:%Y-%m-%d %H:%M}  {_printable(line.words + details)}")


def _printable(value: str) -> str:
    """Stored text as typed, with control characters made visible, never sent raw."""
    return "".join(
        chr(0x2400 + ord(char)) if ord(char) < 0x20 else "␡" if char == "\x7f" else char
        for char in value
    )


def _member_id(engine: Engine, viewer: Viewer, email: str) -> int:
    with engine.connect() as connection:
        member = connection.execute(
            text("SELECT id FROM team_member WHERE practice_id = :p AND lower(email) = :e"),
            {"p": viewer.practice_id, "e": email.strip().lower()},
        ).scalar()
    if member is None:
        _refuse(f"No colleague of this practice has the email {email!r}.")
    return member
