"""Before the review: clients that look like the one being added (only ones the user may
see), with the choice to open one of them instead (each numbered, with its key), or go on adding."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.duplicates import MOST_SHOWN, Duplicate
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.widgets.safe_text import printable

DUPLICATE_COMMANDS = (
    Command("open_client", "enter", "Open", "Open the highlighted client instead"),
    # One key per hit: a name match and a CRN match are two different clients.
    *(
        Command(
            f"open_hit({number})",
            str(number),
            f"Open {number}",
            f"Open client {number} of the list instead",
            show_in_footer=False,
            in_palette=False,
        )
        for number in range(1, MOST_SHOWN + 1)
    ),
    Command("go_on", "ctrl+y", "Go on", "Add the new client anyway"),
    Command("dismiss(None)", "escape", "Back", "Back to the step, to change what you typed"),
    HELP,
)


class DuplicateWarningScreen(CommandScreen, ModalScreen[int | str | None]):
    """Dismissed with a client id (open it instead), "go_on", or None (back to the step)."""

    COMMANDS_LIST = DUPLICATE_COMMANDS
    BINDING_GROUP_TITLE = "Possible duplicate"
    AUTO_FOCUS = "#duplicate-options"

    DEFAULT_CSS = """
    #duplicate-dialog { width: 76; max-width: 100%; height: auto; }
    #duplicate-options { height: auto; max-height: 10; }
    """

    def __init__(self, new_name: str, duplicates: list[Duplicate]) -> None:
        super().__init__()
        self.new_name = new_name
        self.duplicates = duplicates

    def compose(self) -> ComposeResult:
        with Vertical(id="duplicate-dialog", classes="dialog"):
            yield Label("This client may already exist", classes="dialog-title")
            yield Static(
                Content(
                    f"You are adding '{printable(self.new_name.strip())}'. "
                    "Open one of these clients instead, or go on adding a new one."
                )
            )
            yield CursorOptions(
                *(
                    Option(
                        Content(f"{number}  {printable(' '.join(d.sentences()))}"),
                        id=str(d.client_id),
                    )
                    for number, d in enumerate(self.duplicates, start=1)
                ),
                id="duplicate-options",
                compact=True,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Open highlighted", id="duplicate-open", variant="primary", compact=True
                )
                yield Button("Go on", id="duplicate-go-on", compact=True)
                yield Button("Back", id="duplicate-back", compact=True)
            yield Label(hint_line(DUPLICATE_COMMANDS), classes="dialog-hint")

    def action_open_client(self) -> None:
        options = self.query_one("#duplicate-options", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        self.dismiss(self.duplicates[index].client_id)

    def action_open_hit(self, number: int) -> None:
        if 1 <= number <= len(self.duplicates):
            self.dismiss(self.duplicates[number - 1].client_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_hit":  # only as many keys as there are hits
            return bool(parameters) and int(str(parameters[0])) <= len(self.duplicates)
        return True

    def action_go_on(self) -> None:
        self.dismiss("go_on")

    @on(OptionList.OptionSelected)
    def option_selected(self) -> None:
        self.action_open_client()

    @on(Button.Pressed, "#duplicate-open")
    def open_pressed(self) -> None:
        self.action_open_client()

    @on(Button.Pressed, "#duplicate-go-on")
    def go_on_pressed(self) -> None:
        self.action_go_on()

    @on(Button.Pressed, "#duplicate-back")
    def back_pressed(self) -> None:
        self.dismiss(None)
