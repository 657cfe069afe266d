"""Import Precision Clients (spec section 8): every waiting Precision client, its
proposed Prepare match and an action per row, then a review and one import.

The rows and the eligible Prepare clients are read and matched in a worker,
with a progress bar; then the link picker's search index is built behind the
rows. Each row's action is set with 1 / 2 / 3 or the selector under the table;
bulk keys accept every proposed match or import every remaining row as new.
Next shows the review (`import_review.py`), which applies everything at once.

Dismissed with the import's ChangeResult (the list patches `client_ids` in),
or None when left without importing.
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
from textual.widgets import Button, Label, ProgressBar, Select, Static

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.data import roles
from dext_tui.data.client_view import ClientView
from dext_tui.data.gc_pause import collector_paused
from dext_tui.data.services.precision_import import (
    ACTION_LABELS,
    ACTIONS,
    LATER,
    LINK,
    NEW,
    ImportData,
    load_import,
)
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.viewer import Viewer
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.import_precision.import_review import ImportReviewScreen
from dext_tui.screens.import_precision.import_rows import ImportRows
from dext_tui.screens.import_precision.link_picker import LinkPickerScreen
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.row_table import RowTable
from dext_tui.widgets.safe_text import printable

IMPORT_COMMANDS = (
    Command("set_action('later')", "1", "Later", "Set up later: the highlighted row waits"),
    Command(
        "set_action('link')",
        "2",
        "Link",
        "Link the highlighted row to its Prepare match (or choose one)",
    ),
    Command("set_action('new')", "3", "New", "Import the highlighted row as a new client"),
    Command("change_match", "c", "Match", "Choose the Prepare client the highlighted row links to"),
    Command("accept_matches", "a", "Accept", "Link every row that has a proposed match"),
    Command("remaining_as_new", "r", "Rest new", "Set every Set-up-later row to Import as new"),
    # Its button under the table says its key: the footer keeps room for the rest.
    Command(
        "next", "n", "Next", "Review the import: totals and rows per action", show_in_footer=False
    ),
    Command("reload", "ctrl+r", "Reload", "Read the waiting rows again", show_in_footer=False),
    Command("leave", "escape", "Back", "Back to the client list without importing"),
    HELP,
)
ACTION_CHOICES = [(ACTION_LABELS[action], action) for action in ACTIONS]
PROGRESS_STEPS = 100


class ImportTable(RowTable):
    name_min_width = 24


class ImportPrecisionScreen(ReportsWorkerFailures, CommandScreen, Screen[ChangeResult | None]):
    COMMANDS_LIST = IMPORT_COMMANDS
    BINDING_GROUP_TITLE = "Import Precision clients"
    AUTO_FOCUS = "#import-table"
    DEFAULT_CSS = """
    ImportPrecisionScreen #import-title { height: 1; text-style: bold; padding: 0 1; }
    ImportPrecisionScreen #import-progress { height: 1; padding: 0 1; }
    ImportPrecisionScreen #import-progress-label { width: auto; margin-right: 1; }
    ImportPrecisionScreen #import-detail { height: 1; padding: 0 1; background: $panel; }
    ImportPrecisionScreen #import-controls { height: 1; padding: 0 1; }
    ImportPrecisionScreen #import-controls Label { width: auto; margin-right: 1; }
    ImportPrecisionScreen #import-action { width: 26; margin-right: 2; }
    ImportPrecisionScreen #import-controls Button { margin-right: 1; min-width: 0; }
    ImportPrecisionScreen #import-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    @dataclass
    class Progressed(Message):
        load: int
        fraction: float
        stage: str

    @dataclass
    class Loaded(Message):
        load: int
        data: ImportData

    @dataclass
    class SearchReady(Message):
        load: int
        view: ClientView

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine, self.viewer = engine, viewer
        self.rows: ImportRows | None = None
        self.view: ClientView | None = None  # the link picker's search, once built
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(Content("Import Precision Clients"), id="import-title")
        with Horizontal(id="import-progress"):
            yield Label("Reading waiting clients…", id="import-progress-label")
            yield ProgressBar(total=PROGRESS_STEPS, show_eta=False, id="import-progress-bar")
        yield ImportTable(id="import-table")
        yield Static("", id="import-detail")
        with Horizontal(id="import-controls"):
            yield Label("Action:")
            yield Select(
                ACTION_CHOICES, value=LATER, allow_blank=False, id="import-action", compact=True
            )
            yield Button("Next (n)", id="import-next", variant="primary", compact=True)
        yield Static("", id="import-status")
        yield KeyFooter(compact=True)  # every key of the page fits 80 columns

    def on_mount(self) -> None:
        self.start_loading()

    # -- loading -----------------------------------------------------------------
    def start_loading(self) -> None:
        self.loads += 1
        self.rows, self.view = None, None
        self.query_one("#import-progress").display = True
        self.query_one(ImportTable).show(_EMPTY, empty_message="Loading…")
        self._say("")
        self.load(self.loads)

    @background(
        OnFailure(
            "Could not read the waiting clients: {reason}",
            show=lambda screen, text: screen.show_load_failure(text),
        ),
        group="load",
        exclusive=True,
    )
    def load(self, load: int) -> None:
        last = [-1]

        def progress(fraction: float) -> None:
            step = int(fraction * PROGRESS_STEPS)
            if step != last[0]:  # a message per step, not per call
                last[0] = step
                self.post_message(self.Progressed(load, fraction, "Matching with Prepare clients…"))

        data = load_import(self.engine, self.viewer, progress)
        self.post_message(self.Loaded(load, data))
        with collector_paused():
            view = ClientView(data.candidates)
            view.warm_up()
        self.post_message(self.SearchReady(load, view))

    def on_import_precision_screen_progressed(self, message: Progressed) -> None:
        if message.load != self.loads:
            return
        self.query_one("#import-progress-label", Label).update(message.stage)
        self.query_one(ProgressBar).update(progress=message.fraction * PROGRESS_STEPS)

    def on_import_precision_screen_loaded(self, message: Loaded) -> None:
        if message.load != self.loads:
            return
        self.query_one("#import-progress").display = False
        self.rows = ImportRows(message.data)
        self.query_one(ImportTable).show(
            self.rows, empty_message="No Precision clients are waiting to be imported."
        )
        self._show_detail()
        self._show_counts()

    def on_import_precision_screen_search_ready(self, message: SearchReady) -> None:
        if message.load == self.loads:
            self.view = message.view

    def action_reload(self) -> None:
        self.start_loading()

    def show_load_failure(self, text: str) -> None:
        """The rows could not be read: said in the empty table, and how to retry below it."""
        self.query_one("#import-progress").display = False
        self.query_one(ImportTable).show(_EMPTY, empty_message=text)
        self._say(f"{text}. Press ctrl+r to try again.")

    def show_failure(self, text: str) -> None:
        self._say(text)

    # -- showing -----------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.query_one("#import-status", Static).update(Content(printable(text)))

    def _show_counts(self) -> None:
        if self.rows is None:
            return
        if not len(self.rows):
            self._say("No Precision clients are waiting to be imported.")
            return
        counts = self.rows.counts()
        self._say(
            f"{len(self.rows):,} waiting · Link {counts[LINK]:,} · New {counts[NEW]:,} · "
            f"Later {counts[LATER]:,}"
        )

    def _highlighted(self) -> int | None:
        if self.rows is None:
            return None
        return self.query_one(ImportTable).highlighted_position

    def _show_detail(self) -> None:
        row = self._highlighted()
        detail = self.query_one("#import-detail", Static)
        select = self.query_one("#import-action", Select)
        if row is None or self.rows is None:
            detail.update("")
            return
        rows = self.rows
        client_id = rows.linked_client_id(row)
        if client_id is None:
            parts = ["No confident match"]
        else:
            candidate = int(rows.linked[row])
            match_crn = rows.candidates.crns[candidate]
            name = printable(rows.candidates.names[candidate])
            crn_part = f" ({match_crn})" if match_crn else ""
            parts = [f"Match: {name}{crn_part}, {rows.reason(row)}"]
        crn, software = rows.cell("crn", row)[0], rows.cell("software", row)[0]
        parts.append(f"CRN {crn}" if crn != "—" else "no CRN")
        if software != "—":
            parts.append(software)
        parts.append(printable(rows.name(row)))
        detail.update(Content(" · ".join(parts)))
        with select.prevent(Select.Changed):
            select.value = rows.action(row)

    def on_row_table_highlighted(self, message: RowTable.Highlighted) -> None:
        if message.table is self.query_one(ImportTable):
            self._show_detail()

    def _changed(self) -> None:
        self.query_one(ImportTable).refresh_rows()
        self._show_detail()
        self._show_counts()

    # -- actions on the highlighted row ----------------------------------------------
    def action_set_action(self, action: str) -> None:
        row = self._highlighted()
        if row is None or self.rows is None:
            return
        if action == LINK:
            if not self.rows.link_to_match(row):
                self.action_change_match()
                return
        elif action == NEW:
            if not self._may_add_clients():
                return
            self.rows.set_new(row)
        else:
            self.rows.set_later(row)
        self._changed()

    @on(Select.Changed, "#import-action")
    def action_selected(self, event: Select.Changed) -> None:
        row = self._highlighted()
        if row is None or self.rows is None or event.value == self.rows.action(row):
            return
        self.action_set_action(str(event.value))
        self._show_detail()  # the picker may not have linked it (yet)

    def action_change_match(self) -> None:
        row = self._highlighted()
        if row is None or self.rows is None:
            return
        if self.view is None:
            self.notify(
                "Still preparing the search of Prepare clients; try again in a moment.",
                title="Link",
            )
            return
        picker = LinkPickerScreen(
            self.view,
            self.rows.name(row),
            self.rows.taken_client_ids(except_row=row),
            search=self.rows.name(row),
        )
        self.app.push_screen(picker, lambda client_id: self._picked(row, client_id))

    def _picked(self, row: int, client_id: int | None) -> None:
        if client_id is not None and self.rows is not None:
            self.rows.link_to_client(row, client_id)
        self._changed()

    def _may_add_clients(self) -> bool:
        """Said at once rather than at the end: the import would refuse new clients."""
        reason = roles.refusal(self.viewer, roles.Action.IMPORT_AS_NEW)
        if reason is None:
            return True
        self.notify(
            f"{reason} Link the rows or set them up later.",
            severity="warning",
            title="Import as new",
        )
        self._show_detail()
        return False

    # -- bulk ------------------------------------------------------------------------
    def action_accept_matches(self) -> None:
        if not self.rows:
            return
        accepted, skipped = self.rows.accept_all_matches()
        self.notify(self._accepted_words(accepted, skipped), title="Accept all matches")
        self._changed()

    def _accepted_words(self, accepted: int, skipped: int) -> str:
        """What `a` did: rows it changed, or why it changed none."""
        assert self.rows is not None
        proposed = self.rows.proposal_count()
        if not proposed:
            return "No row has a proposed match: nothing changed."
        if not accepted and not skipped:
            return f"All {proposed:,} proposed matches are already chosen: nothing changed."
        note = f"Linked {accepted:,} row{_s(accepted)} to their proposed match."
        if skipped:
            note += f" {skipped:,} left as they were: another row links their match."
        return note

    def action_remaining_as_new(self) -> None:
        if not self.rows or not self._may_add_clients():
            return
        changed = self.rows.remaining_as_new()
        said = (
            f"{changed:,} row{_s(changed)} set to Import as new client."
            if changed
            else "No row is Set up later: nothing changed."
        )
        self.notify(said, title="Remaining rows")
        self._changed()

    # -- next and leaving ---------------------------------------------------------------
    def action_next(self) -> None:
        if not self.rows:
            self.notify("There is nothing to import.", title="Import")
            return
        self.app.push_screen(
            ImportReviewScreen(self.engine, self.viewer, self.rows), self._reviewed
        )

    @on(Button.Pressed, "#import-next")
    def next_pressed(self) -> None:
        self.action_next()

    def _reviewed(self, result: ChangeResult | None) -> None:
        if result is None:
            self._changed()
            return
        counts = self.rows.counts() if self.rows else {}
        self.app.notify(
            f"Linked {counts.get(LINK, 0):,}, imported {counts.get(NEW, 0):,} as new clients, "
            f"{counts.get(LATER, 0):,} left for later.",
            title="Precision clients imported",
        )
        self.dismiss(result)

    def action_leave(self) -> None:
        if self.rows is None or not self.rows.changed():
            self.dismiss(None)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Leave without importing?",
                "The actions you chose on this page have not been applied and will be lost.",
                "Leave",
            ),
            lambda leave: self.dismiss(None) if leave else None,
        )


class _NoRows:
    """What the table shows before the rows arrive."""

    ids = np.empty(0, dtype=np.int64)
    name_label = "Precision client"
    columns = ImportRows.columns

    def name(self, position: int) -> str:
        return ""

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        return "", None


_EMPTY = _NoRows()


def _s(count: int) -> str:
    return "" if count == 1 else "s"
