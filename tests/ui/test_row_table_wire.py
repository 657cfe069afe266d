"""A long row table on the wire: its scrollbars repainted only when they change.

A table of 100,000 rows from a source held in memory (the widget asks it one
cell at a time; no database is involved in drawing)."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult

from dext_tui.widgets.row_table import Column, RowTable
from tests.ui.test_repaint import drawn, watch_repaints

ROWS = 100_000


class Source:
    name_label = "Name"
    columns = (Column("number", "Number", 8, numeric=True), Column("state", "State", 11))

    def __init__(self, rows: int) -> None:
        self.ids = np.arange(rows, dtype=np.int64)

    def name(self, position: int) -> str:
        return f"Client {position:06d}"

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        if key == "number":
            return str(position), None
        return ("Invited", "invited") if position % 7 == 0 else ("Active", None)


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield RowTable()

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.show(Source(ROWS))
        table.focus()


def bar_columns(bar) -> range:
    return range(bar.region.x, bar.region.right)


def bar_lines(bar) -> range:
    return range(bar.region.y, bar.region.bottom)


async def test_a_page_down_leaves_a_scrollbar_whose_thumb_stays_put():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        bar = table.vertical_scrollbar
        spans = watch_repaints(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.scroll_y > 0
        assert bar.position == table.scroll_y  # a drag starts from where it is
        assert drawn(spans, bar_columns(bar)) & set(bar_lines(bar)) == set()
        # Far enough down, the thumb moves: then the bar is drawn again.
        spans.clear()
        await pilot.press("end")
        await pilot.pause()
        assert drawn(spans, bar_columns(bar)) & set(bar_lines(bar))


async def test_fewer_rows_shown_need_no_new_layout():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        horizontal = table.horizontal_scrollbar
        spans = watch_repaints(app)
        table.show(Source(ROWS // 2))  # as a search answers: the same columns, fewer rows
        await pilot.pause()
        assert table.virtual_size.height == ROWS // 2 + 1
        assert table.max_scroll_y == ROWS // 2 + 1 - table.scrollable_content_region.height
        # The rows are the same on screen, and the horizontal bar did not change.
        assert drawn(spans) & set(bar_lines(horizontal)) == set()
        body = range(table.region.y + 1, table.region.y + table.scrollable_content_region.height)
        assert drawn(spans, range(0, table.scrollable_content_region.width)) & set(body) == set()
        await pilot.press("end")  # the new end is reachable
        await pilot.pause()
        assert table.cursor_row == ROWS // 2 - 1


async def test_a_page_down_draws_each_line_once():
    # Each line is drawn to see what changed; render_line reuses that drawing.
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        draws: list[int] = []
        draw_line = table._draw_line

        def count(y: int):
            draws.append(y)
            return draw_line(y)

        table._draw_line = count
        await pilot.press("pagedown")
        await pilot.pause()
        body = table.scrollable_content_region.height - 1
        assert sorted(set(draws)) == list(range(1, body + 1))  # every row, not the header
        assert len(draws) <= body + 2  # the cursor's old and new rows are looked at again
