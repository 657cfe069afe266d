"""A table that draws only the rows on screen, for any column set.

Textual's DataTable measures every cell of every row (seconds at 100k rows).
This widget holds a `TableSource` (columnar rows, asked one cell at a time)
plus an array of row positions in display order, and renders each visible
line on demand, so showing a new order is a reference swap and a refresh.

The first (name) column stays put, after a one-cell gutter that marks the
cursor row with a glyph (so it reads as plain text: NO_COLOR, 16 colours, a
screen capture); the other columns scroll sideways on narrow terminals. Each
line goes to the terminal as a few colour runs (`style_runs`), not one per
cell, and a change repaints only the cells of each line that now look different
from what was drawn there (the cursor's two rows, the rows a scroll or a search
changed), never the scrollbars unless their thumb moves. The client list,
import rows and CSV previews are all this table with other columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    import numpy as np

from dext_tui.widgets.joined_scrollbar import JoinedScrollBarRender, move_bar
from dext_tui.widgets.safe_text import fit
from dext_tui.widgets.style_runs import changed_stretch, joined

NAME_KEY = "name"  # the key HeaderClicked / CellClicked use for the first column
TONES = ("active", "invited", "deactivated", "none", "accent", "error", "warning")
CURSOR_GLYPH = "▶"  # in the gutter before the name: the cursor row without colour
GUTTER = 1


@dataclass(frozen=True)
class Column:
    key: str  # what TableSource.cell() is asked for
    label: str
    width: int
    numeric: bool = False  # right-aligned


class TableSource(Protocol):
    """Rows at positions 0..n-1."""

    ids: np.ndarray | Sequence[int]  # one id per position; the highlighted id is kept across show()
    name_label: str  # header of the fixed first column
    columns: Sequence[Column]  # the scrolling columns

    def name(self, position: int) -> str: ...

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        """The text of one cell and its tone (None, or one of TONES)."""
        ...


def _row_of(source: TableSource, order: np.ndarray | range, row_id: int) -> int | None:
    """The row at which `order` shows the source's row with `row_id`, if it does."""
    if isinstance(order, range):  # a first screenful, as read: a few hundred rows
        return next((row for row, at in enumerate(order) if source.ids[at] == row_id), None)
    import numpy as np

    found = np.flatnonzero(source.ids[order] == row_id)
    return int(found[0]) if len(found) else None


class RowTable(ScrollView, can_focus=True):
    """Rows of a TableSource in a given order; `show` swaps in a new one."""

    DEFAULT_CSS = """
    RowTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
        /* Reserve the scrollbar's column so the layout never shifts when it appears. */
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 1;
        background: $surface;
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    RowTable > .row-table--cursor-blurred { background: $block-cursor-blurred-background; }
    RowTable > .row-table--active { color: $text-success; }
    RowTable > .row-table--invited { color: $text-warning; }
    RowTable > .row-table--warning { color: $text-warning; }
    RowTable > .row-table--deactivated { color: $text-error; }
    RowTable > .row-table--error { color: $text-error; }
    RowTable > .row-table--none { color: $text-muted; }
    RowTable > .row-table--accent { color: $text-accent; text-style: underline; }
    RowTable > .row-table--empty { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {
        "row-table--header",
        "row-table--cursor",
        "row-table--cursor-blurred",
        "row-table--empty",
        *(f"row-table--{tone}" for tone in TONES),
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

    # The gutter and name together: at least this, else a third of the width up to
    # the most, and all the room left when every column fits beside it.
    name_min_width = 22
    name_max_width = 48

    # Not repainted as a whole: watch_cursor_row repaints the two rows that change.
    cursor_row: reactive[int] = reactive(0, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row (None: the table is empty)."""

        table: RowTable
        row_id: int | None

    @dataclass
    class CellClicked(Message):
        table: RowTable
        row_id: int
        column_key: str  # NAME_KEY for the first column

    @dataclass
    class HeaderClicked(Message):
        table: RowTable
        column_key: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source: TableSource | None = None
        # Positions of the source in display order: an array, or a range over a first
        # screenful read before the rest (and numpy) arrive.
        self.order: np.ndarray | range = range(0)
        self.empty_message = "Loading…"
        self.sort_key: str | None = None
        self.sort_descending = False
        self._name_width = self.name_min_width
        self._painted: dict[int, Strip] = {}  # each line as last handed to the screen
        self._skip_whole_refresh = False
        self._base: Style | None = None  # see _base_style
        # Lines drawn to see what changed, kept for render_line: (_draw_key(), line).
        self._drawn: dict[int, tuple[tuple, Strip]] = {}

    # -- data --------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.order)

    @property
    def highlighted_position(self) -> int | None:
        """The highlighted row's position in the source."""
        if self.source is None or not self.row_count:
            return None
        return int(self.order[self.cursor_row])

    @property
    def highlighted_id(self) -> int | None:
        position = self.highlighted_position
        if position is None:
            return None
        assert self.source is not None
        return int(self.source.ids[position])

    def show(
        self,
        source: TableSource,
        order: np.ndarray | range | None = None,
        *,
        empty_message: str = "",
    ) -> None:
        """Display `order` (positions of `source`; None: all), keeping the highlighted row."""
        keep = self.highlighted_id
        if order is None:
            import numpy as np

            order = np.arange(len(source.ids), dtype=np.int64)
        self.source = source
        self.order = order
        self.empty_message = empty_message
        cursor = 0
        if keep is not None and len(order):
            cursor = _row_of(source, order, keep) or 0
        self._update_virtual_size()
        self.set_reactive(RowTable.cursor_row, cursor)
        self._scroll_cursor_into_view()
        self._refresh_changed_lines()
        self.highlighted(self.highlighted_id)

    def _refresh_changed_lines(self, first: int = 0) -> None:
        """Repaint only what would look different from what was last drawn, from
        line `first` down (a search that leaves the rows on screen where they were
        costs nothing). Compared with what was drawn, not with the rows before:
        rows a live change patched in place must be drawn again although the
        positions are the same."""
        height = self.scrollable_content_region.height
        if not self._painted or not height:
            self.refresh()  # never drawn: nothing to compare with
            return
        for y in range(first, height):
            self._refresh_line(y)

    def _refresh_line(self, y: int) -> None:
        """Repaint the stretches of line `y` that would look different from what
        was last drawn there (Textual sends only those cells to the terminal)."""
        painted = self._painted.get(y)
        width = self.scrollable_content_region.width
        if painted is None or painted.cell_length != width:
            self.refresh(Region(0, y, width, 1))
            return
        line = self._draw_line(y)
        stretch = changed_stretch(painted, line)
        if stretch is None:
            self._drawn.pop(y, None)
            return
        self._drawn[y] = (self._draw_key(), line)  # render_line need not draw it again
        start, end = stretch
        self.refresh(Region(start, y, end - start, 1))

    def _refresh_row(self, row: int) -> None:
        """Repaint what changed of `row` if it is on screen."""
        line = row - int(self.scroll_y)
        if 0 <= line < self._body_height:
            self._refresh_line(line + 1)

    def refresh_rows(self) -> None:
        """The source's cells changed in place: draw them again."""
        self.refresh()

    def move_to_id(self, row_id: int) -> bool:
        """Put the cursor on the row with `row_id`, if it is shown."""
        if self.source is None or not self.row_count:
            return False
        row = _row_of(self.source, self.order, row_id)
        if row is None:
            return False
        self.cursor_row = row
        return True

    def set_sort_indicator(self, key: str | None, descending: bool) -> None:
        if (key, descending) == (self.sort_key, self.sort_descending):
            return  # the header is right as it is
        self.sort_key = key
        self.sort_descending = descending
        self.refresh(Region(0, 0, self.scrollable_content_region.width, 1))

    # -- what a subclass may post instead ------------------------------------
    def highlighted(self, row_id: int | None) -> None:
        self.post_message(self.Highlighted(self, row_id))

    def cell_clicked(self, row_id: int, column_key: str) -> None:
        self.post_message(self.CellClicked(self, row_id, column_key))

    def header_clicked(self, column_key: str) -> None:
        self.post_message(self.HeaderClicked(self, column_key))

    # -- geometry ----------------------------------------------------------
    @property
    def _columns(self) -> Sequence[Column]:
        return self.source.columns if self.source is not None else ()

    @property
    def _scrolling_width(self) -> int:
        return sum(column.width + 1 for column in self._columns)

    def _layout_name_width(self, width: int) -> int:
        """A third of the width (within the bounds), or all the room the other
        columns leave when that is more: the name grows with the terminal."""
        third = max(self.name_min_width, min(self.name_max_width, width // 3))
        spare = width - self._scrolling_width - 1
        return max(third, spare) - GUTTER

    @property
    def _fixed_width(self) -> int:
        """The columns that never scroll: gutter, name and the gap after it."""
        return GUTTER + self._name_width + 1

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        self._name_width = self._layout_name_width(width)
        size = Size(self._fixed_width + self._scrolling_width, self.row_count + 1)
        if size == self.virtual_size:
            return
        if (
            size.width == self.virtual_size.width
            and self.show_vertical_scrollbar
            and size.height > self.container_size.height + 1
        ):
            # Only the number of rows changed, and the vertical bar stays: no new
            # layout of the screen (which repaints both scrollbars whole, every
            # search character); the bar is repainted if its thumb changes.
            self.set_reactive(RowTable.virtual_size, size)
            move_bar(self.vertical_scrollbar, virtual_size=size.height)
            self.scroll_y = self.validate_scroll_y(self.scroll_y)  # fewer rows: not past the end
            return
        self.virtual_size = size

    def on_mount(self) -> None:
        self.horizontal_scrollbar.renderer = JoinedScrollBarRender

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

    def watch_scroll_y(self, old: float, new: float) -> None:
        # As ScrollView's, but only the cells that now look different: not the
        # header and scrollbars, nor a blank or a status that stayed put.
        if self.show_vertical_scrollbar:
            move_bar(self.vertical_scrollbar, new)
        if round(old) != round(new):
            self._refresh_changed_lines(first=1)

    # -- cursor ------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        # Only the two rows whose look changed; a scroll repaints the body itself
        # (ScrollView.watch_scroll_y).
        self._scroll_cursor_into_view()
        self._refresh_row(old)
        self._refresh_row(new)
        if old != new:
            self.highlighted(self.highlighted_id)

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
        body_x = x - self._fixed_width + int(self.scroll_x)
        if x < self._fixed_width - 1 or body_x < 0:
            return None
        for column in self._columns:
            if body_x < column.width + 1:
                return column
            body_x -= column.width + 1
        return None

    def on_click(self, event: events.Click) -> None:
        column = self._column_at(event.x)
        key = NAME_KEY if column is None else column.key
        if event.y == 0:
            self.header_clicked(key)
            return
        row = int(self.scroll_y) + event.y - 1
        if row >= self.row_count:
            return
        self.cursor_row = row
        row_id = self.highlighted_id
        if row_id is not None:
            self.cell_clicked(row_id, key)

    # Textual repaints a whole widget when it gains or loses focus (and when
    # focus() is asked for): here only the cursor row looks different.
    def on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # not Widget._on_focus: it repaints every line
        self.has_focus = True
        self._refresh_row(self.cursor_row)  # the cursor's colour says where focus is
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def on_blur(self, event: events.Blur) -> None:
        event.prevent_default()  # not Widget._on_blur: it repaints every line
        self.has_focus = False
        self._refresh_row(self.cursor_row)
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def focus(self, scroll_visible: bool = True) -> Self:
        self._skip_whole_refresh = True  # Widget.focus repaints it all first
        try:
            return super().focus(scroll_visible)
        finally:
            self._skip_whole_refresh = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if not regions:
            self._drawn.clear()  # something beyond the diffs may have changed
        if self._skip_whole_refresh and not (regions or layout or recompose):
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    # -- rendering ---------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"row-table--{name}")

    def _base_style(self) -> Style:
        """The widget's own style, worked out once until the styles change (Textual
        walks every ancestor for it: most of the time a line took to draw)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._drawn.clear()

    def _tone(self, name: str) -> Style:
        """Only the text colour and attributes of a component style, so that the
        row's own background (the cursor's, say) shows through. (A partial
        component style would leave semi-transparent colours such as
        $text-muted unblended: white instead of grey.)"""
        style = self._style(name)
        return Style(
            color=style.color, bold=style.bold, italic=style.italic, underline=style.underline
        )

    def _draw_key(self) -> tuple:
        """Everything a line's look depends on, beyond the rows' content (a change
        to that comes through show(), a diff or a whole refresh)."""
        return (
            self.scrollable_content_region.width,
            int(self.scroll_x),
            int(self.scroll_y),
            self.cursor_row,
            self.has_focus,
            id(self.source),
            id(self.order),
            self.empty_message,
            self.sort_key,
            self.sort_descending,
            self._name_width,
            id(self._base),
        )

    def render_line(self, y: int) -> Strip:
        drawn = self._drawn.pop(y, None)
        if drawn is not None and drawn[0] == self._draw_key():
            strip = drawn[1]  # drawn a moment ago to see what changed
        else:
            strip = self._draw_line(y)
        self._painted[y] = strip
        return strip

    def _draw_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        if y == 0:
            return self._render_header(width, base + self._style("header"))
        if self.row_count == 0:
            return self._render_empty(width, base) if y == 2 else Strip.blank(width, base)
        row = int(self.scroll_y) + y - 1
        if row >= self.row_count:
            return Strip.blank(width, base)
        return self._render_row(row, width, base)

    def _join(self, fixed: list[Segment], rest: list[Segment], width: int, style: Style) -> Strip:
        """The fixed gutter and name, then the scrolling columns cropped to the view,
        in as few colour runs as the picture allows."""
        rest_strip = Strip(rest, self._scrolling_width)
        start = int(self.scroll_x)
        visible = max(0, width - self._fixed_width)
        rest_strip = rest_strip.crop(start, start + visible)
        line = Strip([*fixed, Segment(" ", style), *rest_strip]).adjust_cell_length(width, style)
        return Strip(joined(line), width)

    def _header_label(self, key: str, label: str, width: int) -> str:
        """The label cut to fit beside the sort arrow, never the arrow."""
        if key != self.sort_key:
            return fit(label, width)
        arrow = "▼" if self.sort_descending else "▲"
        if cell_len(f"{label} {arrow}") <= width:
            return fit(f"{label} {arrow}", width)
        return fit(label, max(1, width - 1)) + arrow  # "Costs▼", "Practice co…▲"

    def _render_header(self, width: int, style: Style) -> Strip:
        rest = []
        for column in self._columns:
            label = self._header_label(column.key, column.label, column.width)
            if column.numeric:
                label = fit(label.strip(), column.width, align_right=True)
            rest.append(Segment(label + " ", style))
        name_label = self.source.name_label if self.source is not None else ""
        name = Segment(
            " " * GUTTER + self._header_label(NAME_KEY, name_label, self._name_width), style
        )
        return self._join([name], rest, width, style)

    def _render_empty(self, width: int, base: Style) -> Strip:
        message = fit(self.empty_message, max(0, width - 2))
        return Strip([Segment("  " + message, base + self._style("empty"))]).adjust_cell_length(
            width, base
        )

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        source = self.source
        assert source is not None
        position = int(self.order[row])
        style = base
        # The cursor colours the gutter and name only: one run, and a move repaints
        # just those cells of the two rows (the glyph marks it without colour).
        marked = base
        if row == self.cursor_row:
            marked = base + self._style("cursor" if self.has_focus else "cursor-blurred")
        rest = []
        last = len(source.columns) - 1
        for index, column in enumerate(source.columns):
            text, tone = source.cell(column.key, position)
            text = fit(text, column.width, align_right=column.numeric)
            # The gap after a cell takes its tone (one segment per cell); the
            # last cell has none, so an underlined one stops at its text.
            separator = "" if index == last else " "
            rest.append(Segment(text + separator, style + self._tone(tone) if tone else style))
        gutter = fit(CURSOR_GLYPH if row == self.cursor_row else "", GUTTER)
        fixed = [
            Segment(gutter, marked),
            Segment(fit(source.name(position), self._name_width), marked),
        ]
        return self._join(fixed, rest, width, style)
