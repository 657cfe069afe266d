"""The client table: a Line API widget that draws only the rows on screen.

Textual's DataTable measures every cell of every row (seconds at 100k rows).
This widget holds the loaded columns plus an array of row positions in
display order, and renders each visible line on demand, so showing a new
search result is a reference swap and a refresh.

The name column stays put; the other columns scroll sideways on narrow
terminals (the line under the table shows the highlighted client in full).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dext_tui.data.client_rows import ClientRows
from dext_tui.data.vocab import (
    INTEGRATION_STATUS_LABELS,
    INTEGRATION_STATUSES,
    PRODUCT_STATUS_LABELS,
    PRODUCT_STATUSES,
)
from dext_tui.widgets.safe_text import fit

NAME_MIN_WIDTH = 22
NAME_MAX_WIDTH = 48
MANAGE_LABEL = "Manage"


@dataclass(frozen=True)
class Column:
    key: str  # a ClientRows field, or "manage"
    label: str
    width: int
    numeric: bool = False


SCROLLING_COLUMNS = (
    Column("prepare", "Prepare", 11),
    Column("precision", "Precision", 11),
    Column("solo", "Solo", 11),
    Column("costs", "Costs", 6, numeric=True),
    Column("sales", "Sales", 6, numeric=True),
    Column("crns", "CRN", 8),
    Column("codes", "Practice code", 13),
    Column("integration", "Integration", 11),
    Column("manage", "Actions", 7),
)
SCROLLING_WIDTH = sum(column.width + 1 for column in SCROLLING_COLUMNS)
INTEGRATION_TONES = {
    "connected": "active",
    "expired": "deactivated",
    "mismatch": "invited",
    "unintegrated": "none",
}
SORT_KEY_OF_COLUMN = {"crns": "crn", "names": "name"}  # table column -> sort key


def _count(value: int, width: int) -> str:
    """Counts past the column's width read as thousands ('12k')."""
    text = f"{value:,}" if value < 1000 else str(value)
    if len(text) > width:
        text = f"{value // 1000}k"
    return text


class ClientTable(ScrollView, can_focus=True):
    """Every client in the current order; `show` swaps in a new order."""

    DEFAULT_CSS = """
    ClientTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
        /* Reserve the scrollbar's column so the layout never shifts when it appears. */
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 1;
        background: $surface;
    }
    ClientTable > .client-table--header { text-style: bold; background: $panel; }
    ClientTable > .client-table--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    ClientTable > .client-table--cursor-blurred { background: $block-cursor-blurred-background; }
    ClientTable > .client-table--active { color: $text-success; }
    ClientTable > .client-table--invited { color: $text-warning; }
    ClientTable > .client-table--deactivated { color: $text-error; }
    ClientTable > .client-table--none { color: $text-muted; }
    ClientTable > .client-table--manage { color: $text-accent; text-style: underline; }
    ClientTable > .client-table--empty { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {
        "client-table--header",
        "client-table--cursor",
        "client-table--cursor-blurred",
        "client-table--active",
        "client-table--invited",
        "client-table--deactivated",
        "client-table--none",
        "client-table--manage",
        "client-table--empty",
    }

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first_row", "First", show=False),
        Binding("end,G", "last_row", "Last", show=False),
        Binding("left,h", "scroll_columns(-1)", "Scroll left", show=False),
        Binding("right,l", "scroll_columns(1)", "Scroll right", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)

    class Highlighted(Message):
        """The cursor moved to another client (None: the list is empty)."""

        def __init__(self, client_id: int | None) -> None:
            self.client_id = client_id
            super().__init__()

    class SortRequested(Message):
        """A column header was clicked."""

        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    class ManageRequested(Message):
        def __init__(self, client_id: int) -> None:
            self.client_id = client_id
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: ClientRows | None = None
        self.order: np.ndarray = np.empty(0, dtype=np.int64)
        self.empty_message = "Loading clients…"
        self.sort_key: str | None = None
        self.sort_descending = False
        self._name_width = NAME_MIN_WIDTH

    # -- data --------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.order)

    @property
    def highlighted_client_id(self) -> int | None:
        if self.rows is None or not self.row_count:
            return None
        return int(self.rows.ids[self.order[self.cursor_row]])

    @property
    def highlighted_row(self) -> tuple[ClientRows, int] | None:
        """The rows shown and the highlighted one's position in them."""
        if self.rows is None or not self.row_count:
            return None
        return self.rows, int(self.order[self.cursor_row])

    def show(self, rows: ClientRows, order: np.ndarray, *, empty_message: str = "") -> None:
        """Display `order` (row positions of `rows`), keeping the highlighted client if present."""
        keep = self.highlighted_client_id
        self.rows = rows
        self.order = order
        self.empty_message = empty_message
        cursor = 0
        if keep is not None and len(order):
            found = np.flatnonzero(rows.ids[order] == keep)
            if len(found):
                cursor = int(found[0])
        self._update_virtual_size()
        self.set_reactive(ClientTable.cursor_row, cursor)
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted_client_id))

    def set_sort_indicator(self, key: str | None, descending: bool) -> None:
        self.sort_key = key
        self.sort_descending = descending
        self.refresh()

    # -- geometry ----------------------------------------------------------
    def _layout_name_width(self, width: int) -> int:
        """Everything fits: the name takes what is left. Else a third of the width."""
        spare = width - SCROLLING_WIDTH - 1
        if spare >= NAME_MIN_WIDTH:
            return spare
        return max(NAME_MIN_WIDTH, min(NAME_MAX_WIDTH, width // 3))

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        self._name_width = self._layout_name_width(width)
        self.virtual_size = Size(self._name_width + 1 + SCROLLING_WIDTH, self.row_count + 1)

    def on_resize(self, _event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._body_height:
            self.scroll_to(y=self.cursor_row - self._body_height + 1, animate=False, immediate=True)

    # -- cursor ------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        if old != new:
            self.post_message(self.Highlighted(self.highlighted_client_id))

    def _move_cursor(self, row: int) -> None:
        if self.row_count:
            self.cursor_row = max(0, min(self.row_count - 1, row))

    def action_cursor_down(self) -> None:
        self._move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self._move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self._move_cursor(self.cursor_row + self._body_height)

    def action_page_up(self) -> None:
        self._move_cursor(self.cursor_row - self._body_height)

    def action_first_row(self) -> None:
        self._move_cursor(0)

    def action_last_row(self) -> None:
        self._move_cursor(self.row_count - 1)

    def action_scroll_columns(self, direction: int) -> None:
        self.scroll_to(x=self.scroll_x + direction * 12, animate=False)

    def _column_at(self, x: int) -> Column | None:
        """The column under screen column `x` (None: the name column)."""
        body_x = x - self._name_width - 1 + int(self.scroll_x)
        if x < self._name_width or body_x < 0:
            return None
        for column in SCROLLING_COLUMNS:
            if body_x < column.width + 1:
                return column
            body_x -= column.width + 1
        return None

    def on_click(self, event: events.Click) -> None:
        column = self._column_at(event.x)
        if event.y == 0:  # a header: sort by that column
            key = "name" if column is None else SORT_KEY_OF_COLUMN.get(column.key, column.key)
            if key != "manage":
                self.post_message(self.SortRequested(key))
            return
        row = int(self.scroll_y) + event.y - 1
        if row >= self.row_count:
            return
        self.cursor_row = row
        client_id = self.highlighted_client_id
        if column is not None and column.key == "manage" and client_id is not None:
            self.post_message(self.ManageRequested(client_id))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- rendering ---------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"client-table--{name}")

    def _tone(self, name: str) -> Style:
        """Only the text colour and attributes of a component style, so that the
        row's own background (the cursor's, say) shows through. (A partial
        component style would leave semi-transparent colours such as
        $text-muted unblended: white instead of grey.)"""
        style = self._style(name)
        return Style(
            color=style.color, bold=style.bold, italic=style.italic, underline=style.underline
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base + self._style("header"))
        if self.row_count == 0:
            return self._render_empty(width, base) if y == 2 else Strip.blank(width, base)
        row = int(self.scroll_y) + y - 1
        if row >= self.row_count:
            return Strip.blank(width, base)
        return self._render_row(row, width, base)

    def _join(self, name_segment: Segment, rest: list[Segment], width: int, style: Style) -> Strip:
        """The fixed name column, then the scrolling columns cropped to the view."""
        rest_strip = Strip(rest, SCROLLING_WIDTH)
        start = int(self.scroll_x)
        visible = max(0, width - self._name_width - 1)
        rest_strip = rest_strip.crop(start, start + visible)
        line = Strip([name_segment, Segment(" ", style), *rest_strip])
        return line.adjust_cell_length(width, style)

    def _header_label(self, key: str, label: str, width: int) -> str:
        sort_key = SORT_KEY_OF_COLUMN.get(key, key)
        if sort_key == self.sort_key:
            label = f"{label} {'▼' if self.sort_descending else '▲'}"
        return fit(label, width)

    def _render_header(self, width: int, style: Style) -> Strip:
        rest = []
        for column in SCROLLING_COLUMNS:
            label = self._header_label(column.key, column.label, column.width)
            if column.numeric:
                label = fit(label.strip(), column.width, align_right=True)
            rest.append(Segment(label + " ", style))
        name = Segment(self._header_label("names", "Client name", self._name_width), style)
        return self._join(name, rest, width, style)

    def _render_empty(self, width: int, base: Style) -> Strip:
        message = fit(self.empty_message, max(0, width - 2))
        return Strip([Segment("  " + message, base + self._style("empty"))]).adjust_cell_length(
            width, base
        )

    def _cell(self, column: Column, position: int, style: Style) -> Segment:
        rows = self.rows
        assert rows is not None
        key = column.key
        if key in ("prepare", "precision", "solo"):
            status = PRODUCT_STATUSES[int(getattr(rows, key)[position])]
            tone = "none" if status == "not_set_up" else status
            text = PRODUCT_STATUS_LABELS[status]
        elif key == "integration":
            status = INTEGRATION_STATUSES[int(rows.integration[position])]
            tone = INTEGRATION_TONES[status]
            text = "—" if status == "unintegrated" else INTEGRATION_STATUS_LABELS[status]
        elif key == "manage":
            return Segment(fit(MANAGE_LABEL, column.width), style + self._tone("manage"))
        elif column.numeric:
            value = _count(int(getattr(rows, key)[position]), column.width)
            return Segment(fit(value, column.width, align_right=True) + " ", style)
        else:
            return Segment(fit(getattr(rows, key)[position] or "—", column.width) + " ", style)
        return Segment(fit(text, column.width) + " ", style + self._tone(tone))

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        rows = self.rows
        assert rows is not None
        position = int(self.order[row])
        style = base
        if row == self.cursor_row:
            style = base + self._style("cursor" if self.has_focus else "cursor-blurred")
        rest = [self._cell(column, position, style) for column in SCROLLING_COLUMNS]
        name = Segment(fit(rows.names[position], self._name_width), style)
        return self._join(name, rest, width, style)
