"""Practice-codes upload (spec section 10) against a corpus of real-world CSV files.

Every file in tests/data/csv/ is checked and then applied all-or-nothing: each
case asserts the rows' outcomes and, whenever the file is refused, that the
database is exactly as it was (codes, versions, audit trail).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.csv_files import CsvRejected, read_csv_bytes, read_csv_file
from dext_tui.data.services.clients import update_client
from dext_tui.data.services.practice_code_upload import (
    UploadRejected,
    apply_upload,
    check_upload,
    rejected_rows_document,
    template_document,
)
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

CORPUS = Path(__file__).parent.parent / "data" / "csv"
THAMES, CAFE, SMITH_A, SMITH_B, POUND, OBRIEN, HIDDEN, SOLO, GONE = range(1, 10)


def practice(db: Engine) -> dict:
    """Nine clients; the standard user sees Thames Water and Café Lumière only."""
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    ids = [
        add_client(db, practice_id, "Thames Water Ltd", crn="01234567", code="TW1",
                   granted_to=[standard]),
        add_client(db, practice_id, "Café Lumière Ltd", crn="SC123456", code="CAFE1",
                   granted_to=[standard]),
        add_client(db, practice_id, "Smith & Jones", code="SJ1"),
        add_client(db, practice_id, "Smith & Jones"),
        add_client(db, practice_id, "£ Pound Shop Ltd"),
        add_client(db, practice_id, "O'Brien, Murphy & Co"),
        add_client(db, practice_id, "Hidden Ltd", code="HID1"),
        add_client(db, practice_id, "Solo Person", prepare=None, solo="active"),
        add_client(db, practice_id, "Gone Ltd", code="GONE1", state="removed"),
    ]  # fmt: skip
    assert ids == list(range(1, 10))
    with db.begin() as connection:
        connection.execute(
            text("UPDATE solo_account SET practice_code = 'SOLO9' WHERE client_id = :id"),
            {"id": SOLO},
        )
    return {"admin": admin, "standard": standard}


def state(db: Engine) -> tuple:
    """Everything an upload could touch."""
    with db.connect() as connection:
        clients = connection.execute(
            text("SELECT id, practice_code, practice_code_key, version FROM client ORDER BY id")
        ).all()
        events = connection.execute(text("SELECT COUNT(*) FROM audit_event")).scalar_one()
    return tuple(map(tuple, clients)), events


def codes(db: Engine) -> dict[int, str | None]:
    with db.connect() as connection:
        return dict(connection.execute(text("SELECT id, practice_code FROM client")).all())


@dataclass(frozen=True)
class Case:
    totals: tuple[int, int, int, int] | None = None  # update, unchanged, skipped, error
    rejected: str = ""  # the file itself refused: part of the message
    reasons: dict[int, str] = field(default_factory=dict)  # file line -> part of its reason
    after: dict[int, str] = field(default_factory=dict)  # client -> code once applied
    user: str = "admin"
    encoding: str | None = None
    notice: bool = False


CASES: dict[str, Case] = {
    "excel_utf8_bom.csv": Case((2, 0, 0, 0), after={CAFE: "CAFE2", THAMES: "TW2"},
                               encoding="UTF-8 with BOM"),
    "utf8_no_bom_lf.csv": Case((1, 0, 0, 0), after={CAFE: "CAFE2"}, encoding="UTF-8"),
    "excel_cp1252.csv": Case((2, 0, 0, 0), after={CAFE: "CAFE2", POUND: "PND1"},
                             encoding="Windows-1252", notice=True),
    "excel_semicolon.csv": Case((2, 0, 0, 0), after={THAMES: "TW2", OBRIEN: "OBM1"}),
    "tab_separated.csv": Case((1, 0, 0, 0), after={THAMES: "TW2"}),
    "excel_unicode_text.csv": Case((1, 0, 0, 0), after={CAFE: "CAFE2"}, encoding="UTF-16"),
    "excel_sep_line.csv": Case((1, 0, 0, 0), after={THAMES: "TW2"}),
    "mac_cr_line_ends.csv": Case((1, 0, 0, 0), after={THAMES: "TW2"}),
    "quoted_commas_newlines.csv": Case((2, 0, 0, 0), after={OBRIEN: "OBM1", THAMES: "TW2"}),
    "aliases_odd_case.csv": Case((2, 0, 0, 0), after={THAMES: "TW2", CAFE: "CAFE2"}),
    "company_number_alias.csv": Case((2, 0, 0, 0), after={THAMES: "TW2", CAFE: "CAFE2"}),
    "identifier_fallback.csv": Case((3, 0, 0, 0),
                                    after={THAMES: "TW2", CAFE: "CAFE2", POUND: "PND1"}),
    "name_nfd_and_case.csv": Case((2, 0, 0, 0), after={CAFE: "CAFE2", THAMES: "TW2"}),
    "code_spaces_trimmed.csv": Case((1, 0, 0, 0), after={THAMES: "TW2"}),
    "case_change_only.csv": Case((1, 0, 0, 0), after={THAMES: "tw1"}),
    "unchanged.csv": Case((0, 1, 0, 0), after={THAMES: "TW1"}),
    "swap_codes.csv": Case((2, 0, 0, 0), after={THAMES: "CAFE1", CAFE: "TW1"}),
    "blank_lines.csv": Case((2, 0, 0, 0), after={THAMES: "TW2", CAFE: "CAFE2"}),
    "trailing_delimiters.csv": Case((1, 0, 0, 0), after={THAMES: "TW2"}),
    "empty_code.csv": Case((1, 0, 1, 0), reasons={2: "skipped"},
                           after={THAMES: "TW1", CAFE: "CAFE2"}),
    "unknown_client.csv": Case((1, 0, 0, 1), reasons={3: "No client named Nobody & Co"}),
    "ambiguous_name.csv": Case((0, 0, 0, 1), reasons={2: "2 clients are named Smith & Jones"}),
    "invalid_code.csv": Case((0, 0, 0, 1), reasons={2: "Practice code must be"}),
    "duplicate_code_in_file.csv": Case((0, 0, 0, 2),
                                       reasons={2: "appears more than once (lines 2, 3)",
                                                3: "appears more than once (lines 2, 3)"}),
    "duplicate_client_in_file.csv": Case((0, 0, 0, 2),
                                         reasons={2: "Thames Water Ltd appears more than once"}),
    "duplicate_client_one_code_invalid.csv": Case(
        (0, 0, 0, 2),
        reasons={2: "Thames Water Ltd appears more than once", 3: "Practice code must be"},
    ),
    "code_owned_by_other.csv": Case((0, 0, 0, 1),
                                    reasons={2: "already used by Café Lumière Ltd"}),
    "code_held_by_solo_account.csv": Case((0, 0, 0, 1),
                                          reasons={2: "SOLO9 is already used by Solo Person"}),
    "code_owned_by_hidden_client.csv": Case((0, 0, 0, 1), user="standard",
                                            reasons={2: "Practice code HID1 is already in use"}),
    "client_outside_access.csv": Case((0, 0, 0, 1), user="standard",
                                      reasons={2: "No client named Hidden Ltd on your list"}),
    "removed_client.csv": Case((0, 0, 0, 1), reasons={2: "Gone Ltd is removed"}),
    "client_id_not_a_number.csv": Case((0, 0, 0, 1), reasons={2: "Client ID abc is not a number"}),
    "formula_text.csv": Case((0, 0, 0, 2), reasons={2: "No client named =HYPERLINK",
                                                    3: "Practice code must be"}),
    "very_long_cell.csv": Case((0, 0, 0, 1), reasons={2: "(got 20000)"}),
    "missing_identifier_column.csv": Case(rejected="no client column"),
    "missing_code_column.csv": Case(rejected="no practice_code column"),
    "only_header.csv": Case(rejected="no rows to upload"),
    "empty.csv": Case(rejected="is empty: no rows to upload"),
    "only_blank_lines.csv": Case(rejected="is empty: no rows to upload"),
    "binary.csv": Case(rejected="not a CSV file (it looks like a binary file)"),
    "not_text_encoding.csv": Case(rejected="neither UTF-8 nor Windows-1252"),
}  # fmt: skip


def test_the_corpus_is_real_files_and_every_one_has_a_case() -> None:
    files = {path.name for path in CORPUS.glob("*.csv")}
    assert files == set(CASES)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file(db: Engine, name: str) -> None:
    case = CASES[name]
    viewer = practice(db)[case.user]
    before = state(db)
    path = CORPUS / name

    if case.rejected:
        with pytest.raises((CsvRejected, UploadRejected)) as refused:
            check_upload(db, viewer, read_csv_file(path))
        assert case.rejected.lower() in refused.value.message.lower()
        with pytest.raises((CsvRejected, UploadRejected)):
            apply_upload(db, viewer, read_csv_file(path), skip_errors=True)
        assert state(db) == before
        return

    table = read_csv_file(path)
    if case.encoding:
        assert table.encoding == case.encoding
    assert bool(table.notices) == case.notice
    preview = check_upload(db, viewer, table)
    assert tuple(preview.totals.values()) == case.totals, [
        (row.line, row.outcome, row.reason) for row in preview.rows
    ]
    by_line = {row.line: row for row in preview.rows}
    for line, reason in case.reasons.items():
        assert reason in by_line[line].reason, by_line[line].reason
    assert state(db) == before  # checking writes nothing

    if preview.errors:
        with pytest.raises(UploadRejected) as refused:
            apply_upload(db, viewer, table)
        assert len(refused.value.problems) == len(preview.errors)
        assert state(db) == before
        return
    result = apply_upload(db, viewer, table, expected=preview)
    now = codes(db)
    for client_id, code in case.after.items():
        assert now[client_id] == code
    earlier = {row[0]: row[1] for row in before[0]}
    changed = {client_id for client_id, code in now.items() if code != earlier[client_id]}
    assert set(result.client_ids) == {row.client_id for row in preview.updates}
    assert changed == set(result.client_ids)
    assert state(db)[1] == before[1] + len(preview.updates)  # one audit event per client


def test_a_standard_user_never_learns_of_a_hidden_client(db: Engine) -> None:
    standard = practice(db)["standard"]
    table = read_csv_bytes(b"client_id,practice_code\r\n7,HID9\r\n1,HID1\r\n")
    rows = check_upload(db, standard, table).rows
    assert rows[0].reason == "No client with client ID 7 on your list"
    assert rows[1].reason == "Practice code HID1 is already in use"
    assert all("Hidden" not in row.reason for row in rows)


def test_skip_errors_writes_the_valid_rows_only(db: Engine) -> None:
    admin = practice(db)["admin"]
    table = read_csv_file(CORPUS / "unknown_client.csv")
    result = apply_upload(db, admin, table, skip_errors=True, clock=lambda: FIXED_NOW)
    assert result.client_ids == (THAMES,)
    assert codes(db)[THAMES] == "TW2"
    with db.connect() as connection:
        event = connection.execute(
            text("SELECT action, before, after, seq FROM audit_event ORDER BY id DESC LIMIT 1")
        ).one()
        version = connection.execute(
            text("SELECT version FROM client WHERE id = :id"), {"id": THAMES}
        ).scalar_one()
    assert event.action == "client.updated"
    assert json.loads(event.before) == {"practice_code": "TW1"}
    assert json.loads(event.after) == {"practice_code": "TW2"}
    assert event.seq == result.seq
    assert version == 2 and result.version_of(THAMES) == 2


def test_a_row_in_error_keeps_its_code_where_it_is(db: Engine) -> None:
    """Café's row is in error, so Café keeps CAFE1 and Thames cannot take it."""
    admin = practice(db)["admin"]
    table = read_csv_bytes(
        "client_name,practice_code\r\nThames Water Ltd,CAFE1\r\n"
        "Café Lumière Ltd,bad code\r\n".encode()
    )
    rows = check_upload(db, admin, table).rows
    assert [row.outcome for row in rows] == ["error", "error"]
    assert "already used by Café Lumière Ltd" in rows[0].reason


def test_a_code_taken_after_the_check_refuses_the_apply(db: Engine) -> None:
    viewers = practice(db)
    admin = viewers["admin"]
    table = read_csv_bytes(b"client_name,practice_code\r\nThames Water Ltd,NEW1\r\n")
    preview = check_upload(db, admin, table)
    assert preview.totals["update"] == 1
    update_client(db, admin, CAFE, version=1, practice_code="new1")  # someone else, meanwhile
    before = state(db)
    with pytest.raises(UploadRejected) as refused:
        apply_upload(db, admin, table, skip_errors=True, expected=preview)
    assert "changed since the file was checked" in refused.value.message
    assert state(db) == before
    with pytest.raises(UploadRejected):  # and all-or-nothing refuses on the new error
        apply_upload(db, admin, table)
    assert state(db) == before


def test_rejected_rows_file_has_an_error_column_and_reuploads(db: Engine) -> None:
    admin = practice(db)["admin"]
    preview = check_upload(db, admin, read_csv_file(CORPUS / "formula_text.csv"))
    data = rejected_rows_document(preview)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode().split("\r\n")
    assert lines[0] == "client_name,practice_code,error"
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil.example"",""click"")",EV1,')
    assert lines[2].startswith("Thames Water Ltd,'=1+2,\"Practice code must be")
    again = read_csv_bytes(data)
    assert again.header[-1] == "error"
    reread = check_upload(db, admin, again)
    assert [row.identifier for row in reread.rows][0].startswith("'=HYPERLINK")
    assert "No client named =HYPERLINK" in reread.rows[0].reason  # the quote is undone


def test_template_has_every_identifier_and_the_code(db: Engine) -> None:
    table = read_csv_bytes(template_document())
    assert table.header == ["client_id", "crn", "client_name", "practice_code"]
    admin = practice(db)["admin"]
    rows = check_upload(db, admin, table).rows
    assert [row.kind for row in rows] == ["client_name", "crn"]


def test_fifty_megabytes_of_junk_is_refused_before_reading(tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    with junk.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(CsvRejected, match="at most 32 MB"):
        read_csv_file(junk)


def test_a_folder_or_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvRejected, match="folder"):
        read_csv_file(tmp_path)
    with pytest.raises(CsvRejected, match="no file"):
        read_csv_file(tmp_path / "nope.csv")


def test_a_removed_client_is_unknown_to_a_client_admin(db: Engine) -> None:
    """Only practice admins see removed clients; to anyone else they are not there."""
    practice(db)
    client_admin = add_member(db, 1, "ca@example.com", "client_admin")
    table = read_csv_file(CORPUS / "removed_client.csv")
    (row,) = check_upload(db, client_admin, table).rows
    assert row.reason == "No client named Gone Ltd on your list"


def test_an_apply_right_after_its_check_does_not_read_everything_again(
    db: Engine, monkeypatch
) -> None:
    """Nothing written in the practice since the check (its change number says so):
    the check stands; after any write it is made again inside the transaction."""
    from dext_tui.data.services import practice_code_upload as upload

    admin = practice(db)["admin"]
    table = read_csv_bytes(b"client_name,practice_code\r\nThames Water Ltd,NEW1\r\n")
    preview = check_upload(db, admin, table)
    update_client(db, admin, SMITH_B, version=1, practice_code="OTHER")  # unrelated
    reads = []
    real = upload._read_clients
    monkeypatch.setattr(upload, "_read_clients", lambda *a: reads.append(1) or real(*a))
    apply_upload(db, admin, table, expected=preview)
    assert reads == [1]  # something was written since: checked again
    table = read_csv_bytes(b"client_name,practice_code\r\nThames Water Ltd,NEW2\r\n")
    reads.clear()
    preview = check_upload(db, admin, table)
    apply_upload(db, admin, table, expected=preview)
    assert reads == [1]  # the check above; none inside the apply
    assert codes(db)[THAMES] == "NEW2"


def test_a_viewer_whose_role_changed_since_the_check_is_checked_again(db: Engine) -> None:
    practice(db)
    colleague = add_member(db, 1, "ca@example.com", "client_admin")
    table = read_csv_bytes(b"client_name,practice_code\r\nHidden Ltd,HID2\r\n")
    preview = check_upload(db, colleague, table)
    assert preview.totals["update"] == 1
    with db.begin() as connection:  # demoted, by a tool that bumps no change number
        connection.execute(text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
                           {"id": colleague.team_member_id})  # fmt: skip
    before = state(db)
    with pytest.raises(UploadRejected):
        apply_upload(db, colleague, table, expected=preview)
    assert state(db) == before


# -- identifiers are ASCII digits; repeated columns; stored text that is not UTF-8 ----------
@pytest.mark.parametrize("client_id", ["²", "١٢", "１"])
def test_a_client_id_in_other_digits_is_not_a_number(db: Engine, client_id: str):
    users = practice(db)
    table = read_csv_bytes(f"client_id,practice_code\n{client_id},SUP1\n".encode())
    preview = check_upload(db, users["admin"], table)
    (row,) = preview.rows
    assert row.outcome == "error"
    assert f"Client ID {client_id} is not a number" in row.reason


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("client_id,practice_code,code", "'practice_code' (column 2) and 'code' (column 3)"),
        ("crn,practice_code,company number", "'crn' (column 1) and 'company number' (column 3)"),
    ],
)
def test_a_repeated_column_is_refused_naming_both(db: Engine, header: str, named: str):
    users = practice(db)
    before = state(db)
    table = read_csv_bytes(f"{header}\n1,TW2,TW3\n".encode())
    with pytest.raises(UploadRejected, match=named.replace("(", r"\(").replace(")", r"\)")):
        check_upload(db, users["admin"], table)
    with pytest.raises(UploadRejected):
        apply_upload(db, users["admin"], table)
    assert state(db) == before


def test_a_stored_name_that_is_not_utf8_is_read_with_a_replacement_character(
    sqlite_db: Engine,
):
    users = practice(sqlite_db)
    with sqlite_db.begin() as connection:  # as a foreign tool might store it
        connection.exec_driver_sql(
            f"UPDATE client SET name = CAST(x'41ff42' AS TEXT) WHERE id = {THAMES}"
        )
    table = read_csv_bytes(f"client_id,practice_code\n{THAMES},TW2\n".encode())
    preview = check_upload(sqlite_db, users["admin"], table)
    (row,) = preview.rows
    assert (row.outcome, row.client_name) == ("update", "A\ufffdB")
    apply_upload(sqlite_db, users["admin"], table, expected=preview)
    assert codes(sqlite_db)[THAMES] == "TW2"
    changed = read_csv_bytes(f"client_id,practice_code\n{THAMES},TW3\n".encode())
    apply_upload(sqlite_db, users["admin"], changed)  # no preview: read inside the write
    assert codes(sqlite_db)[THAMES] == "TW3"
