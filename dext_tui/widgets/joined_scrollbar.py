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


def _thumb(bar: ScrollBar, position: float, virtual_size: float) -> list[tuple[str, bool]] | None:
    """The bar's cells at `position` over `virtual_size`, as ScrollBar draws them
    (None: not laid out)."""
    length = bar.size.height if bar.vertical else bar.size.width
    if not length:
        return None
    window = bar.window_size if bar.window_size < virtual_size else 0
    drawn = ScrollBarRender.render_bar(
        size=length,
        virtual_size=ceil(virtual_size),
        window_size=ceil(window),
        position=position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return [
        (segment.text, bool(segment.style and segment.style.reverse)) for segment in drawn.segments
    ]


def move_bar(
    bar: ScrollBar, position: float | None = None, virtual_size: float | None = None
) -> None:
    """Set `bar`'s position (what a drag starts from) and the length it scrolls
    over; repaint it only if that moves or resizes the thumb."""
    position = bar.position if position is None else position
    virtual_size = bar.window_virtual_size if virtual_size is None else virtual_size
    old = _thumb(bar, bar.position, bar.window_virtual_size)
    bar.set_reactive(ScrollBar.position, position)
    bar.set_reactive(ScrollBar.window_virtual_size, virtual_size)
    if old is None or old != _thumb(bar, position, virtual_size):
        bar.refresh()
