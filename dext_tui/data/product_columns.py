"""The columns a product's own view adds to the client list's (spec section 12 / issue 10).

Prepare shows each client's account manager; Precision its software, visibility
and account managers; Solo its National Insurance number, postcode and number of
businesses. They are read beside the list's rows (which every view shares), as
display text per client id, for the clients in the viewer's scope that have an
account in the product; a live change re-reads just the changed clients.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, text

from dext_tui.data.client_rows import read_tolerantly
from dext_tui.data.scope import scope_condition
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import INTEGRATION_SOFTWARE, PRECISION_VISIBILITY_LABELS

# Per product: (key, label) of each added column, in display order.
PRODUCT_COLUMNS = {
    "prepare": (("account_manager", "Account manager"),),
    "precision": (
        ("software", "Software"),
        ("visibility", "Visibility"),
        ("account_managers", "Account managers"),
    ),
    "solo": (("ni_number", "NI number"), ("postcode", "Postcode"), ("businesses", "Businesses")),
}
# Per product: a column's key -> its place in a client's tuple of texts (read per cell drawn).
_COLUMN_INDEX = {
    product: {key: index for index, (key, _label) in enumerate(columns)}
    for product, columns in PRODUCT_COLUMNS.items()
}
_SELECTS = {
    "prepare": "SELECT c.id, m.name FROM client c "
    "JOIN prepare_account a ON a.client_id = c.id "
    "LEFT JOIN team_member m ON m.id = a.account_manager_id",
    "precision": "SELECT c.id, a.software, a.visibility FROM client c "
    "JOIN precision_account a ON a.client_id = c.id",
    "solo": "SELECT c.id, a.ni_number, a.postcode, "
    "(SELECT COUNT(*) FROM solo_business b WHERE b.client_id = c.id) FROM client c "
    "JOIN solo_account a ON a.client_id = c.id",
}
_MANAGERS = (
    "SELECT c.id, m.name FROM client c "
    "JOIN practice_access x ON x.client_id = c.id AND x.account_manager "
    "JOIN team_member m ON m.id = x.team_member_id"
)


@dataclass
class ProductColumns:
    """Display text of the product's added columns, per client id."""

    product: str
    values: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def text(self, client_id: int, key: str) -> str:
        row = self.values.get(client_id)
        return row[_COLUMN_INDEX[self.product][key]] if row else ""

    def merge(self, fresh: ProductColumns, asked_for: Iterable[int]) -> None:
        """Take `fresh`'s values for the clients `asked_for` (those missing there left)."""
        for client_id in asked_for:
            if client_id in fresh.values:
                self.values[client_id] = fresh.values[client_id]
            else:
                self.values.pop(client_id, None)


def _row_text(product: str, row: tuple, managers: dict[int, list[str]]) -> tuple[str, ...]:
    if product == "prepare":
        return (row[1] or "",)
    if product == "precision":
        names = ", ".join(sorted(managers.get(row[0], ()), key=str.casefold))
        return (
            INTEGRATION_SOFTWARE.get(row[1] or "", row[1] or ""),
            PRECISION_VISIBILITY_LABELS.get(row[2], row[2] or ""),
            names,
        )
    return (row[1] or "", row[2] or "", str(1 + int(row[3])))


def _read(
    connection: Connection, viewer: Viewer, product: str, client_ids: list[int] | None
) -> ProductColumns:
    where, params = scope_condition(viewer, include_removed=True)
    restrict = ""
    if client_ids is not None:
        restrict = " AND c.id IN :ids"
        params = {**params, "ids": client_ids}

    def run(sql: str) -> list[tuple]:
        statement = text(sql + where + restrict)
        if client_ids is not None:
            statement = statement.bindparams(bindparam("ids", expanding=True))
        return [tuple(row) for row in connection.execute(statement, params)]

    managers: dict[int, list[str]] = defaultdict(list)
    if product == "precision":
        for client_id, name in run(_MANAGERS):
            managers[client_id].append(name)
    rows = run(_SELECTS[product])
    return ProductColumns(product, {row[0]: _row_text(product, row, managers) for row in rows})


def load_product_columns(
    engine: Engine, viewer: Viewer, product: str, client_ids: Iterable[int] | None = None
) -> ProductColumns:
    """The product's added columns for every client in scope (or just `client_ids`)."""
    ids = None if client_ids is None else list(client_ids)
    if ids is not None and not ids:
        return ProductColumns(product)

    return read_tolerantly(engine, lambda connection: _read(connection, viewer, product, ids))
