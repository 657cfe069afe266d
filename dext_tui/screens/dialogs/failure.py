"""Work that failed in the background, said plainly, with a way to try again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from dext_tui.commands import HELP, QUIT, Command, CommandScreen, hint_line
from dext_tui.widgets.safe_text import printable

FAILURE_COMMANDS = (
    Command("retry", "r,enter", "Retry", "Try the failed work again"),
    Command("close", "escape", "Close", "Close this message and carry on"),
    QUIT,
    HELP,
)


class FailureScreen(CommandScreen, ModalScreen[bool]):
    """Dismissed with True to retry, False to carry on without it."""

    COMMANDS_LIST = FAILURE_COMMANDS
    BINDING_GROUP_TITLE = "Something went wrong"

    def __init__(self, title: str, reason: str) -> None:
        super().__init__()
        self.title_text = title
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="failure-dialog", classes="dialog"):
            yield Label(Content(printable(self.title_text)), classes="dialog-title")
            yield Static(Content(printable(self.reason)), id="failure-reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Retry", id="retry", variant="primary", compact=True)
                yield Button("Close", id="close", compact=True)
            yield Label(hint_line(FAILURE_COMMANDS), classes="dialog-hint")

    def action_retry(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "retry")
