"""A client's history: every audit event, newest first (who, when, what, before, after)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.change_words import change_words
from dext_tui.data.client_record import ClientRecord, HistoryEntry, load_history
from dext_tui.data.viewer import Viewer
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.body_scroll import BodyScroll
from dext_tui.widgets.safe_text import printable

HISTORY_COMMANDS = (
    Command("dismiss(None)", "escape", "Back", "Back to the list"),
    HELP,
)


def describe_entry(entry: HistoryEntry) -> str:
    when = f"{entry.at:%d %b %Y %H:%M}" if entry.at else "—"
    what = entry.action.split(".", 1)[-1].replace("_", " ")
    changes = change_words(entry.before, entry.after)
    return printable(" · ".join([when, entry.who, what, *changes]))


class HistoryScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[None]):
    COMMANDS_LIST = HISTORY_COMMANDS
    BINDING_GROUP_TITLE = "History"

    @dataclass
    class Loaded(Message):
        entries: list[HistoryEntry] | None

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog", classes="dialog"):
            title = Content(f"History of {printable(self.record.name)}")
            yield Label(title, classes="dialog-title")
            with BodyScroll(id="history-body"):
                yield Static(Content("Loading…"), id="history-entries")
            yield Label(hint_line(HISTORY_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        self.load(self.record.id)

    @background(
        OnFailure("Could not read the history: {reason}. Press esc and try again."),
        group="history",
        exclusive=True,
    )
    def load(self, client_id: int) -> None:
        self.post_message(self.Loaded(load_history(self.engine, self.viewer, client_id)))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        entries = message.entries
        if entries is None:
            text = "This client no longer exists or is not shared with you."
        elif not entries:
            text = "No changes have been recorded for this client yet."
        else:
            text = "\n".join(describe_entry(entry) for entry in entries)
        self.query_one("#history-entries", Static).update(Content(text))

    def show_failure(self, text: str) -> None:
        self.query_one("#history-entries", Static).update(Content(text))
