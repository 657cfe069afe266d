"""A modal list to pick one entry from: the product switcher and the Manage menu.

A plain mixin for a CommandScreen and ModalScreen (no screen of its own for the
command checks). The screen declares its list widget (with its own key help),
its ids, its title, its entries (each with a key of its own: `entry_commands`), its
options and where the highlight starts; choosing an entry, by its key or by Enter on
it, dismisses the screen with that entry's id (escape: None).

The list is a CursorOptions: the highlighted entry carries a ▶, so that it reads
without colour; each entry shows its key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import Command, offered_hint_line
from dext_tui.screens.dialogs.cursor_options import CursorOptions


@dataclass(frozen=True)
class Entry:
    """One entry of a picker and the key that picks it."""

    id: str
    key: str  # a Textual key name: "1"
    label: str  # beside the key in the list; the palette's title
    help: str  # for `?` help and the palette


def entry_commands(entries: Iterable[Entry], group: str) -> tuple[Command, ...]:
    """One command per entry: its key picks it (footer and hint line: one `group` hint)."""
    return tuple(
        Command(f"pick({entry.id!r})", entry.key, entry.label, entry.help, group=group)
        for entry in entries
    )


def entry_prompt(key: str, text: str | Content) -> Content:
    """The prompt of an entry, its key first: "1  Edit  — …"."""
    return Content.assemble((key, "bold"), "  ", text)


class Picker:
    OPTIONS: ClassVar[type[CursorOptions]]  # the list; its COMMANDS_LIST is its key help
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
        """The options, each prompt a Content; an entry's option id is its Entry id."""
        raise NotImplementedError

    def first_highlighted(self, options: OptionList) -> int:
        """Where the highlight starts."""
        return 0

    def compose(self) -> ComposeResult:
        options = self.picker_options()
        self._offered = {o.id: not o.disabled for o in options if o.id is not None}
        with Vertical(id=self.DIALOG_ID, classes="dialog"):
            yield Label(self.picker_title(), classes="dialog-title", id=self.TITLE_ID)
            yield self.OPTIONS(*options, id=self.OPTIONS_ID)
            yield Label(
                offered_hint_line(self, self.OPTIONS.COMMANDS_LIST),  # type: ignore[attr-defined]
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(self.OPTIONS)
        options.highlighted = self.first_highlighted(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    # -- an entry's own key -------------------------------------------------------------
    def action_pick(self, entry_id: str) -> None:
        if self._offered.get(entry_id):
            self.dismiss(entry_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An entry's key is offered only for an entry on the list; shown but inactive
        for one the viewer may not use now (its reason is on the list)."""
        if action == "pick" and parameters:
            offered = getattr(self, "_offered", None)
            if offered is None:  # not composed yet
                return True
            if parameters[0] not in offered:
                return False
            return True if offered[parameters[0]] else None
        return super().check_action(action, parameters)  # type: ignore[misc]
