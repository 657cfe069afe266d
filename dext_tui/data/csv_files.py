"""CSV files in and out, as Excel and people really make them.

Reading: a size cap, binary files refused, UTF-8 with or without BOM (UTF-16
with a BOM too, as Excel's "Unicode Text" saves), else Windows-1252 with a
notice; the delimiter (comma, semicolon or tab, or Excel's `sep=` line)
detected from the header; RFC 4180 quoting by the csv module; blank lines
dropped. Writing: RFC 4180 with a UTF-8 BOM and CRLF line ends, text cells
neutralised against formula injection (OWASP), numbers left as numbers, and
the file replaced atomically so a failure never leaves half of one.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from dext_tui.data.regular_files import (
    NotARegularFile,
    check_write_target,
    open_regular_for_reading,
)

MAX_FILE_BYTES = 32 * 1024 * 1024  # far above 100,000 clients' export (~15 MB)
MAX_CELL_CHARS = csv.field_size_limit()  # the csv module's own limit (131,072)
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# OWASP CSV injection: a spreadsheet reads a cell starting with these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SNIFF_CHARS = 65_536
_WRITE_CHUNK = 2_000
_MAX_CONTROL_SHARE = 0.01  # more control characters than this: not text


class CsvRejected(Exception):
    """The file is not a CSV this program can read; the message says why, for a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvTable:
    """A file's header and data rows (blank lines left out), and how it was read."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # the file line each row starts on (the header is line 1)
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"
    delimiter: str
    notices: list[str] = field(default_factory=list)

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


# -- reading -----------------------------------------------------------------------
def read_csv_file(path: str | os.PathLike[str]) -> CsvTable:
    """The file at `path`, read and parsed; CsvRejected with a reason a user can act on."""
    path = Path(path)
    try:
        with open_regular_for_reading(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise CsvRejected(
                    f"{path.name} is {size / 1024 / 1024:.0f} MB; a CSV to upload may be at "
                    f"most {MAX_FILE_BYTES // 1024 // 1024} MB."
                )
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CsvRejected(f"There is no file {path}.") from None
    except PermissionError:
        raise CsvRejected(f"{path} cannot be read: permission denied.") from None
    except NotARegularFile as error:
        raise CsvRejected(f"{path} cannot be read: {error.strerror}.") from None
    except OSError as error:
        raise CsvRejected(f"{path} cannot be read: {error.strerror or error}.") from None
    return read_csv_bytes(data, path.name)


def read_csv_bytes(data: bytes, name: str = "The file") -> CsvTable:
    """`data` (a whole file) decoded, its delimiter detected, parsed into rows."""
    if len(data) > MAX_FILE_BYTES:
        raise CsvRejected(
            f"{name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB: too large to upload."
        )
    if not data.strip():
        raise CsvRejected(f"{name} is empty: no rows to upload.")
    text, encoding, notices = _decode(data, name)
    if _looks_binary(text):
        raise CsvRejected(f"{name} is not a CSV file (it looks like a binary file).")
    text = text.lstrip("\ufeff")
    delimiter, text = _delimiter(text)
    rows, lines = _parse(text, delimiter, name)
    if not rows:
        raise CsvRejected(f"{name} is empty: no rows to upload.")
    header = [cell.strip().lstrip("\ufeff").strip() for cell in rows[0]]
    return CsvTable(header, rows[1:], lines[1:], encoding, delimiter, notices)


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            raise CsvRejected(f"{name} is not a CSV file (broken UTF-16 text).") from None
    if b"\x00" in data[:_SNIFF_CHARS]:
        raise CsvRejected(f"{name} is not a CSV file (it looks like a binary file).")
    has_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), "UTF-8 with BOM" if has_bom else "UTF-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvRejected(
            f"{name} is not a CSV file: it is neither UTF-8 nor Windows-1252 text."
        ) from None
    return (
        text,
        "Windows-1252",
        [
            f"{name} is not UTF-8: read as Windows-1252 (as older Excel saves CSV). Check "
            "that accented letters look right."
        ],
    )


def _looks_binary(text: str) -> bool:
    sample = text[:_SNIFF_CHARS]
    if "\x00" in sample:
        return True
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n\f")
    return controls > max(2, len(sample) * _MAX_CONTROL_SHARE)


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter, and the text without Excel's `sep=X` line if it had one."""
    first_line, _newline, rest = text.partition("\n")
    hint = first_line.strip()
    if hint.lower().startswith("sep=") and len(hint) == 5 and hint[4] in DELIMITERS:
        return hint[4], rest
    counts = {delimiter: _count_outside_quotes(first_line, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # ties: comma first
    return (best if counts[best] else ","), text


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _parse(text: str, delimiter: str, name: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as error:
        where = f"line {reader.line_num}"
        if "field larger" in str(error):
            raise CsvRejected(
                f"{name}, {where}: a cell is longer than {MAX_CELL_CHARS:,} characters "
                "(perhaps a quote that is never closed)."
            ) from None
        raise CsvRejected(f"{name}, {where}: not valid CSV ({error}).") from None
    return rows, lines


def header_key(header: str) -> str:
    """A header as compared: case, surrounding spaces, and spaces vs underscores ignored."""
    return "_".join(header.replace("_", " ").casefold().split())


def undo_neutralised(value: str) -> str:
    """A cell as it was before our writer (or a careful user) put `'` before a formula
    character; any other leading `'` is part of the value."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


# -- writing -----------------------------------------------------------------------
Cell = str | int | float | None


def neutralise(value: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return neutralise(value)


def write_csv_rows(
    stream: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    prepared: bool = False,
) -> None:
    """RFC 4180 rows with CRLF line ends onto a text stream (the caller adds the BOM).
    `prepared`: the caller has neutralised every text cell already (a fast path for
    100,000 rows whose only free text is known)."""
    writer = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(label) for label in header])
    if not prepared:
        rows = ([_cell(value) for value in row] for row in rows)
    # In chunks: one call over 100,000 rows would hold the interpreter (and the UI) 0.3 s.
    iterator = iter(rows)
    while chunk := list(islice(iterator, _WRITE_CHUNK)):
        writer.writerows(chunk)


def csv_document(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, prepared: bool = False
) -> bytes:
    """A whole CSV file as bytes: UTF-8 with BOM (so Excel reads it as UTF-8), CRLF."""
    buffer = io.StringIO(newline="")
    write_csv_rows(buffer, header, rows, prepared=prepared)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_atomically(
    path: str | os.PathLike[str], data: bytes, *, before_replace: Callable[[], None] | None = None
) -> Path:
    """`data` into `path` all at once: a temporary file in the same folder, flushed to
    disk, then renamed over `path`. A failure leaves `path` as it was, never half a file.
    Only a regular file (or none) is replaced, never a device, FIFO or folder.
    `before_replace` (tests) runs just before the rename."""
    path = Path(path).expanduser()
    check_write_target(path)
    directory = path.parent if str(path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
        dir=directory, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        check_write_target(path)  # again: something else may have taken the name meanwhile
        os.chmod(handle.name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(handle.name, path)
    except BaseException:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        raise
    return path
