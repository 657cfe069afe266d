"""Upload practice codes (spec section 10): pick a CSV, see every row's outcome, then apply.

Nothing is written until Apply, which says how many rows it will write and
skip first; the rows in error can be saved as a CSV (with an `error` column)
to fix and upload again, and a template can be saved to start from. Reading,
checking and writing run in workers, so the UI stays responsive at 100,000 rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.data.csv_files import CsvRejected, CsvTable, read_csv_file, write_atomically
from dext_tui.data.errors import ServiceError
from dext_tui.data.export import default_export_path
from dext_tui.data.services.practice_code_upload import (
    ERROR,
    OUTCOME_LABELS,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    UploadPreview,
    UploadRow,
    apply_upload,
    check_upload,
    rejected_rows_document,
    template_document,
)
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.viewer import Viewer
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.tools.file_dialogs import OpenCsvDialog, SaveCsvDialog
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.row_table import Column, RowTable
from dext_tui.widgets.safe_text import printable

TEMPLATE_NAME = "practice-codes-template.csv"
# Problems first, so a handful of errors in 100,000 rows are on the first screen.
OUTCOME_RANK = {ERROR: 0, SKIPPED: 1, UPDATE: 2, UNCHANGED: 3}
OUTCOME_TONES = {ERROR: "error", SKIPPED: "warning", UPDATE: "active", UNCHANGED: "none"}

UPLOAD_COMMANDS = (
    Command("select_file", "ctrl+o", "Select file", "Choose the CSV file to upload"),
    Command("apply", "ctrl+s,f2", "Apply", "Write every valid row (says how many first)"),
    Command("save_rejected", "ctrl+r", "Save rejected", "Save the rows in error as a CSV to fix"),
    Command("save_template", "ctrl+t", "Template", "Save a template CSV to fill in"),
    Command("back", "escape", "Back", "Back to the list, writing nothing"),
    HELP,
)


class UploadSource:
    """The preview's rows for the RowTable: one per data row of the file."""

    name_label = "Client"
    columns = (
        Column("outcome", "Outcome", 9),
        Column("code", "Code", 14),
        Column("reason", "Reason", 64),
        Column("current", "Current code", 14),
        Column("line", "Line", 7, numeric=True),
    )

    def __init__(self, preview: UploadPreview) -> None:
        self.rows = preview.rows
        self.ids = np.arange(len(self.rows), dtype=np.int64)
        ranks = np.fromiter(
            (OUTCOME_RANK[row.outcome] for row in self.rows), np.int8, len(self.rows)
        )
        self.order = np.argsort(ranks, kind="stable").astype(np.int64)

    def name(self, position: int) -> str:
        row = self.rows[position]
        return row.client_name or row.identifier

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        row = self.rows[position]
        if key == "outcome":
            return OUTCOME_LABELS[row.outcome], OUTCOME_TONES[row.outcome]
        if key == "code":
            return row.code, None
        if key == "reason":
            return row.reason, "error" if row.outcome == ERROR else None
        if key == "current":
            return row.current_code or ("—" if row.client_id else ""), "none"
        return f"{row.line:,}", None


def rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def describe_row(row: UploadRow) -> str:
    """The highlighted row in full, for the line under the table (narrow terminals cut
    the reason column)."""
    who = row.client_name or row.identifier or "(no client)"
    what = {
        UPDATE: f"{row.current_code or 'no code'} → {row.code}",
        UNCHANGED: f"keeps {row.code}",
    }.get(row.outcome, row.reason)
    return printable(f"Line {row.line:,} · {who} · {OUTCOME_LABELS[row.outcome]}: {what}")


def describe_totals(preview: UploadPreview) -> str:
    totals = preview.totals
    return (
        f"{len(preview.rows):,} rows: {totals[UPDATE]:,} to update · "
        f"{totals[UNCHANGED]:,} unchanged · {totals[SKIPPED]:,} skipped · "
        f"{totals[ERROR]:,} with errors" + (" (shown first)" if totals[ERROR] else "")
    )


class UploadCodesScreen(ReportsWorkerFailures, CommandScreen, Screen[ChangeResult | None]):
    """Dismissed with the apply's ChangeResult, or None when nothing was written."""

    COMMANDS_LIST = UPLOAD_COMMANDS
    BINDING_GROUP_TITLE = "Upload practice codes"
    AUTO_FOCUS = "#upload-path"

    DEFAULT_CSS = """
    UploadCodesScreen { layout: vertical; }
    #upload-page { height: 1fr; padding: 0 1; }
    #upload-title { text-style: bold; height: 1; }
    #upload-intro { color: $text-muted; height: auto; width: 100%; }
    #upload-file-row { height: 1; margin-top: 1; }
    #upload-file-label { width: 6; }
    #upload-path { width: 1fr; }
    #upload-file-row Button { min-width: 0; margin-left: 1; }
    #upload-status { height: auto; max-height: 4; width: 100%; }
    #upload-status.-error { color: $text-error; }
    #upload-totals { height: 1; text-style: bold; }
    #upload-preview { height: 1fr; }
    #upload-detail { height: auto; max-height: 3; background: $panel; width: 100%; }
    #upload-buttons { height: 1; }
    #upload-buttons Button { min-width: 0; margin-right: 2; }
    """

    @dataclass
    class Checked(Message):
        token: int
        path: str
        table: CsvTable | None
        preview: UploadPreview | None
        source: UploadSource | None
        refusal: str | None

    @dataclass
    class Applied(Message):
        token: int
        result: ChangeResult | None
        refusal: str | None

    @dataclass
    class Saved(Message):
        what: str
        path: str | None
        refusal: str | None

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.token = 0  # bumped for every file read: older answers are dropped
        self.path: str | None = None
        self.table: CsvTable | None = None
        self.preview: UploadPreview | None = None
        self.busy: str | None = None  # "checking" or "applying"
        self.refusal_note: str | None = None  # why an apply was refused, shown with the re-check

    def compose(self) -> ComposeResult:
        with Vertical(id="upload-page"):
            yield Label("Upload practice codes", id="upload-title")
            yield Label(
                "A CSV with a client_id, crn or client_name column and a practice_code "
                "column. Every row is checked before anything is written.",
                id="upload-intro",
            )
            with Horizontal(id="upload-file-row"):
                yield Label("File:", id="upload-file-label")
                yield Input(
                    placeholder="Type a path and press enter, or Select file (ctrl+o)",
                    id="upload-path",
                    compact=True,
                )
                yield Button("Select file", id="upload-select", compact=True)
            yield Static("", id="upload-status")
            yield Static("", id="upload-totals")
            yield RowTable(id="upload-preview")
            yield Static("", id="upload-detail")
            with Horizontal(id="upload-buttons"):
                yield Button("Apply", id="upload-apply", variant="primary", compact=True)
                yield Button("Save rejected rows", id="upload-rejected", compact=True)
                yield Button("Save template", id="upload-template", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(RowTable).show(
            _EmptySource(),
            empty_message="No file yet: select a CSV file to see what it would change.",
        )
        self._update_buttons()

    # -- what the page says ---------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#upload-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    def _update_buttons(self) -> None:
        preview = self.preview
        idle = self.busy is None
        self.query_one("#upload-apply", Button).disabled = not (
            idle and preview is not None and preview.totals[UPDATE] > 0
        )
        self.query_one("#upload-rejected", Button).disabled = not (
            preview is not None and preview.totals[ERROR] > 0
        )
        self.query_one("#upload-select", Button).disabled = not idle

    # -- choosing and checking a file -----------------------------------------------
    def action_select_file(self) -> None:
        if self.busy == "applying":
            return
        start = Path(self.path).parent if self.path else Path.cwd()
        self.app.push_screen(
            OpenCsvDialog(start, "Upload practice codes: choose a CSV file"),
            self._file_chosen,
        )

    def _file_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.query_one("#upload-path", Input).value = str(path)
            self.check_file(str(path))

    @on(Button.Pressed, "#upload-select")
    def select_pressed(self) -> None:
        self.action_select_file()

    @on(Input.Submitted, "#upload-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.check_file(os.path.expanduser(event.value.strip()))

    def check_file(self, path: str) -> None:
        if self.busy == "applying":
            self.say("Writing the codes: one moment.")
            return
        self.token += 1
        self.busy = "checking"
        self.path, self.table, self.preview = path, None, None
        self.query_one("#upload-totals", Static).update("")
        self.query_one(RowTable).show(
            _EmptySource(), empty_message=f"Checking {printable(Path(path).name)}…"
        )
        self.say(f"Reading and checking {path}…")
        self._update_buttons()
        self._check(self.token, path)

    def _idle(self) -> None:
        self.busy = None

    @background(
        OnFailure(
            "Could not check the file: {reason}. Nothing was written; press enter in the file "
            "box to try again.",
            reset=_idle,
        ),
        group="upload-check",
        exclusive=True,
    )
    def _check(self, token: int, path: str) -> None:
        try:
            table = read_csv_file(path)
            preview = check_upload(self.engine, self.viewer, table)
            source = UploadSource(preview)
        except (CsvRejected, ServiceError) as refusal:
            self.post_message(self.Checked(token, path, None, None, None, refusal.message))
            return
        self.post_message(self.Checked(token, path, table, preview, source, None))

    def on_upload_codes_screen_checked(self, message: Checked) -> None:
        if message.token != self.token:
            return  # another file was chosen since
        self.busy = None
        table = self.query_one(RowTable)
        if message.refusal is not None or message.preview is None or message.source is None:
            table.show(_EmptySource(), empty_message="Nothing to show: the file was refused.")
            self.say(f"{message.refusal} Nothing was written.", error=True)
            self._update_buttons()
            return
        self.table, self.preview = message.table, message.preview
        preview = message.preview
        notes = [
            f"{Path(message.path).name}: {preview.encoding}, {preview.delimiter_name}-separated."
        ]
        notes += preview.notices
        if preview.totals[UPDATE]:
            notes.append("Nothing is written until you Apply (ctrl+s or f2).")
        elif not preview.errors:
            notes.append("Nothing to change: every code is already as the file says.")
        note, self.refusal_note = self.refusal_note, None
        self.say(" ".join([note, *notes] if note else notes), error=bool(note))
        self.query_one("#upload-totals", Static).update(Content(describe_totals(preview)))
        table.show(message.source, message.source.order, empty_message="")
        self._update_buttons()
        table.focus()

    def on_row_table_highlighted(self, message: RowTable.Highlighted) -> None:
        table = message.table
        source = table.source
        position = table.highlighted_position
        detail = self.query_one("#upload-detail", Static)
        if isinstance(source, UploadSource) and position is not None:
            detail.update(Content(describe_row(source.rows[position])))
        else:
            detail.update("")

    # -- applying -------------------------------------------------------------------
    def action_apply(self) -> None:
        preview, table = self.preview, self.table
        if self.busy is not None:
            self.say("One moment: still working on the file.")
            return
        if preview is None or table is None:
            self.say("Select a file first (ctrl+o): nothing to apply yet.")
            return
        writes = preview.totals[UPDATE]
        if not writes:
            self.say("Nothing to apply: no row changes a code.")
            return
        skipped = len(preview.rows) - writes
        totals = preview.totals
        details = [
            f"{totals[ERROR]:,} with errors" if totals[ERROR] else "",
            f"{totals[SKIPPED]:,} without a code" if totals[SKIPPED] else "",
            f"{totals[UNCHANGED]:,} unchanged" if totals[UNCHANGED] else "",
        ]
        why = ", ".join(part for part in details if part)
        self.app.push_screen(
            ConfirmScreen(
                "Apply practice codes?",
                f"{rows(writes)} will be written, {skipped:,} skipped"
                + (f" ({why})" if why else "")
                + ". All in one change: if anything fails, nothing is written.",
                "Apply",
            ),
            self._apply_confirmed,
        )

    @on(Button.Pressed, "#upload-apply")
    def apply_pressed(self) -> None:
        self.action_apply()

    def _apply_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed or self.preview is None or self.table is None:
            return
        self.busy = "applying"
        self._update_buttons()
        self.say(f"Writing {self.preview.totals[UPDATE]:,} practice codes…")
        self._apply(self.token, self.table, self.preview)

    @background(
        OnFailure("Could not write the codes: {reason}. Nothing was written.", reset=_idle),
        group="upload-apply",
        exclusive=True,
    )
    def _apply(self, token: int, table: CsvTable, preview: UploadPreview) -> None:
        try:
            result = apply_upload(
                self.engine, self.viewer, table, skip_errors=True, expected=preview
            )
        except ServiceError as refusal:
            self.post_message(self.Applied(token, None, refusal.message))
            return
        self.post_message(self.Applied(token, result, None))

    def on_upload_codes_screen_applied(self, message: Applied) -> None:
        self.busy = None
        if message.result is None:
            self._update_buttons()
            self.say(f"{message.refusal}", error=True)
            if self.path and message.token == self.token:
                self.refusal_note = f"{message.refusal} Checked again:"
                self.check_file(self.path)  # show what the file would do now
            return
        count = len(message.result.changes)
        self.app.notify(f"Updated {count:,} practice codes.", title="Upload practice codes")
        self.dismiss(message.result)

    # -- files to save --------------------------------------------------------------
    def action_save_rejected(self) -> None:
        preview = self.preview
        if preview is None or not preview.errors:
            self.say("No rows in error to save." if preview else "Select a file first (ctrl+o).")
            return
        source = Path(self.path or "upload.csv")
        self.app.push_screen(
            SaveCsvDialog(
                source.parent if source.parent.is_dir() else Path.cwd(),
                "Save the rejected rows",
                f"{source.stem}-rejected.csv",
            ),
            lambda path: self._save("rejected", path),
        )

    @on(Button.Pressed, "#upload-rejected")
    def rejected_pressed(self) -> None:
        self.action_save_rejected()

    def action_save_template(self) -> None:
        folder = default_export_path().parent
        self.app.push_screen(
            SaveCsvDialog(folder, "Save a template CSV", TEMPLATE_NAME),
            lambda path: self._save("template", path),
        )

    @on(Button.Pressed, "#upload-template")
    def template_pressed(self) -> None:
        self.action_save_template()

    def _save(self, what: str, path: Path | None) -> None:
        if path is None:
            return
        if what == "rejected":
            if self.preview is None:
                return
            data = rejected_rows_document(self.preview)
        else:
            data = template_document()
        self._write(what, str(path), data)

    @background(OnFailure("Could not save: {reason}."), group="upload-save")
    def _write(self, what: str, path: str, data: bytes) -> None:
        try:
            write_atomically(path, data)
        except OSError as error:
            self.post_message(self.Saved(what, None, f"{path}: {error.strerror or error}"))
            return
        self.post_message(self.Saved(what, path, None))

    def on_upload_codes_screen_saved(self, message: Saved) -> None:
        if message.refusal:
            self.say(f"Could not save {message.refusal}. Nothing was written there.", error=True)
        elif message.what == "rejected" and self.preview is not None:
            count = len(self.preview.errors)
            self.say(
                f"Saved {count:,} rejected rows to {message.path}, each with its error: "
                "fix them and upload that file."
            )
        else:
            self.say(f"Saved the template to {message.path}.")

    # -- leaving --------------------------------------------------------------------
    def action_back(self) -> None:
        if self.busy == "applying":
            self.say("Writing the codes: one moment, then the list shows them.")
            return
        self.dismiss(None)

    def show_failure(self, text: str) -> None:
        self.say(text, error=True)
        self._update_buttons()


class _EmptySource:
    """No rows (before a file is chosen, or while one is read)."""

    name_label = "Client"
    columns = UploadSource.columns
    ids = np.empty(0, dtype=np.int64)

    def name(self, position: int) -> str:
        return ""

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        return "", None
