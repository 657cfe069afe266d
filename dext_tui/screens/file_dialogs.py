"""File dialogs (textual-fspicker) laid out for an 80x24 terminal.

The library's dialogs take 80% of the screen and a padded input bar; on 24
lines the file list is left no room at all. These take the whole screen on a
small terminal and keep the bar to one row of controls.
"""

from __future__ import annotations

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
FILE_DIALOG_COMMANDS = (
    Command("hidden", "full_stop", "Hidden", "Show or hide hidden files and folders"),
    Command("dismiss(None)", "escape", "Cancel", "Close without choosing a file"),
    HELP,
)


class OpenCsvDialog(CommandScreen, FileOpen):
    """Choose an existing CSV file; dismissed with its Path, or None."""

    COMMANDS_LIST = FILE_DIALOG_COMMANDS
    BINDING_GROUP_TITLE = "Open a file"

    DEFAULT_CSS = _COMPACT_CSS.format(name="OpenCsvDialog")

    def __init__(self, location, title: str) -> None:
        super().__init__(location, title, filters=CSV_FILTERS)


class SaveCsvDialog(CommandScreen, FileSave):
    """Choose where to save a CSV file; dismissed with its Path, or None."""

    COMMANDS_LIST = FILE_DIALOG_COMMANDS
    BINDING_GROUP_TITLE = "Save a file"

    DEFAULT_CSS = _COMPACT_CSS.format(name="SaveCsvDialog")

    def __init__(self, location, title: str, default_file: str) -> None:
        super().__init__(location, title, default_file=default_file)
