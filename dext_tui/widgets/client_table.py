"""The client table: the row table over the loaded clients' columns.

It holds the loaded columns plus an array of row positions in display order
(see RowTable), so showing a new search result is a reference swap and a
refresh. The name column stays put; the other columns scroll sideways on
narrow terminals (the line under the table shows the highlighted client in full).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from textual.message import Message

from dext_tui.data.client_rows import ClientRows
from dext_tui.data.product_columns import PRODUCT_COLUMNS, ProductColumns
from dext_tui.data.vocab import (
    INTEGRATION_STATUS_LABELS,
    INTEGRATION_STATUSES,
    PRODUCT_STATUS_LABELS,
    PRODUCT_STATUSES,
    PRODUCTS,
)
from dext_tui.widgets.marks import Marks
from dext_tui.widgets.row_table import NAME_KEY, Column, RowTable

if TYPE_CHECKING:
    import numpy as np

MANAGE_LABEL = "Manage"
PRODUCT_EXTRA_KEYS = {key for columns in PRODUCT_COLUMNS.values() for key, _label in columns}

CLIENT_COLUMNS = (
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
# A product's own view: its status first, then the columns that matter for it.
_STATUS = Column("status", "Status", 11)
_IDENTIFIERS = (Column("crns", "CRN", 8), Column("codes", "Practice code", 13))
_MANAGE = Column("manage", "Actions", 7)
PRODUCT_VIEW_COLUMNS = {
    "prepare": (
        _STATUS,
        Column("costs", "Costs", 6, numeric=True),
        Column("sales", "Sales", 6, numeric=True),
        Column("integration", "Integration", 11),
        Column("account_manager", "Account manager", 18),
        *_IDENTIFIERS,
        _MANAGE,
    ),
    "precision": (
        _STATUS,
        Column("software", "Software", 17),
        Column("visibility", "Visibility", 19),
        Column("account_managers", "Account managers", 24),
        *_IDENTIFIERS,
        _MANAGE,
    ),
    "solo": (
        _STATUS,
        Column("ni_number", "NI number", 9),
        Column("postcode", "Postcode", 8),
        Column("businesses", "Businesses", 10, numeric=True),
        *_IDENTIFIERS,
        _MANAGE,
    ),
}
# Colour only where a cell needs a second look: the usual states ("Active",
# "Connected", "—") are drawn in the row's own colour, so a row of them goes to
# the terminal as one colour run and the exceptions stand out (their words say
# the same without colour).
PRODUCT_TONES = {
    "active": None,
    "invited": "invited",
    "deactivated": "deactivated",
    "not_set_up": None,
}
INTEGRATION_TONES = {
    "connected": None,
    "expired": "deactivated",
    "mismatch": "invited",
    "unintegrated": None,
}
# table column -> the list's sort key
SORT_KEY_OF_COLUMN = {NAME_KEY: "name"}
COLUMN_OF_SORT_KEY = {"name": NAME_KEY}
# Before the name while any client is marked: a glyph, so marks read without colour.
MARKED_GLYPH = "● "
UNMARKED_GLYPH = "  "


def _count(value: int, width: int) -> str:
    """Counts past the column's width read as thousands ('12k')."""
    text = f"{value:,}" if value < 1000 else str(value)
    if len(text) > width:
        text = f"{value // 1000}k"
    return text


@dataclass(frozen=True)
class ClientRowsSource:
    """Loaded clients as the row table's source: the list's columns, or with
    `product` that product's view (its status, and `extras` read beside the rows)."""

    rows: ClientRows
    product: str | None = None
    extras: ProductColumns | None = None
    marks: Marks = field(default_factory=Marks)  # the marked clients (shared with the table)
    name_label = "Client name"

    @property
    def columns(self) -> tuple[Column, ...]:
        return PRODUCT_VIEW_COLUMNS[self.product] if self.product else CLIENT_COLUMNS

    @property
    def ids(self) -> np.ndarray:
        return self.rows.ids

    def name(self, position: int) -> str:
        name = self.rows.names[position]
        if not self.marks:  # no gutter while nothing is marked: the names keep their room
            return name
        marked = int(self.rows.ids[position]) in self.marks
        return (MARKED_GLYPH if marked else UNMARKED_GLYPH) + name

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        rows = self.rows
        if key == "status" and self.product:
            key = self.product
        if key in ("prepare", "precision", "solo"):
            status = PRODUCT_STATUSES[int(getattr(rows, key)[position])]
            return PRODUCT_STATUS_LABELS[status], PRODUCT_TONES[status]
        if key in PRODUCT_EXTRA_KEYS:
            if self.extras is None:
                return "…", None
            return self.extras.text(int(rows.ids[position]), key) or "—", None
        if key == "integration":
            status = INTEGRATION_STATUSES[int(rows.integration[position])]
            text = "—" if status == "unintegrated" else INTEGRATION_STATUS_LABELS[status]
            return text, INTEGRATION_TONES[status]
        if key == "manage":
            return MANAGE_LABEL, "accent"
        if key in ("costs", "sales"):
            return _count(int(getattr(rows, key)[position]), 6), None
        return getattr(rows, key)[position] or "—", None


class ClientTable(RowTable):
    """Every client in the current order; `show` swaps in a new order."""

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

    @dataclass
    class ProductViewRequested(Message):
        """A product status cell was clicked: that client in the product's own view."""

        client_id: int
        product: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: ClientRows | None = None
        self.product: str | None = None
        self.empty_message = "Loading clients…"
        self.marks = Marks()  # every source the table shows reads this one
        # Called as the cursor moves, before Highlighted is posted: what it draws
        # (the screen's detail line, when already known) goes out in the same frame
        # as the cursor's rows, not one message later.
        self.on_highlight: Callable[[int], None] | None = None

    @property
    def highlighted_client_id(self) -> int | None:
        return self.highlighted_id

    @property
    def highlighted_row(self) -> tuple[ClientRows, int] | None:
        """The rows shown and the highlighted one's position in them."""
        position = self.highlighted_position
        if self.rows is None or position is None:
            return None
        return self.rows, position

    def show_clients(
        self,
        rows: ClientRows,
        order: np.ndarray | range,
        *,
        empty_message: str = "",
        product: str | None = None,
        extras: ProductColumns | None = None,
    ) -> None:
        """Display `order` (row positions of `rows`), keeping the highlighted client if
        present; with `product`, as that product's view."""
        if product != self.product:
            self.scroll_to(x=0, animate=False, immediate=True)  # other columns now
        self.rows = rows
        self.product = product
        source = ClientRowsSource(rows, product, extras, self.marks)
        self.show(source, order, empty_message=empty_message)

    def marks_changed(self) -> None:
        """Marks were added or taken away: repaint the lines whose glyph changed."""
        self._refresh_changed_lines()

    def show_extras(self, extras: ProductColumns) -> None:
        """The product view's added columns have arrived (or changed): draw them."""
        if isinstance(self.source, ClientRowsSource) and self.product == extras.product:
            self.source = replace(self.source, extras=extras)
            self.refresh()

    def set_sort_indicator(self, key: str | None, descending: bool) -> None:
        column = "status" if key is not None and key == self.product else key
        super().set_sort_indicator(
            COLUMN_OF_SORT_KEY.get(column, column) if column else None, descending
        )

    def highlighted(self, row_id: int | None) -> None:
        if row_id is not None and self.on_highlight is not None:
            self.on_highlight(row_id)
        self.post_message(self.Highlighted(row_id))

    def header_clicked(self, column_key: str) -> None:
        if column_key == "status" and self.product:
            column_key = self.product
        if column_key != "manage":
            self.post_message(self.SortRequested(SORT_KEY_OF_COLUMN.get(column_key, column_key)))

    def cell_clicked(self, row_id: int, column_key: str) -> None:
        if column_key == "manage":
            self.post_message(self.ManageRequested(row_id))
        elif column_key in PRODUCTS and self.product is None:
            self.post_message(self.ProductViewRequested(row_id, column_key))
