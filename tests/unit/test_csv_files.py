"""Reading CSV as people's programs write it, and writing it so Excel reads it safely."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from dext_tui.data import regular_files
from dext_tui.data.csv_files import (
    CsvRejected,
    csv_document,
    header_key,
    neutralise,
    read_csv_bytes,
    read_csv_file,
    undo_neutralised,
    write_atomically,
)
from dext_tui.data.regular_files import NotARegularFile
from tests.special_files import KINDS, special_file, unchanged_kind, without_hanging


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"a,b;c\r\n1,2\r\n", ","),
        (b"a;b;c\r\n1;2;3\r\n", ";"),
        (b"a\tb\r\n1\t2\r\n", "\t"),
        (b'"x;y",b\r\n1,2\r\n', ","),  # a semicolon inside quotes does not count
        (b"sep=\t\r\na,b\tc\r\n", "\t"),
        (b"single\r\nvalue\r\n", ","),
    ],
)
def test_the_delimiter_is_detected_from_the_header(data: bytes, delimiter: str) -> None:
    assert read_csv_bytes(data).delimiter == delimiter


def test_sep_line_is_not_a_header() -> None:
    table = read_csv_bytes(b"sep=;\r\na;b\r\n1;2\r\n")
    assert table.header == ["a", "b"]
    assert table.rows == [["1", "2"]]


def test_encodings() -> None:
    assert read_csv_bytes("a\r\né\r\n".encode()).encoding == "UTF-8"
    assert read_csv_bytes(b"\xef\xbb\xbfa\r\n\xc3\xa9\r\n").header == ["a"]  # BOM not in header
    cp1252 = read_csv_bytes("name\r\nCafé £5\r\n".encode("cp1252"))
    assert cp1252.encoding == "Windows-1252"
    assert cp1252.rows == [["Café £5"]]
    assert "Windows-1252" in cp1252.notices[0]
    utf16 = read_csv_bytes("\ufeffa\tb\r\n1\t2\r\n".encode("utf-16-le"))
    assert (utf16.encoding, utf16.rows) == ("UTF-16", [["1", "2"]])


def test_rfc4180_quoting_and_line_numbers() -> None:
    table = read_csv_bytes(b'h1,h2\r\n"a, ""b""\r\nc",2\r\n\r\nx,3\r\n')
    assert table.rows == [['a, "b"\r\nc', "2"], ["x", "3"]]
    assert table.lines == [2, 5]  # the quoted newline spans lines 2-3; line 4 is blank


def test_blank_rows_are_dropped_but_not_rows_with_content() -> None:
    table = read_csv_bytes(b"a,b\r\n,\r\n  ,  \r\n,x\r\n")
    assert table.rows == [["", "x"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"  \r\n\r\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
        (b"a,b\r\n" + bytes(range(1, 32)) * 10, "binary"),
        (b"a\r\n\x81\x8d\r\n", "neither UTF-8 nor Windows-1252"),
        (b'a\r\n"' + b"x" * 200_000 + b'"\r\n', "longer than 131,072 characters"),
    ],
)
def test_files_that_are_not_csv_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(CsvRejected, match=message):
        read_csv_bytes(data, "f.csv")


def test_header_keys_ignore_case_spaces_and_underscores() -> None:
    assert header_key("  Client   ID ") == header_key("client_id") == "client_id"
    assert header_key("PRACTICE_CODE") == header_key("practice code")
    assert header_key("Company Number") == "company_number"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised_and_undone(start: str) -> None:
    value = start + "1+2"
    assert neutralise(value) == "'" + value
    assert undo_neutralised(neutralise(value)) == value


def test_other_text_is_left_alone() -> None:
    for value in ["Acme", "'t Hooft", "1-2", " =x", ""]:
        assert neutralise(value) == value
        assert undo_neutralised(value) == value


def test_the_writer_bom_crlf_quoting_and_numbers() -> None:
    data = csv_document(
        ["id", "name", "n"], [[1, 'a, "b"\nc', -5], [2, "=cmd|'/c calc'!A1", 2.5], [3, None, 0]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode()
    assert body.endswith("\r\n")
    assert body.count("\r\n") == 4  # header and three rows; the quoted \n stays inside
    assert body.split("\r\n")[0] == "id,name,n"
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[1] == ["1", 'a, "b"\nc', "-5"]  # a number stays a number, never "'-5"
    assert rows[2] == ["2", "'=cmd|'/c calc'!A1", "2.5"]
    assert rows[3] == ["3", "", "0"]


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"

    def fail() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"half", before_replace=fail)
    assert target.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["out.csv"]  # no temporary file left behind


def test_atomic_write_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_atomically(tmp_path / "nope" / "out.csv", b"x")
    assert os.listdir(tmp_path) == []


# -- only regular files ----------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_reading_a_special_file_is_refused_before_it_is_opened(tmp_path: Path, kind: str):
    with special_file(kind, tmp_path / "codes.csv") as path:
        with pytest.raises(CsvRejected, match="not a regular file"):
            without_hanging(lambda: read_csv_file(path))


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_file_is_never_replaced_by_a_write(tmp_path: Path, kind: str):
    with special_file(kind, tmp_path / "out.csv") as path:
        with pytest.raises(NotARegularFile, match="not a regular file"):
            write_atomically(path, b"x")
        assert unchanged_kind(path, kind)
        assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def test_a_fifo_put_in_place_during_a_write_is_not_replaced(tmp_path: Path):
    target = tmp_path / "out.csv"
    with pytest.raises(NotARegularFile):
        write_atomically(target, b"x", before_replace=lambda: os.mkfifo(target))
    assert unchanged_kind(target, "fifo")
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_fifo_swapped_in_after_the_look_is_still_refused(tmp_path: Path, monkeypatch):
    path = tmp_path / "codes.csv"
    path.write_bytes(b"client_id,practice_code\n1,A\n")

    def swap_then_pass(_path: object) -> None:
        path.unlink()
        os.mkfifo(path)

    monkeypatch.setattr(regular_files, "check_regular", swap_then_pass)
    with pytest.raises(CsvRejected, match="FIFO"):
        without_hanging(lambda: read_csv_file(path))
