"""The client-list export (spec section 11), parsed back as Excel would read it."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from dext_tui.data import export as export_module
from dext_tui.data.csv_files import read_csv_bytes
from dext_tui.data.export import (
    EXPORT_COLUMNS,
    build_export,
    default_export_path,
    export_client_list,
    save_export,
    search_view_ids,
)
from dext_tui.data.services.practice_code_upload import apply_upload, check_upload
from tests.factories import add_client, add_member, add_practice


@pytest.fixture
def practice(db: Engine) -> dict:
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    ids = {
        "thames": add_client(
            db, practice_id, "Thames Water Ltd", crn="01234567", code="TW1", costs=120, sales=7,
            integration="connected", software="xero", granted_to=[standard],
        ),
        "formula": add_client(
            db, practice_id, "=HYPERLINK(\"http://x\")", code="F1", prepare=None,
            precision="active", granted_to=[standard],
        ),
        "plus": add_client(db, practice_id, "+44 Trading", solo="invited", prepare="invited"),
        "minus": add_client(db, practice_id, "-Dash Ltd", code="D-1"),
        "at": add_client(db, practice_id, "@home, \"quoted\" Ltd", state="deactivated",
                         prepare="deactivated"),
        "removed": add_client(db, practice_id, "Gone Ltd", state="removed"),
    }  # fmt: skip
    return {"admin": admin, "standard": standard, "ids": ids}


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode("utf-8")
    assert body.endswith("\r\n")
    # Every line end outside quotes is CRLF: no bare LF between records.
    assert body.replace("\r\n", "").count("\n") == 0
    return list(csv.reader(io.StringIO(body, newline="")))


def test_columns_order_and_values(db: Engine, practice: dict) -> None:
    rows = parse(build_export(db, practice["admin"]).data)
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[0] == [
        "Client ID", "Client name", "Prepare status", "Precision status", "Solo status",
        "Costs items", "Sales items", "CRN", "Practice code", "Integration",
        "Integration status", "Client state", "Created",
    ]  # fmt: skip
    by_id = {int(row[0]): row for row in rows[1:]}
    thames = by_id[practice["ids"]["thames"]]
    assert thames[1:] == [
        "Thames Water Ltd", "Active", "Not set up", "Not set up", "120", "7", "01234567",
        "TW1", "Xero", "Connected", "Active", "2026-11-02 09:30:00",
    ]  # fmt: skip
    at = by_id[practice["ids"]["at"]]
    assert at[2] == "Deactivated" and at[11] == "Deactivated"


def test_text_cells_are_neutralised_numbers_are_not(db: Engine, practice: dict) -> None:
    rows = parse(build_export(db, practice["admin"]).data)
    names = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names
    assert "'+44 Trading" in names
    assert "'-Dash Ltd" in names
    assert '\'@home, "quoted" Ltd' in names
    assert all(not name.startswith(("=", "+", "-", "@")) for name in names)
    codes = {row[8] for row in rows[1:]}
    assert "D-1" in codes  # a dash inside is harmless
    raw = build_export(db, practice["admin"]).data.decode("utf-8-sig")
    assert "\r\n" + str(practice["ids"]["thames"]) + ",Thames" in raw  # the id unquoted
    assert ",120,7," in raw  # counts are bare numbers


def test_scope_everything_the_viewer_sees_in_name_order(db: Engine, practice: dict) -> None:
    ids = practice["ids"]
    admin_rows = parse(build_export(db, practice["admin"]).data)[1:]
    assert ids["removed"] not in {int(row[0]) for row in admin_rows}  # off the list
    assert len(admin_rows) == 5
    assert [row[1] for row in admin_rows] == sorted(
        (row[1] for row in admin_rows), key=lambda name: name.lstrip("'").casefold()
    )
    standard_rows = parse(build_export(db, practice["standard"]).data)[1:]
    assert {int(row[0]) for row in standard_rows} == {ids["thames"], ids["formula"]}


def test_scope_a_view_keeps_its_order_and_the_viewers_scope(db: Engine, practice: dict) -> None:
    ids = practice["ids"]
    view = [ids["minus"], ids["thames"], ids["removed"]]
    rows = parse(build_export(db, practice["admin"], view).data)[1:]
    assert [int(row[0]) for row in rows] == view  # a Removed-filter view may list removed ones
    rows = parse(build_export(db, practice["standard"], view).data)[1:]
    assert [int(row[0]) for row in rows] == [ids["thames"]]  # the others are not theirs
    assert parse(build_export(db, practice["admin"], []).data) == [list(EXPORT_COLUMNS)]


def test_progress_is_reported_to_the_end(db: Engine, practice: dict) -> None:
    seen: list[tuple[int, int]] = []
    build_export(db, practice["admin"], progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


def test_written_atomically(db: Engine, practice: dict, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "list.csv"
    target.write_bytes(b"previous export")
    document = build_export(db, practice["admin"])

    def broken_replace(*_args) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_export(document, target)
    assert target.read_bytes() == b"previous export"
    assert os.listdir(folder) == ["list.csv"]  # no temporary file left behind
    monkeypatch.undo()
    save_export(document, target)
    assert target.read_bytes() == document.data


def test_default_path_downloads_else_working_directory(tmp_path: Path, monkeypatch) -> None:
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    monkeypatch.setattr("platformdirs.user_downloads_dir", lambda: str(downloads))
    assert default_export_path(date(2026, 11, 2)) == downloads / "dext-client-list-2026-11-02.csv"
    monkeypatch.setattr("platformdirs.user_downloads_dir", lambda: str(tmp_path / "missing"))
    monkeypatch.chdir(tmp_path)
    assert default_export_path(date(2026, 1, 5)) == tmp_path / "dext-client-list-2026-01-05.csv"
    assert export_module.default_file_name(date(2026, 1, 5)) == "dext-client-list-2026-01-05.csv"


def test_round_trip_export_then_upload_changes_nothing(
    db: Engine, practice: dict, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    export_client_list(db, practice["admin"], path)
    with db.connect() as connection:
        before = connection.execute(
            text("SELECT id, practice_code, version FROM client ORDER BY id")
        ).all()
        events = connection.execute(text("SELECT COUNT(*) FROM audit_event")).scalar_one()
    table = read_csv_bytes(path.read_bytes())
    preview = check_upload(db, practice["admin"], table)
    assert preview.totals == {"update": 0, "unchanged": 3, "skipped": 2, "error": 0}
    result = apply_upload(db, practice["admin"], table)
    assert result.changes == ()
    with db.connect() as connection:
        assert (
            connection.execute(
                text("SELECT id, practice_code, version FROM client ORDER BY id")
            ).all()
            == before
        )
        assert connection.execute(text("SELECT COUNT(*) FROM audit_event")).scalar_one() == events


def test_search_uses_the_lists_own_search(db: Engine, practice: dict) -> None:
    ids = practice["ids"]
    assert search_view_ids(db, practice["admin"], "thams watr") == [ids["thames"]]  # typo
    assert search_view_ids(db, practice["admin"], "TW1") == [ids["thames"]]  # a code
    assert search_view_ids(db, practice["standard"], "dash") == []  # not theirs
