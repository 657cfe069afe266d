"""The import's review step: totals per action and the rows under each, then Import.

Import applies every row in one transaction (`apply_import`): all or nothing.
A refusal (rows imported by someone else meanwhile, a full client bundle...)
or a failure is said on this page, and nothing was written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.data.errors import NotAllowed, ServiceError
from dext_tui.data.services.precision_import import (
    ACTION_LABELS,
    LATER,
    LINK,
    NEW,
    ImportChoice,
    apply_import,
)
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.viewer import Viewer
from dext_tui.screens.import_precision.import_rows import ACTION_CODES, ACTION_TONES, ImportRows
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.row_table import Column, RowTable
from dext_tui.widgets.safe_text import printable

REVIEW_ORDER = (LINK, NEW, LATER)
REVIEW_COMMANDS = (
    Command("import_clients", "ctrl+s,f2", "Import clients", "Apply every row, all or nothing"),
    Command("back", "escape,b", "Back", "Back to the rows, to change an action"),
    HELP,
)
REVIEW_COLUMNS = (
    Column("outcome", "Becomes", 35),  # with the name (30) and CRN: fits 80 columns
    Column("crn", "CRN", 9),  # 8 characters and the gap: never cut
)


class ReviewSource:
    """Each action's heading, then its rows (import row positions)."""

    name_label = "Precision client"
    columns = REVIEW_COLUMNS

    def __init__(self, rows: ImportRows) -> None:
        self.rows = rows
        lines: list[np.ndarray] = []
        self.headings: dict[int, str] = {}  # line -> action
        at = 0
        for action in REVIEW_ORDER:
            members = np.flatnonzero(rows.actions == ACTION_CODES.index(action))
            if not len(members):
                continue
            self.headings[at] = action
            lines += [np.array([-1], dtype=np.int64), members.astype(np.int64)]
            at += 1 + len(members)
        self.lines = np.concatenate(lines) if lines else np.empty(0, dtype=np.int64)
        self.ids = np.arange(len(self.lines), dtype=np.int64)
        self.counts = rows.counts()

    def name(self, position: int) -> str:
        if position in self.headings:
            action = self.headings[position]
            return f"{ACTION_LABELS[action]}: {self.counts[action]:,}"
        return "  " + self.rows.name(int(self.lines[position]))

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        if position in self.headings:
            return "", None
        row = int(self.lines[position])
        if key == "crn":
            return self.rows.cell("crn", row)
        action = self.rows.action(row)
        if action == LINK:
            candidate = int(self.rows.linked[row])
            return f"→ {self.rows.candidates.names[candidate]}", ACTION_TONES[LINK]
        if action == NEW:
            return "a new client (Precision)", ACTION_TONES[NEW]
        return "waits for next time", ACTION_TONES[LATER]


class ReviewTable(RowTable):
    name_min_width = 30


class ImportReviewScreen(ReportsWorkerFailures, CommandScreen, Screen[ChangeResult | None]):
    """Dismissed with the import's ChangeResult, or None to go back to the rows."""

    COMMANDS_LIST = REVIEW_COMMANDS
    BINDING_GROUP_TITLE = "Review the import"
    AUTO_FOCUS = "#review-table"
    DEFAULT_CSS = """
    ImportReviewScreen #review-title { height: 1; text-style: bold; padding: 0 1; }
    ImportReviewScreen #review-totals { height: auto; padding: 0 1; }
    ImportReviewScreen #review-status { height: auto; padding: 0 1; color: $text-warning; }
    ImportReviewScreen #review-buttons { height: 1; padding: 0 1; }
    ImportReviewScreen #review-buttons Button { margin-right: 2; }
    """

    @dataclass
    class Refused(Message):
        reason: str

    @dataclass
    class Imported(Message):
        result: ChangeResult

    def __init__(self, engine: Engine, viewer: Viewer, rows: ImportRows) -> None:
        super().__init__()
        self.engine, self.viewer, self.rows = engine, viewer, rows
        self.source = ReviewSource(rows)
        self.importing = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Import Precision Clients · Review"), id="review-title")
        counts = self.source.counts
        totals = " · ".join(f"{ACTION_LABELS[a]}: {counts[a]:,}" for a in REVIEW_ORDER)
        yield Static(Content(totals), id="review-totals")
        yield ReviewTable(id="review-table")
        yield Static("", id="review-status")
        with Horizontal(id="review-buttons"):
            yield Button(
                "Import clients (ctrl+s)", id="review-import", variant="primary", compact=True
            )
            yield Button("Back (esc)", id="review-back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ReviewTable).show(self.source, empty_message="No rows to import.")

    def _say(self, text: str) -> None:
        self.query_one("#review-status", Static).update(Content(printable(text)))

    def action_back(self) -> None:
        if not self.importing:
            self.dismiss(None)

    def action_import_clients(self) -> None:
        if self.importing:
            return
        counts = self.rows.counts()
        if not counts[LINK] and not counts[NEW]:
            # Nothing would be linked or created: say so rather than report an import of 0.
            self._say(
                "Nothing to import: every row is Set up later. Press esc and choose "
                "2 (Link) or 3 (Import as new) for a row."
            )
            return
        self.importing = True
        self._say(f"Importing {len(self.rows):,} rows…")
        self.apply(self.rows.choices())

    def _not_importing(self) -> None:
        self.importing = False

    @background(
        OnFailure(
            "Nothing was imported: {reason}. Press ctrl+s to try again.", reset=_not_importing
        ),
        group="import",
        exclusive=True,
    )
    def apply(self, choices: list[ImportChoice]) -> None:
        try:
            result = apply_import(self.engine, self.viewer, choices)
        except NotAllowed as refusal:  # taken meanwhile, no longer eligible, no room...
            self.post_message(
                self.Refused(
                    f"{refusal.message} (esc goes back; ctrl+r there reads the rows again)"
                )
            )
            return
        except ServiceError as error:
            self.post_message(self.Refused(error.message))
            return
        self.post_message(self.Imported(result))

    def on_import_review_screen_refused(self, message: Refused) -> None:
        self.importing = False
        self._say(message.reason)

    def on_import_review_screen_imported(self, message: Imported) -> None:
        self.dismiss(message.result)

    def show_failure(self, text: str) -> None:
        self._say(text)

    @on(Button.Pressed, "#review-import")
    def import_pressed(self) -> None:
        self.action_import_clients()

    @on(Button.Pressed, "#review-back")
    def back_pressed(self) -> None:
        self.action_back()
