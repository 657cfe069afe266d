"""Shown instead of the list when the user cannot be identified: refuse, never default."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from dext_tui.widgets.safe_text import printable


class RefusalScreen(Screen[None]):
    BINDINGS = [Binding("q,escape", "app.quit", "Quit")]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="refusal", classes="dialog"):
            yield Label("Access refused", classes="dialog-title")
            yield Static(Content(printable(self.reason)), id="refusal-reason")
        yield Footer()
