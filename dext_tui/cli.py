"""`dext-tui`: the TUI by default, headless sub-commands for scripts and CI.

Exit codes: 0 success, 1 rejected input (nothing written, reason on stderr),
2 usage error (click's own), 130 interrupted by Ctrl-C (143 by SIGTERM; nothing written).
"""

from __future__ import annotations

import shlex
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.exc import SQLAlchemyError

from dext_tui.cli_bulk import activity, bulk
from dext_tui.cli_options import (
    DB_HELP,
    USER_HELP,
    database_options,
    open_database,
)
from dext_tui.cli_options import refuse as _refuse
from dext_tui.cli_support import (
    PRACTICE_HELP,
    REASON_HELP,
    acting_viewer,
    register,
    support_options,
)
from dext_tui.data.database import DatabaseUnavailable, creating_database, shown_url
from dext_tui.data.failures import plain_reason
from dext_tui.data.identity import IdentityError, resolve_viewer
from dext_tui.data.transactions import WRITE_OPTION
from dext_tui.serve import (
    DEFAULT_PORT,
    LOOPBACK,
    TokenFileRefused,
    is_loopback,
    new_token,
    read_token_file,
    serve,
)
from dext_tui.terminal_output import say, warn

INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (a plain `kill`), stopping the work as Ctrl-C does."""


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH_OR_URL", help=DB_HELP)
@click.option("--user", "user", metavar="EMAIL", envvar="DEXT_USER", help=USER_HELP)
@click.option(
    "--demo", is_flag=True, help="Open the TUI on a fresh demo practice, as its practice admin."
)
@click.option("--practice", "practice", metavar="NAME|ID", help=PRACTICE_HELP)
@click.option("--reason", "reason", metavar="TEXT", help=REASON_HELP)
@click.pass_context
def main(
    ctx: click.Context,
    db: str | None,
    user: str | None,
    demo: bool,
    practice: str | None,
    reason: str | None,
) -> None:
    """Dext client list in the terminal. With no command, opens the TUI."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["user"] = user
    if ctx.invoked_subcommand is not None:
        return
    if demo:
        _run_demo()
    else:
        _run_tui(db, user, practice, reason)


def _run_tui(
    db: str | None, user: str | None, practice: str | None = None, reason: str | None = None
) -> None:
    from dext_tui.data.support_identity import SupportNeedsPractice

    engine = open_database(db)
    viewer, person = None, None
    try:  # a support identity with no --practice starts on the practice picker
        if practice is not None:
            viewer = acting_viewer(engine, user, practice, reason, writes=False)
        else:
            viewer = resolve_viewer(engine, user)
    except SupportNeedsPractice as needs:
        person = needs.person
    except IdentityError as refusal:
        engine.dispose()
        _refuse(str(refusal))
    from dext_tui.app import DextApp  # after the checks: a refusal needs no UI imports

    app = DextApp(engine, viewer, support_person=person)
    app.run()
    engine.dispose()  # SQLite folds its write-ahead log back in when the last connection closes
    if app.return_code:
        raise SystemExit(app.return_code)


def _run_demo() -> None:
    from dext_tui.app import DextApp
    from dext_tui.data.demo import create_demo_database
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-demo-") as directory:
        engine = create_demo_database(Path(directory))
        app = DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))
        app.run()
        engine.dispose()
    if app.return_code:
        raise SystemExit(app.return_code)


@contextmanager
def _stopping_means_nothing_written() -> Iterator[Callable[[Engine], None]]:
    """Ctrl-C (or SIGTERM) raises KeyboardInterrupt (Terminated) until a write transaction
    on the engine handed to the yielded function begins to commit; one that comes later
    is noted and the command finishes, saying so, and exits 0: its work is in the
    database then. So exit 130/143 ("nothing was written") is always true, and a
    committed write is never reported as stopped. Reads' commits change nothing."""
    if threading.current_thread() is not threading.main_thread():  # signals reach only main
        yield lambda _engine: None
        return
    stops = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    previous = {number: signal.getsignal(number) for number in stops}
    committing = False
    late: list[int] = []

    def stop(number: int, _frame: object) -> None:
        if committing:
            late.append(number)
            return
        raise Terminated if number == signal.SIGTERM else KeyboardInterrupt

    def hold_from_commit(engine: Engine) -> None:
        @event.listens_for(engine, "commit")
        def _committing(connection: Connection) -> None:
            nonlocal committing
            if connection.get_execution_options().get(WRITE_OPTION, False):
                committing = True  # a signal from here on cannot undo the write: finish

    for number, untouched in stops.items():
        if previous[number] == untouched:  # not when the caller chose otherwise
            signal.signal(number, stop)
    try:
        yield hold_from_commit
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if late:
        name = "SIGTERM" if signal.SIGTERM in late else "Ctrl-C"
        warn(f"Note: {name} came after the write was committed; it was finished.")


def _interrupt_behind(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM) behind `error`, if any: cleaning up after one can fail in turn."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _seed_failure(engine: Engine, error: SQLAlchemyError) -> str:
    """Why the seed's transaction failed, in one line: mostly a second seed racing this one."""
    from dext_tui.data.models import Practice

    try:
        with engine.connect() as connection:
            practices = connection.execute(
                select(func.count()).select_from(Practice.__table__)
            ).scalar_one()
    except SQLAlchemyError:
        practices = 0
    if practices:
        return "Another seed wrote a practice into this database first; nothing was written."
    reason = plain_reason(error).rstrip(".")
    if "locked" in reason:
        reason += " (another program, perhaps another seed, is writing to it)"
    return f"Nothing was written: {reason}."


@main.command()
@database_options
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
def seed(db: str | None, user: str | None, clients: int, precision_pending: int, seed: int) -> None:
    """Create a realistic, deterministic demo practice (the only command that creates a
    database). All or nothing: refused, failed or interrupted, it writes nothing."""
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL, seed_practice

    with _stopping_means_nothing_written() as hold_from_commit:
        try:
            with creating_database(db) as engine:
                hold_from_commit(engine)
                try:
                    summary = seed_practice(
                        engine, clients=clients, precision_pending=precision_pending, seed=seed
                    )
                except SQLAlchemyError as error:
                    if interrupt := _interrupt_behind(error):
                        raise type(interrupt)() from error
                    _refuse(_seed_failure(engine, error))
        except Terminated:
            _refuse("Terminated: nothing was written.", TERMINATED)
        except KeyboardInterrupt:
            _refuse("Interrupted: nothing was written.", INTERRUPTED)
        except (DatabaseUnavailable, ValueError) as refusal:
            _refuse(str(refusal))
    where = f"--db {shlex.quote(shown_url(db))} " if db else ""
    say(
        f"Seeded {summary.clients:,} clients, {summary.precision_pending:,} Precision clients "
        f"waiting for import and {summary.team_members} team members. "
        f"Open it with: dext-tui {where}--user {shlex.quote(DEMO_ADMIN_EMAIL)}"
    )


@main.group()
def codes() -> None:
    """Practice codes in bulk."""


@codes.command("upload")
@database_options
@click.argument("file", type=click.Path(path_type=Path))  # a folder: our one-line refusal
@click.option("--dry-run", is_flag=True, help="Check every row, print the outcome, write nothing.")
@click.option(
    "--skip-errors",
    is_flag=True,
    help="Write the valid rows and leave out those in error (default: all or nothing).",
)
@support_options
def codes_upload(
    db: str | None,
    user: str | None,
    file: Path,
    dry_run: bool,
    skip_errors: bool,
    practice: str | None,
    reason: str | None,
) -> None:
    """Set practice codes from a CSV file (a client_id, crn or client_name column and a
    practice_code column). Every row is checked first; all or nothing unless --skip-errors.
    Exit 1, writing nothing, with one line per problem on stderr, if a row is refused."""
    from dext_tui.data.services.practice_code_upload import apply_upload

    engine = open_database(db)
    viewer = acting_viewer(engine, user, practice, reason, writes=not dry_run)
    try:
        with _stopping_means_nothing_written() as hold_from_commit, _upload_refused():
            hold_from_commit(engine)
            table, preview = _checked_upload(engine, viewer, file, dry_run, skip_errors)
            if not _upload_writes(preview, dry_run):
                return
            result = apply_upload(engine, viewer, table, skip_errors=skip_errors, expected=preview)
    except Terminated:
        _refuse("Terminated: nothing was written.", TERMINATED)
    except KeyboardInterrupt:
        _refuse("Interrupted: nothing was written.", INTERRUPTED)
    finally:
        engine.dispose()
    rest = len(preview.rows) - len(result.changes)
    say(f"Updated {len(result.changes):,} practice codes; {rest:,} other rows left as they are.")


def _checked_upload(engine: Engine, viewer, file: Path, dry_run: bool, skip_errors: bool):
    """The file read and every row checked, its outcome said; refused (exit 1) when rows
    are in error and they are not to be skipped (a dry run never skips them)."""
    from dext_tui.data.csv_files import read_csv_file
    from dext_tui.data.services.practice_code_upload import check_upload

    table = read_csv_file(file)
    for notice in table.notices:
        warn(f"Note: {notice}")
    preview = check_upload(engine, viewer, table)
    say(f"{file.name}: {preview.summary()}.")
    skipped = [str(row.line) for row in preview.rows if row.outcome == "skipped"]
    if skipped:
        lines = ", ".join(skipped[:10]) + (", …" if len(skipped) > 10 else "")
        warn(
            f"Warning: {len(skipped):,} rows have no practice code and are skipped "
            f"(lines {lines}); an upload never clears a code."
        )
    if preview.errors and not (skip_errors and not dry_run):
        for problem in preview.problems():
            warn(f"Error: {problem}")
        _refuse(
            f"{len(preview.errors):,} rows cannot be written; nothing was written."
            + ("" if dry_run else " Fix them, or use --skip-errors.")
        )
    return table, preview


def _upload_writes(preview, dry_run: bool) -> bool:
    """Whether there is anything to write; when not (or a dry run), says so."""
    if not preview.updates:
        say("No practice code changes; nothing was written.")
        return False
    if dry_run:
        say(f"Dry run: {len(preview.updates):,} codes would change; nothing was written.")
        return False
    return True


@contextmanager
def _upload_refused() -> Iterator[None]:
    """A refused file or row, or a database failure: one line each, exit 1, nothing written."""
    from dext_tui.data.csv_files import CsvRejected
    from dext_tui.data.errors import ServiceError
    from dext_tui.data.services.practice_code_upload import UploadRejected

    try:
        yield
    except (CsvRejected, ServiceError) as refusal:
        if isinstance(refusal, UploadRejected) and len(refusal.problems) > 1:
            for problem in refusal.problems:
                warn(f"Error: {problem}")
            _refuse("Nothing was written.")
        _refuse(refusal.message)
    except SQLAlchemyError as error:
        if interrupt := _interrupt_behind(error):
            raise type(interrupt)() from error
        _refuse(f"Nothing was written: {plain_reason(error)}")


@main.command("export")
@database_options
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),  # a folder or device: our one-line refusal
    required=True,
    help="The CSV file to write (replaced atomically if it exists).",
)
@click.option("--search", "search", metavar="Q", help="Only the clients the list's search finds.")
@support_options
def export(
    db: str | None,
    user: str | None,
    out: Path,
    search: str | None,
    practice: str | None,
    reason: str | None,
) -> None:
    """Export the client list (every client you can see, or a search's) as CSV for Excel:
    UTF-8 with BOM, CRLF, formula-safe text cells."""
    from dext_tui.data.export import export_client_list, search_view_ids

    engine = open_database(db)
    viewer = acting_viewer(engine, user, practice, reason, writes=False)
    try:  # a SIGTERM too unwinds the write, so no half-written `.part` file is left behind
        with _stopping_means_nothing_written():
            ids = search_view_ids(engine, viewer, search) if search and search.strip() else None
            document = export_client_list(engine, viewer, out, ids)
    except Terminated:
        _refuse("Terminated: no file was written.", TERMINATED)
    except KeyboardInterrupt:
        _refuse("Interrupted: no file was written.", INTERRUPTED)
    except OSError as error:
        _refuse(f"Cannot write {out}: {error.strerror or error}; no file was written.")
    except SQLAlchemyError as error:
        _refuse(f"Export failed: {plain_reason(error)}")
    finally:
        engine.dispose()
    say(f"Exported {document.clients:,} clients to {out}.")


@main.command("serve")
@database_options
@click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="Address to listen on. Anything but loopback belongs behind an authenticating proxy.",
)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token-file",
    type=click.Path(path_type=Path),
    help="A file whose first line is the token the link must carry (default: a random one).",
)
@click.option(
    "--no-token", is_flag=True, help="Let in any browser without a token (loopback only)."
)
@support_options
def serve_command(
    db: str | None,
    user: str | None,
    host: str,
    port: int,
    token_file: Path | None,
    no_token: bool,
    practice: str | None = None,
    reason: str | None = None,
) -> None:
    """Serve the TUI in a browser (textual-serve); each browser session runs as --user.
    Only a browser holding the printed link (its token) gets in."""
    if no_token and (token_file or not is_loopback(host)):
        _refuse("--no-token is allowed only on loopback, and without --token-file.")
    try:
        token = None if no_token else read_token_file(token_file) if token_file else new_token()
    except TokenFileRefused as refusal:
        _refuse(str(refusal))
    engine = open_database(db)
    from dext_tui.data.support_identity import SupportNeedsPractice

    try:  # refuse an unknown identity (or practice) now, not in every session
        resolve_viewer(engine, user, practice)
    except SupportNeedsPractice:
        pass  # a support identity: each session starts on the practice picker
    except IdentityError as refusal:
        _refuse(str(refusal))
    database_url = engine.url.render_as_string(hide_password=False)
    engine.dispose()

    def announce(url: str) -> None:  # once listening: a taken port is its error alone
        say(f"Serving dext-tui at {url} (Ctrl-C stops it)")
        if not is_loopback(host):
            warn(
                f"Warning: listening on {host}: every address of this machine that reaches "
                f"port {port} reaches dext-tui, and whoever holds the link acts as its user."
            )

    try:
        serve(
            database_url,
            user,
            host=host,
            port=port,
            token=token,
            announce=announce,
            practice=practice,
            reason=reason,
        )
    except OSError as error:  # the port taken, or an address this machine does not have
        _refuse(f"Cannot serve on {host}:{port}: {error.strerror or error}.")


main.add_command(bulk)
main.add_command(activity)
register(main)  # support, practice support-access
