"""The command line: exit codes 0 / 1 / 2 / 130, --db and --user on either side of a
command's name, one-line refusals without passwords, and the seed's all-or-nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from dext_tui.cli import database_options, main
from dext_tui.data.database import (
    SCHEMA_REVISION,
    SUPPORTED,
    make_engine,
    open_database,
    upgrade_to_head,
)
from dext_tui.data.demo import DEMO_CLIENTS, create_demo_database
from dext_tui.data.seed import DEMO_ADMIN_EMAIL

POSTGRES_URL = os.environ.get("DEXT_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="DEXT_TEST_POSTGRES_URL is not set")
VENV_BIN = Path(sys.executable).parent


def refusal(result: Result) -> str:
    """The one line a refused command prints: exit 1, nothing on stdout, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def client_count(db: str) -> int:
    engine = open_database(db)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT COUNT(*) FROM client")).scalar_one()
    finally:
        engine.dispose()


def migrated_empty_sqlite(path: Path) -> str:
    """A database with dext-tui's schema and no practice (how tests/conftest.py makes them)."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()
    return str(path)


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL onto a fresh, empty PostgreSQL schema; `--db` takes it as it is."""
    assert POSTGRES_URL
    schema = f"test_cli_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- seed, exit codes ---------------------------------------------------------------


def test_seed_builds_a_practice(tmp_path: Path):
    db = tmp_path / "p.sqlite"
    result = CliRunner().invoke(main, ["--db", str(db), "seed", "--clients", "40", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Seeded 40 clients" in result.output
    assert client_count(str(db)) == 40


def test_seeding_twice_is_refused_with_exit_1(tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    assert CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"]).exit_code == 0
    line = refusal(CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"]))
    assert "already holds 1 practice" in line
    assert client_count(db) == 5


def test_usage_errors_exit_2(tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    assert CliRunner().invoke(main, ["--db", db, "seed"]).exit_code == 2  # --clients missing
    assert CliRunner().invoke(main, ["--db", db, "seed", "--clients", "-3"]).exit_code == 2
    assert CliRunner().invoke(main, ["--no-such-flag"]).exit_code == 2
    assert CliRunner().invoke(main, ["seed", "--clients", "1", "--demo"]).exit_code == 2


# --- --db and --user before or after the command's name ------------------------------


def test_db_may_follow_the_command_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["seed", "--clients", "7", "--db", "after.sqlite"])
    assert result.exit_code == 0, result.output
    assert client_count(str(tmp_path / "after.sqlite")) == 7


def test_db_after_the_command_name_wins_over_db_before_it(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["--db", "before.sqlite", "seed", "--clients", "3", "--db", "after.sqlite"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert client_count(str(tmp_path / "after.sqlite")) == 3
    assert not (tmp_path / "before.sqlite").exists()


@pytest.mark.parametrize(
    ("args", "env_user", "expected"),
    [
        (["--db", "A", "--user", "u1", "probe"], None, ("A", "u1")),
        (["probe", "--db", "B", "--user", "u2"], None, ("B", "u2")),
        (["--db", "A", "--user", "u1", "probe", "--db", "B", "--user", "u2"], None, ("B", "u2")),
        (["--db", "A", "probe", "--user", "u2"], "env", ("A", "u2")),
        (["probe"], "env", (None, "env")),
        (["probe", "--user", "u2"], "env", (None, "u2")),
    ],
)
def test_database_options_decorator_serves_any_sub_command(args, env_user, expected, monkeypatch):
    """The decorator the coming commands (export, codes upload) will use, on a command
    made here: --db and --user on either side, the later one winning, DEXT_USER last."""
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    if env_user:
        monkeypatch.setenv("DEXT_USER", env_user)
    else:
        monkeypatch.delenv("DEXT_USER", raising=False)
    seen = {}

    @click.command("probe")
    @database_options
    def probe(db: str | None, user: str | None) -> None:
        seen["got"] = (db, user)

    main.add_command(probe)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        del main.commands["probe"]
    assert result.exit_code == 0, result.output
    assert seen["got"] == expected


# --- the seed's closing hint -----------------------------------------------------------


def test_seed_hint_names_the_database_it_wrote(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["seed", "--clients", "2", "--db", "my practice.sqlite"])
    assert result.exit_code == 0, result.output
    hint = f"Open it with: dext-tui --db 'my practice.sqlite' --user {DEMO_ADMIN_EMAIL}"
    assert hint in result.stdout


def test_seed_hint_without_db_opens_the_default_database(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["seed", "--clients", "2"])
    assert result.exit_code == 0, result.output
    assert f"Open it with: dext-tui --user {DEMO_ADMIN_EMAIL}" in result.stdout
    assert client_count(str(tmp_path / "dext-tui" / "dext.sqlite")) == 2


@needs_postgres
def test_seed_hint_hides_the_password_of_a_url(postgres_schema_url: str):
    # The local server trusts every connection, so any password gets in.
    with_password = postgres_schema_url.replace(
        "postgresql://postgres@", "postgresql://postgres:SECRET@"
    )
    assert with_password != postgres_schema_url
    result = CliRunner().invoke(main, ["seed", "--clients", "2", "--db", with_password])
    assert result.exit_code == 0, result.output
    assert "SECRET" not in result.output
    assert "Open it with: dext-tui --db 'postgresql://postgres:***@" in result.stdout


# --- databases and URLs that cannot be used ------------------------------------------

UNUSABLE = {
    "postgres ql://user:SECRET@host/db": "neither a file path nor a database URL",
    "mysql://user:SECRET@host/db": "cannot use mysql databases",
    "postgresql://user:SECRET@host:abc/db": "its port is not a number",
    "postgresql+psycopg2://user:SECRET@host/db": "the psycopg2 driver is not supported",
    "sqlite+pysqlcipher://:SECRET@/x.db": "the pysqlcipher driver is not supported",
    "postgres://user:SECRET@host/db": "write postgresql:// rather than postgres://",
    "foo://bar": "cannot use foo databases",
    "postgresql://user:SEC@RET@127.0.0.1:1/x": "the password holds an '@'",
    "postgresql://user:SECRET@127.0.0.1:1/x": "user:***@127.0.0.1:1",
    "postgresql://user@127.0.0.1:1/x?password=SECRET": "x?password=***: connection failed",
}

SAYS_WHAT_WORKS = [url for url in UNUSABLE if "127.0.0.1" not in url and "postgres://" not in url]


@pytest.mark.parametrize("command", [["seed", "--clients", "1"], ["--user", "a@b.c"]])
@pytest.mark.parametrize("url", list(UNUSABLE))
def test_an_unusable_url_gets_one_line_without_its_password(
    url: str, command, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    line = refusal(CliRunner().invoke(main, ["--db", url, *command]))
    assert UNUSABLE[url] in line
    assert "SECRET" not in line and "RET@" not in line
    if url in SAYS_WHAT_WORKS:
        assert line.endswith(f"{SUPPORTED}.")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_and_nothing_is_created(tmp_path: Path):
    db = str(tmp_path / "missing" / "dir" / "x.sqlite")
    line = refusal(CliRunner().invoke(main, ["--db", db, "seed", "--clients", "1"]))
    assert f"there is no folder {tmp_path / 'missing' / 'dir'}" in line
    assert list(tmp_path.iterdir()) == []


# --- only seed creates a database ------------------------------------------------------


@pytest.mark.parametrize("form", ["path", "url"])
def test_opening_a_missing_file_says_so_and_creates_nothing(form: str, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = "practise.sqlite" if form == "path" else "sqlite:///practise.sqlite"
    line = refusal(CliRunner().invoke(main, ["--db", db, "--user", "a@b.c"]))
    assert line == (
        f"Error: No database at {tmp_path / 'practise.sqlite'}. "
        f"Create one with: dext-tui seed --clients 500 --db {db}"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_missing_default_database_is_not_created(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    line = refusal(CliRunner().invoke(main, ["--user", "a@b.c"]))
    default = tmp_path / "dext-tui" / "dext.sqlite"
    assert line == f"Error: No database at {default}. Create one with: dext-tui seed --clients 500"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some notes\n" * 20, "is not a SQLite database"),
        (b"", "holds no dext-tui database"),
    ],
)
def test_a_file_that_is_not_a_dext_database_is_refused_untouched(content, message, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(content)
    line = refusal(CliRunner().invoke(main, ["--db", str(notes), "--user", "a@b.c"]))
    assert message in line
    assert notes.read_bytes() == content
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_a_folder_is_refused(tmp_path: Path):
    line = refusal(CliRunner().invoke(main, ["--db", str(tmp_path), "--user", "a@b.c"]))
    assert "is a folder, not a database file" in line


def test_an_empty_database_says_how_to_get_a_practice(tmp_path: Path):
    db = migrated_empty_sqlite(tmp_path / "new.sqlite")
    line = refusal(CliRunner().invoke(main, ["--db", db, "--user", "a@b.c"]))
    assert "no practice yet" in line
    assert "--demo" in line


@needs_postgres
def test_an_empty_postgresql_database_is_refused_and_left_empty(postgres_schema_url: str):
    line = refusal(CliRunner().invoke(main, ["--db", postgres_schema_url, "--user", "a@b.c"]))
    assert "holds no dext-tui database. Create one with: dext-tui seed --clients 500" in line
    schema = postgres_schema_url.rsplit("%3D", 1)[1]
    admin = make_engine(POSTGRES_URL)
    with admin.connect() as connection:
        tables = connection.execute(
            text("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = :schema"),
            {"schema": schema},
        ).scalar_one()
    admin.dispose()
    assert tables == 0


def test_unknown_user_is_refused_before_the_tui_starts(tmp_path: Path, monkeypatch):
    db = str(tmp_path / "p.sqlite")
    monkeypatch.delenv("DEXT_USER", raising=False)
    CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"])
    line = refusal(CliRunner().invoke(main, ["--db", db, "--user", "nobody@example.com"]))
    assert "nobody@example.com" in line


# --- the demo ---------------------------------------------------------------------------


def test_demo_database_is_a_ready_practice(tmp_path: Path):
    from dext_tui.data.client_rows import count_clients
    from dext_tui.data.identity import resolve_viewer

    engine = create_demo_database(tmp_path)
    viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
    assert viewer.role == "practice_admin"
    assert 0.9 * DEMO_CLIENTS <= count_clients(engine, viewer) <= DEMO_CLIENTS


def test_demo_flag_opens_the_tui_as_the_demo_admin(monkeypatch):
    from dext_tui.app import DextApp

    opened = {}

    def fake_run(app: DextApp) -> None:
        with app.engine.connect() as connection:
            opened["clients"] = connection.execute(text("SELECT COUNT(*) FROM client")).scalar()
        opened["email"] = app.viewer.email

    monkeypatch.setattr(DextApp, "run", fake_run)
    result = CliRunner().invoke(main, ["--demo"])
    assert result.exit_code == 0, result.output
    assert opened == {"clients": DEMO_CLIENTS, "email": DEMO_ADMIN_EMAIL}


# --- entry points -----------------------------------------------------------------------


def test_module_and_console_script_entry_points():
    module = subprocess.run(
        [sys.executable, "-m", "dext_tui", "--help"], capture_output=True, text=True
    )
    assert module.returncode == 0, module.stderr
    assert "seed" in module.stdout
    script = VENV_BIN / "dext-tui"
    assert script.is_file(), f"the console script is not installed in {VENV_BIN}"
    installed = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout == module.stdout.replace("python -m dext_tui", "dext-tui")


# --- Ctrl-C and racing seeds, in real processes -----------------------------------------


def start_seed(db: str, clients: int, cwd: Path) -> subprocess.Popen[str]:
    """`dext-tui seed` in its own process, with Ctrl-C's default meaning even when
    this test runs where SIGINT is ignored (a background job)."""
    return subprocess.Popen(
        [str(VENV_BIN / "dext-tui"), "seed", "--clients", str(clients), "--db", db],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def seed_is_writing(path: Path) -> bool:
    """The file has dext-tui's schema committed and a writer holds its write lock:
    only the seed's own transaction does both."""
    if not path.exists():
        return False
    try:
        probe = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.OperationalError:
        return False  # gone meanwhile
    try:
        try:
            revision = probe.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return False  # not migrated yet
        if revision != (SCHEMA_REVISION,):
            return False
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def interrupt_while_writing(
    seed: subprocess.Popen[str], path_of_file: Callable[[], Path], stop=signal.SIGINT
) -> tuple[str, str]:
    """Ctrl-C once the seed has spent two more seconds of CPU inside its transaction:
    well into the clients, past any point where a seed committing part by part would
    already have written some (a wait on work done, not on the clock)."""
    import psutil

    def cpu_seconds() -> float:
        times = psutil.Process(seed.pid).cpu_times()
        return times.user + times.system

    while not seed_is_writing(path_of_file()):
        assert seed.poll() is None, ("the seed ended before it was interrupted", seed.stderr.read())
        time.sleep(0.02)
    writing_since = cpu_seconds()
    while cpu_seconds() < writing_since + 2.0:
        assert seed.poll() is None, ("the seed ended before it was interrupted", seed.stderr.read())
        time.sleep(0.02)
    assert seed_is_writing(path_of_file())
    seed.send_signal(stop)
    stdout, stderr = seed.communicate(timeout=120)
    assert seed.returncode == 128 + stop, stderr
    return stdout, stderr


@pytest.mark.parametrize(
    ("stop", "said"),
    [
        (signal.SIGINT, "Interrupted: nothing was written."),
        (signal.SIGTERM, "Terminated: nothing was written."),
    ],
)
def test_ctrl_c_while_seeding_a_new_file_leaves_no_file(stop, said: str, tmp_path: Path):
    """The new file is built under a temporary name and moved into place only when
    complete, so an interrupted seed leaves nothing behind to be mistaken for a practice.
    A plain `kill` (SIGTERM) cleans up the same way."""
    seed = start_seed("practice.sqlite", 300_000, tmp_path)
    stdout, stderr = interrupt_while_writing(
        seed, lambda: tmp_path / f"practice.sqlite.seeding-{seed.pid}", stop
    )
    assert stdout == ""
    assert stderr == f"Error: {said}\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_seeding_an_empty_database_writes_nothing(tmp_path: Path):
    """The seed is one transaction: interrupted half-way, not one client remains."""
    db = migrated_empty_sqlite(tmp_path / "practice.sqlite")
    seed = start_seed(db, 300_000, tmp_path)
    stdout, stderr = interrupt_while_writing(seed, lambda: Path(db))
    assert stdout == ""
    assert stderr == "Error: Interrupted: nothing was written.\n"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM practice").fetchone() == (0,)
        assert connection.execute("SELECT COUNT(*) FROM client").fetchone() == (0,)


def test_an_error_while_undoing_after_ctrl_c_is_still_reported_as_the_interrupt(
    tmp_path: Path, monkeypatch
):
    """Cleaning up after Ctrl-C can fail in turn (a statement on the interrupted
    connection); the user pressed Ctrl-C and must hear that, not the follow-on error."""
    from sqlalchemy.exc import PendingRollbackError

    import dext_tui.data.seed as seed_package

    def interrupted_seed(*_args, **_kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise PendingRollbackError("invalid transaction")  # noqa: B904 (chained as SA does)

    monkeypatch.setattr(seed_package, "seed_practice", interrupted_seed)
    result = CliRunner().invoke(
        main, ["seed", "--clients", "1", "--db", str(tmp_path / "p.sqlite")]
    )
    assert result.exit_code == 130
    assert result.stderr == "Error: Interrupted: nothing was written.\n"
    assert list(tmp_path.iterdir()) == []


def race_two_seeds(db: str, cwd: Path, clients: int = 3_000) -> str:
    """Two seeds started together: one wins, the other gets one line and exit 1.
    Whatever the interleaving (even one after the other) that must hold."""
    seeds = [start_seed(db, clients, cwd) for _ in range(2)]
    outcomes = [(seed.wait(timeout=120), *seed.communicate()) for seed in seeds]
    assert sorted(code for code, _, _ in outcomes) == [0, 1], outcomes
    (_, winner_out, winner_err), (_, loser_out, loser_err) = sorted(outcomes)
    assert winner_out.startswith(f"Seeded {clients:,} clients") and winner_err == ""
    assert loser_out == ""
    assert len(loser_err.splitlines()) == 1 and loser_err.startswith("Error: "), loser_err
    assert client_count(db) == clients
    return loser_err


def test_two_seeds_into_one_new_file(tmp_path: Path):
    loser = race_two_seeds(str(tmp_path / "practice.sqlite"), tmp_path)
    assert "appeared while seeding" in loser or "already holds 1 practice" in loser
    assert [path.name for path in tmp_path.iterdir()] == ["practice.sqlite"]


def test_two_seeds_into_one_empty_database(tmp_path: Path):
    db = migrated_empty_sqlite(tmp_path / "practice.sqlite")
    loser = race_two_seeds(db, tmp_path)
    assert "already holds 1 practice" in loser or "locked" in loser


@needs_postgres
def test_two_seeds_into_one_postgresql_database(postgres_schema_url: str, tmp_path: Path):
    engine = open_database(postgres_schema_url, create=True)  # migrated, as a seed finds it
    engine.dispose()
    loser = race_two_seeds(postgres_schema_url, tmp_path)
    assert "already holds 1 practice" in loser or "Another seed wrote a practice" in loser
