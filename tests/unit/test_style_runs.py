"""A line in as few colour runs as its picture allows (each run costs ~40 bytes)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from dext_tui.widgets.style_runs import joined

ROW = Style.parse("#e0e0e0 on #1e1e1e")
GREEN = Style.parse("#8ad4a1 on #1e1e1e")
LINK = Style.parse("underline #e0e0e0 on #1e1e1e")


def runs(segments: list[Segment]) -> list[tuple[str, Style | None]]:
    return [(segment.text, segment.style) for segment in joined(segments)]


def test_neighbours_that_look_alike_are_one_run():
    line = [Segment("Acme Ltd ", ROW), Segment(" ", ROW), Segment("12 ", ROW)]
    assert runs(line) == [("Acme Ltd  12 ", ROW)]


def test_blanks_take_a_neighbours_colour_as_only_their_background_shows():
    line = [Segment("Acme", ROW), Segment("   ", GREEN), Segment("Active", GREEN)]
    assert runs(line) == [("Acme   ", ROW), ("Active", GREEN)]
    leading = [Segment(" ", ROW), Segment("Active", GREEN)]
    assert runs(leading) == [(" Active", GREEN)]


def test_the_text_and_what_draws_a_line_or_another_background_stay_apart():
    other_background = Style.parse("#e0e0e0 on #0178d4")
    assert runs([Segment("Acme", ROW), Segment("  ", other_background)]) == [
        ("Acme", ROW),
        ("  ", other_background),
    ]
    assert runs([Segment("Acme", ROW), Segment(" ", LINK), Segment("Manage", LINK)]) == [
        ("Acme", ROW),
        (" Manage", LINK),  # the underline goes on under the blank, as before
    ]
    assert runs([Segment("Active", GREEN), Segment("Acme", ROW)]) == [
        ("Active", GREEN),
        ("Acme", ROW),
    ]


def test_a_blank_never_takes_the_selection_offsets_of_the_text_after_it():
    text = ROW + Style.from_meta({"offset": (0, 0)})
    assert runs([Segment(" ", ROW), Segment("Acme", text), Segment("  ", ROW)]) == [
        (" ", ROW),
        ("Acme  ", text),
    ]
