"""A line of plain text (a status or summary line) that is drawn again only when
its text changes, and then only the cells that changed.

Its size is fixed by the stylesheet (height 1, full width), so a new text needs
no new layout of the screen: a layout would repaint the scrollbars and the
table's edges on every key. A new text repaints the stretch of cells where it
differs from the old one (not the padding, nor the blanks after both), and the
line goes to the terminal as a few colour runs (its padding joined with its
text), not one per piece.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import Static

from dext_tui.widgets.style_runs import changed_stretch, joined


class OneLine(Static):
    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(Content(text), id=id)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def render(self) -> Content:
        return Content(self._text)  # always the latest words (say() sets no content)

    def _drawn(self, text: str) -> list[Segment] | None:
        """The line as `text` would draw it in the content area (None: not laid out)."""
        width = self.size.width
        if not width or not self.is_mounted:
            return None
        strips = Visual.to_strips(self, visualize(self, Content(text)), width, 1, self.visual_style)
        return list(strips[0]) if strips else []

    def say(self, text: str) -> None:
        """Show `text` as typed (never markup)."""
        if text == self._text:
            return  # the same words again: nothing to draw
        before = self._drawn(self._text)
        self._text = text
        after = self._drawn(text)
        if before is None or after is None:
            self.refresh()
            return
        stretch = changed_stretch(before, after)
        if stretch is not None:
            start, end = stretch
            self.refresh(Region(start, 0, end - start, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        return [Strip(joined(strip), strip.cell_length) for strip in super().render_lines(crop)]
