"""The practice's Activity log (spec 14): audit events newest first, one line per batch.

Pages are read by index, `(practice_id, id)` descending from a cursor, so the
first page costs the same at a thousand events or a million. A batch's events
are consecutive in a practice's log (every write holds the practice's change
lock while it inserts them), so grouping is a walk over neighbours; only a
batch cut by the page's end needs one count by its batch id.

Lines are said in words here ("Olivia Vale deactivated 38 clients"); a single
event's before and after are said by `field_words`, a hook the History's
words plug into.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Engine, text

from dext_tui.data.roles import Action, require
from dext_tui.data.services.writing import as_datetime
from dext_tui.data.support import PRACTICE_EVENTS, WHO_JOINS, WHO_SQL
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer

PAGE = 50
UNDONE_SUFFIX = ".undone"

# What each action did, said of its clients: "Olivia Vale deactivated 38 clients".
VERBS = {
    "client.created": "added",
    "client.updated": "edited",
    "client.deactivated": "deactivated",
    "client.reactivated": "reactivated",
    "client.removed": "removed",
    "client.restored": "restored",
    "client.deleted": "permanently deleted",
    "client.products_changed": "turned products on or off for",
    "practice_access.granted": "granted practice access to",
    "practice_access.updated": "changed practice access to",
    "practice_access.removed": "removed practice access to",
    "prepare.account_manager_set": "set the Prepare account manager of",
    "precision.imported": "imported from Precision",
    "precision.linked": "linked to Precision",
    "prepare.settings_updated": "changed Prepare settings of",
    "precision.settings_updated": "changed Precision settings of",
    "solo.updated": "edited the Solo account of",
}
# Said with the colleague they are about: "Ann Lee granted Olivia Vale access to 120 clients".
COLLEAGUE_VERBS = {
    "practice_access.granted": "granted {name} access to {clients}",
    "practice_access.removed": "revoked {name}'s access to {clients}",
    "prepare.account_manager_set": "made {name} the Prepare account manager of {clients}",
}
FIELD_LABELS = {"name": "name", "practice_code": "practice code", "crn": "CRN", "state": "state"}
HIDDEN_FIELDS = frozenset({"team_member_id", "account_manager_id"})  # ids beside their names

FieldWords = Callable[[dict, dict], list[str]]


def simple_field_words(before: dict, after: dict) -> list[str]:
    """'practice code HV0034 → HV0099', one per field (the default until History's
    change_words is plugged in)."""
    words = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new or key in HIDDEN_FIELDS:
            continue
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            words += [
                f"{product.title()}: {_said(old.get(product))} → {_said(new.get(product))}"
                for product in sorted(set(old) | set(new))
                if old.get(product) != new.get(product)
            ]
            continue
        words.append(f"{FIELD_LABELS.get(key, key.replace('_', ' '))} {_said(old)} → {_said(new)}")
    return words


def _said(value: Any) -> str:
    return "not set" if value in (None, "") else str(value)


@dataclass(frozen=True)
class ActivityFilter:
    by: int | None = None  # the colleague's team member id
    action: str | None = None  # "client.deactivated"
    client_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    search: str | None = None  # part of the client's name, any case


@dataclass(frozen=True)
class ActivityLine:
    """One batch (or one event without a batch) in words."""

    event_id: int  # its newest event; what opening it reads from
    batch_id: str | None
    at: datetime
    who: str
    action: str
    count: int
    client_id: int | None  # the client, when the line is about one
    words: str  # "Olivia Vale deactivated 38 clients"
    details: tuple[str, ...] = ()  # a single client's before → after, in words


@dataclass(frozen=True)
class ActivityPage:
    lines: tuple[ActivityLine, ...]
    next_before: int | None  # the cursor for the next (older) page; None at the end


def activity_page(
    engine: Engine,
    viewer: Viewer,
    filters: ActivityFilter = ActivityFilter(),
    *,
    before: int | None = None,
    limit: int = PAGE,
    field_words: FieldWords = simple_field_words,
) -> ActivityPage:
    """Up to `limit` lines older than the cursor `before`, newest first."""
    require(viewer, Action.ACTIVITY)
    with read_snapshot(engine) as connection:
        lines: list[ActivityLine] = []
        cursor, more = before, True
        while more and len(lines) < limit:
            cursor, more = _read_lines(
                connection, viewer, filters, cursor, limit - len(lines), field_words, lines
            )
        return ActivityPage(tuple(lines), cursor if more else None)


def _read_lines(
    connection: Connection,
    viewer: Viewer,
    filters: ActivityFilter,
    before: int | None,
    wanted: int,
    field_words: FieldWords,
    lines: list[ActivityLine],
) -> tuple[int | None, bool]:
    """Up to `wanted` more lines older than `before` onto `lines`; the new cursor, and
    whether older events may remain."""
    where, params = _conditions(viewer, filters)
    fetch = wanted * 4  # a few events per line, on average
    older = "" if before is None else " AND e.id < :before"
    rows = connection.execute(
        text(f"{_SELECT} WHERE {where}{older} ORDER BY e.id DESC LIMIT :limit"),
        {**params, "before": before, "limit": fetch},
    ).all()
    groups = [list(group) for _, group in groupby(rows, key=_group_key)]
    cursor = before
    for index, group in enumerate(groups[:wanted]):
        count, oldest = len(group), group[-1].id
        cut = index == len(groups) - 1 and len(rows) == fetch
        if cut and group[0].batch_id:  # the read ends inside this batch: count it whole
            count, oldest = _batch_extent(connection, group[0].batch_id, viewer, filters)
        lines.append(_line(group[0], count, field_words))
        cursor = oldest
    return cursor, len(groups) > wanted or len(rows) == fetch


def batch_lines(
    engine: Engine,
    viewer: Viewer,
    batch_id: str,
    *,
    limit: int = 1_000,
    field_words: FieldWords = simple_field_words,
) -> list[ActivityLine]:
    """A batch opened: one line per client, each with its before → after in words."""
    require(viewer, Action.ACTIVITY)
    with read_snapshot(engine) as connection:
        rows = connection.execute(
            text(
                f"{_SELECT} WHERE e.practice_id = :practice_id AND e.batch_id = :batch "
                "ORDER BY e.id LIMIT :limit"
            ),
            {"practice_id": viewer.practice_id, "batch": batch_id, "limit": limit},
        ).all()
    return [_line(row, 1, field_words) for row in rows]


_SELECT = (
    "SELECT e.id, e.batch_id, e.undoes_batch, e.at, e.action, e.client_id, e.before, e.after, "
    f"e.reason, {WHO_SQL} AS who, c.name AS client_name FROM audit_event e{WHO_JOINS} "
    "LEFT JOIN client c ON c.id = e.client_id"
)


def _conditions(
    viewer: Viewer, filters: ActivityFilter, *, by_practice_index: bool = True
) -> tuple[str, dict]:
    """The filters as SQL. `by_practice_index=False` keeps planners off the (practice, id)
    index (the unary plus), for a count that must walk the batch's own index instead."""
    practice = "e.practice_id" if by_practice_index else "+e.practice_id"
    where = [f"{practice} = :practice_id"]
    params: dict[str, Any] = {"practice_id": viewer.practice_id}
    for column, value, operator in (
        ("e.team_member_id", filters.by, "="),
        ("e.action", filters.action, "="),
        ("e.client_id", filters.client_id, "="),
        ("e.at", filters.since, ">="),
        ("e.at", filters.until, "<"),
    ):
        if value is not None:
            name = f"p{len(params)}"
            where.append(f"{column} {operator} :{name}")
            params[name] = value
    if filters.search and filters.search.strip():
        where.append("lower(c.name) LIKE :search ESCAPE '\\'")
        params["search"] = f"%{_escape_like(filters.search.strip().lower())}%"
    return " AND ".join(where), params


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _group_key(row: Any) -> Any:
    return row.batch_id or f"event {row.id}"


def _batch_extent(
    connection: Connection, batch_id: str, viewer: Viewer, filters: ActivityFilter
) -> tuple[int, int]:
    """How many of the batch's events match, and its oldest: one range of the batch index."""
    if filters == ActivityFilter():  # a batch is one practice's: the batch index alone
        where, params = "e.batch_id = :batch_id", {}
    else:
        where, params = _conditions(viewer, filters, by_practice_index=False)
        where += " AND e.batch_id = :batch_id"
    join = " LEFT JOIN client c ON c.id = e.client_id" if filters.search else ""
    count, oldest = connection.execute(
        text(f"SELECT COUNT(*), MIN(e.id) FROM audit_event e{join} WHERE {where}"),
        {**params, "batch_id": batch_id},
    ).one()
    return count, oldest


def _line(row: Any, count: int, field_words: FieldWords) -> ActivityLine:
    who = row.who or "Someone"
    before, after = _loaded(row.before), _loaded(row.after)
    if row.action in PRACTICE_EVENTS:  # no client: the support desk and its switch
        client, details = "", ((f"reason: {row.reason}",) if row.reason else ())
    elif count == 1:
        client = row.client_name or before.get("name") or "a deleted client"
        details = tuple(field_words(before, after)) if row.action != "client.created" else ()
    else:
        client, details = f"{count:,} clients", ()
    return ActivityLine(
        event_id=row.id,
        batch_id=row.batch_id,
        at=as_datetime(row.at),
        who=who,
        action=row.action,
        count=count,
        client_id=row.client_id if count == 1 else None,
        words=f"{who} {_doing(row.action, client, _colleague_named(row.action, before, after))}",
        details=details,
    )


def _colleague_named(action: str, before: dict, after: dict) -> str | None:
    """The colleague an access or account-manager event is about, by name (an undo's
    `before` is the undone event's `after`: the colleague it named)."""
    done = action.removesuffix(UNDONE_SUFFIX)
    if done not in COLLEAGUE_VERBS:
        return None
    said = before if action.endswith(UNDONE_SUFFIX) else after
    label = said.get("account_manager" if done.startswith("prepare.") else "team_member")
    if not isinstance(label, str) or not label:
        return None
    return label.rsplit(" <", 1)[0]


def _doing(action: str, clients: str, colleague: str | None = None) -> str:
    if action in PRACTICE_EVENTS:
        return PRACTICE_EVENTS[action]
    if action.endswith(UNDONE_SUFFIX):
        undone = action.removesuffix(UNDONE_SUFFIX)
        return (
            f"undid: {_doing(undone, clients, colleague)}"
            if undone in VERBS
            else (f"undid: changed {clients}")
        )
    if colleague is not None and action in COLLEAGUE_VERBS:
        return COLLEAGUE_VERBS[action].format(name=colleague, clients=clients)
    if action in VERBS:
        return f"{VERBS[action]} {clients}"
    return f"changed {clients} ({action.replace('_', ' ').replace('.', ': ')})"


def _loaded(value: str | None) -> dict:
    try:
        loaded = json.loads(value) if value else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True)
class Colleague:
    team_member_id: int
    name: str
    email: str


def activity_colleagues(engine: Engine, viewer: Viewer) -> list[Colleague]:
    """Everyone in the practice (active or not: their changes stay in the log), by name:
    what Activity's colleague filter offers."""
    require(viewer, Action.ACTIVITY)
    with read_snapshot(engine) as connection:
        rows = connection.execute(
            text("SELECT id, name, email FROM team_member WHERE practice_id = :p"),
            {"p": viewer.practice_id},
        ).all()
    return sorted((Colleague(*row) for row in rows), key=lambda c: (c.name.casefold(), c.email))
