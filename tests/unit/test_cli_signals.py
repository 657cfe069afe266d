"""Signals tell the truth: an upload stopped by SIGTERM (or Ctrl-C) exits 143 (130) only
when nothing was written; a signal that comes once the write is committing lets it
finish and exit 0 with its summary. Counted in the database, not taken on trust. An
export stopped while writing leaves no file, not even its temporary `.part`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

import dext_tui.cli as cli
import dext_tui.data.services.practice_code_upload as upload_service
from dext_tui.cli import main
from dext_tui.data.seed import DEMO_ADMIN_EMAIL

CLIENTS = 20_000
ADMIN = ("--user", DEMO_ADMIN_EMAIL)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo practice and an upload giving every one of its clients a new code."""
    folder = tmp_path_factory.mktemp("signals")
    db = folder / "practice.sqlite"
    result = CliRunner().invoke(main, ["seed", "--clients", str(CLIENTS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as connection:
        ids = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM client WHERE state != 'removed' ORDER BY id"
            )
        ]
    (folder / "rows").write_text(str(len(ids)))  # removed clients left out: refused
    lines = [f"{client_id},Q9{client_id}" for client_id in ids]
    (folder / "codes.csv").write_text("client_id,practice_code\n" + "\n".join(lines) + "\n")
    return folder


@pytest.fixture
def practice(seeded: Path, tmp_path: Path) -> tuple[str, str, int]:
    """A fresh copy of the seeded database, the upload file and its number of rows."""
    db = tmp_path / "practice.sqlite"
    with sqlite3.connect(seeded / "practice.sqlite") as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    return str(db), str(seeded / "codes.csv"), int((seeded / "rows").read_text())


def new_codes(db: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM client WHERE practice_code = 'Q9' || id"
        ).fetchone()[0]


def assert_truthful(returncode: int, stdout: str, stderr: str, db: str, rows: int) -> None:
    """Exit 143 (or killed before any handler) with nothing written, or 0 with it all."""
    written = new_codes(db)
    if returncode in (143, -signal.SIGTERM):
        assert written == 0, (returncode, stderr)
        if returncode == 143:
            assert stderr.splitlines()[-1] == "Error: Terminated: nothing was written."
    else:
        assert returncode == 0, stderr
        assert written == rows
        assert f"Updated {rows:,} practice codes" in stdout


def signal_at(monkeypatch: pytest.MonkeyPatch, moment: str, stop: int = signal.SIGTERM) -> None:
    """Send `stop` to this process once every code and audit event is written inside the
    upload's transaction ("written") or while that transaction commits ("committing")."""
    record = upload_service._record

    def record_then_signal(*args, **kwargs) -> None:
        record(*args, **kwargs)
        if moment == "written":
            os.kill(os.getpid(), stop)

    monkeypatch.setattr(upload_service, "_record", record_then_signal)
    opened = cli.open_database

    def open_with_hook(*args, **kwargs) -> Engine:
        engine = opened(*args, **kwargs)
        do_commit = engine.dialect.do_commit

        def commit(dbapi_connection) -> None:
            if moment == "committing" and dbapi_connection.total_changes:
                os.kill(os.getpid(), stop)  # arrives while the write commits
            do_commit(dbapi_connection)

        engine.dialect.do_commit = commit
        return engine

    monkeypatch.setattr(cli, "open_database", open_with_hook)


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        (signal.SIGTERM, 143, "Terminated: nothing was written."),
        (signal.SIGINT, 130, "Interrupted: nothing was written."),
    ],
)
def test_a_signal_during_the_write_stops_it_and_nothing_is_written(
    practice: tuple[str, str, int], monkeypatch: pytest.MonkeyPatch, stop: int, code: int, said: str
):
    db, codes, rows = practice
    signal_at(monkeypatch, "written", stop)
    result = CliRunner().invoke(main, ["codes", "upload", codes, "--db", db, *ADMIN])
    assert result.exit_code == code, result.output
    assert result.stderr.splitlines()[-1] == f"Error: {said}"
    assert new_codes(db) == 0


def test_a_signal_while_the_write_commits_lets_it_finish_and_exit_0(
    practice: tuple[str, str, int], monkeypatch: pytest.MonkeyPatch
):
    db, codes, rows = practice
    signal_at(monkeypatch, "committing")
    result = CliRunner().invoke(main, ["codes", "upload", codes, "--db", db, *ADMIN])
    assert result.exit_code == 0, result.output
    assert f"Updated {rows:,} practice codes" in result.stdout
    assert "SIGTERM came after the write was committed" in result.stderr
    assert new_codes(db) == rows
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # put back as it was


def start_upload(db: str, codes: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dext_tui", "codes", "upload", codes, "--db", db, *ADMIN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def holds_write_lock(db: str) -> bool:
    """Another process is inside a write transaction (the upload's: the check only reads)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        probe.close()
    return False


@pytest.mark.parametrize("moment", ["checked", "writing"])
def test_sigterm_to_a_real_upload_exits_143_only_when_nothing_was_written(
    practice: tuple[str, str, int], moment: str
):
    """A real process, stopped once it has checked the file (its summary line is out) or
    once it holds the write lock: whatever the moment, the exit code says what happened."""
    db, codes, rows = practice
    upload = start_upload(db, codes)
    assert upload.stdout is not None
    if moment == "checked":
        upload.stdout.readline()  # "codes.csv: 20,000 to update, …" then the write begins
    else:
        while not holds_write_lock(db) and upload.poll() is None:
            time.sleep(0.005)
    upload.send_signal(signal.SIGTERM)
    stdout, stderr = upload.communicate(timeout=300)
    assert_truthful(upload.returncode, stdout, stderr, db, rows)


EXPORT_STOPPED_WHILE_WRITING = """
import os, signal, sys
from dext_tui.data import csv_files
real_fsync = csv_files.os.fsync
stop = int(sys.argv.pop(1))

def fsync_then_stop(descriptor):  # the file is written, not yet renamed into place
    real_fsync(descriptor)
    os.kill(os.getpid(), stop)

csv_files.os.fsync = fsync_then_stop
from dext_tui.cli import main
sys.argv[0] = "dext-tui"
main()
"""


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        (signal.SIGTERM, 143, "Terminated: no file was written."),
        (signal.SIGINT, 130, "Interrupted: no file was written."),
    ],
)
def test_a_signal_while_an_export_writes_leaves_no_file_and_no_part(
    tmp_path: Path, stop: int, code: int, said: str
):
    db = tmp_path / "practice.sqlite"
    seeded = CliRunner().invoke(main, ["seed", "--clients", "30", "--db", str(db)])
    assert seeded.exit_code == 0, seeded.output
    folder = tmp_path / "out"
    folder.mkdir()
    command = [sys.executable, "-c", EXPORT_STOPPED_WHILE_WRITING, str(int(stop))]
    command += ["export", "--db", str(db), *ADMIN, "--out", str(folder / "clients.csv")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stderr
    assert done.stderr.splitlines()[-1] == f"Error: {said}"
    assert list(folder.iterdir()) == []  # neither the CSV nor a `.part` beside it
