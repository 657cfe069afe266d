"""Headless tools (spec section 13): `codes upload` and `export`, their exit codes and scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from dext_tui.cli import main
from tests.factories import add_client, add_member, add_practice
from tests.special_files import KINDS, special_file, unchanged_kind, without_hanging

CORPUS = Path(__file__).parent.parent / "data" / "csv"


@pytest.fixture
def database(sqlite_db: Engine, tmp_path: Path) -> str:
    practice_id = add_practice(sqlite_db)
    add_member(sqlite_db, practice_id, "admin@example.com")
    standard = add_member(sqlite_db, practice_id, "std@example.com", "standard")
    add_client(sqlite_db, practice_id, "Thames Water Ltd", crn="01234567", code="TW1",
               granted_to=[standard])  # fmt: skip
    add_client(sqlite_db, practice_id, "Café Lumière Ltd", code="CAFE1", granted_to=[standard])
    add_client(sqlite_db, practice_id, "Hidden Ltd", code="HID1")
    sqlite_db.dispose()
    return str(tmp_path / "test.sqlite")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def codes(db: str) -> dict[str, str]:
    from dext_tui.data.database import open_database

    engine = open_database(db)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT name, practice_code FROM client")).all())
    finally:
        engine.dispose()


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "codes.csv"
    path.write_bytes(body.encode())
    return str(path)


ADMIN = ("--user", "admin@example.com")
STANDARD = ("--user", "std@example.com")


def test_upload_writes_and_says_what_it_did(database: str, tmp_path: Path) -> None:
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\nHidden Ltd,\r\n")
    result = run("codes", "upload", path, "--db", database, *ADMIN)
    assert result.exit_code == 0, result.output
    assert "1 to update" in result.stdout and "Updated 1 practice codes" in result.stdout
    assert "1 rows have no practice code and are skipped (lines 3)" in result.stderr
    assert codes(database)["Thames Water Ltd"] == "TW2"


def test_db_and_user_may_come_before_the_command(database: str, tmp_path: Path) -> None:
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\n")
    result = run("--db", database, *ADMIN, "codes", "upload", path)
    assert result.exit_code == 0, result.output
    assert codes(database)["Thames Water Ltd"] == "TW2"


def test_dry_run_writes_nothing(database: str, tmp_path: Path) -> None:
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\n")
    result = run("codes", "upload", path, "--dry-run", "--db", database, *ADMIN)
    assert result.exit_code == 0, result.output
    assert "Dry run: 1 codes would change; nothing was written." in result.stdout
    assert codes(database)["Thames Water Ltd"] == "TW1"


def test_rows_in_error_exit_1_one_line_each_nothing_written(database: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "client_name,practice_code\r\nThames Water Ltd,TW2\r\nNobody,N1\r\n"
        "Café Lumière Ltd,bad!\r\n",
    )
    before = codes(database)
    for extra in ((), ("--dry-run",)):
        result = run("codes", "upload", path, *extra, "--db", database, *ADMIN)
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert lines[0].startswith("Error: line 3: No client named Nobody")
        assert lines[1].startswith("Error: line 4: Practice code must be")
        assert lines[2].startswith("Error: 2 rows cannot be written; nothing was written.")
        assert len(lines) == 3
        assert codes(database) == before


def test_skip_errors_writes_the_valid_rows(database: str, tmp_path: Path) -> None:
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\nNobody,N1\r\n")
    result = run("codes", "upload", path, "--skip-errors", "--db", database, *ADMIN)
    assert result.exit_code == 0, result.output
    assert codes(database)["Thames Water Ltd"] == "TW2"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.csv", "not a CSV file"),
        ("empty.csv", "no rows to upload"),
        ("only_header.csv", "no rows to upload"),
        ("missing_code_column.csv", "no practice_code column"),
    ],
)
def test_a_file_that_is_not_usable_exits_1(database: str, name: str, message: str) -> None:
    before = codes(database)
    result = run("codes", "upload", str(CORPUS / name), "--db", database, *ADMIN)
    assert result.exit_code == 1, result.output
    assert message in result.stderr.splitlines()[-1]
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert codes(database) == before


def test_a_standard_user_uploads_only_to_their_own_clients(database: str, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "client_name,practice_code\r\nHidden Ltd,H2\r\nThames Water Ltd,HID1\r\n",
    )
    result = run("codes", "upload", path, "--db", database, *STANDARD)
    assert result.exit_code == 1
    assert "line 2: No client named Hidden Ltd on your list" in result.stderr
    assert "line 3: Practice code HID1 is already in use" in result.stderr
    assert "Hidden Ltd," not in result.stderr.replace("named Hidden Ltd on", "")
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW9\r\n")
    assert run("codes", "upload", path, "--db", database, *STANDARD).exit_code == 0
    assert codes(database)["Thames Water Ltd"] == "TW9"


def test_unknown_user_exit_1_and_nothing_happens(database: str, tmp_path: Path) -> None:
    path = write(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\n")
    result = run("codes", "upload", path, "--db", database, "--user", "who@example.com")
    assert result.exit_code == 1
    assert "No team member matches" in result.stderr
    assert codes(database)["Thames Water Ltd"] == "TW1"
    out = tmp_path / "out.csv"
    result = run("export", "--out", str(out), "--db", database, "--user", "who@example.com")
    assert result.exit_code == 1
    assert not out.exists()


def test_usage_errors_exit_2(database: str, tmp_path: Path) -> None:
    assert run("codes", "upload", "--db", database, *ADMIN).exit_code == 2  # no FILE
    assert run("export", "--db", database, *ADMIN).exit_code == 2  # no --out
    assert run("codes", "upload", "x.csv", "--bogus").exit_code == 2


def test_export_everything_or_a_search(database: str, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = run("export", "--out", str(out), "--db", database, *ADMIN)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported 3 clients to {out}.\n"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfClient ID,Client name,")
    assert data.count(b"\r\n") == 4
    out = tmp_path / "search.csv"
    result = run("export", "--out", str(out), "--search", "thams", "--db", database, *ADMIN)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().count(b"\r\n") == 2
    assert b"Thames Water Ltd" in out.read_bytes()


def test_export_applies_the_users_scope(database: str, tmp_path: Path) -> None:
    out = tmp_path / "mine.csv"
    result = run("export", "--out", str(out), "--db", database, *STANDARD)
    assert result.exit_code == 0
    assert b"Hidden" not in out.read_bytes()
    assert out.read_bytes().count(b"\r\n") == 3
    result = run("export", "--out", str(out), "--search", "hidden", "--db", database, *STANDARD)
    assert out.read_bytes().count(b"\r\n") == 1  # the header only


def test_export_to_a_folder_that_does_not_exist_exits_1(database: str, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "list.csv"
    result = run("export", "--out", str(out), "--db", database, *ADMIN)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Cannot write")
    assert not out.parent.exists()


# -- only regular files ----------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_uploading_a_special_file_exits_1_in_one_line(database: str, tmp_path: Path, kind: str):
    with special_file(kind, tmp_path / "codes.csv") as path:
        result = without_hanging(
            lambda: run("codes", "upload", str(path), "--db", database, *ADMIN)
        )
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "not a regular file" in line


@pytest.mark.parametrize("kind", KINDS)
def test_exporting_onto_a_special_file_exits_1_and_leaves_it(
    database: str, tmp_path: Path, kind: str
):
    with special_file(kind, tmp_path / "out.csv") as path:
        result = run("export", "--out", str(path), "--db", database, *ADMIN)
        assert unchanged_kind(path, kind)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: Cannot write") and "not a regular file" in line


@pytest.mark.parametrize("command", [["export", "--out", "x.csv"], ["seed", "--clients", "1"]])
@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_a_database_path_that_is_a_special_file_exits_1(
    tmp_path: Path, kind: str, command: list[str]
):
    with special_file(kind, tmp_path / "db.sqlite") as path:
        result = without_hanging(lambda: run(*command, "--db", str(path), *ADMIN))
        assert unchanged_kind(path, kind)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert "is not a database file" in line and "not a regular file" in line
