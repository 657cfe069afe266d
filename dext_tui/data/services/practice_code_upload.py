"""Practice codes from a CSV file (spec section 10): every row checked before anything is written.

`check_upload` reads the file's rows against the clients as stored now and
gives each row an outcome (update, unchanged, skipped, error with its reason);
`apply_upload` checks again inside the write transaction and writes every
valid row at once, one audit event per client changed. A code may move from
one client to another within one file (a renumbering): the check looks at the
codes as they will be after the upload, and the write frees such codes first.

Scope: a client outside the viewer's access reads as an unknown client, and a
code held by a client the viewer cannot see is "already in use", unnamed.

Built for 100,000 rows against 100,000 clients: every client read once into
dictionaries, the rows checked in Python, the writes sent as executemany.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text

from dext_tui.data.access import Viewer
from dext_tui.data.csv_files import CsvTable, csv_document, header_key, undo_neutralised
from dext_tui.data.scope import scope_condition
from dext_tui.data.services.errors import ServiceError
from dext_tui.data.services.writing import ChangeResult, ClientChange, Clock, utc_now, writing
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.validation import (
    ValidationError,
    normalize_crn,
    normalize_practice_code,
    practice_code_key,
    sort_key,
)

UPDATE, UNCHANGED, SKIPPED, ERROR = "update", "unchanged", "skipped", "error"
OUTCOMES = (UPDATE, UNCHANGED, SKIPPED, ERROR)
OUTCOME_LABELS = {UPDATE: "Update", UNCHANGED: "Unchanged", SKIPPED: "Skipped", ERROR: "Error"}
ACTION = "client.updated"  # as the Edit page's change of a code, so History reads it alike

# Identifier columns in order of preference, each with the headers it goes by (spec 10).
IDENTIFIER_ALIASES = {
    "client_id": ("client_id",),
    "crn": ("crn", "company_number"),
    "client_name": ("client_name", "client", "name"),
}
CODE_ALIASES = ("practice_code", "code")
IDENTIFIER_LABELS = {"client_id": "client ID", "crn": "CRN", "client_name": "name"}
TEMPLATE_HEADER = ("client_id", "crn", "client_name", "practice_code")
TEMPLATE_ROWS = (
    ("", "", "Example Trading Ltd", "EX001"),
    ("", "01234567", "", "EX002"),
)


class UploadRejected(ServiceError):
    """The file, or some of its rows, broke a rule; nothing was written."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems) or (message,)


@dataclass(slots=True)
class UploadRow:
    """One data row of the file and what the upload does with it."""

    line: int  # where it starts in the file (the header is line 1)
    cells: list[str]  # the row as read, for the rejected-rows file
    kind: str  # which identifier the row is looked up by: client_id, crn or client_name
    identifier: str  # the client ID, CRN or name as written
    code: str  # the practice code as written (trimmed)
    client_id: int | None = None
    client_name: str = ""  # as stored, once the row names a client the viewer may see
    current_code: str = ""
    outcome: str = ERROR
    reason: str = ""


@dataclass(frozen=True)
class UploadPreview:
    """Every row's outcome, the totals, and how the file was read."""

    rows: list[UploadRow]
    identifier_kinds: list[str]  # the file's identifier columns: client_id, crn, client_name
    header: list[str]
    encoding: str
    delimiter_name: str
    notices: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(row.outcome for row in self.rows)
        return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def updates(self) -> list[UploadRow]:
        return [row for row in self.rows if row.outcome == UPDATE]

    @property
    def errors(self) -> list[UploadRow]:
        return [row for row in self.rows if row.outcome == ERROR]

    def summary(self) -> str:
        totals = self.totals
        return (
            f"{len(self.rows):,} rows: {totals[UPDATE]:,} to update, "
            f"{totals[UNCHANGED]:,} unchanged, {totals[SKIPPED]:,} skipped, "
            f"{totals[ERROR]:,} with errors"
        )

    def problems(self) -> list[str]:
        """One line per row that cannot be written, for stderr."""
        return [f"line {row.line}: {row.reason}" for row in self.errors]

    def plan(self) -> dict[int, str]:
        """client id -> new code: what applying would write."""
        return {row.client_id: row.code for row in self.updates if row.client_id is not None}


# -- reading the practice's clients ---------------------------------------------------
@dataclass
class _Clients:
    """The practice's clients as stored, in the shapes the checks look them up by."""

    name: dict[int, str]
    code: dict[int, str]  # client id -> practice code (clients with one)
    state: dict[int, str]
    version: dict[int, int]
    visible: set[int]  # in the viewer's scope (removed ones too, for practice admins)
    by_crn: dict[str, list[int]]  # visible clients only
    by_name: dict[str, list[int]]  # visible clients only, by sort key
    holders: dict[str, set[int]]  # code key -> clients holding it (client or Solo code)
    solo_holders: dict[str, set[int]]


def _read_clients(connection: Connection, viewer: Viewer) -> _Clients:
    where, params = scope_condition(viewer, include_removed=True, scan=True)
    visible = set(connection.execute(text("SELECT c.id FROM client c" + where), params).scalars())
    rows = connection.execute(
        text(
            "SELECT id, name, crn, practice_code, state, version FROM client "
            "WHERE practice_id = :practice_id"
        ),
        {"practice_id": viewer.practice_id},
    ).all()
    clients = _Clients({}, {}, {}, {}, visible, defaultdict(list), defaultdict(list),
                       defaultdict(set), defaultdict(set))  # fmt: skip
    for client_id, name, crn, code, state, version in rows:
        clients.name[client_id] = name
        clients.state[client_id] = state
        clients.version[client_id] = version
        if code:
            clients.code[client_id] = code
            clients.holders[code.casefold()].add(client_id)
        if client_id in visible:
            if crn:
                clients.by_crn[crn].append(client_id)
            clients.by_name[sort_key(name)].append(client_id)
    solo = connection.execute(
        text(
            "SELECT s.client_id, s.practice_code FROM solo_account s "
            "JOIN client c ON c.id = s.client_id "
            "WHERE c.practice_id = :practice_id AND s.practice_code IS NOT NULL"
        ),
        {"practice_id": viewer.practice_id},
    ).all()
    for client_id, code in solo:
        if code and code.strip():
            clients.solo_holders[code.strip().casefold()].add(client_id)
    return clients


# -- the checks ------------------------------------------------------------------------
def find_columns(header: Sequence[str]) -> tuple[list[tuple[str, int]], int]:
    """The identifier columns present, in order of preference, each (kind, column), and
    the code's column; UploadRejected when either is missing. Each row is looked up by
    the first of its identifier cells that is filled."""
    keys = [header_key(cell) for cell in header]
    code_column = next((i for i, key in enumerate(keys) if key in CODE_ALIASES), None)
    identifiers = []
    for kind, aliases in IDENTIFIER_ALIASES.items():
        column = next((i for i, key in enumerate(keys) if key in aliases), None)
        if column is not None:
            identifiers.append((kind, column))
    problems = []
    if not identifiers:
        problems.append(
            "The header has no client column: name one client_id, crn (or company number) "
            "or client_name (or client, name)."
        )
    if code_column is None:
        problems.append("The header has no practice_code column (or practice code, code).")
    if problems or code_column is None:
        shown = ", ".join(cell for cell in header if cell) or "(empty)"
        raise UploadRejected(f"{' '.join(problems)} Its columns: {shown}.", problems)
    return identifiers, code_column


def check_upload(engine: Engine, viewer: Viewer, table: CsvTable) -> UploadPreview:
    """Every row's outcome, against the clients as stored now; writes nothing.
    UploadRejected when the file itself cannot be used (a column missing, no rows)."""
    identifiers, code_column = find_columns(table.header)
    if not table.rows:
        raise UploadRejected("The file has a header but no rows: no rows to upload.")
    with read_snapshot(engine) as connection:
        clients = _read_clients(connection, viewer)
    return _check(table, identifiers, code_column, clients)


def _check(
    table: CsvTable, identifiers: list[tuple[str, int]], code_column: int, clients: _Clients
) -> UploadPreview:
    rows: list[UploadRow] = []
    first_kind = identifiers[0][0]
    for cells, line in zip(table.rows, table.lines, strict=True):
        kind, identifier = first_kind, ""
        for kind_here, column in identifiers:
            if identifier := _cell(cells, column):
                kind = kind_here
                break
        row = UploadRow(line, cells, kind, identifier, _cell(cells, code_column))
        rows.append(row)
        _check_row(row, clients)
    _check_repeats(rows)
    _check_codes_in_use(rows, clients)
    return UploadPreview(
        rows,
        [kind for kind, _column in identifiers],
        list(table.header),
        table.encoding,
        table.delimiter_name,
        list(table.notices),
    )


def _cell(cells: list[str], column: int) -> str:
    return cells[column].strip() if column < len(cells) else ""


def _check_row(row: UploadRow, clients: _Clients) -> None:
    """Outcome of one row on its own (repeats and clashes are checked across rows)."""
    if not row.code:
        row.outcome = SKIPPED
        row.reason = "No practice code: skipped (an upload never clears a code)"
        return
    if not row.identifier:
        row.reason = f"No {IDENTIFIER_LABELS[row.kind]}"
        return
    found = _find_client(row.identifier, row.kind, clients)
    if isinstance(found, str):
        row.reason = found
        return
    row.client_id = found
    row.client_name = clients.name[found]
    row.current_code = clients.code.get(found, "")
    if clients.state[found] == "removed":
        row.reason = f"{row.client_name} is removed: restore it before changing its code"
        return
    try:
        code = normalize_practice_code(row.code)
    except ValidationError as error:
        row.reason = error.message
        return
    row.code = code or ""
    if row.code == row.current_code:
        row.outcome, row.reason = UNCHANGED, ""
    else:
        row.outcome, row.reason = UPDATE, ""


def _find_client(identifier: str, kind: str, clients: _Clients) -> int | str:
    """The client the identifier names among those the viewer may see, or why not."""
    identifier = undo_neutralised(identifier)
    shown = _shorten(identifier)
    if kind == "client_id":
        number = identifier.replace(",", "")
        if not number.isdigit() or len(number) > 18:
            return f"Client ID {shown} is not a number"
        client_id = int(number)
        if client_id not in clients.visible:
            return f"No client with client ID {shown} on your list"
        return client_id
    if kind == "crn":
        try:
            crn = normalize_crn(identifier) or ""
        except ValidationError:
            crn = "".join(identifier.split()).upper()
        found = clients.by_crn.get(crn, [])
        if not found:
            return f"No client with CRN {shown} on your list"
        if len(found) > 1:
            return f"{len(found)} clients have CRN {shown}: use client_id to say which"
        return found[0]
    name = unicodedata.normalize("NFC", identifier)
    found = clients.by_name.get(sort_key(name), [])
    if not found:
        return f"No client named {shown} on your list"
    if len(found) > 1:
        return f"{len(found)} clients are named {shown}: use client_id or crn to say which"
    return found[0]


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_repeats(rows: list[UploadRow]) -> None:
    """The same client or the same code twice in the file: every such row is an error."""
    candidates = [row for row in rows if row.outcome in (UPDATE, UNCHANGED)]
    by_client: dict[int, list[UploadRow]] = defaultdict(list)
    by_code: dict[str, list[UploadRow]] = defaultdict(list)
    for row in candidates:
        assert row.client_id is not None
        by_client[row.client_id].append(row)
        by_code[row.code.casefold()].append(row)
    for repeated in by_client.values():
        if len(repeated) > 1:
            lines = _lines(repeated)
            for row in repeated:
                row.outcome = ERROR
                row.reason = f"{row.client_name} appears more than once in the file ({lines})"
    for repeated in by_code.values():
        if len(repeated) > 1:
            lines = _lines(repeated)
            for row in repeated:
                if row.outcome != ERROR:
                    row.outcome = ERROR
                    row.reason = f"Practice code {row.code} appears more than once ({lines})"


def _lines(rows: list[UploadRow]) -> str:
    lines = [str(row.line) for row in rows]
    shown = ", ".join(lines[:5]) + (", …" if len(lines) > 5 else "")
    return f"lines {shown}"


def _check_codes_in_use(rows: list[UploadRow], clients: _Clients) -> None:
    """A code is refused when another client will hold it after the upload: one that
    keeps it (no valid row of the file moves it off), or whose Solo account has it.
    A row found in error keeps its client's code where it is, which can put another
    row in error: repeated until nothing changes."""
    holders = {key: set(ids) for key, ids in clients.holders.items()}
    moving = [row for row in rows if row.outcome == UPDATE]
    for row in moving:
        _move(holders, row, clients, forward=True)
    while True:
        refused = []
        for row in moving:
            key = row.code.casefold()
            others = (holders.get(key, set()) | clients.solo_holders.get(key, set())) - {
                row.client_id
            }
            if others:
                refused.append((row, min(others)))
        if not refused:
            return
        for row, other in refused:
            _move(holders, row, clients, forward=False)
            row.outcome = ERROR
            if other in clients.visible:
                row.reason = f"Practice code {row.code} is already used by {clients.name[other]}"
            else:
                row.reason = f"Practice code {row.code} is already in use"
        moving = [row for row in moving if row.outcome == UPDATE]


def _move(
    holders: dict[str, set[int]], row: UploadRow, clients: _Clients, *, forward: bool
) -> None:
    assert row.client_id is not None
    old = clients.code.get(row.client_id)
    old_key = old.casefold() if old else None
    new_key = row.code.casefold()
    source, target = (old_key, new_key) if forward else (new_key, old_key)
    if source is not None:
        holders.get(source, set()).discard(row.client_id)
    if target is not None:
        holders.setdefault(target, set()).add(row.client_id)


# -- applying --------------------------------------------------------------------------
def apply_upload(
    engine: Engine,
    viewer: Viewer,
    table: CsvTable,
    *,
    skip_errors: bool = False,
    expected: UploadPreview | None = None,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Write every valid row in one transaction, checked again inside it.

    All or nothing unless `skip_errors`: then rows in error are left out. With
    `expected` (the preview the user agreed to), a check that now plans other
    writes (someone took a code meanwhile) refuses; nothing is written.
    """
    identifiers, code_column = find_columns(table.header)
    if not table.rows:
        raise UploadRejected("The file has a header but no rows: no rows to upload.")
    with writing(engine, viewer, clock) as writer:
        clients = _read_clients(writer.connection, writer.viewer)
        preview = _check(table, identifiers, code_column, clients)
        if preview.errors and not skip_errors:
            raise UploadRejected(
                f"{len(preview.errors):,} of {len(preview.rows):,} rows cannot be written; "
                "nothing was written.",
                preview.problems(),
            )
        if expected is not None and preview.plan() != expected.plan():
            raise UploadRejected(
                "The clients changed since the file was checked (someone may have taken one "
                "of its codes): nothing was written. Check the file again."
            )
        updates = preview.updates
        if not updates:
            return writer.result()
        _write_codes(writer.connection, updates, clients, writer.now)
        _record(writer, updates, clients)
        return writer.result()


def _write_codes(
    connection: Connection, updates: list[UploadRow], clients: _Clients, now: object
) -> None:
    new_keys = {row.code.casefold() for row in updates}
    # Codes that move to another client in this file: freed first, so the unique
    # index never sees one code on two clients half-way through.
    freeing = [
        {"id": row.client_id}
        for row in updates
        if (old := clients.code.get(row.client_id or 0))
        and old.casefold() in new_keys
        and old.casefold() != row.code.casefold()
    ]
    if freeing:
        connection.execute(
            text("UPDATE client SET practice_code = NULL, practice_code_key = NULL WHERE id = :id"),
            freeing,
        )
    result = connection.execute(
        text(
            "UPDATE client SET practice_code = :code, practice_code_key = :code_key, "
            "updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"
        ),
        [
            {
                "code": row.code,
                "code_key": practice_code_key(row.code),
                "now": now,
                "id": row.client_id,
                "version": clients.version[row.client_id or 0],
            }
            for row in updates
        ],
    )
    if result.rowcount not in (-1, len(updates)):  # impossible under the write lock
        raise UploadRejected("Another change got in the way: nothing was written. Try again.")


def _record(writer, updates: list[UploadRow], clients: _Clients) -> None:
    """One audit event per client changed, as `Writer.record` writes them, sent in one
    executemany (100,000 single inserts would take seconds)."""
    events = []
    for row in updates:
        assert row.client_id is not None
        before = {"practice_code": clients.code.get(row.client_id)}
        after = {"practice_code": row.code}
        events.append(
            {
                "practice_id": writer.viewer.practice_id,
                "seq": writer.seq,
                "at": writer.now,
                "member": writer.viewer.team_member_id,
                "client_id": row.client_id,
                "action": ACTION,
                "before": json.dumps(before, sort_keys=True, ensure_ascii=False),
                "after": json.dumps(after, sort_keys=True, ensure_ascii=False),
            }
        )
        writer.changes.append(
            ClientChange(row.client_id, ACTION, before, after, clients.version[row.client_id] + 1)
        )
    writer.connection.execute(
        text(
            "INSERT INTO audit_event "
            "(practice_id, seq, at, team_member_id, client_id, action, before, after) "
            "VALUES (:practice_id, :seq, :at, :member, :client_id, :action, :before, :after)"
        ),
        events,
    )


# -- files for the user ----------------------------------------------------------------
def rejected_rows_document(preview: UploadPreview) -> bytes:
    """The rows in error as a CSV: the file's own columns plus `error`, to fix and re-upload."""
    width = max([len(preview.header), *(len(row.cells) for row in preview.errors)])
    header = [*preview.header, *([""] * (width - len(preview.header))), "error"]
    rows = [[*row.cells, *([""] * (width - len(row.cells))), row.reason] for row in preview.errors]
    return csv_document(header, rows)


def template_document() -> bytes:
    """A CSV to fill in: one identifier per row (the first filled column wins) and its code."""
    return csv_document(TEMPLATE_HEADER, TEMPLATE_ROWS)
