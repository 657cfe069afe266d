"""Marked clients: a sorted array of ids, so marking 100,000 shown clients is one
numpy union (a Python set of them costs more than the 100 ms budget), and asking
whether a drawn row is marked is a binary search.

numpy is imported at the first mark, not with the table: the first screen is drawn
before it arrives (tests/unit/test_start_up_imports.py). Until then nothing is marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def _no_ids() -> np.ndarray:
    import numpy as np

    return np.empty(0, dtype=np.int64)


class Marks:
    def __init__(self) -> None:
        self._ids: np.ndarray | None = None  # None: nothing marked yet

    @property
    def ids(self) -> np.ndarray:
        """Sorted and unique."""
        if self._ids is None:
            self._ids = _no_ids()
        return self._ids

    @ids.setter
    def ids(self, ids: np.ndarray) -> None:
        self._ids = ids

    def __len__(self) -> int:
        return 0 if self._ids is None else len(self._ids)

    def __bool__(self) -> bool:
        return bool(len(self))

    def __contains__(self, client_id: object) -> bool:
        if not self:
            return False
        import numpy as np

        if not isinstance(client_id, int | np.integer):
            return False
        at = int(np.searchsorted(self.ids, client_id))
        return at < len(self.ids) and int(self.ids[at]) == client_id

    def __iter__(self):
        return iter(self.ids.tolist())

    def add(self, client_id: int) -> None:
        import numpy as np

        self.update(np.array([client_id], dtype=np.int64))

    def discard(self, client_id: int) -> None:
        self.ids = self.ids[self.ids != client_id]

    def update(self, ids: np.ndarray) -> None:
        import numpy as np

        # Sorted and deduplicated by hand: np.union1d's unique() measured ~1 s at 100,000.
        merged = np.concatenate([self.ids, ids.astype(np.int64, copy=False)])
        merged.sort()
        if len(merged):
            merged = merged[np.concatenate(([True], merged[1:] != merged[:-1]))]
        self.ids = merged

    def difference_update(self, ids: np.ndarray) -> None:
        import numpy as np

        self.ids = self.ids[~np.isin(self.ids, ids)]

    def clear(self) -> None:
        self.ids = _no_ids()

    def missing_from(self, ids: np.ndarray) -> np.ndarray:
        """The marked ids that are not among `ids`."""
        import numpy as np

        return self.ids[~np.isin(self.ids, ids)]
