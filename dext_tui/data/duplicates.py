"""Is the client being added already on the list? (issue 7: Add Client's duplicate warning)

A client is a likely duplicate when its name is a close fuzzy match of the new
name, read with the normalisation every name comparison shares (`names.py`:
case, accents, punctuation, "&"/"and" and the spelling of legal forms ignored),
or its CRN is the same, or its practice code is the same compared
case-insensitively (its Solo account's code counts too, as in practice_codes.py).

Only clients the viewer may see are looked at (scope.py), so a standard user is
never told an unassigned client exists. Removed clients are left out: they are
off the list, and "open that client instead" must lead somewhere on it.

Names are compared on their telling words: legal forms, "and" and "the" are
dropped ("Acme" and "Acme Ltd" are the same name), unless that leaves nothing.
At 100k clients, reading and normalising every name takes a few tenths of a
second and scoring them a few hundredths (benchmarks/duplicates.py); the wizard
loads the names once (`NameKeys`) in a worker when it opens, and each check then
reads only clients added since, plus two indexed lookups for CRN and code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Engine, text

from dext_tui.data.names import FILLER_WORDS, name_words
from dext_tui.data.scope import scope_condition
from dext_tui.data.validation import practice_code_key
from dext_tui.data.viewer import Viewer

NAME_CUTOFF = 90  # token-sort ratio (0-100) of the telling words from which names are "close"
MOST_SHOWN = 5


def telling_words(name: str) -> str:
    """The words that say which client a name is, sorted: what names are compared by."""
    words = name_words(name)
    telling = [word for word in words if word not in FILLER_WORDS] or words
    return " ".join(telling)


@dataclass
class NameKeys:
    """Every visible client's name, read once, as compared: grows with `add`."""

    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    last_id: int = 0  # the highest client id read; newer clients are read at each check

    def add(self, rows: list[tuple[int, str]]) -> None:
        for client_id, name in rows:
            self.ids.append(client_id)
            self.names.append(name)
            self.keys.append(telling_words(name))
            self.last_id = max(self.last_id, client_id)


def _visible_names(connection: Connection, viewer: Viewer, after_id: int) -> list[tuple[int, str]]:
    where, params = scope_condition(viewer, scan=after_id == 0)
    rows = connection.execute(
        text("SELECT c.id, c.name FROM client c" + where + " AND c.id > :after ORDER BY c.id"),
        {**params, "after": after_id},
    )
    return [(row[0], row[1]) for row in rows]


def load_name_keys(engine: Engine, viewer: Viewer) -> NameKeys:
    """The names of every client the viewer may see, ready to compare."""
    keys = NameKeys()
    with engine.connect() as connection:
        keys.add(_visible_names(connection, viewer, 0))
    return keys


@dataclass(frozen=True)
class Duplicate:
    client_id: int
    name: str
    reasons: tuple[str, ...]  # "name", "crn", "practice_code": why it looks the same
    crn: str | None
    practice_code: str | None
    score: int  # the name's closeness, 0-100

    def sentences(self) -> list[str]:
        """What the warning says about this client, one sentence per reason."""
        said = []
        if "name" in self.reasons:
            said.append(f"A client named '{self.name}' already exists.")
        if "crn" in self.reasons:
            said.append(f"'{self.name}' has the same CRN, {self.crn}.")
        if "practice_code" in self.reasons:
            said.append(f"'{self.name}' has the same practice code, {self.practice_code}.")
        return said


def find_duplicates(
    engine: Engine,
    viewer: Viewer,
    *,
    name: str,
    crn: str | None = None,
    practice_code: str | None = None,
    names: NameKeys | None = None,
) -> list[Duplicate]:
    """The clients the viewer may see that look like the one described, closest first.

    `names`: loaded earlier with `load_name_keys`; clients added since are read now
    (and added to it). Without it every name is read now.
    """
    with engine.connect() as connection:
        if names is None:
            names = NameKeys()
        names.add(_visible_names(connection, viewer, names.last_id))
        found: dict[int, set[str]] = {}  # client id -> why it looks the same
        scores = _close_names(names, name, found)
        where, params = scope_condition(viewer)
        if crn:
            _add_found(
                found,
                "crn",
                connection.execute(
                    text("SELECT c.id FROM client c" + where + " AND c.crn = :crn"),
                    {**params, "crn": crn},
                ),
            )
        if practice_code:
            _add_found(
                found,
                "practice_code",
                connection.execute(
                    text(
                        "SELECT c.id FROM client c" + where + " AND (c.practice_code_key = :key "
                        "OR EXISTS (SELECT 1 FROM solo_account s WHERE s.client_id = c.id "
                        "AND lower(s.practice_code) = :key))"
                    ),
                    {**params, "key": practice_code_key(practice_code)},
                ),
            )
        if not found:
            return []
        # Read again in scope: what is shown is the client as it is now, and visible.
        rows = connection.execute(
            text(
                "SELECT c.id, c.name, c.crn, c.practice_code FROM client c"
                + where
                + " AND c.id IN ("
                + ", ".join(str(int(client_id)) for client_id in found)
                + ")"
            ),
            params,
        ).all()
    return _closest_first(rows, found, scores)


def _close_names(names: NameKeys, name: str, found: dict[int, set[str]]) -> dict[int, int]:
    """Clients whose names are close to `name` (added to `found`), and each one's score."""
    scores: dict[int, int] = {}
    wanted = telling_words(name) if name.strip() else ""
    if not wanted:
        return scores
    for _key, score, index in process.extract(
        wanted,
        names.keys,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=NAME_CUTOFF,
        limit=MOST_SHOWN * 4,
    ):
        client_id = names.ids[index]
        found.setdefault(client_id, set()).add("name")
        scores[client_id] = max(scores.get(client_id, 0), round(score))
    return scores


def _add_found(found: dict[int, set[str]], reason: str, result) -> None:
    for client_id in result.scalars():
        found.setdefault(client_id, set()).add(reason)


def _closest_first(rows, found: dict[int, set[str]], scores: dict[int, int]) -> list[Duplicate]:
    """The clients found, most reasons first, then closest name; at most MOST_SHOWN."""
    order = ("crn", "practice_code", "name")
    duplicates = [
        Duplicate(
            client_id=row.id,
            name=row.name,
            reasons=tuple(reason for reason in order if reason in found[row.id]),
            crn=row.crn,
            practice_code=row.practice_code,
            score=scores.get(row.id, 0),
        )
        for row in rows
    ]
    duplicates.sort(key=lambda d: (-len(d.reasons), -d.score, d.name.casefold(), d.client_id))
    return duplicates[:MOST_SHOWN]
