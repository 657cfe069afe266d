"""The client list's rows, read lean and held column by column.

At 100k+ clients, ORM objects cost seconds and hundreds of megabytes; the list
reads plain tuples with statuses already turned into small integer codes by
SQL, and keeps each column as one array (numbers) or one list (strings).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import DateTime, Engine, text

from dext_tui.data.access import Viewer
from dext_tui.data.vocab import (
    CLIENT_STATES,
    INTEGRATION_SOFTWARE,
    INTEGRATION_STATUSES,
    PRODUCT_STATUSES,
)

_FETCH_CHUNK = 5000
NOT_SET_UP = PRODUCT_STATUSES.index("not_set_up")
UNINTEGRATED = INTEGRATION_STATUSES.index("unintegrated")
SOFTWARE_CODES = ("", *INTEGRATION_SOFTWARE)  # code 0: no software


def _case(column: str, values: tuple[str, ...], default: int) -> str:
    whens = " ".join(f"WHEN '{value}' THEN {code}" for code, value in enumerate(values))
    return f"CASE {column} {whens} ELSE {default} END"


_SELECT = f"""
SELECT c.id, c.name, COALESCE(c.crn, ''), COALESCE(c.practice_code, ''),
       {_case("c.state", CLIENT_STATES, 0)},
       {_case("p.status", PRODUCT_STATUSES, NOT_SET_UP)},
       {_case("pr.status", PRODUCT_STATUSES, NOT_SET_UP)},
       {_case("s.status", PRODUCT_STATUSES, NOT_SET_UP)},
       COALESCE(p.costs_count, 0), COALESCE(p.sales_count, 0),
       {_case("p.integration_status", INTEGRATION_STATUSES, UNINTEGRATED)},
       {_case("p.integration_software", SOFTWARE_CODES, 0)}
FROM client c
LEFT JOIN prepare_account p ON p.client_id = c.id
LEFT JOIN precision_account pr ON pr.client_id = c.id
LEFT JOIN solo_account s ON s.client_id = c.id
"""

COLUMN_NAMES = (
    "ids",
    "names",
    "crns",
    "codes",
    "state",
    "prepare",
    "precision",
    "solo",
    "costs",
    "sales",
    "integration",
    "software",
)


@dataclass
class ClientRows:
    """Every visible client, one entry per row in name order (row position = name rank)."""

    ids: np.ndarray
    names: list[str]
    crns: list[str]
    codes: list[str]
    state: np.ndarray
    prepare: np.ndarray
    precision: np.ndarray
    solo: np.ndarray
    costs: np.ndarray
    sales: np.ndarray
    integration: np.ndarray
    software: np.ndarray
    complete: bool = True
    total: int = field(default=-1)

    def __post_init__(self) -> None:
        if self.total < 0:
            self.total = len(self.names)

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_tuples(cls, tuples: list, *, complete: bool = True, total: int = -1) -> ClientRows:
        builder = _ColumnBuilder()
        builder.add(tuples)
        return builder.build(complete=complete, total=total)


_TEXT_COLUMNS = ("names", "crns", "codes")
_WIDE_COLUMNS = ("ids", "costs", "sales")  # everything else is a small code


class _ColumnBuilder:
    """Accumulates fetched chunks straight into columns, so no list of row objects
    for the whole table is ever held (peak memory), and numbers go into compact
    arrays rather than Python ints."""

    def __init__(self) -> None:
        self.columns: dict[str, list | array] = {
            name: [] if name in _TEXT_COLUMNS else array("q" if name in _WIDE_COLUMNS else "B")
            for name in COLUMN_NAMES
        }

    def add(self, chunk) -> None:
        if not chunk:
            return
        for name, values in zip(COLUMN_NAMES, zip(*chunk, strict=True), strict=True):
            self.columns[name].extend(values)

    def build(self, *, complete: bool, total: int = -1) -> ClientRows:
        values = {
            name: column if name in _TEXT_COLUMNS else np.array(column)
            for name, column in self.columns.items()
        }
        return ClientRows(**values, complete=complete, total=total)


def _scope(viewer: Viewer, *, include_removed: bool = False) -> tuple[str, dict]:
    """SQL conditions for the clients `viewer` may see (spec section 6)."""
    where = ["c.practice_id = :practice_id"]
    params: dict = {"practice_id": viewer.practice_id}
    if not (include_removed and viewer.sees_removed_clients):
        where.append("c.state <> 'removed'")
    if not viewer.sees_all_clients:
        where.append(
            "EXISTS (SELECT 1 FROM practice_access a "
            "WHERE a.client_id = c.id AND a.team_member_id = :member_id)"
        )
        params["member_id"] = viewer.team_member_id
    return " WHERE " + " AND ".join(where), params


def count_clients(engine: Engine, viewer: Viewer) -> int:
    """Clients on the viewer's list (removed ones are not on it)."""
    where, params = _scope(viewer)
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT COUNT(*) FROM client c" + where), params
        ).scalar_one()


def load_first_rows(engine: Engine, viewer: Viewer, limit: int) -> ClientRows:
    """The first `limit` listed clients in name order: enough to paint a screen at once."""
    where, params = _scope(viewer)
    sql = _SELECT + where + " ORDER BY c.sort_name, c.id LIMIT :limit"
    with engine.connect() as connection:
        tuples = connection.execute(text(sql), {**params, "limit": limit}).all()
    return ClientRows.from_tuples(tuples, complete=False, total=count_clients(engine, viewer))


def load_all_rows(engine: Engine, viewer: Viewer) -> ClientRows:
    """Every client the viewer may see, removed ones included for practice admins."""
    where, params = _scope(viewer, include_removed=True)
    sql = _SELECT + where + " ORDER BY c.sort_name, c.id"
    builder = _ColumnBuilder()
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(text(sql), params)
        # Chunks also give the UI thread the interpreter between them.
        for chunk in result.partitions(_FETCH_CHUNK):
            builder.add(chunk)
    return builder.build(complete=True)


@dataclass(frozen=True)
class ClientDetail:
    """The highlighted client's particulars, for the line under the table."""

    id: int
    name: str
    crn: str | None
    practice_code: str | None
    state: str
    integration_software: str | None
    integration_status: str | None
    integration_org_name: str | None
    integration_last_sync: datetime | None


_DETAIL = """
SELECT c.id, c.name, c.crn, c.practice_code, c.state, p.integration_software,
       p.integration_status, p.integration_org_name, p.integration_last_sync
FROM client c LEFT JOIN prepare_account p ON p.client_id = c.id
"""


def load_client_detail(engine: Engine, viewer: Viewer, client_id: int) -> ClientDetail | None:
    """One client's particulars, or None when it is gone or outside the viewer's scope."""
    where, params = _scope(viewer, include_removed=True)
    query = text(_DETAIL + where + " AND c.id = :client_id").columns(
        integration_last_sync=DateTime(timezone=True)
    )
    with engine.connect() as connection:
        row = connection.execute(query, {**params, "client_id": client_id}).first()
    return ClientDetail(*row) if row else None
