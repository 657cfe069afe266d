"""What the client list shows: search, filters and sort applied to the loaded rows.

Everything here is vectorised over `ClientRows` columns so that a keystroke,
a filter change or a sort change costs milliseconds at 100k rows. The result
is an array of row positions in display order.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from dext_tui.data.client_query import (  # re-exported: the query types live there
    RELEVANCE,
    SORT_COLUMN_BY_KEY,
    SORT_COLUMNS,
    ClientFilters,
    ClientQuery,
    SortColumn,
)
from dext_tui.data.client_rows import NOT_SET_UP, ClientRows
from dext_tui.data.validation import sort_key
from dext_tui.data.vocab import CLIENT_STATES, INTEGRATION_STATUSES, PRODUCT_STATUSES

if TYPE_CHECKING:
    # The search side (rapidfuzz and the name index) is imported when the first view
    # is built, in the loading worker: the first screen needs only the query types.
    from dext_tui.data.name_search import NameSearchIndex

# Identifier hits rank above every name score (names score at most name_search.BEST, 1000).
EXACT_IDENTIFIER = 2000
PREFIX_IDENTIFIER = 1500
# Ties among the leading hits are broken by spelling: the score groups that start
# within this many places, at most this many rows of them (past that, name order).
_SPELLING_TIE_PLACES = 200
_SPELLING_TIE_ROWS = 5_000
# Row positions in the orders and indexes: 32 bits (up to 2 billion rows) halve the
# memory of the nine sort orders and the rank, ~5 MB at 100k clients.
POSITION = np.int32

__all__ = [
    "RELEVANCE",
    "SORT_COLUMN_BY_KEY",
    "SORT_COLUMNS",
    "ClientFilters",
    "ClientQuery",
    "ClientView",
    "SortColumn",
]


def _bytes_column(values: Iterable[bytes]) -> np.ndarray:
    """A fixed-width bytes array, filled from a generator: Python code runs between
    items, so the UI thread is never locked out for the whole column."""
    items = list(values)
    width = max((len(item) for item in items), default=1) or 1
    return np.fromiter((item for item in items), dtype=f"S{width}", count=len(items))


class ClientView:
    """Rows plus the indexes that make searching and sorting them cheap."""

    def __init__(self, rows: ClientRows, name_index: NameSearchIndex | None = None) -> None:
        from dext_tui.data.live_name_index import LiveNameIndex
        from dext_tui.data.name_search import NameSearchIndex

        self.rows = rows
        self.name_index = LiveNameIndex(name_index or NameSearchIndex(rows.names), len(rows))
        # Rows arrive in name order; live changes keep this order (and the others) patched.
        self._sort_orders: dict[str, np.ndarray] = {"name": np.arange(len(rows), dtype=POSITION)}
        self._name_rank = np.arange(len(rows), dtype=POSITION)  # row -> place in name order
        self._identifier_indexes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._empty_codes_mask: np.ndarray | None = None
        # Held by whoever reads or patches the indexes from a worker thread.
        self.lock = threading.RLock()
        self.generation = 0  # bumped by every patch: an answer from an older one is stale

    def warm_up(self) -> None:
        """Build the lazily built indexes now (in the loading worker), so that no
        keystroke, filter or sort change pays for building one. One index at a time
        under the lock: a patch never interleaves with a build, and a query asked
        meanwhile waits for one build, not for them all."""
        steps = [
            self.name_index.warm_up,
            *(lambda key=key: self._identifier_index(key) for key in ("crns", "codes")),
            self._empty_codes,
            *(lambda key=column.key: self.sort_order(key) for column in SORT_COLUMNS),
        ]
        for step in steps:
            with self.lock:
                step()

    # -- filters ---------------------------------------------------------
    def filter_mask(self, filters: ClientFilters) -> np.ndarray:
        rows = self.rows
        if filters.state is None:
            mask = rows.state != CLIENT_STATES.index("removed")
        else:
            mask = rows.state == CLIENT_STATES.index(filters.state)
        for product in ("prepare", "precision", "solo"):
            value = getattr(filters, product)
            if value is not None:
                mask &= getattr(rows, product) == PRODUCT_STATUSES.index(value)
        if filters.integration is not None:
            mask &= rows.integration == INTEGRATION_STATUSES.index(filters.integration)
        if filters.no_practice_code:
            mask &= self._empty_codes()
        return mask & rows.present

    def _empty_codes(self) -> np.ndarray:
        if self._empty_codes_mask is None:
            codes = self.rows.codes
            self._empty_codes_mask = np.fromiter((not code for code in codes), bool, len(codes))
        return self._empty_codes_mask

    # -- sort --------------------------------------------------------------
    def sort_order(self, key: str) -> np.ndarray:
        """Row positions ordered by `key`, ties in name order (cached per column)."""
        if key not in self._sort_orders:
            if key in ("crns", "codes"):
                values = getattr(self.rows, key)
                # Empty identifiers sort last; comparison ignores case. UTF-8 bytes
                # sort as the text does and take a quarter of numpy's str memory.
                column = _bytes_column(value.casefold().encode() or b"\xff" for value in values)
            else:
                column = getattr(self.rows, key)
            in_name_order = self._sort_orders["name"]
            by_value = np.argsort(column[in_name_order], kind="stable")
            self._sort_orders[key] = in_name_order[by_value].astype(POSITION)
        return self._sort_orders[key]

    # -- identifier search ------------------------------------------------
    def _identifier_index(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted upper-case values (UTF-8) of CRN or practice code, and their rows."""
        if key not in self._identifier_indexes:
            values = _bytes_column(value.upper().encode() for value in getattr(self.rows, key))
            order = np.argsort(values, kind="stable")
            self._identifier_indexes[key] = (values[order], order.astype(POSITION))
        return self._identifier_indexes[key]

    def identifier_matches(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows whose CRN or practice code equals or starts with `query`, with scores."""
        needle = "".join(query.split()).upper().encode()
        if not needle or len(needle) > 20:
            return np.empty(0, np.int64), np.empty(0, np.uint16)
        found_rows, found_scores = [], []
        for key in ("crns", "codes"):
            values, rows = self._identifier_index(key)
            first = np.searchsorted(values, needle, side="left")
            last = np.searchsorted(values, needle + b"\xff", side="left")
            if first < last:
                hits = values[first:last]
                found_rows.append(rows[first:last])
                found_scores.append(
                    np.where(hits == needle, EXACT_IDENTIFIER, PREFIX_IDENTIFIER).astype(np.uint16)
                )
        if not found_rows:
            return np.empty(0, np.int64), np.empty(0, np.uint16)
        return np.concatenate(found_rows), np.concatenate(found_scores)

    # -- the whole query ----------------------------------------------------
    def apply(self, query: ClientQuery) -> np.ndarray:
        """Row positions to show for `query`, in display order."""
        mask = self.filter_mask(query.filters)
        if query.product is not None:
            mask &= getattr(self.rows, query.product) != NOT_SET_UP
        if not query.search.strip():
            order = self.sort_order(query.sort or "name")
            order = order[mask[order]]
            return order[::-1] if query.descending else order

        scores = np.zeros(len(self.rows), dtype=np.uint16)
        names = self.name_index.search(query.search)
        scores[names.rows] = names.scores
        id_rows, id_scores = self.identifier_matches(query.search)
        if len(id_rows):
            np.maximum.at(scores, id_rows, id_scores)
        scores[~mask] = 0
        if query.sort is None:
            # Best score first, then name order: the hits taken in name order, then a
            # stable sort on 16-bit keys (a radix sort: milliseconds at a million hits).
            in_name_order = self.sort_order("name")
            hits = in_name_order[scores[in_name_order] > 0]
            hits = hits[np.argsort(np.uint16(0xFFFF) - scores[hits], kind="stable")]
            return self._closest_spelling_first(hits, scores, query.search)
        order = self.sort_order(query.sort)
        order = order[scores[order] > 0]
        return order[::-1] if query.descending else order

    def _closest_spelling_first(
        self, hits: np.ndarray, scores: np.ndarray, search: str
    ) -> np.ndarray:
        """`hits` (best score first, then name order) with each leading group of equal
        scores re-ordered by how close the name is spelt to `search` after case folding:
        the name typed exactly first ("Happy Owl Ltd" before "Happy Owl Limited", which
        the search scores the same), then the closest, then name order."""
        if not len(hits):
            return hits
        from rapidfuzz import fuzz, process

        leading = scores[hits[:_SPELLING_TIE_PLACES]]
        # The end of the last score group that starts within the leading places.
        end = int(np.searchsorted(-scores[hits].astype(np.int32), -int(leading[-1]), "right"))
        end = min(end, _SPELLING_TIE_ROWS)
        names = self.rows.names
        candidates = hits[:end]
        spelling = process.cdist(
            [search.strip().casefold()],
            [names[row].casefold() for row in candidates],
            scorer=fuzz.ratio,
            dtype=np.uint8,
        )[0]
        # Score first, spelling next; argsort is stable, so name order last.
        keys = (np.uint32(0xFFFF) - scores[candidates]).astype(np.uint32) << 8
        keys |= np.uint32(0xFF) - spelling
        refined = candidates[np.argsort(keys, kind="stable")]
        return np.concatenate([refined, hits[end:]])

    # -- live changes ------------------------------------------------------------
    def patch(self, fresh: ClientRows, asked_for: list[int]) -> int:
        """Bring the rows of clients `asked_for` up to date from `fresh` (those still
        visible; the others leave the list) and every index with them, without
        re-reading or re-indexing the rest. Returns how many rows changed."""
        with self.lock:
            changed, appended = self.rows.apply(fresh, asked_for)
            touched = np.array(sorted(set(changed) | set(appended)), dtype=np.int64)
            if not len(touched):
                return 0
            rows = self.rows
            listed = touched[rows.present[touched]]
            name_key = lambda row: (sort_key(rows.names[row]), int(rows.ids[row]))  # noqa: E731
            self._sort_orders["name"], span = _reorder(
                self._sort_orders["name"], touched, listed, name_key
            )
            self._update_name_rank(span)
            for key in [key for key in self._sort_orders if key != "name"]:
                value = self._sort_value(key)
                self._sort_orders[key], _span = _reorder(
                    self._sort_orders[key],
                    touched,
                    listed,
                    lambda row, value=value: (value(row), int(self._name_rank[row])),
                )
            for key in list(self._identifier_indexes):
                self._patch_identifier_index(key, touched)
            if self._empty_codes_mask is not None:
                empty = self._empty_codes_mask
                if len(empty) < len(rows):
                    empty = np.concatenate([empty, np.zeros(len(rows) - len(empty), bool)])
                empty[touched] = [not rows.codes[row] for row in touched.tolist()]
                self._empty_codes_mask = empty
            self.name_index.update(rows.names, touched.tolist(), rows.present)
            self.generation += 1
            return len(touched)

    def _update_name_rank(self, span: tuple[int, int] | None) -> None:
        """Each row's place in name order again: only over `span` when one row moved
        within it, else (rows came or went) over the whole order."""
        order = self._sort_orders["name"]
        if span is not None and len(self._name_rank) == len(self.rows):
            low, high = span
            self._name_rank[order[low:high]] = np.arange(low, high)
            return
        self._name_rank = np.zeros(len(self.rows), dtype=POSITION)
        self._name_rank[order] = np.arange(len(order))

    def _sort_value(self, key: str):
        """The value `sort_order(key)` sorts a row by, for one row."""
        if key in ("crns", "codes"):
            texts = getattr(self.rows, key)
            return lambda row: texts[row].casefold().encode() or b"\xff"
        column = getattr(self.rows, key)
        return lambda row: int(column[row])

    def _patch_identifier_index(self, key: str, touched: np.ndarray) -> None:
        values, rows = self._identifier_indexes[key]
        new = [getattr(self.rows, key)[row].upper().encode() for row in touched.tolist()]
        width = max([values.dtype.itemsize, *(len(value) for value in new)]) or 1
        if width > values.dtype.itemsize:  # a longer value than any so far: widen (rare)
            values = values.astype(f"S{width}")
        if len(touched) == 1:  # one client changed: move its entry, in place
            row, value = int(touched[0]), new[0]
            found = np.flatnonzero(rows == row)
            if len(found):
                start = int(found[0])
                end = bisect_left(_Without(values, start), value)
                _shift(values, start, end, value)
                _shift(rows, start, end, row)
                self._identifier_indexes[key] = (values, rows)
                return
        keep = ~_marked(rows, touched)
        values, rows = values[keep], rows[keep]
        fresh = np.array(new, dtype=f"S{width}")
        by_value = np.argsort(fresh, kind="stable")
        places = np.searchsorted(values, fresh[by_value])
        self._identifier_indexes[key] = (
            np.insert(values, places, fresh[by_value]),
            np.insert(rows, places, touched[by_value]),
        )


class _Without:
    """`array` as if the item at `index` were not there (for bisecting around it)."""

    def __init__(self, array: np.ndarray, index: int) -> None:
        self.array, self.index = array, index

    def __len__(self) -> int:
        return len(self.array) - 1

    def __getitem__(self, position: int):
        return self.array[position if position < self.index else position + 1]


def _shift(array: np.ndarray, start: int, end: int, item) -> None:
    """Move the item at `start` to `end`, sliding those between by one: in place,
    touching only that stretch, never the whole array (numpy copies overlapping
    slices correctly)."""
    if end < start:
        array[end + 1 : start + 1] = array[end:start]
    elif end > start:
        array[start:end] = array[start + 1 : end + 1]
    array[end] = item


def _marked(order: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which entries of `order` are among `rows` (a mask; cheaper than np.isin)."""
    mark = np.zeros(max(int(order.max(initial=0)), int(rows.max(initial=0))) + 1, bool)
    mark[rows] = True
    return mark[order]


def _reorder(
    order: np.ndarray, touched: np.ndarray, listed: np.ndarray, key
) -> tuple[np.ndarray, tuple[int, int] | None]:
    """`order` with the `touched` rows put where `key` now places them (`listed`
    ones) or taken out (the rest). One row that stays is moved in place, touching
    only the stretch between its old and new places, which is returned; otherwise
    the order is rebuilt around them and the stretch is None."""
    if len(touched) == 1 and len(listed) == 1:
        row = int(touched[0])
        found = np.flatnonzero(order == row)
        if len(found):
            start = int(found[0])
            end = bisect_left(_Without(order, start), key(row), key=key)
            _shift(order, start, end, row)
            return order, (min(start, end), max(start, end) + 1)
    order = order[~_marked(order, touched)]
    if not len(listed):
        return order, None
    ordered = sorted(listed.tolist(), key=key)  # equal places keep their own order
    places = [bisect_left(order, key(row), key=key) for row in ordered]
    return np.insert(order, places, np.array(ordered, dtype=order.dtype)), None
