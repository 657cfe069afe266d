"""The one confirm dialog for every destructive action: it says exactly what will happen.

For an irreversible action the user must also type a given text (the client's
name) before Confirm does anything.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.widgets.safe_text import printable

CONFIRM_COMMANDS = (
    Command("confirm", "ctrl+y", "Confirm", "Do it (the dialog says exactly what happens)"),
    Command("dismiss(False)", "escape", "Cancel", "Go back, changing nothing"),
    HELP,
)


class ConfirmScreen(CommandScreen, ModalScreen[bool]):
    """Dismissed with True only when the user confirms (and typed `type_to_confirm`)."""

    COMMANDS_LIST = CONFIRM_COMMANDS
    BINDING_GROUP_TITLE = "Confirm"
    AUTO_FOCUS = "#confirm-cancel"

    def __init__(
        self, title: str, consequences: str, action_label: str, *, type_to_confirm: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.consequences = consequences
        self.action_label = action_label
        self.type_to_confirm = type_to_confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Content(printable(self.title_text)), classes="dialog-title")
            # Capped and scrolled: a very long name in it must not push the buttons off screen.
            with VerticalScroll(id="confirm-body", can_focus=False):
                yield Static(Content(printable(self.consequences)), id="confirm-consequences")
            if self.type_to_confirm:
                yield Label(
                    Content(f"Type “{printable(self.type_to_confirm)}” to confirm:"),
                    id="confirm-prompt",
                )
                yield Input(id="confirm-typed", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.action_label, id="confirm-do", variant="error", compact=True)
                yield Button("Cancel", id="confirm-cancel", compact=True)
            yield Label(hint_line(CONFIRM_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        if self.type_to_confirm:
            self.set_focus(self.query_one("#confirm-typed", Input))

    def _typed_enough(self) -> bool:
        if not self.type_to_confirm:
            return True
        return self.query_one("#confirm-typed", Input).value.strip() == self.type_to_confirm

    def action_confirm(self) -> None:
        if self._typed_enough():
            self.dismiss(True)
        else:
            self.notify(
                "Type the name exactly as shown to confirm.", severity="warning", title="Not yet"
            )

    @on(Button.Pressed, "#confirm-do")
    def confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#confirm-cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#confirm-typed")
    def typed_submitted(self) -> None:
        self.action_confirm()
