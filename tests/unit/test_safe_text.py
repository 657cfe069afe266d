"""Stored text is shown as typed and can never restyle the terminal or break a column."""

from rich.cells import cell_len

from dext_tui.widgets.safe_text import fit, printable


def test_escape_sequences_become_visible():
    assert printable("Evil\x1b[31mRed") == "Evil␛[31mRed"
    assert "\x1b" not in printable("\x1b]8;;http://x\x1b\\")


def test_tabs_newlines_and_bidi_overrides_are_neutralised():
    assert printable("a\tb\nc") == "a␉b␊c"
    assert printable("abc\u202edef") == "abc\ufffddef"


def test_markup_is_left_alone():
    assert printable("[bold]Acme[/]") == "[bold]Acme[/]"


def test_fit_pads_and_cuts_by_cells():
    assert fit("Acme", 6) == "Acme  "
    assert fit("Acme", 6, align_right=True) == "  Acme"
    assert fit("Thames Water Ltd", 8) == "Thames …"
    for text in ("東京商事株式会社", "🍕🍕🍕🍕🍕", "Tab\tName\x1b[0m"):
        assert cell_len(fit(text, 7)) == 7
