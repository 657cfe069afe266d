"""The import screen's rows: each waiting Precision client, its proposed match and
the action chosen for it, held column by column so 10,000 rows stay cheap."""

from __future__ import annotations

import numpy as np

from dext_tui.data.services.precision_import import (
    ACTION_LABELS,
    LATER,
    LINK,
    NEW,
    ImportChoice,
    ImportData,
)
from dext_tui.data.vocab import INTEGRATION_SOFTWARE
from dext_tui.widgets.row_table import Column

ACTION_CODES = (LATER, LINK, NEW)  # action code -> action
ACTION_TONES = {LATER: "none", LINK: "accent", NEW: "active"}
CHOSEN_LABEL = "chosen"
NONE = -1

IMPORT_COLUMNS = (
    Column("action", "Action", 22),
    Column("reason", "Why", 9),
    Column("match", "Proposed match", 23),
    Column("match_crn", "Match CRN", 9),
    Column("crn", "CRN", 9),  # 8 characters and the gap: never cut
    Column("software", "Software", 17),
)


class ImportRows:
    """Rows at positions 0..n-1, in the order of `data.sources` (name order)."""

    name_label = "Precision client"
    columns = IMPORT_COLUMNS

    def __init__(self, data: ImportData) -> None:
        self.data = data
        self.sources = data.sources
        self.candidates = data.candidates
        count = len(self.sources)
        self.proposed = np.full(count, NONE, dtype=np.int64)  # candidate position
        self.proposal_labels = [""] * count
        for row, proposal in enumerate(data.proposals):
            if proposal is not None:
                self.proposed[row] = proposal.candidate
                self.proposal_labels[row] = proposal.label
        # The client each row links to (candidate position; NONE: none chosen) ...
        self.linked = self.proposed.copy()
        self.chosen = np.zeros(count, dtype=bool)  # ... picked by the user, not proposed
        self.actions = np.where(self.proposed >= 0, 1, 0).astype(np.uint8)
        self.initial_actions = self.actions.copy()
        self._candidate_positions: dict[int, int] | None = None

    # -- TableSource ---------------------------------------------------------------
    @property
    def ids(self) -> np.ndarray:
        return self.sources.ids

    def __len__(self) -> int:
        return len(self.sources)

    def name(self, position: int) -> str:
        return self.sources.names[position]

    def cell(self, key: str, position: int) -> tuple[str, str | None]:
        if key == "action":
            action = self.action(position)
            return ACTION_LABELS[action], ACTION_TONES[action]
        if key == "crn":
            return self._or_dash(self.sources.crns[position])
        if key == "software":
            software = self.sources.software[position]
            return self._or_dash(INTEGRATION_SOFTWARE.get(software, software))
        candidate = int(self.linked[position])
        if candidate == NONE:
            return ("—", "none") if key != "match" else ("no confident match", "none")
        if key == "match":
            return self.candidates.names[candidate], None
        if key == "match_crn":
            return self._or_dash(self.candidates.crns[candidate])
        return self.reason(position), "active" if not self.chosen[position] else None

    @staticmethod
    def _or_dash(text: str) -> tuple[str, str | None]:
        return (text, None) if text else ("—", "none")

    # -- reading -------------------------------------------------------------------
    def action(self, position: int) -> str:
        return ACTION_CODES[int(self.actions[position])]

    def reason(self, position: int) -> str:
        """Why the row's match is there: "CRN match", "name 96%" or "chosen"."""
        if self.linked[position] == NONE:
            return ""
        return CHOSEN_LABEL if self.chosen[position] else self.proposal_labels[position]

    def linked_client_id(self, position: int) -> int | None:
        candidate = int(self.linked[position])
        return None if candidate == NONE else int(self.candidates.ids[candidate])

    def position_of_client(self, client_id: int) -> int | None:
        if self._candidate_positions is None:
            self._candidate_positions = {
                int(client_id): position
                for position, client_id in enumerate(self.candidates.ids.tolist())
            }
        return self._candidate_positions.get(client_id)

    def taken_client_ids(self, except_row: int | None = None) -> set[int]:
        """Clients some row links to (other than `except_row`)."""
        linking = self.actions == ACTION_CODES.index(LINK)
        if except_row is not None:
            linking[except_row] = False
        return {int(i) for i in self.candidates.ids[self.linked[linking]].tolist()}

    def changed(self) -> bool:
        """Whether the user changed anything since the rows were proposed."""
        return bool(self.chosen.any()) or not np.array_equal(self.actions, self.initial_actions)

    def counts(self) -> dict[str, int]:
        found = np.bincount(self.actions, minlength=len(ACTION_CODES))
        return {action: int(found[code]) for code, action in enumerate(ACTION_CODES)}

    def choices(self) -> list[ImportChoice]:
        ids = self.sources.ids.tolist()
        return [
            ImportChoice(ids[row], action, self.linked_client_id(row) if action == LINK else None)
            for row, action in ((row, self.action(row)) for row in range(len(ids)))
        ]

    # -- changing --------------------------------------------------------------------
    def set_later(self, position: int) -> None:
        self.actions[position] = ACTION_CODES.index(LATER)

    def set_new(self, position: int) -> None:
        self.actions[position] = ACTION_CODES.index(NEW)

    def link_to_match(self, position: int) -> bool:
        """Link the row to its match (the one chosen, else the proposed one) if no other
        row links that client; False when there is none to link to."""
        candidate = int(self.linked[position])
        if candidate == NONE:
            candidate = int(self.proposed[position])
        if candidate == NONE:
            return False
        if int(self.candidates.ids[candidate]) in self.taken_client_ids(except_row=position):
            return False
        self.linked[position] = candidate
        self.chosen[position] = candidate != self.proposed[position]
        self.actions[position] = ACTION_CODES.index(LINK)
        return True

    def link_to_client(self, position: int, client_id: int) -> None:
        candidate = self.position_of_client(client_id)
        assert candidate is not None
        self.linked[position] = candidate
        self.chosen[position] = candidate != self.proposed[position]
        self.actions[position] = ACTION_CODES.index(LINK)

    def accept_all_matches(self) -> tuple[int, int]:
        """Every row with a proposed match links to it, unless another row already
        links that client. Returns (rows now linking to their proposal, rows skipped)."""
        taken = self.taken_client_ids()
        accepted = skipped = 0
        for row in np.flatnonzero(self.proposed >= 0).tolist():
            candidate = int(self.proposed[row])
            if self.action(row) == LINK and self.linked[row] == candidate:
                continue
            client_id = int(self.candidates.ids[candidate])
            if client_id in taken:
                skipped += 1
                continue
            self.linked[row] = candidate
            self.chosen[row] = False
            self.actions[row] = ACTION_CODES.index(LINK)
            taken.add(client_id)
            accepted += 1
        return accepted, skipped

    def proposal_count(self) -> int:
        """Rows with a proposed match."""
        return int(np.count_nonzero(self.proposed >= 0))

    def remaining_as_new(self) -> int:
        """Every row set to Set up later becomes Import as new; returns how many."""
        later = self.actions == ACTION_CODES.index(LATER)
        self.actions[later] = ACTION_CODES.index(NEW)
        return int(np.count_nonzero(later))
