"""Writes the CSV corpus next to this file, byte for byte as the programs that
made such files write them (Excel's "CSV UTF-8", "CSV (Comma delimited)" in
Windows-1252, semicolon lists from European locales, "Unicode Text", ...).

The files are committed; run this only to add a case:
    .venv/bin/python tests/data/csv/make_corpus.py
The practice these files are checked against is built in tests/unit/test_practice_code_upload.py.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
BOM = b"\xef\xbb\xbf"


def crlf(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


FILES: dict[str, bytes] = {
    # Excel "CSV UTF-8 (Comma delimited)": BOM, CRLF.
    "excel_utf8_bom.csv": BOM
    + crlf("Client Name,Practice Code", "Café Lumière Ltd,CAFE2", "Thames Water Ltd,TW2").encode(),
    # Plain UTF-8 without BOM, LF only (a script, LibreOffice).
    "utf8_no_bom_lf.csv": b"client_name,practice_code\nCaf\xc3\xa9 Lumi\xc3\xa8re Ltd,CAFE2\n",
    # Excel "CSV (Comma delimited)" on Windows: Windows-1252, é and £.
    "excel_cp1252.csv": crlf(
        "Client Name,Practice Code", "Café Lumière Ltd,CAFE2", "£ Pound Shop Ltd,PND1"
    ).encode("cp1252"),
    # Excel in a European locale: semicolons.
    "excel_semicolon.csv": BOM
    + crlf(
        "Client name;Practice code", "Thames Water Ltd;TW2", "O'Brien, Murphy & Co;OBM1"
    ).encode(),
    # Tab-separated (copied out of a sheet, saved as .csv).
    "tab_separated.csv": crlf("client_name\tpractice_code", "Thames Water Ltd\tTW2").encode(),
    # Excel "Unicode Text": UTF-16 LE with BOM, tabs.
    "excel_unicode_text.csv": b"\xff\xfe"
    + crlf("Client Name\tPractice Code", "Café Lumière Ltd\tCAFE2").encode("utf-16-le"),
    # Excel's "sep=" first line, which it writes and honours.
    "excel_sep_line.csv": crlf(
        "sep=;", "client_name;practice_code", "Thames Water Ltd;TW2"
    ).encode(),
    # Old Excel for Mac "CSV (Macintosh)": CR line ends.
    "mac_cr_line_ends.csv": b"client_name,practice_code\rThames Water Ltd,TW2\r",
    # Quoted commas, quotes and a newline inside a cell (RFC 4180).
    "quoted_commas_newlines.csv": crlf(
        "client_name,practice_code,notes",
        '"O\'Brien, Murphy & Co",OBM1,"Met ""Pat"" on Tuesday,',
        'bring the ledger"',
        "Thames Water Ltd,TW2,plain",
    ).encode(),
    # Header aliases in odd case and spacing; other columns ignored.
    "aliases_odd_case.csv": crlf(
        "  CLIENT   ID ,Notes,  CODE ", "1,first,TW2", "2,second,CAFE2"
    ).encode(),
    "company_number_alias.csv": crlf(
        "Company Number,Practice_Code", "1234567,TW2", " sc 123456 ,CAFE2"
    ).encode(),
    # The template's shape: the first filled identifier of each row is used.
    "identifier_fallback.csv": crlf(
        "client_id,crn,client_name,practice_code",
        "1,,,TW2",
        ",SC123456,,CAFE2",
        ",,£ Pound Shop Ltd,PND1",
    ).encode(),
    # A name saved in decomposed form (macOS), and in another case and spacing.
    "name_nfd_and_case.csv": crlf(
        "client_name,practice_code",
        "Cafe\u0301 Lumie\u0300re Ltd,CAFE2",
        "  thames   WATER ltd ,TW2",
    ).encode(),
    "code_spaces_trimmed.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,  TW2  "
    ).encode(),
    "case_change_only.csv": crlf("client_name,practice_code", "Thames Water Ltd,tw1").encode(),
    "unchanged.csv": crlf("client_name,practice_code", "Thames Water Ltd,TW1").encode(),
    # Swapping two codes in one file (a renumbering).
    "swap_codes.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,CAFE1", "Café Lumière Ltd,TW1"
    ).encode(),
    "blank_lines.csv": crlf(
        "client_name,practice_code",
        "",
        "Thames Water Ltd,TW2",
        ",",
        "",
        "Café Lumière Ltd,CAFE2",
        "",
        "",
    ).encode(),
    "trailing_delimiters.csv": crlf(
        "client_name,practice_code,,,", "Thames Water Ltd,TW2,,,", ",,,,"
    ).encode(),
    "empty_code.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,", "Café Lumière Ltd,CAFE2"
    ).encode(),
    # Rows in error: the whole file is refused (all or nothing).
    "unknown_client.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,TW2", "Nobody & Co,NB1"
    ).encode(),
    "ambiguous_name.csv": crlf("client_name,practice_code", "Smith & Jones,SJ2").encode(),
    "invalid_code.csv": crlf("client_name,practice_code", "Thames Water Ltd,TW 2!").encode(),
    "duplicate_code_in_file.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,NEW1", "Café Lumière Ltd,new1"
    ).encode(),
    "duplicate_client_in_file.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,TW2", "thames water ltd,TW3"
    ).encode(),
    "duplicate_client_one_code_invalid.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,TW2", "Thames Water Ltd,bad code!"
    ).encode(),
    "code_owned_by_other.csv": crlf("client_name,practice_code", "Thames Water Ltd,cafe1").encode(),
    "code_held_by_solo_account.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,SOLO9"
    ).encode(),
    # For the standard user, who sees Thames Water and Café Lumière only.
    "code_owned_by_hidden_client.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd,HID1"
    ).encode(),
    "client_outside_access.csv": crlf("client_name,practice_code", "Hidden Ltd,HID2").encode(),
    "removed_client.csv": crlf("client_name,practice_code", "Gone Ltd,GONE2").encode(),
    "client_id_not_a_number.csv": crlf("client_id,practice_code", "abc,TW2").encode(),
    "formula_text.csv": crlf(
        "client_name,practice_code",
        '"=HYPERLINK(""http://evil.example"",""click"")",EV1',
        "Thames Water Ltd,=1+2",
    ).encode(),
    "very_long_cell.csv": crlf(
        "client_name,practice_code", "Thames Water Ltd," + "A" * 20_000
    ).encode(),
    "missing_identifier_column.csv": crlf("Notes,Practice code", "hello,TW2").encode(),
    "missing_code_column.csv": crlf("client_name,notes", "Thames Water Ltd,hello").encode(),
    "only_header.csv": BOM + crlf("client_name,practice_code").encode(),
    "empty.csv": b"",
    "only_blank_lines.csv": b"\r\n\r\n  \r\n",
    # A PNG's first bytes, renamed .csv.
    "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    + b"\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    + bytes(range(256)) * 4,
    # Neither UTF-8 nor Windows-1252 (0x81 and 0x8d are undefined in Windows-1252).
    "not_text_encoding.csv": b"client_name,practice_code\r\n\x81\x8d\x8f\x90,TW2\r\n",
}


def main() -> None:
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
