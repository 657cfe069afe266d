"""A DataTable whose cursor reads without colour (NO_COLOR, 16 colours, a capture of the
screen): a ▶ before the cell under a cell cursor, or before the first cell of the row
under a row cursor. Every other cell and header keeps the same room blank, in place of
the cell padding Textual would put there, so the columns keep their width."""

from __future__ import annotations

from typing import Any

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from dext_tui.widgets.row_table import CURSOR_GLYPH

MARK = CURSOR_GLYPH  # in the room of the cell padding: the columns keep their width
NO_MARK = " " * len(MARK)
GAP = " "  # after each cell, before the next one's mark


class CursorTable(DataTable):
    """Cells are plain strings (the caller makes them printable)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, cell_padding=0, **kwargs)
        self._marked: Coordinate | None = None

    def add_column(self, label: Any, *args: Any, **kwargs: Any) -> Any:
        return super().add_column(f"{NO_MARK}{label}{GAP}", *args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        key = super().add_row(*(f"{NO_MARK}{cell}{GAP}" for cell in cells), **kwargs)
        if self.row_count == 1:
            self._mark()  # the first row: the cursor is on it before any move
        return key

    def clear(self, columns: bool = False) -> DataTable:
        self._marked = None
        return super().clear(columns)

    def plain_cell(self, coordinate: Coordinate) -> str:
        """A cell's text without the cursor's room."""
        return str(self.get_cell_at(coordinate))[len(MARK) : -len(GAP)]

    def _mark(self) -> None:
        if self._marked is not None and self.is_valid_coordinate(self._marked):
            old = self._marked
            self.update_cell_at(old, f"{NO_MARK}{self.plain_cell(old)}{GAP}")
        self._marked = None
        if not self.row_count or self.cursor_type not in ("cell", "row"):
            return
        at = self.cursor_coordinate
        if self.cursor_type == "row":
            at = Coordinate(at.row, 0)
        if self.is_valid_coordinate(at):
            self.update_cell_at(at, f"{MARK}{self.plain_cell(at)}{GAP}")
            self._marked = at

    def on_data_table_cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self._mark()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._mark()
