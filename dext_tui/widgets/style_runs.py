"""A line sent as few colour runs as possible, drawing the same picture.

Textual sends every segment with its full colour sequence (about 40 bytes with
24-bit colour), so a line drawn as one segment per cell costs far more than its
text. Neighbouring segments that look alike are joined; a run of spaces, whose
text colour and weight cannot be seen, takes the style of a neighbour with the
same background. (A blank may join the text before it even when that carries
Textual's offsets for selecting text, as they count from the text's start; not
the text after it, which would shift them.)
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style


def _same_colour(colour: Color | None, other: Color | None) -> bool:
    """Equal as drawn (a colour parsed from "#242f38" and one from a triplet differ
    by name only)."""
    if colour is None or other is None:
        return colour is other
    return (colour.type, colour.number, colour.triplet) == (
        other.type,
        other.number,
        other.triplet,
    )


def _blank_looks_alike(style: Style | None, other: Style | None) -> bool:
    """Whether spaces drawn in `style` look the same drawn in `other`: only the
    background shows, unless a line or reversed colours would be drawn across them."""
    if style is None or other is None or not _same_colour(style.bgcolor, other.bgcolor):
        return False
    return not any(
        drawn_across
        for s in (style, other)
        for drawn_across in (s.underline, s.underline2, s.strike, s.overline, s.reverse, s.link)
    )


def joined(segments: Iterable[Segment]) -> list[Segment]:
    """`segments` in as few runs as the picture allows."""
    line = [segment for segment in segments if segment.text]
    for index, (text, style, control) in enumerate(line):
        if control or text.strip(" "):
            continue
        before = line[index - 1].style if index else None
        after = line[index + 1].style if index + 1 < len(line) else None
        if after is not None and after._meta:
            after = None
        for neighbour in (before, after):
            if _blank_looks_alike(style, neighbour):
                line[index] = Segment(text, neighbour)
                break
    return list(Segment.simplify(line))


_WIDE_TAIL = ""  # the second cell of a double-width character


def _cells(segments: Iterable[Segment]) -> list[tuple[str, Style | None]]:
    """One (text, style) per terminal cell."""
    cells: list[tuple[str, Style | None]] = []
    extend = cells.extend
    for text, style, control in segments:
        if control:
            continue
        if text.isascii():
            extend([(character, style) for character in text])
            continue
        for character in text:
            width = cell_len(character)
            if width == 0 and cells:  # a combining mark rides on the cell before
                cells[-1] = (cells[-1][0] + character, cells[-1][1])
                continue
            cells.append((character, style))
            if width == 2:
                cells.append((_WIDE_TAIL, style))
    return cells


def _looks_alike(cell: tuple[str, Style | None], other: tuple[str, Style | None]) -> bool:
    text, style = cell
    if text != other[0]:
        return False
    if style is other[1] or style == other[1]:
        return True
    return text == " " and _blank_looks_alike(style, other[1])


def changed_stretch(old: Iterable[Segment], new: Iterable[Segment]) -> tuple[int, int] | None:
    """The cells (start, end) from the first to the last where `new` looks different
    from `old` (None: they look the same), never splitting a wide character.

    One stretch, not one per change: Textual (8.2) sends a partial repaint of a
    widget's line from the widget's left edge to the stretch's end, so a second
    stretch on the line would send its left part again. What it saves is the
    cells after the last change (the blanks after a shorter text, the columns
    that stayed put at the end of a row)."""
    before, after = _cells(old), _cells(new)
    common = min(len(before), len(after))
    first = 0
    while first < common and _looks_alike(before[first], after[first]):
        first += 1
    if first == common and len(before) == len(after):
        return None
    end = max(len(before), len(after))
    if len(before) == len(after):
        while end > first and _looks_alike(before[end - 1], after[end - 1]):
            end -= 1

    def wide_tail(x: int) -> bool:
        return any(x < len(cells) and cells[x][0] == _WIDE_TAIL for cells in (before, after))

    while first > 0 and wide_tail(first):
        first -= 1
    while wide_tail(end):
        end += 1
    return first, end
