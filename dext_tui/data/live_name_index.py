"""The name index kept true while names change: the load-time index plus a small one.

Rebuilding the word index costs seconds at a million names, so a change does
not touch it: the rows changed since loading are marked stale there and
indexed again, alone, in a second small index whose answers stand in for
theirs. A Reload builds one whole index afresh.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from dext_tui.data.name_search import NameMatches, NameSearchIndex


class LiveNameIndex:
    def __init__(self, base: NameSearchIndex, size: int) -> None:
        self.base = base
        self._stale = np.zeros(size, dtype=bool)  # rows whose entry in `base` is out of date
        self._overlay: NameSearchIndex | None = None
        self._overlay_rows = np.empty(0, dtype=np.int64)

    def warm_up(self) -> None:
        warm_up = getattr(self.base, "warm_up", None)
        if warm_up is not None:
            warm_up()

    @property
    def overlay_size(self) -> int:
        return len(self._overlay_rows)

    def update(self, names: list[str], rows: Iterable[int], present: np.ndarray) -> None:
        """`rows` changed (or were added): index their current names in the overlay."""
        if len(self._stale) < len(names):
            grown = np.zeros(len(names), dtype=bool)
            grown[: len(self._stale)] = self._stale
            self._stale = grown
        self._stale[np.fromiter(rows, dtype=np.int64)] = True
        self._overlay_rows = np.flatnonzero(self._stale & present)
        self._overlay = NameSearchIndex([names[row] for row in self._overlay_rows.tolist()])

    def search(self, query: str) -> NameMatches:
        found = self.base.search(query)
        fresh = ~self._stale[found.rows]
        rows, scores = found.rows[fresh], found.scores[fresh]
        if self._overlay is None:
            return NameMatches(rows, scores)
        changed = self._overlay.search(query)
        return NameMatches(
            np.concatenate([rows, self._overlay_rows[changed.rows]]),
            np.concatenate([scores, changed.scores]),
        )
