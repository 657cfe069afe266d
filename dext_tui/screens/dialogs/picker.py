"""A modal list to pick one entry from: the product switcher and the Manage menu.

A plain mixin for a CommandScreen and ModalScreen (no screen of its own for the
command checks). The screen declares its list widget (with its own key help),
its ids, its title, its entries (each with a key of its own: `entry_commands`), its
options and where the highlight starts; choosing an entry, by its key or by Enter on
it, dismisses the screen with that entry's id (escape: None).

The highlighted entry carries a ▶ in a gutter before it, so that it reads without
colour (NO_COLOR, 16 colours, a capture of the screen); each entry shows its key.
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
from dext_tui.widgets.row_table import CURSOR_GLYPH

GUTTER = f"{CURSOR_GLYPH} "  # before the highlighted entry
NO_CURSOR = " " * len(GUTTER)


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
    OPTIONS: ClassVar[type[OptionList]]  # the list widget; its COMMANDS_LIST is its key help
    DIALOG_ID: ClassVar[str]
    OPTIONS_ID: ClassVar[str]
    TITLE_ID: ClassVar[str | None] = None
    COMMANDS_LIST: ClassVar[tuple[Command, ...]]
    # Provided by the Screen the picker is mixed into.
    query_one: Callable[..., Any]
    dismiss: Callable[..., Any]
    is_mounted: bool

    _prompts: dict[int, Content]  # option index: its prompt without the gutter
    _cursor_at: int | None = None

    def picker_title(self) -> str | Content:
        raise NotImplementedError

    def picker_options(self) -> list[Option]:
        """The options, each prompt a Content; an entry's option id is its Entry id."""
        raise NotImplementedError

    def first_highlighted(self, options: OptionList) -> int:
        """Where the highlight starts."""
        return 0

    def compose(self) -> ComposeResult:
        options = []
        self._prompts = {}
        for index, option in enumerate(self.picker_options()):
            if option.id is not None:  # an entry (not a group's title): a gutter before it
                prompt = option.prompt
                self._prompts[index] = prompt if isinstance(prompt, Content) else Content(prompt)  # type: ignore[arg-type]
                option = Option(
                    Content.assemble(NO_CURSOR, self._prompts[index]),
                    id=option.id,
                    disabled=option.disabled,
                )
            options.append(option)
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
        self._move_cursor(options.highlighted)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._move_cursor(event.option_index)

    def _move_cursor(self, index: int | None) -> None:
        """The ▶ gutter follows the highlight."""
        if index == self._cursor_at:
            return
        options = self.query_one(self.OPTIONS)
        if self._cursor_at in self._prompts:
            at = self._cursor_at
            options.replace_option_prompt_at_index(
                at, Content.assemble(NO_CURSOR, self._prompts[at])
            )
        if index in self._prompts:
            options.replace_option_prompt_at_index(
                index, Content.assemble(GUTTER, self._prompts[index])
            )
        self._cursor_at = index

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
