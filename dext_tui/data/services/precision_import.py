"""Importing Precision clients onto the client list (spec section 8).

`load_import` reads, in one snapshot, the source clients still waiting (state
`pending` or `set_up_later`) and the Prepare clients they may be linked to
(in the viewer's scope, active, with a Prepare account and no Precision
account), then proposes matches (`precision_matching`).

`apply_import` applies every row's action in one transaction, all or nothing:
Link gives the Prepare client an active Precision account; Import as new makes
a client with Precision active and Prepare not set up; Set up later keeps the
row waiting for next time. Linked and new clients get one audit event each.
Set-up-later rows change no client, so they write no audit event: the source
row's state remembers them, and an event for no client would make every open
list reload everything.

Two people importing at once: every writer of a practice holds its change
lock (`writing`), and the rows are re-read under it, so the second import
finds the rows taken (or the Prepare client given a Precision account) and is
refused whole, writing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, Engine, Row, bindparam, func, or_, select, text, update

from dext_tui.data.client_rows import CLIENT_ROW_SELECT, ClientRows, read_tolerantly
from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.gc_pause import collector_paused
from dext_tui.data.models import Client, Practice, PrecisionAccount, PrecisionSourceClient
from dext_tui.data.precision_matching import Progress, Proposal, match_sources
from dext_tui.data.roles import Action, refusal, require
from dext_tui.data.scope import scope_condition
from dext_tui.data.services.access_grants import grant_access
from dext_tui.data.services.clients import refusal_to_add
from dext_tui.data.services.writing import (
    ChangeResult,
    ClientChange,
    Clock,
    Writer,
    utc_now,
    writing,
)
from dext_tui.data.validation import (
    ValidationError,
    normalize_client_name,
    normalize_crn,
    sort_key,
)
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRECISION_SOFTWARE

WAITING_STATES = ("pending", "set_up_later")
LATER, LINK, NEW = "later", "link", "new"
ACTIONS = (LATER, LINK, NEW)
ACTION_LABELS = {
    LATER: "Set up later",
    LINK: "Link to Prepare client",
    NEW: "Import as new client",
}
IMPORTED_ACTION = "precision.imported"  # audit: a new client from a Precision client
LINKED_ACTION = "precision.linked"  # audit: a Prepare client given the Precision account
_CHUNK = 5000  # ids per IN list
_FETCH_CHUNK = 1000


@dataclass
class SourceClients:
    """The waiting Precision source clients, column by column, in name order."""

    ids: np.ndarray
    names: list[str]
    crns: list[str]
    software: list[str]
    states: list[str]

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class ImportData:
    """What the import screen works from, read in one snapshot."""

    sources: SourceClients
    candidates: ClientRows  # eligible Prepare clients, in name order
    proposals: list[Proposal | None] = field(default_factory=list)  # one per source


@dataclass(frozen=True)
class ImportChoice:
    """One row's action; `client_id` is the Prepare client a LINK row joins."""

    source_id: int
    action: str
    client_id: int | None = None


# -- reading --------------------------------------------------------------------
_SOURCES = """
SELECT id, name, COALESCE(crn, ''), COALESCE(software, ''), import_state
FROM precision_source_client
WHERE practice_id = :practice_id AND import_state IN ('pending', 'set_up_later')
"""


def _eligible_condition(viewer: Viewer) -> tuple[str, dict]:
    """Clients a source may be linked to: in scope, active, with a live Prepare
    account and no Precision account (of any status)."""
    where, params = scope_condition(viewer)
    return (
        where + " AND c.state = 'active' AND p.status IN ('active', 'invited') "
        "AND pr.client_id IS NULL",
        params,
    )


def _read(connection: Connection, viewer: Viewer) -> tuple[SourceClients, ClientRows]:
    rows = connection.execute(text(_SOURCES), {"practice_id": viewer.practice_id}).all()
    rows.sort(key=lambda row: (sort_key(row[1]), row[0]))
    columns = list(zip(*rows, strict=True)) if rows else [()] * 5
    sources = SourceClients(
        ids=np.array(columns[0], dtype=np.int64),
        names=list(columns[1]),
        crns=list(columns[2]),
        software=list(columns[3]),
        states=list(columns[4]),
    )
    where, params = _eligible_condition(viewer)
    result = connection.execute(
        text(CLIENT_ROW_SELECT + where + " ORDER BY c.sort_name, c.id"), params
    )
    tuples: list = []
    # In chunks: between them the UI thread gets the interpreter back.
    while chunk := result.fetchmany(_FETCH_CHUNK):
        tuples += chunk
    return sources, ClientRows.from_tuples(tuples)


def load_waiting(engine: Engine, viewer: Viewer) -> tuple[SourceClients, ClientRows]:
    """The waiting source clients and the eligible Prepare clients, in one snapshot."""
    return read_tolerantly(engine, lambda connection: _read(connection, viewer))


def load_import(engine: Engine, viewer: Viewer, progress: Progress | None = None) -> ImportData:
    """The waiting rows, the eligible Prepare clients and a proposal per row (with the
    garbage collector paused: its full passes over 100k fresh rows stall the UI)."""
    with collector_paused():
        sources, candidates = load_waiting(engine, viewer)
        proposals = match_sources(
            sources.names,
            sources.crns,
            candidates.ids,
            candidates.names,
            candidates.crns,
            progress,
        )
    return ImportData(sources, candidates, proposals)


def default_choices(data: ImportData) -> list[ImportChoice]:
    """Every row's starting action: Link where a match is proposed, else Set up later."""
    return [
        ImportChoice(int(source_id), LINK, proposal.client_id)
        if proposal
        else ImportChoice(int(source_id), LATER)
        for source_id, proposal in zip(data.sources.ids.tolist(), data.proposals, strict=True)
    ]


# -- writing --------------------------------------------------------------------
def _check_choices(choices: Sequence[ImportChoice]) -> None:
    problems = []
    seen_sources: set[int] = set()
    linked: set[int] = set()
    for choice in choices:
        if choice.action not in ACTIONS:
            problems.append(f"unknown action {choice.action!r}")
        if choice.source_id in seen_sources:
            problems.append(f"Precision client {choice.source_id} is listed twice")
        seen_sources.add(choice.source_id)
        if choice.action == LINK:
            if choice.client_id is None:
                problems.append("a row set to Link has no Prepare client chosen")
            elif choice.client_id in linked:
                problems.append("two rows are linked to the same Prepare client")
            else:
                linked.add(choice.client_id)
    if problems:
        raise InvalidInput([ValidationError("choices", f"Nothing was imported: {problems[0]}.")])


def _chunks(values: list[int]):
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _select_in(connection: Connection, sql: str, ids: list[int], params: dict) -> list:
    query = text(sql).bindparams(bindparam("ids", expanding=True))
    found: list = []
    for chunk in _chunks(ids):
        found += connection.execute(query, {**params, "ids": chunk}).all()
    return found


def _names(rows: Sequence, limit: int = 3) -> str:
    shown = ", ".join(f"“{row.name}”" for row in rows[:limit])
    more = len(rows) - limit
    return shown + (f" and {more:,} more" if more > 0 else "")


def _waiting_sources(writer: Writer, choices: Sequence[ImportChoice]) -> dict[int, Row]:
    """The chosen source rows, re-read under the practice's change lock: every one must
    still be waiting, else someone else imported it meanwhile and nothing is written."""
    ids = [choice.source_id for choice in choices]
    rows = _select_in(
        writer.connection,
        "SELECT id, name, crn, software, import_state FROM precision_source_client "
        "WHERE practice_id = :practice_id AND id IN :ids",
        ids,
        {"practice_id": writer.viewer.practice_id},
    )
    by_id = {row.id: row for row in rows}
    gone = [source_id for source_id in ids if source_id not in by_id]
    if gone:
        raise NotAllowed(
            "Some of these Precision clients no longer exist; nothing was imported. "
            "Reopen Import Precision Clients to see what is waiting."
        )
    taken = [by_id[i] for i in ids if by_id[i].import_state not in WAITING_STATES]
    if taken:
        raise NotAllowed(
            f"Someone else imported {_names(taken)} after you opened this screen; nothing "
            "was imported. Reopen Import Precision Clients to see what is still waiting."
        )
    return by_id


def _link_targets(writer: Writer, client_ids: list[int]) -> dict[int, Row]:
    """The Prepare clients to link, as stored now: each still eligible, else refused."""
    where, params = scope_condition(writer.viewer, include_removed=True)
    rows = _select_in(
        writer.connection,
        "SELECT c.id, c.name, c.state, c.version, p.status AS prepare, "
        "pr.status AS precision FROM client c "
        "LEFT JOIN prepare_account p ON p.client_id = c.id "
        "LEFT JOIN precision_account pr ON pr.client_id = c.id" + where + " AND c.id IN :ids",
        client_ids,
        params,
    )
    by_id = {row.id: row for row in rows}
    if any(client_id not in by_id for client_id in client_ids):
        raise NotAllowed(
            "A Prepare client chosen for linking no longer exists or is not shared with "
            "you; nothing was imported. Choose another client for that row."
        )
    has_precision = [row for row in rows if row.precision is not None]
    if has_precision:
        raise NotAllowed(
            f"{_names(has_precision)} got a Precision account after you opened this screen; "
            "nothing was imported. Choose another client for "
            + ("that row." if len(has_precision) == 1 else "those rows.")
        )
    unfit = [
        row for row in rows if row.state != "active" or row.prepare not in ("active", "invited")
    ]
    if unfit:
        raise NotAllowed(
            f"{_names(unfit)} is no longer an active Prepare client; nothing was imported. "
            "Choose another client for that row."
        )
    return by_id


def _new_client_values(sources: Sequence) -> list[dict]:
    """Name and CRN of each new client, checked as any new client's are."""
    values, problems = [], []
    for source in sources:
        try:
            values.append(
                {"name": normalize_client_name(source.name), "crn": normalize_crn(source.crn)}
            )
        except ValidationError as error:
            problems.append(f"“{source.name}”: {error.message}")
    if problems:
        more = f" (and {len(problems) - 1:,} more)" if len(problems) > 1 else ""
        raise InvalidInput(
            [
                ValidationError(
                    "choices",
                    f"Nothing was imported: {problems[0]}{more}. Set that row to "
                    "Set up later, or link it to a Prepare client.",
                )
            ]
        )
    return values


def _check_room(writer: Writer, new_count: int) -> None:
    """The viewer may import as new (add clients), and the bundle has room for all of them."""
    reason = refusal(writer.viewer, Action.IMPORT_AS_NEW) or refusal_to_add(
        writer.connection, writer.viewer, ["precision"]
    )
    if reason:
        raise NotAllowed(f"{reason} Nothing was imported.")
    practice, client = Practice.__table__, Client.__table__
    active_clients = (
        select(func.count())
        .where(client.c.practice_id == practice.c.id, client.c.state == "active")
        .scalar_subquery()
    )
    limit, active = writer.connection.execute(
        select(practice.c.client_bundle_limit, active_clients).where(
            practice.c.id == writer.viewer.practice_id
        )
    ).one()
    if active + new_count > limit:
        raise NotAllowed(
            f"The client bundle has room for {limit - active:,} more active client(s) "
            f"({active:,} of {limit:,}); importing {new_count:,} as new would pass it. "
            "Nothing was imported: link or set up later some rows, or raise the limit."
        )


def _software(value: str | None) -> str | None:
    return value if value in PRECISION_SOFTWARE else None


def _insert_new_clients(writer: Writer, values: list[dict]) -> list[int]:
    """The new clients, in one statement per batch; their ids in the order given."""
    table = Client.__table__
    rows = [
        {
            "practice_id": writer.viewer.practice_id,
            "name": value["name"],
            "sort_name": sort_key(value["name"]),
            "crn": value["crn"],
            "state": "active",
            "created_at": writer.now,
            "updated_at": writer.now,
            "version": 1,
        }
        for value in values
    ]
    if not rows:
        return []
    result = writer.connection.execute(
        table.insert().returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def _give_precision_accounts(writer: Writer, accounts: list[tuple[int, str | None]]) -> None:
    if accounts:
        writer.connection.execute(
            PrecisionAccount.__table__.insert(),
            [
                {"client_id": client_id, "status": "active", "software": _software(software)}
                for client_id, software in accounts
            ],
        )


def _mark_sources(writer: Writer, updates: list[dict]) -> None:
    """Each source row's new state, only while it is still waiting."""
    # Core: no slower than the raw UPDATE it replaced, within the noise of a loaded machine
    # (benchmarks/core_update.py, 100,000 rows on SQLite, load ~6.6 on 2 cores: raw 933/769 ms,
    # Core 1,273/779 ms, the first Core run compiling the statement).
    if updates:
        sources = PrecisionSourceClient.__table__
        waiting = or_(sources.c.import_state == "pending", sources.c.import_state == "set_up_later")
        writer.connection.execute(
            update(sources)
            .where(sources.c.id == bindparam("source_id"), waiting)
            .values(import_state=bindparam("state"), client_id=bindparam("new_client_id")),
            updates,
        )


def apply_import(
    engine: Engine, viewer: Viewer, choices: Sequence[ImportChoice], clock: Clock = utc_now
) -> ChangeResult:
    """Every row's action in one transaction; nothing is written if any row cannot be."""
    _check_choices(choices)
    links = [choice for choice in choices if choice.action == LINK]
    news = [choice for choice in choices if choice.action == NEW]
    with collector_paused(), writing(engine, viewer, clock) as writer:
        sources = _waiting_sources(writer, choices)
        _check_may_import(writer, links, news)
        targets = (
            _link_targets(writer, [c.client_id for c in links if c.client_id]) if links else {}
        )
        new_values = _new_client_values([sources[c.source_id] for c in news])
        if news:
            _check_room(writer, len(news))
        new_ids = _insert_new_clients(writer, new_values)
        _give_precision_accounts(writer, _accounts(sources, links, news, new_ids))
        if news and not writer.viewer.sees_all_clients:  # a standard user keeps sight of them
            grant_access(writer, writer.viewer.team_member_id, new_ids, {"data_health": True})
        _bump_linked_versions(writer, targets)
        writer.record_many(
            _link_changes(sources, targets, links)
            + _import_changes(sources, news, new_ids, new_values)
        )
        _mark_sources(writer, _source_states(sources, choices, links, news, new_ids))
        return writer.result()


def _check_may_import(writer: Writer, links: list[ImportChoice], news: list[ImportChoice]) -> None:
    """Linking needs its right (a standard user links only to clients in their scope:
    _link_targets); linking or importing needs Precision in the subscription."""
    if links:
        require(writer.viewer, Action.LINK_PRECISION)
    if links or news:
        practice = Practice.__table__
        practice_has_precision = writer.connection.execute(
            select(practice.c.has_precision).where(practice.c.id == writer.viewer.practice_id)
        ).scalar_one()
        if not practice_has_precision:
            raise NotAllowed(
                "The practice's subscription does not include Precision; nothing was imported."
            )


def _accounts(
    sources: dict[int, Row], links: list[ImportChoice], news: list[ImportChoice], new_ids: list[int]
) -> list[tuple[int, str | None]]:
    """(client id, software) of each Precision account to give: linked, then new."""
    accounts = [(c.client_id, sources[c.source_id].software) for c in links]
    accounts += [
        (client_id, sources[c.source_id].software)
        for c, client_id in zip(news, new_ids, strict=True)
    ]
    return accounts


def _bump_linked_versions(writer: Writer, targets: dict[int, Row]) -> None:
    """Each linked client changed: its version goes up (only from the version read).
    Raw SQL: Core's SQLite DateTime would store `now` without the UTC offset that the
    client rows' other writes store (see clients.insert_client)."""
    if targets:
        writer.connection.execute(
            text(
                "UPDATE client SET version = version + 1, updated_at = :now "
                "WHERE id = :id AND version = :version"
            ),
            [{"now": writer.now, "id": row.id, "version": row.version} for row in targets.values()],
        )


def _link_changes(
    sources: dict[int, Row], targets: dict[int, Row], links: list[ImportChoice]
) -> list[ClientChange]:
    changes = []
    for choice in links:
        source, target = sources[choice.source_id], targets[choice.client_id]
        changes.append(
            ClientChange(
                target.id,
                LINKED_ACTION,
                {"products": {"precision": "not_set_up"}},
                {
                    "products": {"precision": "active"},
                    "precision_client": source.name,
                    "software": _software(source.software),
                },
                target.version + 1,
            )
        )
    return changes


def _import_changes(
    sources: dict[int, Row], news: list[ImportChoice], new_ids: list[int], new_values: list[dict]
) -> list[ClientChange]:
    changes = []
    for choice, client_id, value in zip(news, new_ids, new_values, strict=True):
        source = sources[choice.source_id]
        changes.append(
            ClientChange(
                client_id,
                IMPORTED_ACTION,
                {},
                {
                    **value,
                    "products": {"precision": "active"},
                    "software": _software(source.software),
                },
                1,
            )
        )
    return changes


def _source_states(
    sources: dict[int, Row],
    choices: Sequence[ImportChoice],
    links: list[ImportChoice],
    news: list[ImportChoice],
    new_ids: list[int],
) -> list[dict]:
    """Each source row's new state: linked, imported, or set up later (if it was pending)."""
    updates = [
        {"source_id": c.source_id, "state": "linked", "new_client_id": c.client_id} for c in links
    ]
    updates += [
        {"source_id": c.source_id, "state": "imported", "new_client_id": client_id}
        for c, client_id in zip(news, new_ids, strict=True)
    ]
    updates += [
        {"source_id": c.source_id, "state": "set_up_later", "new_client_id": None}
        for c in choices
        if c.action == LATER and sources[c.source_id].import_state == "pending"
    ]
    return updates
