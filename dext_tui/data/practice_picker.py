"""The support desk's practice picker, as data (spec 15): every practice with its number of
clients and products, searched by name as the client list's search does (the same word
index, typos allowed), or by id; and whether the practice opened is still open to support.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, text

from dext_tui.data.identity import Viewer
from dext_tui.data.support_identity import ACCESS_OFF, PracticeChoice, practice_choices
from dext_tui.data.transactions import read_snapshot


@dataclass
class PracticeList:
    """Every practice, in name order, with a name index built once."""

    choices: list[PracticeChoice]

    def __post_init__(self) -> None:
        # Sorted here, not by the database: its collation differs between backends.
        self.choices = sorted(self.choices, key=lambda c: (c.name.casefold(), c.id))
        self.ids = np.fromiter((c.id for c in self.choices), np.int64, len(self.choices))
        # Imported here: the client list's support desk reads this module at start-up,
        # and the search side (rapidfuzz) is deferred until first used (issue 16).
        from dext_tui.data.name_search import NameSearchIndex

        self.index = NameSearchIndex([c.name for c in self.choices])
        self.index.warm_up()

    def __len__(self) -> int:
        return len(self.choices)

    def search(self, query: str) -> np.ndarray:
        """Positions of the matching practices, best first (then name order); all when empty.
        A number also finds the practice with that id, first."""
        query = query.strip()
        if not query:
            return np.arange(len(self.choices), dtype=np.int64)
        matches = self.index.search(query)
        # Stable sort on score, descending: equal scores keep name order.
        order = matches.rows[np.argsort(-matches.scores.astype(np.int32), kind="stable")]
        if query.isascii() and query.isdigit():
            exact = np.flatnonzero(self.ids == int(query))
            order = np.concatenate((exact, order[~np.isin(order, exact)]))
        return order.astype(np.int64)


def load_practice_list(engine: Engine) -> PracticeList:
    return PracticeList(practice_choices(engine))


def support_refusal(engine: Engine, viewer: Viewer) -> str | None:
    """Why `viewer` (support) may no longer see their practice, or None while they may: the
    practice turned support access off, or the support identity was deactivated."""
    with read_snapshot(engine) as connection:
        access = connection.execute(
            text("SELECT support_access FROM practice WHERE id = :id"), {"id": viewer.practice_id}
        ).scalar()
        active = connection.execute(
            text("SELECT active FROM support_person WHERE id = :id"),
            {"id": viewer.support_person_id},
        ).scalar()
    if not access:
        return ACCESS_OFF
    if not active:
        return "your support identity has been deactivated"
    return None
