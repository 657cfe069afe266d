"""The practice picker: where a support identity starts (spec 15).

Every practice, searchable by name as the client list is (typos allowed) or by id, with
its number of clients and its products. Enter opens the practice's client list read-only
and records the visit; a practice that turned support access off says so and stays shut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from dext_tui.commands import HELP, PALETTE, QUIT, Command, CommandScreen
from dext_tui.data.errors import ServiceError
from dext_tui.data.identity import IdentityError, Viewer
from dext_tui.data.practice_picker import PracticeList, load_practice_list
from dext_tui.data.support import record_visit
from dext_tui.data.support_identity import ACCESS_OFF, SupportPerson, support_viewer
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.row_table import Column, RowTable
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.search_box import SearchBox

PICKER_COMMANDS = (
    Command("focus_search", "slash", "Search", "Search practices by name or id", priority=True),
    Command("open_practice", "enter", "Open", "Open the highlighted practice, read-only"),
    Command("reload", "r,f5", "Reload", "Read the practices again"),
    HELP,
    PALETTE,
    QUIT,
)
COLUMNS = (
    Column("clients", "Clients", 8, numeric=True),
    Column("products", "Products", 26),
    Column("support", "Support", 8),
)


def _not_opening(screen: PracticePickerScreen) -> None:
    screen.opening = False


# Each failure opens the failure dialog; its Retry (r) reads the practices again, or
# opens the practice again.
READ_FAILED = OnFailure(
    "Could not read the practices", reset=_not_opening, retry=lambda screen: screen.load()
)
OPEN_FAILED = OnFailure(
    "Could not open the practice",
    reset=_not_opening,
    retry=lambda screen: screen.action_open_practice(),
)


class PracticeSource:
    """The practices as the row table reads them."""

    name_label = "Practice"
    columns: Sequence[Column] = COLUMNS

    def __init__(self, practices: PracticeList) -> None:
        self.practices = practices
        self.ids = practices.ids

    def name(self, position: int) -> str:
        return printable(self.practices.choices[position].name)

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        choice = self.practices.choices[position]
        if key == "clients":
            return f"{choice.clients:,}", None
        if key == "products":
            return ", ".join(choice.products) or "—", None
        return ("on", None) if choice.support_access else ("off", "warning")


class PracticeTable(RowTable):
    BINDING_GROUP_TITLE = "Practices"


class PracticePickerScreen(ReportsWorkerFailures, CommandScreen, Screen[None]):
    """Dismissed by switching to the chosen practice's client list."""

    COMMANDS_LIST = PICKER_COMMANDS
    BINDING_GROUP_TITLE = "Practice picker"
    AUTO_FOCUS = "#practice-search"
    DEFAULT_CSS = """
    #picker-title { height: 1; padding: 0 1; text-style: bold; }
    #practice-count { height: 1; padding: 0 1; color: $text-muted; }
    """

    @dataclass
    class Loaded(Message):
        practices: PracticeList

    @dataclass
    class Answered(Message):
        query: str
        order: np.ndarray

    @dataclass
    class Opened(Message):
        viewer: Viewer

    @dataclass
    class Refused(Message):
        reason: str

    def __init__(
        self,
        engine: Engine,
        person: SupportPerson,
        clock: Callable[[], datetime],
        list_screen: Callable[[Engine, Viewer], Screen],
        notice: str = "",
    ) -> None:
        """`list_screen`: the client list to open the practice on (passed in: the list's
        package imports this one)."""
        super().__init__()
        self.list_screen = list_screen
        self.engine = engine
        self.person = person
        self.clock = clock
        self.notice = notice  # why the last practice was left, said until the next search
        self.practices: PracticeList | None = None
        self.source: PracticeSource | None = None
        self.search = ""
        self.answered_query: str | None = None  # the search the table shows the answer to
        self.opening = False

    def compose(self) -> ComposeResult:
        who = f"Support desk · {printable(self.person.name)} · pick a practice to open read-only"
        yield OneLine(who, id="picker-title")
        yield SearchBox(placeholder="Practice name or id (/)", id="practice-search", compact=True)
        yield PracticeTable(id="practice-table")
        yield OneLine(self.notice or "Loading practices…", id="practice-count")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    # -- loading and searching -----------------------------------------------------
    @background(READ_FAILED, group="load", exclusive=True)
    def load(self) -> None:
        self.post_message(self.Loaded(load_practice_list(self.engine)))

    def on_practice_picker_screen_loaded(self, message: Loaded) -> None:
        self.practices = message.practices
        self.source = PracticeSource(message.practices)
        self.run_query()

    def run_query(self) -> None:
        if self.practices is not None:
            self.answer(self.practices, self.search)

    @background(READ_FAILED, group="query", exclusive=True)
    def answer(self, practices: PracticeList, query: str) -> None:
        self.post_message(self.Answered(query, practices.search(query)))

    def on_practice_picker_screen_answered(self, message: Answered) -> None:
        if message.query != self.search or self.source is None:
            return  # typed on since: a newer answer is coming
        table = self.query_one(PracticeTable)
        empty = f"No practice matches “{message.query.strip()}”." if message.query else ""
        table.show(self.source, message.order, empty_message=empty or "No practices yet.")
        self.answered_query = message.query
        count = f"Showing {len(message.order):,} of {len(self.source.ids):,} practices"
        self.query_one("#practice-count", OneLine).say(
            f"{count} · {self.notice}" if self.notice else count
        )

    @on(Input.Changed, "#practice-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self.notice = ""
        self.run_query()

    @on(Input.Submitted, "#practice-search")
    def search_submitted(self) -> None:
        self.query_one(PracticeTable).focus()

    # -- opening ---------------------------------------------------------------------
    def action_focus_search(self) -> None:
        search = self.query_one("#practice-search", Input)
        if search.has_focus:
            search.insert_text_at_cursor("/")
        else:
            self.set_focus(search)

    def action_reload(self) -> None:
        self.query_one("#practice-count", OneLine).say("Reading the practices again…")
        self.load()

    def action_open_practice(self) -> None:
        table = self.query_one(PracticeTable)
        position = table.highlighted_position
        if position is None or self.practices is None or self.opening:
            return
        choice = self.practices.choices[position]
        if not choice.support_access:
            self.say(f"{printable(choice.name)}: {ACCESS_OFF}.")
            return
        self.opening = True
        self.say(f"Opening {printable(choice.name)}…")
        hold_keys(self.app)  # what is typed meanwhile goes to the practice's list
        self.open_practice(choice)

    @background(OPEN_FAILED, group="open", exclusive=True)
    def open_practice(self, choice) -> None:
        try:
            viewer = support_viewer(self.person, choice)
            record_visit(self.engine, viewer, self.clock())
        except BaseException as error:
            self.app.call_from_thread(release_keys, self.app)
            if not isinstance(error, IdentityError | ServiceError):
                raise  # a failure: the worker's message, with Retry
            reason = error.message if isinstance(error, ServiceError) else str(error)
            self.post_message(self.Refused(reason))
            return
        self.post_message(self.Opened(viewer))

    def on_practice_picker_screen_refused(self, message: Refused) -> None:
        self.opening = False
        self.say(message.reason)
        self.load()  # the practice's switch has changed since the list was read

    def on_practice_picker_screen_opened(self, message: Opened) -> None:
        release_keys(self.app)  # the list is switched to below: the keys follow once it is up
        self.app.switch_screen(self.list_screen(self.engine, message.viewer))

    def say(self, text: str) -> None:
        self.query_one("#practice-count", OneLine).say(text)

    def show_failure(self, text: str) -> None:
        self.say(text)
