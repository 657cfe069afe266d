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
