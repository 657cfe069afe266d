"""What the client list is asked to show: search, filters, sort and product view.

Plain values, apart from the view that answers them (client_view.py, vectorised
with numpy): the first screen builds queries before the full list, and numpy,
arrive (tests/unit/test_start_up_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    descending_first: bool = False  # counts read best from the largest


SORT_COLUMNS = (
    SortColumn("name", "Client name"),
    SortColumn("prepare", "Prepare"),
    SortColumn("precision", "Precision"),
    SortColumn("solo", "Solo"),
    SortColumn("costs", "Costs", descending_first=True),
    SortColumn("sales", "Sales", descending_first=True),
    SortColumn("crns", "CRN"),  # each key names the ClientRows column it sorts by
    SortColumn("codes", "Practice code"),
    SortColumn("integration", "Integration"),
)
SORT_COLUMN_BY_KEY = {column.key: column for column in SORT_COLUMNS}
RELEVANCE = "relevance"


@dataclass(frozen=True)
class ClientFilters:
    """Each field narrows the list; None means 'any'."""

    prepare: str | None = None
    precision: str | None = None
    solo: str | None = None
    integration: str | None = None
    # None: active and deactivated clients; removed ones only when asked for.
    state: str | None = None
    no_practice_code: bool = False

    def describe(self) -> list[str]:
        parts = []
        for product in ("prepare", "precision", "solo"):
            value = getattr(self, product)
            if value is not None:
                parts.append(f"{product.title()}: {value.replace('_', ' ')}")
        if self.integration is not None:
            parts.append(f"Integration: {self.integration}")
        if self.state is not None:
            parts.append(f"State: {self.state}")
        if self.no_practice_code:
            parts.append("No practice code")
        return parts

    @property
    def active(self) -> bool:
        return bool(self.describe())


@dataclass(frozen=True)
class ClientQuery:
    search: str = ""
    filters: ClientFilters = field(default_factory=ClientFilters)
    sort: str | None = None  # None: name order, or best match first while searching
    descending: bool = False
    product: str | None = None  # a product's own view: only clients with an account in it

    def sorted_by(self, key: str) -> ClientQuery:
        """Pick a sort column; picking the current one again reverses it.
        RELEVANCE goes back to the default: best match first while searching."""
        if key == RELEVANCE:
            return replace(self, sort=None, descending=False)
        if key == self.sort:
            return replace(self, descending=not self.descending)
        return replace(self, sort=key, descending=SORT_COLUMN_BY_KEY[key].descending_first)
