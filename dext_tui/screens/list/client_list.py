"""The client list: search box, filters, sort and the client table (spec section 12).

It loads every client the user may see, keeps them live, and answers each query in a
worker; its product views (product_views.py) and the screens it opens (client_actions.py)
are parts of the same screen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, PALETTE, QUIT, Command, CommandScreen
from dext_tui.data import roles
from dext_tui.data.change_feed import changes_since
from dext_tui.data.change_listener import ChangeListener
from dext_tui.data.client_query import RELEVANCE, SORT_COLUMN_BY_KEY, ClientFilters, ClientQuery
from dext_tui.data.client_rows import (
    ClientDetail,
    ClientRows,
    load_all_rows,
    load_client_detail,
    load_first_matches,
    load_first_rows,
    load_rows_by_ids,
    return_freed_memory,
)
from dext_tui.data.gc_pause import collector_paused, freeze_loaded_objects
from dext_tui.data.product_columns import ProductColumns
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import CLIENT_STATES, PRODUCT_LABELS
from dext_tui.screens.list.bulk_keys import BulkKeys
from dext_tui.screens.list.client_actions import ClientActions
from dext_tui.screens.list.filters import FiltersScreen
from dext_tui.screens.list.product_switcher import view_title
from dext_tui.screens.list.product_views import ProductViews, SidebarOptions, sort_columns
from dext_tui.screens.list.selection import Selection
from dext_tui.screens.list.sort import SortScreen
from dext_tui.screens.support.desk import SUPPORT_COMMANDS, SupportDesk
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.client_detail import ClientDetailLine
from dext_tui.widgets.client_table import ClientTable
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    import numpy as np

    # numpy comes with the full list, in the loading worker: the first screenful is
    # plain lists (tests/unit/test_start_up_imports.py).
    from dext_tui.data.client_view import ClientView

IMPORT_LABEL = "Import Precision Clients (i)"
WIDE_TOOLBAR = 110  # columns from which the toolbar has room for every long label
FIRST_PAGE_ROWS = 200  # more than any terminal shows; the rest loads behind it
NEARBY_ROWS = 2  # details read ahead above and below the cursor
NEARBY_KEPT = 2000  # details kept before starting afresh
# How often the list asks whether anyone changed anything: one primary-key read.
CHANGE_CHECK_SECONDS = 1.0
# The full load waits this long at most for the first screenful to be painted: it
# holds the interpreter lock for long stretches, and under load the UI thread would
# then paint the first page only after the whole list (seconds instead of ~0.5 s).
FIRST_PAINT_WAIT_SECONDS = 2.0

CLIENT_LIST_COMMANDS = (
    # The footer (80 columns have room for about ten keys) shows what the bar above the
    # list does not: the bar's buttons carry their own keys (/, a, i, t, f). Every key is
    # in `?` help and the palette (Products, `p`, among them). A product view's own keys
    # come first; at 80 columns the Dext Client List shows Sort to Quit, a product view
    # its own keys to Undo.
    Command("leave_product", "escape", "Client list", "Back to the Dext Client List"),
    Command("my_clients", "c", "My Clients", "Prepare's Manage > My Clients: the client list"),
    # Support identities only (screens/support/desk.py): early, so 80 columns show them.
    *SUPPORT_COMMANDS,
    Command(
        "focus_search",
        "slash",
        "Search",
        "Search by name, CRN or practice code",
        priority=True,
        show_in_footer=False,
    ),
    Command(
        "switch_product",
        "p",
        "Products",
        "Go to the Dext Client List or a product's view",
        show_in_footer=False,
    ),
    Command(
        "add_client",
        "a",
        "Add",
        "Add a client to Prepare, Precision or Solo",
        show_in_footer=False,
    ),
    Command(
        "import_precision",
        "i",
        "Import",
        "Import Precision clients onto the list",
        show_in_footer=False,
    ),
    Command(
        "tools",
        "t",
        "Tools",
        "Upload practice codes, or export the client list",
        show_in_footer=False,
    ),
    Command(
        "filters",
        "f",
        "Filters",
        "Filter by product status, integration, state or code",
        show_in_footer=False,
    ),
    Command("sort", "s", "Sort", "Sort by a column (pick it again to reverse)"),
    Command("clear", "ctrl+l", "Clear", "Clear the search and all filters", show_in_footer=False),
    Command("manage", "enter,m", "Manage", "Manage the highlighted client", show_in_footer=False),
    Command(
        "reload",
        "r,f5",
        "Reload",
        "Read every client again from the database",
        show_in_footer=False,
    ),
    # Marks and what acts on them (selection.py, bulk_keys.py).
    Command("toggle_mark", "space", "Mark", "Mark or unmark the highlighted client", group="Mark"),
    Command(
        "mark_shown",
        "asterisk",
        "Mark all shown",
        "Mark every client the search and filters show",
        show_in_footer=False,
    ),
    Command("clear_marks", "x", "Clear marks", "Unmark every marked client", show_in_footer=False),
    Command("bulk", "b", "Bulk", "Bulk actions on the marked clients (preview first)"),
    Command("undo", "z", "Undo", "Undo your last change or batch of this session"),
    Command("activity", "v", "Activity", "The practice's activity log"),
    HELP,
    PALETTE,
    QUIT,
)


# What the list says when its background work fails (screens/worker_failures.py).
LOAD_FAILED = OnFailure(
    "Could not load the client list", retry=lambda screen: screen.start_loading()
)
UPDATE_FAILED = OnFailure(
    "Could not update the client list", retry=lambda screen: screen.start_loading()
)
# Checked again at the next tick by itself: said on the status line, not interrupting.
CHANGES_FAILED = OnFailure(
    "{reason} (retrying)", show=lambda screen, text: screen._show_live_problem(text)
)
DETAIL_FAILED = OnFailure(
    "Could not read this client's details: {reason} (r reloads)",
    show=lambda screen, text: screen.query_one(ClientDetailLine).say(text),
)


class ClientListScreen(
    ReportsWorkerFailures,
    CommandScreen,
    SupportDesk,
    ProductViews,
    ClientActions,
    Selection,
    BulkKeys,
    Screen,
):
    """Every client the user may see, searchable by name, CRN or practice code."""

    COMMANDS_LIST = CLIENT_LIST_COMMANDS
    BINDING_GROUP_TITLE = "Client list"
    AUTO_FOCUS = "#client-table"
    # Textual repaints the whole screen when focus moves (20 kB for `/`); the
    # widgets whose look changes with focus repaint themselves, the footer its keys.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    @dataclass
    class RowsLoaded(Message):
        """A first screenful (`view` None) or every row with its indexes, from load `load`."""

        rows: ClientRows
        view: ClientView | None
        load: int

    @dataclass
    class QueryAnswered(Message):
        """Rows to show for `query`; `early` while the full list is still loading.
        `generation`: the view's patch count when it was computed."""

        query: ClientQuery
        rows: ClientRows
        order: np.ndarray | range  # a range: the rows as read (a first page)
        early: bool = False
        view: ClientView | None = None
        generation: int = 0
        listed: int = 0  # clients on the list in all, counted with the answer

    @dataclass
    class DetailLoaded(Message):
        client_id: int
        detail: ClientDetail | None

    @dataclass
    class DetailsNearby(Message):
        """The rows beside the cursor, read ahead so a move shows their detail at once."""

        details: dict[int, ClientDetail | None]

    @dataclass
    class ChangesSeen(Message):
        """Every change up to `seq` is on screen; `everything`: too many to patch, reload."""

        view: ClientView
        seq: int
        everything: bool = False

    class ChangesCommitted(Message):
        """The database says a change to the practice's clients has just committed."""

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.query_state = ClientQuery()
        self.answered_query: ClientQuery | None = None  # the query the table shows the answer to
        self.view: ClientView | None = None
        self.first_page: ClientRows | None = None
        self.first_page_painted = threading.Event()  # set once the first screenful is drawn
        self.rows: ClientRows | None = None  # the rows the table shows
        self.loads = 0  # numbers each (re)load, so rows from a superseded one are dropped
        self.seen_seq = 0  # every change up to this number is on screen
        self.shown_generation = (None, -1)  # (view, generation) of the answer on screen
        self.live_problem: str | None = None  # why live updates are paused, if they are
        self.change_listener: ChangeListener | None = None  # PostgreSQL's LISTEN, if any
        self.check_again = False  # a change committed while a check was already running
        self.listed_total = 0  # clients on the list, as of the answer on screen
        self.reveal_id: int | None = None  # a client to highlight once an answer shows it
        self.product: str | None = None  # a product's own view, or None: the client list
        self.products: tuple[str, ...] = ()  # in the practice's subscription
        self.extras: dict[str, ProductColumns] = {}  # product views' added columns
        self.nearby_details: dict[int, ClientDetail | None] = {}  # read beside the cursor

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Button(f"{view_title(None)} ▾", id="product-switcher", compact=True)
            yield Static(Content(printable(self.viewer.practice_name)), id="practice-name")
            yield Static(Content(printable(self.viewer.name)), id="user-name")
        with Horizontal(id="toolbar"):
            add = Button("Add Client (a)", id="add-client-button", compact=True)
            add.disabled = not roles.may(self.viewer, roles.Action.ADD_CLIENT)
            add.tooltip = roles.refusal(self.viewer, roles.Action.ADD_CLIENT)
            yield add
            yield Button(IMPORT_LABEL, id="import-button", compact=True)
            yield Button("Tools (t)", id="tools-button", compact=True)
            yield Button("Filters (f)", id="filters-button", compact=True)
            yield Button("Sort (s)", id="sort-button", compact=True)
            yield SearchBox(placeholder="Name, CRN or code (/)", id="search", compact=True)
        yield OneLine(id="query-summary")
        with Horizontal(id="table-area"):
            with Vertical(id="sidebar"):
                yield Static(Content("Manage"), classes="sidebar-heading")
                yield SidebarOptions(Option(Content("My Clients (c)"), id="my-clients"))
            yield ClientTable(id="client-table")
        yield ClientDetailLine(id="client-detail")
        yield OneLine("Loading clients…", id="client-count")
        yield KeyFooter()

    def on_resize(self) -> None:
        # The seed's long label where it fits; at 80 columns the search box needs the
        # room (sorting stays on `s`, the column headers and the palette).
        wide = self.size.width >= WIDE_TOOLBAR
        self.query_one("#import-button", Button).label = IMPORT_LABEL if wide else "Import (i)"
        self.query_one("#sort-button", Button).display = wide

    def on_mount(self) -> None:
        self.session_started = datetime.now(UTC)  # Undo reaches back no further
        self.query_one("#sidebar").display = False
        self.query_one(ClientTable).on_highlight = self._show_nearby_detail
        self._show_summary()
        self.load_products()
        self.start_loading()
        self.set_interval(CHANGE_CHECK_SECONDS, self.look_for_changes)
        self.start_support_desk()

    def on_unmount(self) -> None:
        if self.change_listener is not None:
            self.change_listener.stop()

    # -- loading -------------------------------------------------------------
    def start_loading(self) -> None:
        self.loads += 1
        self.load_rows(self.loads)

    @background(LOAD_FAILED, group="load", exclusive=True)
    def load_rows(self, load: int) -> None:
        """First a screenful (fast, by index), then every row and the search index."""
        if self.view is None:  # a reload keeps the old rows on screen meanwhile
            first = load_first_rows(self.engine, self.viewer, FIRST_PAGE_ROWS)
            self.post_message(self.RowsLoaded(first, None, load))
            self.first_page_painted.wait(FIRST_PAINT_WAIT_SECONDS)
        with collector_paused():
            from dext_tui.data.client_view import ClientView

            rows = load_all_rows(self.engine, self.viewer)
            view = ClientView(rows)
            # Every index built before the view is handed over: a keystroke never
            # waits on one (meanwhile the database answers searches by prefix).
            view.warm_up()
        self.post_message(self.RowsLoaded(rows, view, load))
        freeze_loaded_objects()
        return_freed_memory()

    def on_client_list_screen_rows_loaded(self, message: RowsLoaded) -> None:
        if message.load != self.loads:
            return  # a newer load has started since
        if message.view is None:
            self.first_page = message.rows
        else:
            self.view = message.view
            self.seen_seq = message.rows.change_seq
            self.reload_extras()
            if self.change_listener is None:
                # Only now: there is nothing to patch before, and its connection
                # would compete with the first screenful (the poll covers the gap).
                self.change_listener = ChangeListener.start_for(
                    self.engine,
                    self.viewer.practice_id,
                    lambda: self.post_message(self.ChangesCommitted()),
                )
        self.run_query()

    def action_reload(self) -> None:
        self.query_one("#client-count", OneLine).say("Reloading every client…")
        self.start_loading()

    # -- live changes --------------------------------------------------------------
    def look_for_changes(self) -> None:
        """Every CHANGE_CHECK_SECONDS: one cheap read of the practice's change number."""
        if self.view is None or any(
            worker.group == "changes" and worker.is_running for worker in self.workers
        ):
            return
        self.check_changes(self.view, self.seen_seq)

    def on_client_list_screen_changes_committed(self) -> None:
        """Check at once rather than at the next poll (a check already running may have
        read before this commit: then check again when it ends)."""
        if any(worker.group == "changes" and worker.is_running for worker in self.workers):
            self.check_again = True
        else:
            self.look_for_changes()

    @background(CHANGES_FAILED, group="changes")
    def check_changes(self, view: ClientView, seen: int) -> None:
        changes = changes_since(self.engine, self.viewer, seen)
        if changes.client_ids:
            self._patch(view, list(changes.client_ids))
        self.post_message(self.ChangesSeen(view, changes.seq, changes.everything))

    def on_client_list_screen_changes_seen(self, message: ChangesSeen) -> None:
        if message.view is not self.view:
            return
        self._show_live_problem(None)
        self.seen_seq = max(self.seen_seq, message.seq)
        if message.everything:
            self.start_loading()
        elif self.check_again:
            self.check_again = False
            self.look_for_changes()

    def show_changed_clients(self, client_ids: Iterable[int]) -> None:
        """Show the clients a service call just changed, at once (the change feed
        would bring them too, a moment later)."""
        client_ids = list(client_ids)
        for client_id in client_ids:
            self.nearby_details.pop(client_id, None)
        if self.view is not None:
            self.patch_clients(self.view, list(client_ids))

    def reveal_client(self, client_id: int) -> None:
        """Show a client just added or imported, highlighted (clearing the search and
        filters if they would hide it)."""
        self.reveal_id = client_id
        self.show_changed_clients([client_id])

    def _reveal(self) -> None:
        assert self.reveal_id is not None
        table = self.query_one(ClientTable)
        if table.move_to_id(self.reveal_id):
            self.reveal_id = None
            table.focus()
        elif self.query_state != ClientQuery(product=self.product):
            self.notify("Search and filters cleared to show the client.", title="Client list")
            self.action_clear()

    @background(UPDATE_FAILED, group="patch")
    def patch_clients(self, view: ClientView, client_ids: list[int]) -> None:
        self._patch(view, client_ids)

    def _patch(self, view: ClientView, client_ids: list[int]) -> None:
        """Re-read those clients' rows, patch them in, answer the current query again."""
        fresh = load_rows_by_ids(self.engine, self.viewer, client_ids)
        self.patch_extras(client_ids)
        with view.lock:
            view.patch(fresh, client_ids)
            self._answer(view, self.query_state)

    def _answer(self, view: ClientView, query: ClientQuery) -> None:
        with view.lock:
            # Counted here, not on the UI thread: a patch may be growing the arrays.
            self.post_message(
                self.QueryAnswered(
                    query,
                    view.rows,
                    view.apply(query),
                    view=view,
                    generation=view.generation,
                    listed=view.rows.listed_count(query.product),
                )
            )

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
                self.post_message(self.QueryAnswered(query, first, range(len(first)), early=True))
        self._show_summary()

    @background(UPDATE_FAILED, group="query", exclusive=True)
    def answer_query(self, view: ClientView, query: ClientQuery) -> None:
        self._answer(view, query)

    @background(UPDATE_FAILED, group="query", exclusive=True)
    def answer_early(self, total: int, query: ClientQuery) -> None:
        """Prefix matches from the database, until the fuzzy index is ready."""
        rows = load_first_matches(self.engine, self.viewer, query.search, FIRST_PAGE_ROWS, total)
        self.post_message(self.QueryAnswered(query, rows, range(len(rows)), early=True))

    def on_client_list_screen_query_answered(self, message: QueryAnswered) -> None:
        if message.query != self.query_state:
            return  # the user has typed on since; a newer answer is coming
        if message.early and self.view is not None:
            return  # the full list arrived meanwhile and answers this query itself
        if message.view is not None:
            if message.view is not self.view:
                return  # from rows a reload has replaced
            shown_view, shown_generation = self.shown_generation
            if shown_view is message.view and message.generation < shown_generation:
                return  # computed before a patch whose answer is already on screen
            self.shown_generation = (message.view, message.generation)
            self.listed_total = message.listed
            self.unmark_out_of_scope(message.view, message.generation)
        self.rows = message.rows
        self._show_order(message.order)
        self.answered_query = message.query
        if not self.first_page_painted.is_set():
            self.call_after_refresh(self.first_page_painted.set)
        if self.reveal_id is not None and message.view is not None:
            self._reveal()

    def _show_order(self, order: np.ndarray | range) -> None:
        assert self.rows is not None
        table = self.query_one(ClientTable)
        query = self.query_state
        # While searching with no chosen sort, the order is relevance: no column arrow.
        sort = query.sort or (None if query.search.strip() else "name")
        table.set_sort_indicator(sort, query.descending)
        table.show_clients(
            self.rows,
            order,
            empty_message=self._empty_message(),
            product=self.product,
            extras=self.extras.get(self.product or ""),
        )
        self.show_count(len(order))

    def show_count(self, shown: int | None = None) -> None:
        if shown is None:
            shown = self.query_one(ClientTable).row_count
        if self.rows is None:
            return
        if self.view is None:  # only a first screenful is here yet
            loading = f"Loading all {self.rows.total:,} clients…"
            if self.query_state.search.strip():
                count = f"{loading} {shown:,} prefix matches so far"
            else:
                count = f"{loading} showing the first {shown:,}"
        else:
            count = self._count_words(shown)
            if self.product is not None:
                count += f" in {PRODUCT_LABELS[self.product]}"
        count += self.marks_suffix()
        if self.live_problem:
            count += f" · Live updates paused: {self.live_problem}"
        self.query_one("#client-count", OneLine).say(count)

    def _count_words(self, shown: int) -> str:
        # Removed clients are not among the listed total: counting them "of" it would lie.
        if self.query_state.filters.state == "removed":
            return f"Showing {shown:,} removed client{'' if shown == 1 else 's'}"
        return f"Showing {shown:,} of {self.listed_total:,} clients"

    def _listed_total(self) -> int:
        assert self.rows is not None
        return self.listed_total if self.view is not None else self.rows.total

    def _show_live_problem(self, problem: str | None) -> None:
        if problem != self.live_problem:
            self.live_problem = problem
            self.show_count()

    # -- failures --------------------------------------------------------------------
    def show_failure(self, text: str) -> None:
        self.notify(text, severity="error")

    def _empty_message(self) -> str:
        if self.rows is not None and self.product is not None and self._listed_total() == 0:
            return f"No clients in {PRODUCT_LABELS[self.product]} yet."
        if self.rows is not None and self._listed_total() == 0:
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
        self.query_one("#query-summary", OneLine).say(" · ".join(parts))

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
            self.query_one(ClientDetailLine).say("")
            return
        self.load_detail(message.client_id, self._unread_nearby_ids())

    def _show_nearby_detail(self, client_id: int) -> None:
        """Called by the table as its cursor moves: a detail read a moment ago beside
        the cursor is drawn with the move, in the same frame (the fresh read that
        follows corrects it if the client changed since)."""
        if client_id in self.nearby_details:
            self.query_one(ClientDetailLine).show(self.nearby_details[client_id])

    def _unread_nearby_ids(self) -> list[int]:
        """The clients just above and below the cursor whose detail is not read yet."""
        table = self.query_one(ClientTable)
        if table.source is None:
            return []
        rows = range(
            max(0, table.cursor_row - NEARBY_ROWS),
            min(table.row_count, table.cursor_row + NEARBY_ROWS + 1),
        )
        ids = (int(table.source.ids[table.order[row]]) for row in rows)
        return [client_id for client_id in ids if client_id not in self.nearby_details]

    @background(DETAIL_FAILED, group="detail", exclusive=True)
    def load_detail(self, client_id: int, nearby: list[int] | None = None) -> None:
        self.post_message(
            self.DetailLoaded(client_id, load_client_detail(self.engine, self.viewer, client_id))
        )
        details = {
            other: load_client_detail(self.engine, self.viewer, other)
            for other in nearby or ()
            if other != client_id
        }
        if details:
            self.post_message(self.DetailsNearby(details))

    def on_client_list_screen_details_nearby(self, message: DetailsNearby) -> None:
        if len(self.nearby_details) > NEARBY_KEPT:
            self.nearby_details.clear()
        self.nearby_details.update(message.details)

    def on_client_list_screen_detail_loaded(self, message: DetailLoaded) -> None:
        self.nearby_details[message.client_id] = message.detail
        table = self.query_one(ClientTable)
        if message.client_id != table.highlighted_client_id:
            return  # the cursor has moved on; that client's answer is not wanted now
        detail = message.detail
        self.query_one(ClientDetailLine).show(detail)
        if detail is None or not _row_agrees(table, detail):
            # Changed by someone else since the rows were read: patch that row now.
            self.show_changed_clients([message.client_id])

    # -- actions -------------------------------------------------------------------
    def action_focus_search(self) -> None:
        # A priority key, and focus moved at once (widget.focus() would wait): typed
        # fast, or arriving in one packet over SSH, "/thames" all reaches the box.
        search = self.query_one("#search", Input)
        if search.has_focus:  # a "/" typed in the box is text, as in "CC/2"
            search.insert_text_at_cursor("/")
        else:
            self.set_focus(search)

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
                columns=sort_columns(self.product),
            ),
            self._apply_sort,
        )

    def _apply_sort(self, key: str | None) -> None:
        if key is not None and key not in SORT_COLUMN_BY_KEY and key != RELEVANCE:
            self.notify("This column cannot be sorted; pick another with s.", title="Sort")
            return
        if key is not None:
            self.query_state = self.query_state.sorted_by(key)
            self.run_query()

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_state = ClientQuery(product=self.product)
        self.run_query()

    def action_manage(self) -> None:
        client_id = self.query_one(ClientTable).highlighted_client_id
        if client_id is not None:
            self.post_message(ClientTable.ManageRequested(client_id))

    def on_client_table_sort_requested(self, message: ClientTable.SortRequested) -> None:
        self._apply_sort(message.key)


def _row_agrees(table: ClientTable, detail: ClientDetail) -> bool:
    """Whether the highlighted row shows what the database just said of the client."""
    row = table.highlighted_row
    if row is None:
        return True
    rows, position = row
    return (
        rows.names[position] == detail.name
        and rows.crns[position] == (detail.crn or "")
        and rows.codes[position] == (detail.practice_code or "")
        and CLIENT_STATES[int(rows.state[position])] == detail.state
    )
