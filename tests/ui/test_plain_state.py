"""State readable as plain text on the app's own screens (issue 15, deliverable 3): with
NO_COLOR and with 16 colours, the list's cursor row, the Manage menu's highlighted entry
and Practice Access's focused cell each carry a ▶ that moves with the cursor (the boxes
and radio buttons: test_toggles)."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from dext_tui.app import DextApp
from dext_tui.screens.bulk.bulk_colleague import AccessTogglesScreen, BulkColleagueScreen
from dext_tui.screens.bulk.bulk_menu import BulkMenuScreen
from dext_tui.screens.manage.manage_menu import ManageOptions
from dext_tui.screens.manage.practice_access import PrepareAccessScreen
from dext_tui.widgets.client_table import ClientTable
from tests.ui.conftest import settle
from tests.ui.test_keyboard_reach import highlighted_lines
from tests.ui.test_manage import open_manage_for
from tests.ui.test_toggles import plain_terminal  # noqa: F401 (a fixture)


def marked(widget) -> list[str]:
    """The widget's lines, as plain text, that carry the ▶."""
    lines = [widget.render_line(y).text for y in range(widget.size.height)]
    return [line.strip() for line in lines if "▶" in line]


async def test_cursor_row_menu_highlight_and_focused_cell_read_as_plain_text(
    plain_terminal,  # noqa: F811
    small_practice,
):
    app = DextApp(small_practice["db"], small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is (plain_terminal == "no_color")
        table = app.screen.query_one(ClientTable)
        first = marked(table)
        assert len(first) == 1
        await pilot.press("down")
        await pilot.pause()
        second = marked(table)
        assert len(second) == 1 and second != first

        await open_manage_for(pilot, "thames water")
        options = app.screen.query_one(ManageOptions)
        assert [line[:9] for line in highlighted_lines(options)] == ["▶ 1  Edit"]
        await pilot.press("down")
        await pilot.pause()
        assert [line[:12] for line in highlighted_lines(options)] == ["▶ 2  History"]

        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PrepareAccessScreen)
        access = app.screen.query_one(DataTable)
        cell = marked(access)
        # One cell marked: the first permission of the first colleague.
        assert len(cell) == 1 and "▶by role" in cell[0] and cell[0].count("▶") == 1
        await pilot.press("left")  # to the Role column
        await pilot.pause()
        (line,) = marked(access)
        assert "▶practice admin" in line and line.count("▶") == 1


async def test_the_tools_menus_highlight_and_keys_read_as_plain_text(
    plain_terminal,  # noqa: F811
    small_practice,
):
    app = DextApp(small_practice["db"], small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        options = app.screen.query_one("#tools-options")
        assert [line[:26] for line in highlighted_lines(options)] == ["▶ u  Upload practice codes"]
        await pilot.press("down")
        await pilot.pause()
        assert [line[:23] for line in highlighted_lines(options)] == ["▶ e  Export client list"]
        assert app.screen.query_one(".dialog-hint").size.height == 1  # its keys on one line


async def test_sort_bulk_and_permission_lists_mark_their_highlight_as_plain_text(
    plain_terminal,  # noqa: F811
    small_practice,
):
    """Every option list, not only Manage's and Tools': the ▶ follows the highlight, and a
    permission toggled keeps both its ▶ and its new [x]."""
    app = DextApp(small_practice["db"], small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        sort_lines = app.screen.query_one(OptionList)
        (first,) = highlighted_lines(sort_lines)
        await pilot.press("down")
        await pilot.pause()
        (second,) = highlighted_lines(sort_lines)
        assert first != second
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("space", "b")
        await settle(pilot)
        assert isinstance(app.screen, BulkMenuScreen)
        menu = app.screen.query_one(OptionList)
        assert [line[:16] for line in highlighted_lines(menu)] == ["▶ Deactivate (d)"]
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, BulkColleagueScreen)
        assert len(highlighted_lines(app.screen.query_one(OptionList))) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccessTogglesScreen)
        toggles = app.screen.query_one(OptionList)
        assert [line[:5] for line in highlighted_lines(toggles)] == ["▶ [x]"]
        await pilot.press("space")
        await pilot.pause()
        assert [line[:5] for line in highlighted_lines(toggles)] == ["▶ [ ]"]
        await pilot.press("down")
        await pilot.pause()
        lines = [toggles.render_line(y).text.strip() for y in range(toggles.size.height)]
        entries = [line[:5] for line in lines if "[" in line]
        assert entries[:2] == ["[ ] B", "▶ [ ]"]  # the first toggled off, the ▶ moved on
