"""The client list's rows, read lean and held column by column.

At 100k+ clients, ORM objects cost seconds and hundreds of megabytes; the list
reads plain tuples with statuses already turned into small integer codes by
SQL, and keeps each column as one array (numbers) or one list (strings).
The first screenful, read before the rest, is plain lists: numpy is imported
with the full list, after the first paint (tests/unit/test_start_up_imports.py).

Its SQL stays plain text, unlike the write side's (which names the models'
tables): this is the hot read path, streamed from the driver as tuples, and the
figures in benchmarks/results were measured with exactly this SQL.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, DateTime, Engine, bindparam, text

from dext_tui.data.scope import scope_condition as _scope
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import (
    CLIENT_STATES,
    INTEGRATION_SOFTWARE,
    INTEGRATION_STATUSES,
    PRODUCT_STATUSES,
)

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
_stream_numbers = itertools.count()
_FETCH_CHUNK = 1000
NOT_SET_UP = PRODUCT_STATUSES.index("not_set_up")
REMOVED = CLIENT_STATES.index("removed")
UNINTEGRATED = INTEGRATION_STATUSES.index("unintegrated")
SOFTWARE_CODES = ("", *INTEGRATION_SOFTWARE)  # code 0: no software


def _case(column: str, values: tuple[str, ...], default: int) -> str:
    whens = " ".join(f"WHEN '{value}' THEN {code}" for code, value in enumerate(values))
    return f"CASE {column} {whens} ELSE {default} END"


CLIENT_ROW_SELECT = f"""
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


WIDE_COLUMNS = ("ids", "costs", "sales")
TEXT_COLUMNS = ("names", "crns", "codes")


@dataclass
class ClientRows:
    """Every visible client, one entry per row, column by column.

    Loaded in name order; live changes then update rows in place and append
    new clients at the end, so a row's position never changes while the list
    is open (a result computed a moment ago still points at the right rows).
    `present` is False for a row whose client was deleted or left the scope.
    """

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
    total: int = field(default=-1)  # clients on the list in all; a first page holds fewer
    present: np.ndarray = field(default_factory=lambda: _numpy().empty(0, bool))
    # The practice's change_seq these rows were read at: later changes have higher numbers.
    change_seq: int = 0

    def __post_init__(self) -> None:
        if self.total < 0:
            self.total = len(self.names)
        if len(self.present) != len(self.names):
            self.present = _numpy().ones(len(self.names), dtype=bool)
        self._sorted_ids: np.ndarray | None = None
        self._sorted_positions: np.ndarray | None = None
        self._appended: dict[int, int] = {}  # id -> position, for rows added since loading

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_tuples(cls, tuples: list, *, total: int = -1) -> ClientRows:
        """Rows from `CLIENT_ROW_SELECT` tuples (a few: a patch, or the first prefix
        matches, so no need to stream)."""
        import numpy as np

        columns = zip(*tuples, strict=True) if tuples else [()] * len(COLUMN_NAMES)
        values: dict = {}
        for name, column in zip(COLUMN_NAMES, columns, strict=True):
            if name in TEXT_COLUMNS:
                values[name] = list(column)
            else:
                wide = name in WIDE_COLUMNS
                values[name] = np.array(column, dtype=np.int64 if wide else np.uint8)
        return cls(**values, total=total)

    @classmethod
    def first_page(cls, tuples: list, *, total: int) -> ClientRows:
        """A first screenful from `CLIENT_ROW_SELECT` tuples, as plain lists: enough to
        draw and move over, before the full list (and numpy) arrive; never patched."""
        columns = zip(*tuples, strict=True) if tuples else [()] * len(COLUMN_NAMES)
        values = {name: list(column) for name, column in zip(COLUMN_NAMES, columns, strict=True)}
        return cls(**values, total=total, present=[True] * len(tuples))

    def listed_count(self, product: str | None = None) -> int:
        """Clients on the list (present and not removed); with `product`, those of
        them with an account in it."""
        import numpy as np

        listed = self.present & (self.state != REMOVED)
        if product is not None:
            listed &= getattr(self, product) != NOT_SET_UP
        return int(np.count_nonzero(listed))

    def position_of(self, client_id: int) -> int | None:
        if client_id in self._appended:
            return self._appended[client_id]
        import numpy as np

        if self._sorted_ids is None:
            order = np.argsort(self.ids[: len(self.ids) - len(self._appended)], kind="stable")
            self._sorted_ids, self._sorted_positions = self.ids[order], order
        assert self._sorted_positions is not None
        found = int(np.searchsorted(self._sorted_ids, client_id))
        if found < len(self._sorted_ids) and self._sorted_ids[found] == client_id:
            return int(self._sorted_positions[found])
        return None

    def apply(self, fresh: ClientRows, asked_for: list[int]) -> tuple[list[int], list[int]]:
        """Bring the rows of `asked_for` up to date from `fresh` (those of them still
        visible); returns (positions changed, positions appended). Arrays grow by
        copy, so a reader holding the old array keeps a consistent one."""
        import numpy as np

        fresh_positions = {int(client_id): i for i, client_id in enumerate(fresh.ids.tolist())}
        changed: list[int] = []
        for client_id in asked_for:
            position = self.position_of(client_id)
            if position is not None and client_id not in fresh_positions:
                if self.present[position]:
                    self.present[position] = False
                    changed.append(position)
        new = [i for client_id, i in fresh_positions.items() if self.position_of(client_id) is None]
        for client_id, i in fresh_positions.items():
            position = self.position_of(client_id)
            if position is None:
                continue
            for name in COLUMN_NAMES:
                getattr(self, name)[position] = getattr(fresh, name)[i]
            self.present[position] = True
            changed.append(position)
        appended = list(range(len(self), len(self) + len(new)))
        if new:
            for name in COLUMN_NAMES:
                added = [getattr(fresh, name)[i] for i in new]
                column = getattr(self, name)
                if name in TEXT_COLUMNS:
                    column.extend(added)
                else:
                    setattr(self, name, np.concatenate([column, np.array(added, column.dtype)]))
            self.present = np.concatenate([self.present, np.ones(len(new), bool)])
            for position in appended:
                self._appended[int(self.ids[position])] = position
        return changed, appended


def _numpy():
    """numpy, imported when first needed (see the module's docstring)."""
    import numpy

    return numpy


def _is_decode_error(error: BaseException) -> bool:
    return "decode" in str(error).lower() and "utf" in str(error).lower()


def _decode_with_replacement(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def read_tolerantly(engine: Engine, read: Callable[[Connection], T]) -> T:
    """`read(connection)` in one snapshot. Text SQLite cannot decode (not UTF-8,
    as a foreign tool may store) is read again with replacement characters,
    instead of failing: the fast decoder serves every other read."""
    with read_snapshot(engine) as connection:
        return read_tolerantly_within(connection, read)


def read_tolerantly_within(connection: Connection, read: Callable[[Connection], T]) -> T:
    """`read(connection)` in the transaction already open on it, text SQLite cannot
    decode read again with replacement characters (a failed read leaves SQLite's
    transaction, unlike PostgreSQL's, usable: the retry sees the same snapshot)."""
    try:
        return read(connection)
    except Exception as error:
        if connection.dialect.name != "sqlite" or not _is_decode_error(error):
            raise
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.text_factory = _decode_with_replacement
    try:
        return read(connection)
    finally:
        raw.text_factory = str


def _count(connection: Connection, viewer: Viewer) -> int:
    where, params = _scope(viewer)
    return connection.execute(text("SELECT COUNT(*) FROM client c" + where), params).scalar_one()


def count_clients(engine: Engine, viewer: Viewer) -> int:
    """Clients on the viewer's list (removed ones are not on it)."""
    return read_tolerantly(engine, lambda connection: _count(connection, viewer))


def load_first_rows(engine: Engine, viewer: Viewer, limit: int) -> ClientRows:
    """The first `limit` listed clients in name order: enough to paint a screen at once."""
    where, params = _scope(viewer)
    sql = text(CLIENT_ROW_SELECT + where + " ORDER BY c.sort_name, c.id LIMIT :limit")

    def read(connection: Connection) -> ClientRows:
        tuples = connection.execute(sql, {**params, "limit": limit}).all()
        return ClientRows.first_page(tuples, total=_count(connection, viewer))

    return read_tolerantly(engine, read)


def load_rows_by_ids(engine: Engine, viewer: Viewer, client_ids: Iterable[int]) -> ClientRows:
    """The rows of those of `client_ids` the viewer may still see (removed ones
    included for practice admins): what a live update patches in."""
    ids = sorted(set(client_ids))
    if not ids:
        return ClientRows.from_tuples([])
    where, params = _scope(viewer, include_removed=True)
    query = text(CLIENT_ROW_SELECT + where + " AND c.id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    return read_tolerantly(
        engine,
        lambda connection: ClientRows.from_tuples(
            connection.execute(query, {**params, "ids": ids}).all()
        ),
    )


def _prefix_condition(engine: Engine, column: str, prefix: str, key: str) -> tuple[str, dict]:
    if engine.dialect.name == "sqlite":  # binary order: a range scan of the index
        return (
            f"{column} >= :{key}_low AND {column} < :{key}_high",
            {f"{key}_low": prefix, f"{key}_high": prefix + "\U0010ffff"},
        )
    # Collations differ between servers; LIKE means the same everywhere.
    escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"{column} LIKE :{key}_like ESCAPE '!'", {f"{key}_like": escaped + "%"}


def load_first_matches(
    engine: Engine, viewer: Viewer, search: str, limit: int, total: int
) -> ClientRows:
    """Clients whose name, CRN or practice code starts with `search`, in name order.

    Answers a search typed before every row is loaded (seconds at a million
    clients): plain prefixes until the fuzzy index takes over. One query per
    column, each a range of its own index (one query with OR walks the name
    index from the start instead), then the union in name order.
    """
    where, params = _scope(viewer)
    identifier = "".join(search.split())
    prefixes = (
        ("c.sort_name", " ".join(search.casefold().split())),
        ("c.crn", identifier.upper()),
        ("c.practice_code_key", identifier.casefold()),
    )

    def read(connection: Connection) -> list:
        ids: set[int] = set()
        for key, (column, prefix) in enumerate(prefixes):
            condition, condition_params = _prefix_condition(engine, column, prefix, f"p{key}")
            sql = f"SELECT c.id FROM client c{where} AND {condition} ORDER BY {column} LIMIT :limit"
            found = connection.execute(text(sql), {**params, **condition_params, "limit": limit})
            ids.update(found.scalars())
        if not ids:
            return []
        # Looked up by id (the unary plus keeps the planner off the practice
        # index) and ordered here: given ORDER BY, it walks the whole name index.
        by_id = _scope(viewer, scan=True)[0] + " AND c.id IN :ids"
        query = text(CLIENT_ROW_SELECT + by_id).bindparams(bindparam("ids", expanding=True))
        return connection.execute(query, {**params, "ids": sorted(ids)}).all()

    tuples = read_tolerantly(engine, read)
    tuples.sort(key=lambda row: (" ".join(row[1].casefold().split()), row[0]))
    return ClientRows.from_tuples(tuples[:limit], total=total)


_CLIENT_COLUMNS = f"""
SELECT c.id, c.name, COALESCE(c.crn, ''), COALESCE(c.practice_code, ''),
       {_case("c.state", CLIENT_STATES, 0)}
FROM client c"""
_ACCOUNT_COLUMNS = {
    "prepare_account": f"""
SELECT a.client_id, {_case("a.status", PRODUCT_STATUSES, NOT_SET_UP)},
       a.costs_count, a.sales_count,
       {_case("a.integration_status", INTEGRATION_STATUSES, UNINTEGRATED)},
       {_case("a.integration_software", SOFTWARE_CODES, 0)}
FROM prepare_account a CROSS JOIN client c""",
    "precision_account": f"""
SELECT a.client_id, {_case("a.status", PRODUCT_STATUSES, NOT_SET_UP)}
FROM precision_account a CROSS JOIN client c""",
    "solo_account": f"""
SELECT a.client_id, {_case("a.status", PRODUCT_STATUSES, NOT_SET_UP)}
FROM solo_account a CROSS JOIN client c""",
}
_ACCOUNT_FIELDS = {
    "prepare_account": ("prepare", "costs", "sales", "integration", "software"),
    "precision_account": ("precision",),
    "solo_account": ("solo",),
}


def stream_tuples(connection: Connection, sql: str, params: dict, chunk: int = _FETCH_CHUNK):
    """Chunks of plain tuples; between chunks the UI thread gets the interpreter back.

    Reads the driver's cursor directly: SQLAlchemy's row objects cost more than
    the fetch itself at a million rows, and every column here is a plain value.
    """
    if connection.dialect.name == "postgresql":
        yield from _stream_from_server(connection, sql, params, chunk)
        return
    # No stream_results: with it SQLAlchemy pre-buffers rows the cursor then lacks.
    result = connection.execute(text(sql), params)
    cursor = result.cursor
    try:
        while rows := cursor.fetchmany(chunk):
            yield rows
    finally:
        result.close()


def _stream_from_server(connection: Connection, sql: str, params: dict, chunk: int):
    """PostgreSQL's rows a chunk at a time from a server-side cursor, in the
    connection's transaction: a plain cursor would first receive the whole result
    into libpq's memory (tens of MB at 100k clients, which the C heap then keeps)."""
    compiled = text(sql).compile(dialect=connection.dialect)
    name = f"dext_stream_{next(_stream_numbers)}"  # unique: streams may overlap
    cursor = connection.connection.dbapi_connection.cursor(name)  # type: ignore[union-attr]
    try:
        cursor.itersize = chunk
        cursor.execute(compiled.string, compiled.construct_params(params))
        while rows := cursor.fetchmany(chunk):
            yield rows
    finally:
        cursor.close()


def return_freed_memory() -> None:
    """Give the C heap's free pages back to the system after a big load (glibc keeps
    what the load's temporary lists and the driver freed: ~6 MB at 100k clients)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def load_all_rows(engine: Engine, viewer: Viewer) -> ClientRows:
    """Every client the viewer may see, removed ones included for practice admins.

    One sequential read per table (a join walked in name order reads pages at
    random: 10 s instead of 2.5 s at a million clients), stitched together by
    client id with numpy, then put in name order from an index-only scan; all
    in one read transaction, so others writing meanwhile cannot tear it.
    """
    return read_tolerantly(engine, lambda connection: _read_all_rows(connection, viewer))


def _read_all_rows(connection: Connection, viewer: Viewer) -> ClientRows:
    import numpy as np

    where, params = _scope(viewer, include_removed=True, scan=True)
    client_columns = ("ids", "names", "crns", "codes", "state")
    columns: dict = {
        "ids": array("q"),
        "names": [],
        "crns": [],
        "codes": [],
        "state": array("B"),
    }
    for chunk in stream_tuples(connection, _CLIENT_COLUMNS + where + " ORDER BY c.id", params):
        for name, values in zip(client_columns, zip(*chunk, strict=True), strict=True):
            columns[name].extend(values)
    ids = np.array(columns["ids"], dtype=np.int64)
    count = len(ids)
    numbers = {
        "prepare": np.full(count, NOT_SET_UP, np.uint8),
        "precision": np.full(count, NOT_SET_UP, np.uint8),
        "solo": np.full(count, NOT_SET_UP, np.uint8),
        "costs": np.zeros(count, np.int64),
        "sales": np.zeros(count, np.int64),
        "integration": np.full(count, UNINTEGRATED, np.uint8),
        "software": np.zeros(count, np.uint8),
    }
    for table, sql in _ACCOUNT_COLUMNS.items():
        # CROSS JOIN: SQLite walks the account table in storage order.
        joined = sql + where + " AND c.id = a.client_id"
        for chunk in stream_tuples(connection, joined, params):
            client_ids, *fields = (array("q", values) for values in zip(*chunk, strict=True))
            positions = np.searchsorted(ids, np.frombuffer(client_ids, dtype=np.int64))
            for name, values in zip(_ACCOUNT_FIELDS[table], fields, strict=True):
                numbers[name][positions] = np.frombuffer(values, dtype=np.int64)
    name_order = array("q")
    in_name_order = "SELECT c.id FROM client c" + _scope(viewer, include_removed=True)[0]
    for chunk in stream_tuples(connection, in_name_order + " ORDER BY c.sort_name, c.id", params):
        name_order.extend(row[0] for row in chunk)
    change_seq = connection.execute(
        text("SELECT change_seq FROM practice WHERE id = :scope_practice_id"), params
    ).scalar_one()
    order = np.searchsorted(ids, np.array(name_order, dtype=np.int64))
    names, crns, codes = columns["names"], columns["crns"], columns["codes"]
    return ClientRows(
        ids=ids[order],
        names=[names[i] for i in order.tolist()],
        crns=[crns[i] for i in order.tolist()],
        codes=[codes[i] for i in order.tolist()],
        state=np.array(columns["state"], dtype=np.uint8)[order],
        **{name: column[order] for name, column in numbers.items()},
        change_seq=change_seq,
    )


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
    row = read_tolerantly(
        engine,
        lambda connection: connection.execute(query, {**params, "client_id": client_id}).first(),
    )
    return ClientDetail(*row) if row else None
