"""Pick the Prepare client a Precision client is linked to (spec section 8).

A searchable list of the eligible Prepare clients (active, in the viewer's
scope, no Precision account), searched exactly as the client list is (the
list's `ClientView`: fuzzy by name, exact or prefix by CRN or practice code).
Clients another row of the import already links to are left out, so no two
rows can link one client.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.data.client_rows import ClientRows
from dext_tui.data.client_view import ClientQuery, ClientView
from dext_tui.data.vocab import PRODUCT_STATUS_LABELS, PRODUCT_STATUSES
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.row_table import Column, RowTable
from dext_tui.widgets.safe_text import printable

PICKER_COMMANDS = (
    Command("pick", "enter", "Link", "Link to the highlighted Prepare client"),
    Command("focus_search", "slash", "Search", "Search by name, CRN or practice code"),
    Command("dismiss(None)", "escape", "Cancel", "Go back without choosing a client"),
    Command("search_again", "ctrl+r", "Search again", "Run the search again", show_in_footer=False),
    HELP,
)
PICKER_SEARCH_COMMANDS = (
    Command(
        "submit",
        "enter,down",
        "Results",
        "Go to the results (enter on a result links it)",
        in_palette=False,
    ),
)
PICKER_COLUMNS = (
    Column("crns", "CRN", 9),
    Column("codes", "Practice code", 13),
    Column("prepare", "Prepare", 11),
)

SEARCH_FAILED = OnFailure(
    "Could not search the Prepare clients: {reason}. Press ctrl+r to try again."
)


@dataclass(frozen=True)
class CandidatesSource:
    """The eligible Prepare clients as the row table's source."""

    rows: ClientRows
    name_label = "Prepare client"
    columns = PICKER_COLUMNS

    @property
    def ids(self) -> np.ndarray:
        return self.rows.ids

    def name(self, position: int) -> str:
        return self.rows.names[position]

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        if key == "prepare":
            status = PRODUCT_STATUSES[int(self.rows.prepare[position])]
            return PRODUCT_STATUS_LABELS[status], status
        value = getattr(self.rows, key)[position]
        return (value, None) if value else ("—", "none")


class PickerSearch(CommandBindings, Input):
    """The picker's search box: enter or down goes to the results."""

    COMMANDS_LIST = PICKER_SEARCH_COMMANDS
    BINDING_GROUP_TITLE = "Search box"


class PickerTable(RowTable):
    name_min_width = 24


class LinkPickerScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[int | None]):
    """Dismissed with the chosen client's id, or None."""

    COMMANDS_LIST = PICKER_COMMANDS
    BINDING_GROUP_TITLE = "Choose a Prepare client"
    AUTO_FOCUS = "#picker-search"
    DEFAULT_CSS = """
    /* Not the shared .dialog class: its width (64) would win over this one. */
    #picker-dialog {
        width: 96;
        max-width: 100%;
        height: 90%;
        max-height: 30;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #picker-table { height: 1fr; }
    #picker-count { height: 1; color: $text-muted; }
    """

    @dataclass
    class Answered(Message):
        search: str
        order: np.ndarray

    def __init__(
        self, view: ClientView, source_name: str, taken: set[int], search: str = ""
    ) -> None:
        super().__init__()
        self.view = view
        self.source_name = source_name
        self.taken = taken  # client ids other rows link to
        self.search = search
        self.source = CandidatesSource(view.rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            title = f"Link “{printable(self.source_name)}” to a Prepare client"
            yield Label(Content(title), classes="dialog-title")
            yield PickerSearch(
                self.search,
                placeholder="Name, CRN or practice code",
                id="picker-search",
                compact=True,
            )
            yield PickerTable(id="picker-table")
            yield Static("", id="picker-count")
            yield Label(hint_line(PICKER_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        self.answer(self.search)

    @on(Input.Changed, "#picker-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self.answer(event.value)

    @on(Input.Submitted, "#picker-search")
    def search_submitted(self) -> None:
        self.query_one(PickerTable).focus()

    @background(SEARCH_FAILED, group="picker", exclusive=True)
    def answer(self, search: str) -> None:
        with self.view.lock:
            order = self.view.apply(ClientQuery(search=search))
        if self.taken and len(order):
            taken = np.fromiter(self.taken, dtype=np.int64, count=len(self.taken))
            order = order[~np.isin(self.view.rows.ids[order], taken)]
        self.post_message(self.Answered(search, order))

    def on_link_picker_screen_answered(self, message: Answered) -> None:
        if message.search != self.search:
            return  # typed on since
        table = self.query_one(PickerTable)
        search = message.search.strip()
        empty = (
            # The advice first: at 80 columns a long search cuts the end, and the search
            # is in the box above anyway.
            f"Try fewer letters or a CRN: no eligible Prepare client matches “{search}”."
            if search
            else "There are no Prepare clients without a Precision account to link to."
        )
        table.show(self.source, message.order, empty_message=empty)
        self.query_one("#picker-count", Static).update(
            Content(
                f"{len(message.order):,} of {len(self.view.rows):,} Prepare clients without "
                "a Precision account"
            )
        )

    def action_focus_search(self) -> None:
        self.query_one(PickerSearch).focus()

    def action_search_again(self) -> None:
        self.query_one("#picker-count", Static).update("Searching…")
        self.answer(self.search)

    def show_failure(self, text: str) -> None:
        self.query_one("#picker-count", Static).update(Content(printable(text)))

    def action_pick(self) -> None:
        table = self.query_one(PickerTable)
        if table.highlighted_id is None:
            self.notify("No Prepare client to link: change the search.", severity="warning")
            return
        self.dismiss(table.highlighted_id)

    def on_row_table_cell_clicked(self, message: RowTable.CellClicked) -> None:
        self.dismiss(message.row_id)
