"""The client list: search box, filters, sort and the client table (spec section 12)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sqlalchemy import Engine
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.data.access import Viewer
from dext_tui.data.bulk import collector_paused
from dext_tui.data.client_rows import (
    ClientDetail,
    ClientRows,
    load_all_rows,
    load_client_detail,
    load_first_matches,
    load_first_rows,
)
from dext_tui.data.client_view import SORT_COLUMN_BY_KEY, ClientFilters, ClientQuery, ClientView
from dext_tui.data.vocab import CLIENT_STATES, INTEGRATION_SOFTWARE, INTEGRATION_STATUS_LABELS
from dext_tui.screens.filters import FiltersScreen
from dext_tui.screens.sort import SortScreen
from dext_tui.widgets.client_table import ClientTable
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.search_box import SearchBox

FIRST_PAGE_ROWS = 200  # more than any terminal shows; the rest loads behind it
REMOVED = CLIENT_STATES.index("removed")

CLIENT_LIST_COMMANDS = (
    Command("focus_search", "slash", "Search", "Search by name, CRN or practice code"),
    Command("filters", "f", "Filters", "Filter by product status, integration, state or code"),
    Command("sort", "s", "Sort", "Sort by a column (pick it again to reverse)"),
    Command("clear", "ctrl+l", "Clear", "Clear the search and all filters", show_in_footer=False),
    Command("manage", "enter,m", "Manage", "Manage the highlighted client", show_in_footer=False),
    HELP,
    Command(
        "app.command_palette",
        "ctrl+p",
        "Palette",
        "Open the command palette",
        show_in_footer=False,
        in_palette=False,
    ),
    Command("app.quit", "q", "Quit", "Quit dext-tui", in_palette=False),
)


class ClientListScreen(CommandScreen, Screen):
    """Every client the user may see, searchable by name, CRN or practice code."""

    COMMANDS_LIST = CLIENT_LIST_COMMANDS
    BINDING_GROUP_TITLE = "Client list"
    AUTO_FOCUS = "#client-table"

    class RowsLoaded(Message):
        def __init__(self, rows: ClientRows, view: ClientView | None) -> None:
            self.rows = rows
            self.view = view
            super().__init__()

    class QueryAnswered(Message):
        """Rows to show for `query`; `early` while the full list is still loading."""

        def __init__(
            self, query: ClientQuery, rows: ClientRows, order: np.ndarray, *, early: bool = False
        ) -> None:
            self.query = query
            self.rows = rows
            self.order = order
            self.early = early
            super().__init__()

    class DetailLoaded(Message):
        def __init__(self, detail: ClientDetail | None) -> None:
            self.detail = detail
            super().__init__()

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.query_state = ClientQuery()
        self.answered_query: ClientQuery | None = None  # the query the table shows the answer to
        self.view: ClientView | None = None
        self.first_page: ClientRows | None = None
        self.rows: ClientRows | None = None  # the rows the table shows

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(Content("Dext Client List"), id="app-title")
            yield Static(Content(printable(self.viewer.practice_name)), id="practice-name")
            yield Static(Content(printable(self.viewer.name)), id="user-name")
        with Horizontal(id="toolbar"):
            yield Button("Filters (f)", id="filters-button", compact=True)
            yield Button("Sort (s)", id="sort-button", compact=True)
            yield SearchBox(placeholder="Search name, CRN or code  (/)", id="search", compact=True)
        yield Static(id="query-summary")
        yield ClientTable(id="client-table")
        yield Static(id="client-detail")
        yield Static(Content("Loading clients…"), id="client-count")
        yield Footer()

    def on_mount(self) -> None:
        self._show_summary()
        self.load_rows()

    # -- loading -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load_rows(self) -> None:
        """First a screenful (fast, by index), then every row and the search index."""
        first = load_first_rows(self.engine, self.viewer, FIRST_PAGE_ROWS)
        self.post_message(self.RowsLoaded(first, None))
        with collector_paused():
            rows = load_all_rows(self.engine, self.viewer)
            view = ClientView(rows)
        self.post_message(self.RowsLoaded(rows, view))
        with collector_paused():
            view.warm_up()

    def on_client_list_screen_rows_loaded(self, message: RowsLoaded) -> None:
        if message.view is None:
            self.first_page = message.rows
        else:
            self.view = message.view
        self.run_query()

    # -- querying --------------------------------------------------------------
    def run_query(self) -> None:
        query = self.query_state
        if self.view is not None:
            self.answer_query(self.view, query)
        elif self.first_page is not None:
            if query.search.strip():
                self.answer_early(self.first_page.total, query)
            else:
                first = self.first_page
                self.post_message(
                    self.QueryAnswered(query, first, np.arange(len(first)), early=True)
                )
        self._show_summary()

    @work(thread=True, exclusive=True, group="query")
    def answer_query(self, view: ClientView, query: ClientQuery) -> None:
        self.post_message(self.QueryAnswered(query, view.rows, view.apply(query)))

    @work(thread=True, exclusive=True, group="query")
    def answer_early(self, total: int, query: ClientQuery) -> None:
        """Prefix matches from the database, until the fuzzy index is ready."""
        rows = load_first_matches(self.engine, self.viewer, query.search, FIRST_PAGE_ROWS, total)
        self.post_message(self.QueryAnswered(query, rows, np.arange(len(rows)), early=True))

    def on_client_list_screen_query_answered(self, message: QueryAnswered) -> None:
        if message.query != self.query_state:
            return  # the user has typed on since; a newer answer is coming
        if message.early and self.view is not None:
            return  # the full list arrived meanwhile and answers this query itself
        self.rows = message.rows
        self._show_order(message.order)
        self.answered_query = message.query

    def _show_order(self, order: np.ndarray) -> None:
        assert self.rows is not None
        table = self.query_one(ClientTable)
        query = self.query_state
        # While searching with no chosen sort, the order is relevance: no column arrow.
        sort = query.sort or (None if query.search.strip() else "name")
        table.set_sort_indicator(sort, query.descending)
        table.show(self.rows, order, empty_message=self._empty_message())
        if self.view is None:  # only a first screenful is here yet
            loading = f"Loading all {self.rows.total:,} clients…"
            if query.search.strip():
                count = f"{loading} {len(order):,} prefix matches so far"
            else:
                count = f"{loading} showing the first {len(order):,}"
        else:
            total = int(np.count_nonzero(self.rows.state != REMOVED))
            count = f"Showing {len(order):,} of {total:,} clients"
        self.query_one("#client-count", Static).update(Content(count))

    def _empty_message(self) -> str:
        if self.rows is not None and self.rows.total == 0:
            if self.viewer.sees_all_clients:
                return "This practice has no clients yet."
            return "No clients have been shared with you yet. Ask a practice admin for access."
        query = self.query_state
        if query.search.strip() and query.filters.active:
            return f"No clients match “{query.search.strip()}” with the current filters."
        if query.search.strip():
            return f"No clients match “{query.search.strip()}”. Try fewer letters or a CRN."
        if query.filters.active:
            return "No clients match the current filters. Press f to change them."
        return "No clients to show."

    def _show_summary(self) -> None:
        query = self.query_state
        parts = []
        if self.view is None:
            parts.append("Loading all clients…")
        sort = SORT_COLUMN_BY_KEY[query.sort].label if query.sort else None
        if sort:
            parts.append(f"Sorted by {sort} {'▼' if query.descending else '▲'}")
        elif query.search.strip():
            parts.append("Best matches first")
        else:
            parts.append("Sorted by Client name ▲")
        filters = query.filters.describe()
        parts.append("Filters: " + ", ".join(filters) if filters else "No filters")
        self.query_one("#query-summary", Static).update(Content(" · ".join(parts)))

    # -- search box --------------------------------------------------------------
    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.query_state = replace(self.query_state, search=event.value)
        self.run_query()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(ClientTable).focus()

    # -- detail line ---------------------------------------------------------------
    def on_client_table_highlighted(self, message: ClientTable.Highlighted) -> None:
        if message.client_id is None:
            self.query_one("#client-detail", Static).update("")
            return
        self.load_detail(message.client_id)

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, client_id: int) -> None:
        self.post_message(
            self.DetailLoaded(load_client_detail(self.engine, self.viewer, client_id))
        )

    def on_client_list_screen_detail_loaded(self, message: DetailLoaded) -> None:
        self.query_one("#client-detail", Static).update(Content(_describe(message.detail)))

    # -- actions -------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_filters(self) -> None:
        self.app.push_screen(
            FiltersScreen(self.query_state.filters, self.viewer.sees_removed_clients),
            self._apply_filters,
        )

    def _apply_filters(self, filters: ClientFilters | None) -> None:
        if filters is not None:
            self.query_state = replace(self.query_state, filters=filters)
            self.run_query()

    def action_sort(self) -> None:
        self.app.push_screen(
            SortScreen(
                self.query_state.sort,
                self.query_state.descending,
                searching=bool(self.query_state.search.strip()),
            ),
            self._apply_sort,
        )

    def _apply_sort(self, key: str | None) -> None:
        if key is not None:
            self.query_state = self.query_state.sorted_by(key)
            self.run_query()

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_state = ClientQuery()
        self.run_query()

    def action_manage(self) -> None:
        client_id = self.query_one(ClientTable).highlighted_client_id
        if client_id is not None:
            self.post_message(ClientTable.ManageRequested(client_id))

    def on_client_table_sort_requested(self, message: ClientTable.SortRequested) -> None:
        self._apply_sort(message.key)

    def on_client_table_manage_requested(self, _message: ClientTable.ManageRequested) -> None:
        self.notify("The Manage menu is not available in this version yet.", title="Manage")

    @on(Button.Pressed, "#filters-button")
    def filters_pressed(self) -> None:
        self.action_filters()

    @on(Button.Pressed, "#sort-button")
    def sort_pressed(self) -> None:
        self.action_sort()


def _describe(detail: ClientDetail | None) -> str:
    if detail is None:
        return ""
    parts = [printable(detail.name)]
    parts.append(f"CRN {detail.crn}" if detail.crn else "No CRN")
    parts.append(
        f"Code {printable(detail.practice_code)}" if detail.practice_code else "No practice code"
    )
    if detail.state != "active":
        parts.append(detail.state.title())
    status = detail.integration_status
    if status and status != "unintegrated":
        software = INTEGRATION_SOFTWARE.get(detail.integration_software or "", "Integration")
        text = f"{software} {INTEGRATION_STATUS_LABELS[status].lower()}"
        if detail.integration_org_name:
            text += f" to {printable(detail.integration_org_name)}"
        if detail.integration_last_sync:
            text += f", synced {detail.integration_last_sync:%d %b %Y}"
        parts.append(text)
    return " · ".join(parts)
