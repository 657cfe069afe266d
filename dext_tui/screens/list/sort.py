"""Pick the column the client list is sorted by."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.data.client_query import RELEVANCE, SORT_COLUMNS, SortColumn
from dext_tui.screens.dialogs.cursor_options import CursorOptions


class SortOptions(CommandBindings, CursorOptions):
    """The columns to sort by; enter picks the highlighted one."""

    BINDING_GROUP_TITLE = "Column list"
    COMMANDS_LIST = (
        Command(
            "select",
            "enter",
            "Pick",
            "Sort by the highlighted column (the current one again reverses)",
            in_palette=False,
        ),
    )


class SortScreen(CommandScreen, ModalScreen[str | None]):
    """Returns the chosen column key, or None when dismissed."""

    COMMANDS_LIST = (
        Command("dismiss(None)", "escape", "Back", "Go back to the list, changing nothing"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Sort"

    def __init__(
        self,
        current: str | None,
        descending: bool,
        *,
        searching: bool = False,
        columns: Sequence[SortColumn] = SORT_COLUMNS,
    ) -> None:
        super().__init__()
        self.searching = searching
        self.current = current or (RELEVANCE if searching else "name")
        self.descending = descending
        self.columns = columns  # what the view on screen shows

    def compose(self) -> ComposeResult:
        with Vertical(id="sort-dialog", classes="dialog"):
            yield Label("Sort by", classes="dialog-title")
            options = []
            if self.searching:
                options.append(Option("Best match first", id=RELEVANCE))
            for column in self.columns:
                label = column.label
                if column.key == self.current:
                    now = "descending" if self.descending else "ascending"
                    label += f"  (now {now}: pick again to reverse)"
                options.append(Option(label, id=column.key))
            yield SortOptions(*options, id="sort-options")
            yield Label(
                hint_line(SortOptions.COMMANDS_LIST, self.COMMANDS_LIST), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        options = self.query_one(SortOptions)
        options.highlighted = options.get_option_index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
