"""A line of plain text (a status or summary line) that is drawn again only when
its text changes.

Its size is fixed by the stylesheet (height 1, full width), so a new text needs
no new layout of the screen: a layout would repaint the scrollbars and the
table's edges on every key. It goes to the terminal as a few colour runs
(its padding joined with its text), not one per piece.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from dext_tui.widgets.style_runs import joined


class OneLine(Static):
    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(Content(text), id=id)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def say(self, text: str) -> None:
        """Show `text` as typed (never markup)."""
        if text == self._text:
            return  # the same words again: nothing to draw
        self._text = text
        self.update(Content(text), layout=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        return [Strip(joined(strip), strip.cell_length) for strip in super().render_lines(crop)]
