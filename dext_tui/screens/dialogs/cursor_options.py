"""An OptionList whose highlighted entry reads without colour (NO_COLOR, 16 colours, a
capture of the screen): a ▶ in a gutter before it. Entries (options with an id) get the
gutter; group titles (options without one) start at the left edge as before."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from dext_tui.widgets.row_table import CURSOR_GLYPH

GUTTER = f"{CURSOR_GLYPH} "  # before the highlighted entry
NO_CURSOR = " " * len(GUTTER)


def _content(prompt: Any) -> Content:
    return prompt if isinstance(prompt, Content) else Content(str(prompt))


class CursorOptions(OptionList):
    _cursor_at: int | None = None

    def _entries(self) -> dict[int, Content]:
        """Option index: its prompt without the gutter."""
        if "_bare" not in self.__dict__:
            self.__dict__["_bare"] = {}
        return self.__dict__["_bare"]

    def add_options(self, new_options: Iterable[Any]) -> CursorOptions:
        start = self.option_count if "_options" in self.__dict__ else 0
        added = []
        for offset, option in enumerate(new_options):
            if isinstance(option, Option) and option.id is not None:
                bare = _content(option.prompt)
                self._entries()[start + offset] = bare
                option = Option(
                    Content.assemble(NO_CURSOR, bare), id=option.id, disabled=option.disabled
                )
            added.append(option)
        super().add_options(added)
        return self

    def clear_options(self) -> CursorOptions:
        self._entries().clear()
        self._cursor_at = None
        super().clear_options()
        return self

    def replace_option_prompt(self, option_id: str, prompt: Any) -> CursorOptions:
        """A new prompt for an entry (a toggle's [x]) keeps its gutter and its ▶."""
        index = self.get_option_index(option_id)
        if index not in self._entries():
            super().replace_option_prompt(option_id, prompt)
            return self
        bare = self._entries()[index] = _content(prompt)
        gutter = GUTTER if index == self._cursor_at else NO_CURSOR
        self.replace_option_prompt_at_index(index, Content.assemble(gutter, bare))
        return self

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The ▶ follows the highlight (the message goes on to the screen as well)."""
        self.move_cursor_mark(event.option_index)

    def on_mount(self) -> None:
        self.move_cursor_mark(self.highlighted)

    def move_cursor_mark(self, index: int | None) -> None:
        if index == self._cursor_at:
            return
        bare = self._entries()
        if self._cursor_at in bare:
            old = self._cursor_at
            self.replace_option_prompt_at_index(old, Content.assemble(NO_CURSOR, bare[old]))
        if index in bare:
            self.replace_option_prompt_at_index(index, Content.assemble(GUTTER, bare[index]))
        self._cursor_at = index
