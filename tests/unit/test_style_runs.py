"""A line in as few colour runs as its picture allows (each run costs ~40 bytes)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from dext_tui.widgets.style_runs import changed_stretch, joined

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


def test_the_changed_stretch_runs_from_the_first_to_the_last_cell_that_looks_different():
    old = [Segment("Acme Ltd    ", ROW), Segment("Active", GREEN)]
    assert changed_stretch(old, old) is None
    assert changed_stretch(old, [Segment("Acme Ltd    ", ROW), Segment("Active", ROW)]) == (12, 18)
    new = [Segment("Acne Ltd    ", ROW), Segment("Active", GREEN)]
    assert changed_stretch(old, new) == (2, 3)
    # Blanks whose colour cannot be seen, and the same cells split otherwise, are alike.
    blanks = [Segment("Acme Ltd", ROW), Segment("    ", GREEN), Segment("Active", GREEN)]
    assert changed_stretch(old, blanks) is None


def test_the_changed_stretch_never_splits_a_wide_character():
    old = [Segment("東京 Ltd", ROW)]
    new = [Segment("東都 Ltd", ROW)]  # the second character (cells 2-3) differs
    assert changed_stretch(old, new) == (2, 4)
    assert changed_stretch([Segment("ab東", ROW)], [Segment("ab東x", ROW)]) == (4, 5)
    # "a東" against "ab " : cell 1 differs, and cell 2 is the wide character's second half.
    assert changed_stretch([Segment("a東", ROW)], [Segment("ab ", ROW)]) == (1, 3)
