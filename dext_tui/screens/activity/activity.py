"""Activity: every change in the practice, newest first, a batch as one line in words
(spec 14). Filters by colleague, action, date range and a search of client names; a
batch opens to its clients; `enter` on a client's line opens its Manage menu.

Pages are read in a worker as the cursor nears the end (keyset paging in
data/activity.py), so a log of a million events opens as fast as a short one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen
from dext_tui.data.activity import (
    VERBS,
    ActivityFilter,
    ActivityLine,
    ActivityPage,
    Colleague,
    activity_colleagues,
    activity_page,
    batch_lines,
)
from dext_tui.data.viewer import Viewer
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.safe_text import printable

MORE_WHEN_WITHIN = 10  # rows from the end at which the next page is read
DATE_FORMAT = "%Y-%m-%d"


def _not_reading(screen: ActivityScreen) -> None:
    screen.reading = False


# Said on the status line; ctrl+r reads the log again.
LOG_UNREAD = OnFailure(
    "Could not read the log: {reason}. Press ctrl+r to try again.", reset=_not_reading
)


def line_text(line: ActivityLine) -> str:
    """'05 Dec 14:02  Olivia Vale deactivated 38 clients ▸', as plain printable text; a
    client's line inside an opened batch (count 0) is indented, without who and when."""
    if line.count == 0:
        text = "    " + line.words.removeprefix(f"{line.who} ")
    else:
        when = line.at.strftime("%d %b %H:%M") if line.at else ""
        text = f"{when}  {line.words}"
    if line.details:
        text += f": {'; '.join(line.details)}"
    if line.count > 1:
        text += " ▸"  # opens to its clients
    return printable(text)


def parse_day(text: str) -> datetime | None:
    """'2026-12-05' as midnight UTC; None when empty; ValueError when not a date."""
    text = text.strip()
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=UTC) if text else None


class ActivityLines(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Activity"
    COMMANDS_LIST = (
        Command(
            "select",
            "enter",
            "Open",
            "A batch: show its clients; a client's line: its Manage menu",
            in_palette=False,
        ),
    )


class ActivityScreen(ReportsWorkerFailures, CommandScreen, Screen[int | None]):
    """Dismissed with a client id to manage, or None."""

    COMMANDS_LIST = (
        Command("focus_search", "slash", "Search", "Search the log by client name"),
        Command("focus_lines", "ctrl+n", "Log", "Back to the log lines", show_in_footer=False),
        Command("dismiss(None)", "escape", "Back", "Back to the client list"),
        Command("reload", "ctrl+r", "Reload", "Read the log again", show_in_footer=False),
        HELP,
    )
    BINDING_GROUP_TITLE = "Activity"
    AUTO_FOCUS = "#activity-lines"
    DEFAULT_CSS = """
    #activity-filters { height: 1; }
    #activity-filters Input { width: 1fr; }
    #activity-filters Select { width: 20; }
    #activity-dates { height: 1; }
    #activity-dates Input { width: 14; }
    #activity-dates Static { width: auto; padding: 0 1; }
    #activity-lines { height: 1fr; }
    """

    @dataclass
    class PageRead(Message):
        filters: ActivityFilter
        page: ActivityPage
        first: bool

    @dataclass
    class BatchRead(Message):
        batch_id: str
        lines: list[ActivityLine]

    @dataclass
    class ColleaguesRead(Message):
        colleagues: list[Colleague]

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.filters = ActivityFilter()
        self.lines: list[ActivityLine] = []  # as listed, batch clients included when open
        self.open_batches: set[str] = set()
        self.next_before: int | None = None
        self.reading = False
        self.colleagues_read = False

    def compose(self) -> ComposeResult:
        yield Static(
            Content(printable(f"Activity — {self.viewer.practice_name}")), classes="dialog-title"
        )
        with Horizontal(id="activity-filters"):
            yield Input(placeholder="Client name (/)", id="activity-search", compact=True)
            yield Select(
                (), prompt="Any colleague", id="activity-by", compact=True, allow_blank=True
            )
            yield Select(
                [(verb, action) for action, verb in VERBS.items()],
                prompt="Any action",
                id="activity-action",
                compact=True,
            )
        with Horizontal(id="activity-dates"):
            yield Static("From")
            yield Input(placeholder="YYYY-MM-DD", id="activity-since", compact=True)
            yield Static("to")
            yield Input(placeholder="YYYY-MM-DD", id="activity-until", compact=True)
        yield ActivityLines(id="activity-lines")
        yield OneLine("Reading the log…", id="activity-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.read_colleagues()
        self.read_page(self.filters, None, first=True)

    # -- reading ---------------------------------------------------------------
    @background(LOG_UNREAD, group="colleagues")
    def read_colleagues(self) -> None:
        self.post_message(self.ColleaguesRead(activity_colleagues(self.engine, self.viewer)))

    def on_activity_screen_colleagues_read(self, message: ColleaguesRead) -> None:
        self.colleagues_read = True
        self.query_one("#activity-by", Select).set_options(
            (printable(f"{c.name} <{c.email}>"), c.team_member_id) for c in message.colleagues
        )

    @background(LOG_UNREAD, group="page", exclusive=True)
    def read_page(self, filters: ActivityFilter, before: int | None, *, first: bool) -> None:
        page = activity_page(self.engine, self.viewer, filters, before=before)
        self.post_message(self.PageRead(filters, page, first))

    def on_activity_screen_page_read(self, message: PageRead) -> None:
        if message.filters != self.filters:
            return  # the filters changed since; a newer read is coming
        self.reading = False
        lines = self.query_one(ActivityLines)
        if message.first:
            self.lines = []
            self.open_batches.clear()
            lines.clear_options()
        start = len(self.lines)
        self.lines.extend(message.page.lines)
        # An id for each line: the ▶ gutter marks entries (options with an id).
        lines.add_options(
            Option(Content(line_text(line)), id=str(start + offset))
            for offset, line in enumerate(message.page.lines)
        )
        self.next_before = message.page.next_before
        if message.first and self.lines:
            lines.highlighted = 0
        self._say_count()

    def _say_count(self) -> None:
        shown = sum(1 for line in self.lines if line.count >= 1)  # batches' clients aside
        if not self.lines:
            filtered = self.filters != ActivityFilter()
            text = "Nothing in the log matches." if filtered else "Nothing in the log yet."
        else:
            more = " (more below)" if self.next_before is not None else ""
            text = f"{shown:,} lines{more} · enter opens a batch or a client's Manage menu"
        self.query_one("#activity-status", OneLine).say(text)

    @on(OptionList.OptionHighlighted, "#activity-lines")
    def near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if (
            self.next_before is not None
            and not self.reading
            and event.option_index >= len(self.lines) - MORE_WHEN_WITHIN
        ):
            self.reading = True
            self.read_page(self.filters, self.next_before, first=False)

    # -- opening ---------------------------------------------------------------
    @on(OptionList.OptionSelected, "#activity-lines")
    def line_chosen(self, event: OptionList.OptionSelected) -> None:
        line = self.lines[event.option_index]
        if line.count > 1 and line.batch_id:
            if line.batch_id in self.open_batches:
                self._close_batch(event.option_index, line.batch_id)
            else:
                self.read_batch(line.batch_id)
        elif line.client_id is not None:
            self.dismiss(line.client_id)
        else:
            self.notify("That client is no longer in the practice.", title="Activity")

    @background(LOG_UNREAD, group="batch")
    def read_batch(self, batch_id: str) -> None:
        self.post_message(self.BatchRead(batch_id, batch_lines(self.engine, self.viewer, batch_id)))

    def on_activity_screen_batch_read(self, message: BatchRead) -> None:
        index = next(
            (i for i, line in enumerate(self.lines) if line.batch_id == message.batch_id), None
        )
        if index is None or message.batch_id in self.open_batches:
            return
        self.open_batches.add(message.batch_id)
        children = [_as_child(line) for line in message.lines]
        self.lines[index + 1 : index + 1] = children
        self._redraw(index)

    def _close_batch(self, index: int, batch_id: str) -> None:
        self.open_batches.discard(batch_id)
        end = index + 1
        while end < len(self.lines) and self.lines[end].count == 0:
            end += 1
        del self.lines[index + 1 : end]
        self._redraw(index)

    def _redraw(self, highlighted: int) -> None:
        options = self.query_one(ActivityLines)
        options.clear_options()
        options.add_options(
            Option(Content(line_text(line)), id=str(index)) for index, line in enumerate(self.lines)
        )
        options.highlighted = highlighted

    # -- filters ---------------------------------------------------------------
    @on(Input.Changed, "#activity-search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted)
    def dates_given(self) -> None:
        self._refilter()
        self.action_focus_lines()

    def _refilter(self) -> None:
        try:
            since = parse_day(self.query_one("#activity-since", Input).value)
            until = parse_day(self.query_one("#activity-until", Input).value)
        except ValueError:
            self.query_one("#activity-status", OneLine).say(
                "Dates are YYYY-MM-DD, e.g. 2026-12-05."
            )
            return
        by = self.query_one("#activity-by", Select).value
        action = self.query_one("#activity-action", Select).value
        filters = ActivityFilter(
            by=by if isinstance(by, int) else None,
            action=action if isinstance(action, str) else None,
            since=since,
            until=until + timedelta(days=1) if until else None,
            search=self.query_one("#activity-search", Input).value or None,
        )
        if filters != self.filters:
            self.filters = filters
            self.next_before = None
            self.query_one("#activity-status", OneLine).say("Reading the log…")
            self.read_page(filters, None, first=True)

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#activity-search", Input))

    def action_focus_lines(self) -> None:
        self.set_focus(self.query_one(ActivityLines))

    def action_reload(self) -> None:
        """Read the log's first page again, and the colleagues if they were not read
        (setting them again would clear the colleague filter)."""
        self.reading = False
        self.next_before = None
        self.query_one("#activity-status", OneLine).say("Reading the log…")
        if not self.colleagues_read:
            self.read_colleagues()
        self.read_page(self.filters, None, first=True)

    def show_failure(self, text: str) -> None:
        self.query_one("#activity-status", OneLine).say(text)


def _as_child(line: ActivityLine) -> ActivityLine:
    """A client's line inside an opened batch (count 0 marks it as one)."""
    return replace(line, count=0)
