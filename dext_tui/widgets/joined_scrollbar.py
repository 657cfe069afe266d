"""A horizontal scrollbar drawn as a few runs of cells, not one run per cell.

Textual's renderer gives each cell of a horizontal bar its own segment, and each
segment goes to the terminal with its own colour sequence: about 35 bytes a
cell, 2.8 kB for an 80-column bar. Joining neighbouring cells that share a style
draws the same picture in a handful of sequences.
"""

from __future__ import annotations

from rich.segment import Segment, Segments
from textual.scrollbar import ScrollBarRender


class JoinedScrollBarRender(ScrollBarRender):
    @classmethod
    def render_bar(cls, *args, **kwargs) -> Segments:
        bar = super().render_bar(*args, **kwargs)
        if bar.new_lines:  # vertical: one segment per line, nothing to join
            return bar
        return Segments(Segment.simplify(bar.segments), new_lines=False)
