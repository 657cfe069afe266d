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

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from json.encoder import encode_basestring  # C-accelerated, as json.dumps uses

from sqlalchemy import Connection, DateTime, Engine, select, text

from dext_tui.data.client_rows import read_tolerantly_within, stream_tuples
from dext_tui.data.csv_files import CsvTable, csv_document, header_key, undo_neutralised
from dext_tui.data.errors import ServiceError
from dext_tui.data.models import Practice
from dext_tui.data.roles import Action, require
from dext_tui.data.scope import scope_condition
from dext_tui.data.services.writing import (
    ChangeResult,
    ClientChange,
    Clock,
    Writer,
    utc_now,
    writing,
)
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.validation import (
    ValidationError,
    normalize_crn,
    normalize_practice_code,
    sort_key,
)
from dext_tui.data.viewer import Viewer

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
    # What the check was made against: the practice's change number then, the viewer,
    # and the clients as read (so an apply with nothing changed since need not re-read).
    change_seq: int = -1
    viewer: Viewer | None = field(default=None, repr=False, compare=False)
    clients: _Clients | None = field(default=None, repr=False, compare=False)

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
_CHUNK = 5_000  # rows per fetch: between chunks other threads (the UI) get the interpreter


@dataclass
class _Clients:
    """The practice's clients as stored, in the shapes the checks look them up by."""

    change_seq: int  # the practice's change number these were read at
    name: dict[int, str]
    code: dict[int, str]  # client id -> practice code (clients with one)
    state: dict[int, str]
    version: dict[int, int]
    visible: set[int]  # in the viewer's scope (removed ones too, for practice admins)
    by_crn: dict[str, list[int]]  # visible clients only
    by_name: dict[str, list[int]]  # visible clients only, by sort key
    holder: dict[str, int]  # code key -> the client holding it (unique in the practice)
    solo_holders: dict[str, set[int]]  # code key -> clients whose Solo account has it


def _fetch(connection: Connection, sql: str, params: dict) -> Iterator[tuple]:
    """Plain tuples straight from the driver, in chunks (no row objects: 100,000 rows)."""
    for chunk in stream_tuples(connection, sql, params, _CHUNK):
        yield from chunk


def _read_clients(connection: Connection, viewer: Viewer, kinds: Sequence[str]) -> _Clients:
    """Every client of the practice (a code's holder may be outside the viewer's scope);
    lookups by CRN and name only over the clients the viewer sees, and only if needed."""
    practice = Practice.__table__
    change_seq = connection.execute(
        select(practice.c.change_seq).where(practice.c.id == viewer.practice_id)
    ).scalar_one()
    clients = _Clients(change_seq, {}, {}, {}, {}, set(), defaultdict(list), defaultdict(list),
                       {}, defaultdict(set))  # fmt: skip
    rows = _fetch(
        connection,
        "SELECT id, name, crn, practice_code, state, version FROM client "
        "WHERE practice_id = :practice_id",
        {"practice_id": viewer.practice_id},
    )
    name, code_of, state_of, version_of = clients.name, clients.code, clients.state, clients.version
    holder = clients.holder
    for client_id, client_name, _crn, code, state, version in rows:
        name[client_id] = client_name
        state_of[client_id] = state
        version_of[client_id] = version
        if code:
            code_of[client_id] = code
            holder.setdefault(code.casefold(), client_id)
    if viewer.sees_all_clients:  # the scope is the practice, less removed clients for some
        removed_too = viewer.sees_removed_clients
        clients.visible = {
            client_id for client_id, state in state_of.items() if removed_too or state != "removed"
        }
    else:
        where, params = scope_condition(viewer, include_removed=True, scan=True)
        clients.visible = {
            row[0] for row in _fetch(connection, "SELECT c.id FROM client c" + where, params)
        }
    if "crn" in kinds or "client_name" in kinds:
        for client_id, client_name, crn, *_rest in _fetch(
            connection,
            "SELECT id, name, crn FROM client WHERE practice_id = :practice_id",
            {"practice_id": viewer.practice_id},
        ):
            if client_id in clients.visible:
                if crn and "crn" in kinds:
                    clients.by_crn[crn].append(client_id)
                if "client_name" in kinds:
                    clients.by_name[sort_key(client_name)].append(client_id)
    for client_id, code in _fetch(
        connection,
        "SELECT s.client_id, s.practice_code FROM solo_account s "
        "JOIN client c ON c.id = s.client_id "
        "WHERE c.practice_id = :practice_id AND s.practice_code IS NOT NULL",
        {"practice_id": viewer.practice_id},
    ):
        if code and code.strip():
            clients.solo_holders[code.strip().casefold()].add(client_id)
    return clients


# -- the checks ------------------------------------------------------------------------
def find_columns(header: Sequence[str]) -> tuple[list[tuple[str, int]], int]:
    """The identifier columns present, in order of preference, each (kind, column), and
    the code's column; UploadRejected when either is missing. Each row is looked up by
    the first of its identifier cells that is filled."""
    keys = [header_key(cell) for cell in header]
    problems = []

    def column_of(aliases: Sequence[str], what: str) -> int | None:
        columns = [i for i, key in enumerate(keys) if key in aliases]
        if len(columns) > 1:  # which one was meant is a guess: never silently the first
            named = " and ".join(f"{header[i]!r} (column {i + 1})" for i in columns)
            problems.append(f"The header has {len(columns)} {what} columns, {named}: keep one.")
        return columns[0] if columns else None

    code_column = column_of(CODE_ALIASES, "practice code")
    identifiers = []
    for kind, aliases in IDENTIFIER_ALIASES.items():
        column = column_of(aliases, IDENTIFIER_LABELS[kind])
        if column is not None:
            identifiers.append((kind, column))
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
    kinds = [kind for kind, _column in identifiers]
    with read_snapshot(engine) as connection:
        clients = read_tolerantly_within(
            connection, lambda connection: _read_clients(connection, viewer, kinds)
        )
    preview = _check(table, identifiers, code_column, clients)
    return replace(preview, change_seq=clients.change_seq, viewer=viewer, clients=clients)


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
    found = _find_client(row.identifier, row.kind, clients) if row.identifier else None
    if isinstance(found, int):
        row.client_id = found
        row.client_name = clients.name[found]
        row.current_code = clients.code.get(found, "")
    if not row.code:  # whoever the row names: an upload never clears a code
        row.outcome = SKIPPED
        row.reason = "No practice code: skipped (an upload never clears a code)"
        return
    if found is None:
        row.reason = f"No {IDENTIFIER_LABELS[row.kind]}"
        return
    if isinstance(found, str):
        row.reason = found
        return
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
        if not (number.isascii() and number.isdigit()) or len(number) > 18:  # not ² nor ١٢
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
    """The same client or the same code twice in the file: every such row is an error.
    A client counts on every row that gives it a code, a valid one or not (fixing the bad
    one must not leave two codes for it); a code counts where it is valid."""
    naming = [row for row in rows if row.client_id is not None and row.outcome != SKIPPED]
    candidates = [row for row in rows if row.outcome in (UPDATE, UNCHANGED)]
    clients = Counter(row.client_id for row in naming)
    codes = Counter(row.code.casefold() for row in candidates)
    if len(clients) == len(naming) and len(codes) == len(candidates):
        return
    by_client: dict[int | None, list[UploadRow]] = defaultdict(list)
    by_code: dict[str, list[UploadRow]] = defaultdict(list)
    for row in naming:
        if clients[row.client_id] > 1:
            by_client[row.client_id].append(row)
    for row in candidates:
        if codes[row.code.casefold()] > 1:
            by_code[row.code.casefold()].append(row)
    for repeated in by_client.values():
        lines = _lines(repeated)
        for row in repeated:
            if row.outcome != ERROR:  # an invalid code keeps saying so
                row.outcome = ERROR
                row.reason = f"{row.client_name} appears more than once in the file ({lines})"
    for repeated in by_code.values():
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
    (Two rows of the file asking for one code are already errors.) A row found in
    error keeps its client's code where it is, which can put another row in error:
    repeated until nothing changes."""
    moving = {row.client_id: row for row in rows if row.outcome == UPDATE}
    holder, solo_holders = clients.holder, clients.solo_holders
    while True:
        refused = []
        for client_id, row in moving.items():
            key = row.code.casefold()
            other = holder.get(key)
            if other is not None and other != client_id and other not in moving:
                refused.append((row, other))
            elif key in solo_holders and (solo_holders[key] - {client_id}):
                refused.append((row, min(solo_holders[key] - {client_id})))
        if not refused:
            return
        for row, other in refused:
            del moving[row.client_id]
            row.outcome = ERROR
            if other in clients.visible:
                row.reason = f"Practice code {row.code} is already used by {clients.name[other]}"
            else:
                row.reason = f"Practice code {row.code} is already in use"


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
    `expected` (the preview the user agreed to, made from this same `table`), a
    check that now plans other writes (someone took a code meanwhile) refuses;
    nothing is written. When nothing at all was written in the practice since
    `expected` was made, it is used as it is instead of checking again.
    """
    identifiers, code_column = find_columns(table.header)
    if not table.rows:
        raise UploadRejected("The file has a header but no rows: no rows to upload.")
    with writing(engine, viewer, clock) as writer:
        require(writer.viewer, Action.UPLOAD_CODES)  # on the clients in their scope
        if _unchanged_since(expected, writer):
            # No write in the practice since the check (every write bumps its change
            # number) and the viewer as they were: the check stands as it is.
            assert expected is not None and expected.clients is not None
            preview, clients = expected, expected.clients
        else:
            kinds = [kind for kind, _column in identifiers]
            clients = read_tolerantly_within(
                writer.connection,
                lambda connection: _read_clients(connection, writer.viewer, kinds),
            )
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


def _unchanged_since(expected: UploadPreview | None, writer: Writer) -> bool:
    """Whether `expected` was checked against exactly what this transaction sees: the
    practice's change number then is the one just before this write's."""
    return (
        expected is not None
        and expected.clients is not None
        and expected.change_seq == writer.seq - 1
        and expected.viewer == writer.viewer
    )


def _executemany(connection: Connection, sql: str, rows: list[tuple]) -> int:
    """`sql` with `?` placeholders run for every row by the driver itself, in chunks:
    SQLAlchemy's per-row parameter handling costs seconds at 100,000 rows.

    Raw SQL on purpose, here and in the PostgreSQL array statements below: the upload
    writes 100,000 codes within its 5 s target (benchmarks/results/practice_codes-100k*.json:
    apply 4.5 s on PostgreSQL, 2 cores), which per-row Core parameter processing would
    exceed (the "seconds" above); not re-measured under issue 18."""
    if connection.dialect.paramstyle in ("format", "pyformat"):
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    done = 0
    try:
        for start in range(0, len(rows), _CHUNK):
            cursor.executemany(sql, rows[start : start + _CHUNK])
            done += max(cursor.rowcount, 0)
    finally:
        cursor.close()
    return done


def _timestamp(connection: Connection, value: datetime) -> object:
    """`value` as SQLAlchemy would bind it on this backend (SQLite stores text)."""
    impl = connection.dialect.type_descriptor(DateTime(timezone=True))
    process = impl.bind_processor(connection.dialect)
    return process(value) if process else value


def _write_codes(
    connection: Connection, updates: list[UploadRow], clients: _Clients, now: datetime
) -> None:
    new_keys = {row.code.casefold() for row in updates}
    # Codes that move to another client in this file: freed first, so the unique
    # index never sees one code on two clients half-way through.
    freeing = [
        (row.client_id,)
        for row in updates
        if (old := clients.code.get(row.client_id or 0))
        and old.casefold() in new_keys
        and old.casefold() != row.code.casefold()
    ]
    if freeing:
        _executemany(
            connection,
            "UPDATE client SET practice_code = NULL, practice_code_key = NULL WHERE id = ?",
            freeing,
        )
    if connection.dialect.name == "postgresql":
        # One statement over arrays: a statement per row costs a round trip each.
        written = connection.execute(
            text(
                "UPDATE client SET practice_code = v.code, practice_code_key = v.code_key, "
                "updated_at = :now, version = client.version + 1 "
                "FROM unnest(CAST(:ids AS bigint[]), CAST(:codes AS text[]), "
                "CAST(:code_keys AS text[]), CAST(:versions AS bigint[])) "
                "AS v(id, code, code_key, version) "
                "WHERE client.id = v.id AND client.version = v.version"
            ),
            {
                "now": now,
                "ids": [row.client_id for row in updates],
                "codes": [row.code for row in updates],
                "code_keys": [row.code.casefold() for row in updates],
                "versions": [clients.version[row.client_id or 0] for row in updates],
            },
        ).rowcount
    else:
        at = _timestamp(connection, now)
        written = _executemany(
            connection,
            "UPDATE client SET practice_code = ?, practice_code_key = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ? AND version = ?",
            [
                (
                    row.code,
                    row.code.casefold(),
                    at,
                    row.client_id,
                    clients.version[row.client_id or 0],
                )
                for row in updates
            ],  # fmt: skip
        )
    if written != len(updates):  # impossible under the write lock; never half a change
        raise UploadRejected("Another change got in the way: nothing was written. Try again.")


def _code_json(code: str | None) -> str:
    """json.dumps({"practice_code": code}, sort_keys=True, ensure_ascii=False), fast."""
    return '{"practice_code": ' + ("null" if code is None else encode_basestring(code)) + "}"


def _record(writer: Writer, updates: list[UploadRow], clients: _Clients) -> None:
    """One audit event per client changed, as `Writer.record` writes them, sent at once
    (100,000 single inserts would take seconds): one statement over arrays on
    PostgreSQL, the driver's executemany on SQLite."""
    viewer, at = writer.viewer, _timestamp(writer.connection, writer.now)
    events = []
    for row in updates:
        client_id = row.client_id or 0
        old = clients.code.get(client_id)
        events.append(
            (viewer.practice_id, writer.seq, at, viewer.team_member_id, client_id, ACTION,
             _code_json(old), _code_json(row.code), writer.batch_id)
        )  # fmt: skip
        writer.changes.append(
            ClientChange(
                client_id,
                ACTION,
                {"practice_code": old},
                {"practice_code": row.code},
                clients.version[client_id] + 1,
            )
        )
    if writer.connection.dialect.name == "postgresql":
        writer.connection.execute(
            text(
                "INSERT INTO audit_event "
                "(practice_id, seq, at, team_member_id, client_id, action, before, after, "
                "batch_id) SELECT :practice_id, :seq, :at, :member, v.client_id, :action, "
                "v.before, v.after, :batch_id FROM unnest(CAST(:client_ids AS bigint[]), "
                "CAST(:befores AS text[]), CAST(:afters AS text[])) AS v(client_id, before, after)"
            ),
            {
                "practice_id": viewer.practice_id,
                "seq": writer.seq,
                "at": writer.now,
                "member": viewer.team_member_id,
                "action": ACTION,
                "batch_id": writer.batch_id,
                "client_ids": [event[4] for event in events],
                "befores": [event[6] for event in events],
                "afters": [event[7] for event in events],
            },
        )
        return
    _executemany(
        writer.connection,
        "INSERT INTO audit_event "
        "(practice_id, seq, at, team_member_id, client_id, action, before, after, batch_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
