"""The client list as a CSV file for Excel (spec section 11).

The document is built in memory (with progress, so a screen can show a bar)
and then saved atomically wherever the user says: a failure never leaves half
a file. Scope: every client the viewer sees on the list, or the clients of
the list's current search and filter view, in that view's order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from dext_tui.data.client_rows import read_tolerantly, stream_tuples
from dext_tui.data.csv_files import csv_document, neutralise, write_atomically
from dext_tui.data.regular_files import check_write_target
from dext_tui.data.scope import scope_condition
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import (
    CLIENT_STATE_LABELS,
    INTEGRATION_SOFTWARE,
    INTEGRATION_STATUS_LABELS,
    PRODUCT_STATUS_LABELS,
)

EXPORT_COLUMNS = (
    "Client ID",
    "Client name",
    "Prepare status",
    "Precision status",
    "Solo status",
    "Costs items",
    "Sales items",
    "CRN",
    "Practice code",
    "Integration",
    "Integration status",
    "Client state",
    "Created",
)
NOT_SET_UP = "Not set up"  # the list's "—", said in words for a spreadsheet
Progress = Callable[[int, int], None]  # (rows done, rows in all)
_CHUNK = 5_000

_COLUMNS = """
SELECT c.id, c.name, p.status, pr.status, s.status, p.costs_count, p.sales_count,
       c.crn, c.practice_code, p.integration_software, p.integration_status, c.state,
       c.created_at"""
_FROM = """
FROM client c
LEFT JOIN prepare_account p ON p.client_id = c.id
LEFT JOIN precision_account pr ON pr.client_id = c.id
LEFT JOIN solo_account s ON s.client_id = c.id
"""
_SELECT = _COLUMNS + _FROM


@dataclass(frozen=True)
class ExportDocument:
    """A finished export: the file's bytes and how many clients it lists."""

    data: bytes
    clients: int


def default_file_name(today: date | None = None) -> str:
    return f"dext-client-list-{(today or date.today()):%Y-%m-%d}.csv"


def default_export_path(today: date | None = None) -> Path:
    """The Downloads folder if the user has one, else the working directory."""
    folder = Path.cwd()
    try:
        from platformdirs import user_downloads_dir

        downloads = Path(user_downloads_dir())
        if downloads.is_dir():
            folder = downloads
    except Exception:  # no desktop folders (a server): the working directory
        pass
    return folder / default_file_name(today)


_STATUS = {None: NOT_SET_UP, "not_set_up": NOT_SET_UP, **PRODUCT_STATUS_LABELS}
_SOFTWARE = {None: "", **INTEGRATION_SOFTWARE}
_INTEGRATION = {None: "", **INTEGRATION_STATUS_LABELS}


def _created(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # SQLite hands raw SQL its stored text (UTC)
        return value[:19].replace("T", " ")
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return f"{value:%Y-%m-%d %H:%M:%S}"


def _text(value: str | None) -> str:
    return "" if value is None else neutralise(value)


def _line(row: tuple) -> tuple:
    """One client as the file's cells: text from the database neutralised, the
    vocabularies as the list names them, numbers as numbers."""
    (client_id, name, prepare, precision, solo, costs, sales, crn, code, software,
     integration, state, created) = row  # fmt: skip
    has_prepare = prepare is not None
    return (
        client_id,
        neutralise(name),
        _STATUS.get(prepare, prepare),
        _STATUS.get(precision, precision),
        _STATUS.get(solo, solo),
        costs if has_prepare else 0,
        sales if has_prepare else 0,
        _text(crn),
        _text(code),
        _text(_SOFTWARE.get(software, software)),
        _INTEGRATION.get(integration, integration) if has_prepare else "",
        CLIENT_STATE_LABELS.get(state, state),
        _created(created),
    )


def _fetch(connection: Connection, sql: str, params: dict) -> list[tuple]:
    """Plain tuples from the driver in chunks (row objects cost more than the read)."""
    rows: list[tuple] = []
    for chunk in stream_tuples(connection, sql, params, _CHUNK):
        rows.extend(chunk)
    return rows


def _read(connection: Connection, viewer: Viewer, client_ids: Sequence[int] | None) -> list[tuple]:
    """The rows to export, in order: the list's name order, or the order of `client_ids`."""
    if client_ids is None:
        # Read in storage order and sorted by the database (a walk of the name index
        # fetches every client's page at random: twice as slow at 100,000).
        where, params = scope_condition(viewer, scan=True)
        return _fetch(connection, _SELECT + where + " ORDER BY c.sort_name, c.id", params)
    # A view may show removed clients (the Removed filter), to those allowed to see them.
    where, params = scope_condition(viewer, include_removed=True, scan=True)
    by_id = {row[0]: row for row in _fetch(connection, _SELECT + where, params)}
    return [by_id[client_id] for client_id in client_ids if client_id in by_id]


def build_export(
    engine: Engine,
    viewer: Viewer,
    client_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> ExportDocument:
    """The CSV of every client the viewer sees (`client_ids` None), or of those of
    `client_ids` the viewer may see, in that order."""
    ids = None if client_ids is None else [int(client_id) for client_id in client_ids]
    rows = read_tolerantly(engine, lambda connection: _read(connection, viewer, ids))
    total = len(rows)
    if progress:
        progress(0, total)
    lines: list[tuple] = []
    for start in range(0, total, _CHUNK):
        lines.extend(_line(row) for row in rows[start : start + _CHUNK])
        if progress:
            progress(min(start + _CHUNK, total), total)
    return ExportDocument(csv_document(EXPORT_COLUMNS, lines, prepared=True), total)


def save_export(document: ExportDocument, path: str | os.PathLike[str]) -> Path:
    """Write the document to `path` atomically (all of it, or the old file untouched)."""
    return write_atomically(path, document.data)


def export_client_list(
    engine: Engine,
    viewer: Viewer,
    path: str | os.PathLike[str],
    client_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> ExportDocument:
    check_write_target(path)  # a device, FIFO or folder refused before the work, not after
    document = build_export(engine, viewer, client_ids, progress)
    save_export(document, path)
    return document


def search_view_ids(engine: Engine, viewer: Viewer, search: str) -> list[int]:
    """The client ids the list shows for `search` (no filters), in its order: the list's
    own search, so a headless export and the TUI's agree."""
    from dext_tui.data.client_rows import load_all_rows
    from dext_tui.data.client_view import ClientQuery, ClientView

    rows = load_all_rows(engine, viewer)
    positions = ClientView(rows).apply(ClientQuery(search=search))
    return rows.ids[positions].tolist()
