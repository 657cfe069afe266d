"""The support desk's headless commands (spec 15): `support add|deactivate|list`,
`practice support-access`, and `--practice` / `--reason` on export and codes upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from dext_tui.cli import main
from tests.factories import add_client, add_member, add_practice

SAM = ("--user", "sam@support.example")


@pytest.fixture
def database(sqlite_db: Engine, tmp_path: Path) -> str:
    a = add_practice(sqlite_db, "Alder & Co")
    b = add_practice(sqlite_db, "Birch Partners")
    add_member(sqlite_db, a, "admin@alder.example")
    add_member(sqlite_db, a, "ca@alder.example", "client_admin")
    add_member(sqlite_db, b, "admin@birch.example")
    add_client(sqlite_db, a, "Thames Water Ltd", code="TW1")
    add_client(sqlite_db, b, "Severn Trent plc", code="ST1")
    sqlite_db.dispose()
    path = str(tmp_path / "test.sqlite")
    added = run("support", "add", "--name", "Sam Support", "--email", SAM[1], "--db", path)
    assert added.exit_code == 0, added.output
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def rows(db: str, sql: str) -> list:
    from dext_tui.data.database import open_database

    engine = open_database(db)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).all()
    finally:
        engine.dispose()


def codes(db: str) -> dict:
    return dict(rows(db, "SELECT name, practice_code FROM client"))


def audit(db: str) -> list:
    return rows(
        db,
        "SELECT practice_id, team_member_id, support_person_id, client_id, action, reason "
        "FROM audit_event WHERE action <> 'client.created' ORDER BY id",
    )


def upload_file(tmp_path: Path) -> str:
    path = tmp_path / "codes.csv"
    path.write_bytes(b"client_name,practice_code\r\nThames Water Ltd,TW9\r\n")
    return str(path)


def test_support_list_add_twice_and_deactivate(database: str) -> None:
    listed = run("support", "list", "--db", database)
    assert listed.stdout == "sam@support.example  Sam Support  login -  active\n"
    again = run("support", "add", "--name", "S", "--email", "SAM@support.example", "--db", database)
    assert again.exit_code == 1 and "already support's email" in again.stderr
    gone = run("support", "deactivate", "sam@support.example", "--db", database)
    assert gone.exit_code == 0 and "Deactivated" in gone.stdout
    assert run("support", "list", "--db", database).stdout.endswith("  inactive\n")
    refused = run("export", "--out", "x.csv", "--practice", "Alder & Co", "--db", database, *SAM)
    assert refused.exit_code == 1 and "inactive" in refused.stderr


def test_support_export_needs_a_practice_and_records_the_visit(
    database: str, tmp_path: Path
) -> None:
    out = tmp_path / "clients.csv"
    bare = run("export", "--out", str(out), "--db", database, *SAM)
    assert bare.exit_code == 1 and "--practice NAME|ID" in bare.stderr and not out.exists()
    done = run(
        "export", "--out", str(out), "--practice", "alder & co", "--reason", "T-1",
        "--db", database, *SAM,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    text_out = out.read_text(encoding="utf-8-sig")
    assert "Thames Water Ltd" in text_out and "Severn Trent" not in text_out
    assert [(e.action, e.reason, e.client_id) for e in audit(database)] == [
        ("support.opened", "T-1", None)
    ]


def test_support_upload_writes_only_with_a_reason(database: str, tmp_path: Path) -> None:
    path = upload_file(tmp_path)
    refused = run("codes", "upload", path, "--practice", "Alder & Co", "--db", database, *SAM)
    assert refused.exit_code == 1 and "--reason" in refused.stderr
    assert codes(database)["Thames Water Ltd"] == "TW1" and audit(database) == []
    done = run(
        "codes", "upload", path, "--practice", "Alder & Co", "--reason", "TICKET-4711",
        "--db", database, *SAM,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert codes(database) == {"Thames Water Ltd": "TW9", "Severn Trent plc": "ST1"}
    assert [(e.team_member_id, e.action, e.reason) for e in audit(database)] == [
        (None, "support.elevated", "TICKET-4711"),
        (None, "client.updated", "TICKET-4711"),
    ]


def test_team_member_cannot_reach_another_practice_headless(database: str, tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    admin = ("--user", "admin@alder.example")
    refused = run("export", "--out", str(out), "--practice", "Birch Partners", "--db", database,
                  *admin)  # fmt: skip
    assert refused.exit_code == 1 and "sees only that practice" in refused.stderr
    assert not out.exists()
    upload = run("codes", "upload", upload_file(tmp_path), "--practice", "Birch Partners",
                 "--reason", "x", "--db", database, *admin)  # fmt: skip
    assert upload.exit_code == 1 and codes(database)["Thames Water Ltd"] == "TW1"


def test_practice_support_access_off_then_support_is_refused(database: str, tmp_path: Path):
    client_admin = run("practice", "support-access", "off", "--db", database,
                       "--user", "ca@alder.example")  # fmt: skip
    assert client_admin.exit_code == 1 and "only practice admins" in client_admin.stderr
    off = run("practice", "support-access", "off", "--db", database,
              "--user", "admin@alder.example")  # fmt: skip
    assert off.exit_code == 0 and "turned off" in off.stdout
    out = tmp_path / "clients.csv"
    refused = run("export", "--out", str(out), "--practice", "Alder & Co", "--db", database, *SAM)
    assert refused.exit_code == 1
    assert "this practice has turned off support access" in refused.stderr
    assert not out.exists()
