"""A modal list to pick one entry from: the product switcher and the Manage menu.

A plain mixin for a CommandScreen and ModalScreen (no screen of its own for the
command checks). The screen declares its list widget (with its own key help),
its ids, its title, its options and where the highlight starts; choosing an
entry dismisses the screen with that entry's id (escape: None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import Command, hint_line


class Picker:
    OPTIONS: ClassVar[type[OptionList]]  # the list widget; its COMMANDS_LIST is its key help
    DIALOG_ID: ClassVar[str]
    OPTIONS_ID: ClassVar[str]
    TITLE_ID: ClassVar[str | None] = None
    COMMANDS_LIST: ClassVar[tuple[Command, ...]]
    # Provided by the Screen the picker is mixed into.
    query_one: Callable[..., Any]
    dismiss: Callable[..., Any]

    def picker_title(self) -> str | Content:
        raise NotImplementedError

    def picker_options(self) -> list[Option]:
        raise NotImplementedError

    def first_highlighted(self, options: OptionList) -> int:
        """Where the highlight starts."""
        return 0

    def compose(self) -> ComposeResult:
        options = self.picker_options()
        with Vertical(id=self.DIALOG_ID, classes="dialog"):
            yield Label(self.picker_title(), classes="dialog-title", id=self.TITLE_ID)
            yield self.OPTIONS(*options, id=self.OPTIONS_ID)
            yield Label(
                hint_line(self.OPTIONS.COMMANDS_LIST, self.COMMANDS_LIST),  # type: ignore[attr-defined]
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(self.OPTIONS)
        options.highlighted = self.first_highlighted(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
