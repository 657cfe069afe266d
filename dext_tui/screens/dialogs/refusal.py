"""Shown instead of the list when the user cannot be identified: refuse, never default."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.safe_text import printable


class RefusalScreen(CommandScreen, Screen[None]):
    COMMANDS_LIST = (
        Command("app.quit", "q,escape", "Quit", "Quit dext-tui", in_palette=False),
        HELP,
    )
    BINDING_GROUP_TITLE = "Access refused"

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="refusal", classes="dialog"):
            yield Label("Access refused", classes="dialog-title")
            yield Static(Content(printable(self.reason)), id="refusal-reason")
        yield KeyFooter()
