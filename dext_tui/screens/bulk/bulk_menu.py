"""The Bulk menu: what can be done to the marked clients at once (spec 14)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line

# (choice, label, what it does); the choice is a BulkAction's value, or "export"
BULK_CHOICES = (
    ("deactivate", "Deactivate", "every product of each client"),
    ("reactivate", "Reactivate", "deactivated 120 days ago or more"),
    ("remove", "Remove", "off the list; a practice admin can restore"),
    ("restore", "Restore", "removed clients back onto the list"),
    ("export", "Export", "the marked clients as a CSV file"),
)


class BulkOptions(CommandBindings, OptionList):
    BINDING_GROUP_TITLE = "Bulk actions"
    COMMANDS_LIST = (
        Command("select", "enter", "Preview", "Preview the highlighted action", in_palette=False),
    )


class BulkMenuScreen(CommandScreen, ModalScreen[str | None]):
    """Dismissed with the chosen action ("deactivate", …, "export") or None."""

    DEFAULT_CSS = """
    #bulk-dialog { width: 70; }
    #bulk-options { height: auto; }
    """

    COMMANDS_LIST = (
        Command("dismiss('deactivate')", "d", "Deactivate", "Preview deactivating them"),
        Command("dismiss('reactivate')", "r", "Reactivate", "Preview reactivating them"),
        Command("dismiss('remove')", "m", "Remove", "Preview removing them"),
        Command("dismiss('restore')", "o", "Restore", "Preview restoring them"),
        Command("dismiss('export')", "e", "Export", "Export the marked clients as CSV"),
        Command("dismiss(None)", "escape", "Back", "Back to the list"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Bulk actions"

    def __init__(self, marked: int) -> None:
        super().__init__()
        self.marked = marked

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog", classes="dialog"):
            noun = "client" if self.marked == 1 else "clients"
            yield Label(Content(f"Bulk: {self.marked:,} marked {noun}"), classes="dialog-title")
            yield BulkOptions(
                *(
                    Option(Content(f"{label} ({key})  — {text}"), id=choice)
                    for (choice, label, text), key in zip(BULK_CHOICES, "drmoe", strict=True)
                ),
                id="bulk-options",
            )
            yield Label(
                "Each shows a preview first; nothing changes until you apply it.",
                classes="dialog-hint",
            )
            yield Label(
                hint_line(BulkOptions.COMMANDS_LIST, self.COMMANDS_LIST[-2:-1]),
                classes="dialog-hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
