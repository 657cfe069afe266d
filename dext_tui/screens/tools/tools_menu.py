"""The Tools menu of the list page: the bulk operations on real spreadsheets (spec 10, 11)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.dialogs.picker import entry_prompt

TOOLS = (  # id, its key (shown beside it), label, what it does
    ("upload", "u", "Upload practice codes", "from a CSV file"),
    ("export", "e", "Export client list", "as a CSV file for Excel"),
)


class ToolOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Tools"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted tool", in_palette=False),
    )


class ToolsMenuScreen(CommandScreen, ModalScreen[str | None]):
    """Dismissed with "upload", "export", or None."""

    DEFAULT_CSS = """
    #tools-options { height: auto; }
    """

    COMMANDS_LIST = (
        Command("dismiss('upload')", "u", "Upload codes", "Upload practice codes from a CSV"),
        Command("dismiss('export')", "e", "Export list", "Export the client list as CSV"),
        Command("dismiss(None)", "escape", "Back", "Back to the list"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Tools"

    def compose(self) -> ComposeResult:
        with Vertical(id="tools-dialog", classes="dialog"):
            yield Label("Tools", classes="dialog-title")
            yield ToolOptions(
                *(
                    Option(entry_prompt(key, f"{label}  — {help_text}"), id=tool)
                    for tool, key, label, help_text in TOOLS
                ),
                id="tools-options",
            )
            yield Label(
                hint_line(ToolOptions.COMMANDS_LIST, self.COMMANDS_LIST), classes="dialog-hint"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
