"""`--practice` / `--reason` on `bulk`, `activity`, `serve` and the TUI itself (spec 15,
issue 19): a support identity's read is a recorded visit, its write needs a reason (an
elevation for that command), and a team member never reaches another practice."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path

import pytest

from dext_tui.serve import session_command
from tests.unit.test_cli_support import SAM, audit, rows, run
from tests.unit.test_cli_support import database as database  # the fixture, shared
from tests.unit.test_serve import first_screen, free_port, get, served_url, start_serving


def states(db: str) -> dict:
    return dict(rows(db, "SELECT name, state FROM client"))


def ids_file(tmp_path: Path, db: str) -> str:
    path = tmp_path / "ids.txt"
    (thames,) = rows(db, "SELECT id FROM client WHERE name = 'Thames Water Ltd'")[0]
    path.write_text(f"{thames}\n")
    return str(path)


def test_support_bulk_writes_only_with_a_reason_and_on_behalf(database: str, tmp_path: Path):
    ids = ids_file(tmp_path, database)
    bare = run("bulk", "deactivate", "--ids", ids, "--db", database, *SAM)
    assert bare.exit_code == 1 and "--practice NAME|ID" in bare.stderr
    no_reason = run("bulk", "deactivate", "--ids", ids, "--practice", "Alder & Co",
                    "--db", database, *SAM)  # fmt: skip
    assert no_reason.exit_code == 1 and "--reason" in no_reason.stderr
    assert states(database)["Thames Water Ltd"] == "active" and audit(database) == []
    done = run("bulk", "deactivate", "--ids", ids, "--practice", "Alder & Co",
               "--reason", "TICKET-9", "--db", database, *SAM)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert states(database) == {"Thames Water Ltd": "deactivated", "Severn Trent plc": "active"}
    assert [(e.team_member_id, e.action, e.reason) for e in audit(database)] == [
        (None, "support.elevated", "TICKET-9"),
        (None, "client.deactivated", "TICKET-9"),
    ]


def test_support_activity_is_a_recorded_visit(database: str):
    shown = run("activity", "--practice", "Alder & Co", "--reason", "T-2", "--db", database, *SAM)
    assert shown.exit_code == 0, shown.output
    assert "Sam Support on behalf of Alder & Co opened the practice (support)" in shown.stdout
    assert "Severn" not in shown.stdout
    assert [(e.practice_id, e.action, e.reason) for e in audit(database)] == [
        (1, "support.opened", "T-2")
    ]


def test_team_member_cannot_reach_another_practice_by_bulk_or_activity(
    database: str, tmp_path: Path
):
    admin = ("--user", "admin@alder.example")
    listed = run("activity", "--practice", "Birch Partners", "--db", database, *admin)
    assert listed.exit_code == 1 and "sees only that practice" in listed.stderr
    severn = tmp_path / "severn.txt"
    (severn_id,) = rows(database, "SELECT id FROM client WHERE name LIKE 'Severn%'")[0]
    severn.write_text(f"{severn_id}\n")
    changed = run("bulk", "deactivate", "--ids", str(severn), "--practice", "Birch Partners",
                  "--reason", "x", "--db", database, *admin)  # fmt: skip
    assert changed.exit_code == 1 and "sees only that practice" in changed.stderr
    assert states(database)["Severn Trent plc"] == "active"
    own = run("activity", "--practice", "Alder & Co", "--db", database, *admin)
    assert own.exit_code == 0  # their own practice, named: allowed
    assert audit(database) == []


def test_serve_sessions_start_with_the_practice_and_reason():
    base = f"{shlex.quote(sys.executable)} -m dext_tui"
    assert session_command() == base
    assert session_command("Alder & Co", "T 1") == f"{base} --practice 'Alder & Co' --reason 'T 1'"


def test_serve_refuses_a_team_member_naming_another_practice(database: str):
    process = start_serving(Path(database), free_port(), "--user", "admin@alder.example",
                            "--practice", "Birch Partners")  # fmt: skip
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "sees only that practice" in err


@pytest.mark.slow
def test_serve_as_support_opens_the_named_practice_read_only(database: str):
    port = free_port()
    process = start_serving(Path(database), port, *SAM, "--practice", "Alder & Co",
                            "--reason", "TICKET-7")  # fmt: skip
    try:
        url = served_url(process)
        _status, _page, cookie = get(url)
        screen = asyncio.run(first_screen(port, cookie.split(";")[0]))
        assert "Alder & Co" in screen and "read-only: elevate to change" in screen
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [(e.action, e.reason) for e in audit(database)] == [("support.opened", "TICKET-7")]


def test_the_tui_opens_the_picker_or_the_named_practice_with_its_reason(database, monkeypatch):
    from dext_tui.app import DextApp

    started: list[DextApp] = []
    monkeypatch.setattr(DextApp, "run", lambda app: started.append(app))
    picker = run("--db", database, *SAM)
    assert picker.exit_code == 0, picker.output
    assert started[-1].viewer is None and started[-1].support_person.email == SAM[1]
    assert audit(database) == []  # nothing opened yet
    named = run("--db", database, *SAM, "--practice", "Alder & Co", "--reason", "TICKET-3")
    assert named.exit_code == 0, named.output
    assert started[-1].viewer.practice_name == "Alder & Co" and started[-1].support_person is None
    assert [(e.action, e.reason) for e in audit(database)] == [("support.opened", "TICKET-3")]
    member = run("--db", database, "--user", "admin@alder.example", "--practice", "Birch Partners")
    assert member.exit_code == 1 and "sees only that practice" in member.stderr
    assert len(started) == 2
