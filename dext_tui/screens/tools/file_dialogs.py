"""File dialogs (textual-fspicker) laid out for an 80x24 terminal.

The library's dialogs take 80% of the screen and a padded input bar; on 24
lines the file list is left no room at all. These take the whole screen on a
small terminal and keep the bar to one row of controls.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input
from textual_fspicker import FileOpen, FileSave, Filters

from dext_tui.commands import HELP, Command, CommandScreen

CSV_FILTERS = Filters(
    ("CSV files", lambda path: path.suffix.lower() in (".csv", ".txt", ".tsv")),
    ("All files", lambda _path: True),
)

_COMPACT_CSS = """
{name} Dialog {{ width: 100%; max-width: 110; height: 100%; max-height: 36; }}
{name} Dialog InputBar {{ height: 3; padding: 0 1 0 0; }}
{name} Dialog InputBar Input {{ width: 1fr; }}
{name} Dialog InputBar Select {{ width: 18; }}
{name} Dialog InputBar Button {{ min-width: 8; margin-left: 1; }}
"""


# The library's own keys, as commands: so footer, `?` help and the palette know them.
_LIBRARY_COMMANDS = (
    Command("hidden", "full_stop", "Hidden", "Show or hide hidden files and folders"),
    Command("dismiss(None)", "escape", "Cancel", "Close without choosing a file"),
    HELP,
)
OPEN_DIALOG_COMMANDS = (
    Command("choose", "ctrl+o", "Open", "Open the file named in the box (enter there too)"),
    Command("file_name", "ctrl+n", "File name", "Go to the file-name box"),
    *_LIBRARY_COMMANDS,
)
SAVE_DIALOG_COMMANDS = (
    Command("choose", "ctrl+s,f2", "Save", "Save to the file named in the box (enter there too)"),
    Command("file_name", "ctrl+n", "File name", "Go to the file-name box"),
    *_LIBRARY_COMMANDS,
)


class _ChooseKeys:
    """The actions both dialogs' added keys run: choose the named file, go to the name box
    (a plain mixin: each dialog declares its own commands)."""

    query_one: Any

    def action_choose(self) -> None:
        self.query_one("#select", Button).press()

    def action_file_name(self) -> None:
        self.query_one(Input).focus()


class OpenCsvDialog(CommandScreen, _ChooseKeys, FileOpen):
    """Choose an existing CSV file; dismissed with its Path, or None."""

    COMMANDS_LIST = OPEN_DIALOG_COMMANDS
    BINDING_GROUP_TITLE = "Open a file"

    DEFAULT_CSS = _COMPACT_CSS.format(name="OpenCsvDialog")

    def __init__(self, location, title: str) -> None:
        super().__init__(location, title, filters=CSV_FILTERS, open_button="Open (ctrl+o)")


class SaveCsvDialog(CommandScreen, _ChooseKeys, FileSave):
    """Choose where to save a CSV file; dismissed with its Path, or None.

    It opens in the file-name box holding the proposed name, so enter saves there:
    in the file list `..` would be highlighted and enter would go up a folder."""

    COMMANDS_LIST = SAVE_DIALOG_COMMANDS
    BINDING_GROUP_TITLE = "Save a file"

    DEFAULT_CSS = _COMPACT_CSS.format(name="SaveCsvDialog")

    def __init__(self, location, title: str, default_file: str) -> None:
        super().__init__(location, title, default_file=default_file, save_button="Save (ctrl+s)")

    def on_mount(self) -> None:
        # After the library's own mount handler, which focuses the file list.
        self.call_after_refresh(self.action_file_name)
