"""Scrollbars that cost few bytes on the wire.

Textual's renderer gives each cell of a horizontal bar its own segment, and each
segment goes to the terminal with its own colour sequence: about 35 bytes a
cell, 2.8 kB for an 80-column bar. Joining neighbouring cells that share a style
draws the same picture in a handful of sequences.

A bar is also repainted whole (every line of a vertical one) whenever its
position changes, although over 100,000 rows a page down seldom moves the thumb
by a cell: `move_bar` repaints it only when the thumb's cells change.
"""

from __future__ import annotations

from math import ceil

from rich.segment import Segment, Segments
from textual.scrollbar import ScrollBar, ScrollBarRender


class JoinedScrollBarRender(ScrollBarRender):
    @classmethod
    def render_bar(cls, *args, **kwargs) -> Segments:
        bar = super().render_bar(*args, **kwargs)
        if bar.new_lines:  # vertical: one segment per line, nothing to join
            return bar
        return Segments(Segment.simplify(bar.segments), new_lines=False)


def _thumb(bar: ScrollBar, position: float) -> list[tuple[str, bool]] | None:
    """The bar's cells at `position`, as ScrollBar draws them (None: not laid out)."""
    length = bar.size.height if bar.vertical else bar.size.width
    if not length:
        return None
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    drawn = ScrollBarRender.render_bar(
        size=length,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window),
        position=position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return [
        (segment.text, bool(segment.style and segment.style.reverse)) for segment in drawn.segments
    ]


def move_bar(bar: ScrollBar, position: float) -> None:
    """Set `bar`'s position (what a drag starts from); repaint it only if that
    moves the thumb."""
    old = _thumb(bar, bar.position)
    if old is not None and old == _thumb(bar, position):
        bar.set_reactive(ScrollBar.position, position)
    else:
        bar.position = position
