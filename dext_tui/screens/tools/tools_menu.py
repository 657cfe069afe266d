"""The Tools menu of the list page: the bulk operations on real spreadsheets (spec 10, 11)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line

TOOLS = (
    ("upload", "Upload practice codes", "from a CSV file"),
    ("export", "Export client list", "as a CSV file for Excel"),
)


class ToolOptions(CommandBindings, OptionList):
    BINDING_GROUP_TITLE = "Tools"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted tool", in_palette=False),
    )


class ToolsMenuScreen(CommandScreen, ModalScreen[str | None]):
    """Dismissed with "upload", "export", or None."""

    DEFAULT_CSS = """
    #tools-dialog { width: 64; }
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
                *(Option(f"{label}  — {help_text}", id=key) for key, label, help_text in TOOLS),
                id="tools-options",
            )
            yield Label(
                hint_line(ToolOptions.COMMANDS_LIST, self.COMMANDS_LIST), classes="dialog-hint"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
