"""The command line: exit codes 0 / 1 / 2 and the seed command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from dext_tui.cli import main
from dext_tui.data.database import open_database
from dext_tui.data.demo import DEMO_CLIENTS, create_demo_database


def test_seed_builds_a_practice(tmp_path: Path):
    db = tmp_path / "p.sqlite"
    result = CliRunner().invoke(main, ["--db", str(db), "seed", "--clients", "40", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Seeded 40 clients" in result.output
    with open_database(str(db)).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM client")).scalar() == 40


def test_seeding_twice_is_refused_with_exit_1(tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    assert CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"]).exit_code == 0
    again = CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"])
    assert again.exit_code == 1
    assert "Error:" in again.output
    with open_database(db).connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM client")).scalar() == 5


def test_usage_errors_exit_2(tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    assert CliRunner().invoke(main, ["--db", db, "seed"]).exit_code == 2  # --clients missing
    assert CliRunner().invoke(main, ["--db", db, "seed", "--clients", "-3"]).exit_code == 2
    assert CliRunner().invoke(main, ["--no-such-flag"]).exit_code == 2


def test_unknown_user_is_refused_before_the_tui_starts(tmp_path: Path, monkeypatch):
    db = str(tmp_path / "p.sqlite")
    monkeypatch.delenv("DEXT_USER", raising=False)
    CliRunner().invoke(main, ["--db", db, "seed", "--clients", "5"])
    result = CliRunner().invoke(main, ["--db", db, "--user", "nobody@example.com"])
    assert result.exit_code == 1
    assert "nobody@example.com" in result.output


def test_demo_database_is_a_ready_practice(tmp_path: Path):
    from dext_tui.data.access import resolve_viewer
    from dext_tui.data.client_rows import count_clients
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    engine = create_demo_database(tmp_path)
    viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
    assert viewer.role == "practice_admin"
    assert 0.9 * DEMO_CLIENTS <= count_clients(engine, viewer) <= DEMO_CLIENTS


def test_demo_flag_opens_the_tui_as_the_demo_admin(monkeypatch):
    from dext_tui.app import DextApp
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    opened = {}

    def fake_run(app: DextApp) -> None:
        with app.engine.connect() as connection:
            opened["clients"] = connection.execute(text("SELECT COUNT(*) FROM client")).scalar()
        opened["email"] = app.viewer.email

    monkeypatch.setattr(DextApp, "run", fake_run)
    result = CliRunner().invoke(main, ["--demo"])
    assert result.exit_code == 0, result.output
    assert opened == {"clients": DEMO_CLIENTS, "email": DEMO_ADMIN_EMAIL}


def test_module_and_console_script_entry_points():
    import subprocess
    import sys

    module = subprocess.run(
        [sys.executable, "-m", "dext_tui", "--help"], capture_output=True, text=True
    )
    assert module.returncode == 0
    assert "seed" in module.stdout
    script = Path(sys.executable).parent / "dext-tui"
    if script.exists():  # installed into this environment
        assert subprocess.run([str(script), "--help"], capture_output=True).returncode == 0


def test_a_database_that_cannot_be_opened_is_refused_clearly(tmp_path: Path):
    cases = {
        "foo://bar": "No database driver for foo://bar",
        str(tmp_path / "missing" / "dir" / "x.sqlite"): "unable to open database file",
        "postgresql://someone:hunter2@127.0.0.1:1/x": "someone:***@127.0.0.1:1",
    }
    for db, message in cases.items():
        result = CliRunner().invoke(main, ["--db", db, "seed", "--clients", "1"])
        assert result.exit_code == 1, db
        assert message in result.output
        assert "hunter2" not in result.output
        assert "Traceback" not in result.output


def test_an_empty_database_says_how_to_get_a_practice(tmp_path: Path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "new.sqlite"), "--user", "a@b.c"])
    assert result.exit_code == 1
    assert "no practice yet" in result.output
    assert "--demo" in result.output
