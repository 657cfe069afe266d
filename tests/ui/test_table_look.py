"""How the row table reads: the cursor row without colour, the sort arrow in a
narrow header, the name column taking a wide terminal's room."""

from __future__ import annotations

import pytest
import textual.constants

from dext_tui.app import DextApp
from dext_tui.widgets import row_table
from dext_tui.widgets.client_table import ClientTable
from dext_tui.widgets.row_table import CURSOR_GLYPH
from tests.ui.conftest import settle


@pytest.fixture(params=["no_color", "16_colours"])
def plain_terminal(request, monkeypatch):
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    return request.param


def table_text(table: ClientTable, y: int) -> str:
    return table.render_line(y).text


async def test_the_cursor_row_reads_differently_as_plain_text(small_practice, plain_terminal):
    app = DextApp(small_practice["db"], small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is (plain_terminal == "no_color")
        table = app.screen.query_one(ClientTable)
        table.focus()
        await pilot.press("down")
        await settle(pilot)
        assert table.cursor_row == 1
        assert table_text(table, 2).startswith(CURSOR_GLYPH)  # line 0 is the header
        for other in (1, 3):
            assert table_text(table, other).startswith(" ")
        assert table_text(table, 2)[1:] != table_text(table, 1)[1:]  # other clients


async def test_a_sorted_narrow_header_keeps_its_arrow(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        table.set_sort_indicator("costs", True)  # "Costs" is 6 cells wide
        assert "Costs▼" in table_text(table, 0)
        table.set_sort_indicator("crns", False)  # "CRN" in 8 cells: room for the space
        table.scroll_to(x=40, animate=False, immediate=True)
        await settle(pilot)
        assert "CRN ▲" in table_text(table, 0)


async def test_the_name_column_grows_with_the_terminal(admin_app):
    widths = {}
    for columns in (80, 110, 120, 140, 200):
        app = DextApp(admin_app.engine, admin_app.viewer) if widths else admin_app
        async with app.run_test(size=(columns, 24)) as pilot:
            await settle(pilot)
            widths[columns] = app.screen.query_one(ClientTable)._name_width
    assert list(widths.values()) == sorted(widths.values())  # never shrinks as it widens
    assert widths[120] >= 36
    assert widths[200] > 100  # every column fits: the name takes the rest


def picture(strip) -> list[tuple]:
    """Each cell as it looks: its character and background, and for a visible
    character its colour and attributes (a blank's colour and weight cannot be seen)."""
    cells = []
    for segment in strip:
        style = segment.style
        for character in segment.text:
            line_across = style.underline or style.strike or style.reverse
            if character == " " and not line_across:
                cells.append((" ", style.bgcolor))
            else:
                look = (style.color, style.bold, style.italic, style.underline, style.reverse)
                cells.append((character, style.bgcolor, look))
    return cells


async def test_joining_colour_runs_draws_the_same_picture(admin_app, monkeypatch):
    async with admin_app.run_test(size=(160, 24)) as pilot:  # every column in view
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        table.focus()
        await pilot.press("down")
        table.set_sort_indicator("costs", True)
        lines = range(table.row_count + 1)
        runs = [table.render_line(y) for y in lines]
        monkeypatch.setattr(row_table, "joined", list)  # one segment per cell, as before
        cells = [table.render_line(y) for y in lines]
        assert [picture(strip) for strip in runs] == [picture(strip) for strip in cells]
        assert sum(len(strip) for strip in runs) < sum(len(strip) for strip in cells) / 2


async def test_a_new_theme_reaches_the_rows(admin_app):
    # The table keeps its own style between draws (walking the ancestors for it
    # took most of a line's time): a new theme must still reach every row.
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        before = list(table.render_line(2))[-1].style.bgcolor
        admin_app.theme = "textual-light" if admin_app.theme != "textual-light" else "nord"
        await settle(pilot)
        after = list(table.render_line(2))[-1].style.bgcolor
        assert after != before
        assert after == table.rich_style.bgcolor
