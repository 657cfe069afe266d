"""Undo the viewer's last change or batch (spec 14): a new audited batch putting the
before values back, linked to the batch it undoes.

A client someone changed since the batch is refused, naming who and when: its
later audit event says so. `preview_undo` shows what can and cannot be undone;
`apply_undo` undoes exactly that, checked again under the write lock
(StaleBatch with the new preview otherwise), so a partial undo is never silent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from dext_tui.data.errors import NotAllowed
from dext_tui.data.roles import Action, access_refusal_for, require
from dext_tui.data.services.batches import (
    ClientWrite,
    clients_in_scope,
    ids_in,
    json_or_empty,
    write_batch,
)
from dext_tui.data.services.bulk_actions import ACCOUNT_MANAGER_SET, OUTSIDE_ACCESS, StaleBatch
from dext_tui.data.services.writing import (
    ChangeResult,
    ClientChange,
    Clock,
    as_datetime,
    utc_now,
    writing,
)
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.validation import practice_code_key, sort_key
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import ACCESS_TOGGLES

# What undoing each action amounts to, as the role table names it.
UNDO_NEEDS = {
    "client.deactivated": Action.REACTIVATE,
    "client.reactivated": Action.DEACTIVATE,
    "client.removed": Action.RESTORE,
    "client.restored": Action.REMOVE,
    "client.updated": Action.EDIT_DETAILS,
    "practice_access.granted": Action.PRACTICE_ACCESS,
    "practice_access.removed": Action.PRACTICE_ACCESS,
    ACCOUNT_MANAGER_SET: Action.PRACTICE_ACCESS,
}
ACCESS_EVENTS = frozenset({"practice_access.granted", "practice_access.removed"})
DETAILS = frozenset({"name", "practice_code", "crn"})  # the client.updated fields undone
UNDONE_SUFFIX = ".undone"  # "client.deactivated.undone"


def undoable_change(action: str, before: Mapping[str, Any]) -> bool:
    """Whether undo can put back one audited change (`before`: the fields it changed):
    the actions of UNDO_NEEDS, and of a client's details only the DETAILS. Never a
    permanent delete, a product change or a settings page."""
    return action in UNDO_NEEDS and (action != "client.updated" or set(before) <= DETAILS)


def undoable(changes: Iterable[ClientChange]) -> bool:
    """Whether the undo key would put back what a service just wrote (its
    `ChangeResult.changes`): something was written and every change of it is undoable.
    The one rule both the screens (offering undo) and `preview_undo` (refusing) follow."""
    changes = list(changes)
    return bool(changes) and all(undoable_change(c.action, c.before) for c in changes)


def put_back(count: int) -> str:
    """ "1 client" / "2,000 clients": what an undo speaks of."""
    return f"{count:,} client{'' if count == 1 else 's'}"


def was(count: int) -> str:
    return "it was" if count == 1 else "they were"


@dataclass(frozen=True)
class UndoPreview:
    """What undoing `batch_id` would do now; equal previews: nothing moved between them."""

    batch_id: str
    will_undo: tuple[int, ...]
    refused: dict[str, tuple[int, ...]]  # reason ("changed since by …") -> clients
    versions: dict[int, int]

    def lines(self) -> list[str]:
        lines = [f"{put_back(len(self.will_undo))} will be put back as {was(len(self.will_undo))}"]
        lines += [f"{len(ids):,} cannot be undone: {why}" for why, ids in self.refused.items()]
        return lines


def preview_undo(engine: Engine, viewer: Viewer, batch_id: str) -> UndoPreview:
    """What undoing the viewer's batch would put back, and what it cannot (and why)."""
    with read_snapshot(engine) as connection:
        preview, _ = _sort(connection, viewer, batch_id)
    return preview


def apply_undo(
    engine: Engine, viewer: Viewer, preview: UndoPreview, *, clock: Clock = utc_now
) -> ChangeResult:
    """The clients of `preview.will_undo` put back in one transaction, as a new batch whose
    events name the undone one; StaleBatch (nothing written) if the preview no longer holds."""
    with writing(engine, viewer, clock) as writer:
        writer.undoes_batch = preview.batch_id
        fresh, writes = _sort(writer.connection, writer.viewer, preview.batch_id)
        if fresh != preview:
            raise StaleBatch(fresh)
        try:
            write_batch(writer, writes)
        except IntegrityError:  # a practice code put back is now another client's
            if not any("practice_code" in write.columns for write in writes):
                raise
            raise NotAllowed(
                "A practice code to put back is now used by another client; nothing was undone."
            ) from None
        return writer.result()


def last_batch_of(engine: Engine, viewer: Viewer, *, since: datetime | None = None) -> str | None:
    """The viewer's latest batch in the log; with `since`, only one written from then on
    (a session's: the TUI's undo key never reaches back into an earlier session)."""
    query = text(
        "SELECT batch_id FROM audit_event "
        f"WHERE practice_id = :p AND {_author_column(viewer)} = :m "
        f"AND batch_id IS NOT NULL{'' if since is None else ' AND at >= :since'} "
        "ORDER BY id DESC LIMIT 1"
    )
    params: dict[str, Any] = {"p": viewer.practice_id, "m": _author_id(viewer)}
    if since is not None:  # bound as the writer binds `at` (on SQLite: the same text form)
        params["since"] = since.astimezone(UTC)
    with read_snapshot(engine) as connection:
        return connection.execute(query, params).scalar()


def _author_column(viewer: Viewer) -> str:
    """Who wrote an event: a team member, or a support person on behalf of the practice."""
    return "support_person_id" if viewer.is_support else "team_member_id"


def _author_id(viewer: Viewer) -> int | None:
    return viewer.support_person_id if viewer.is_support else viewer.team_member_id


def _sort(
    connection: Connection, viewer: Viewer, batch_id: str
) -> tuple[UndoPreview, list[ClientWrite]]:
    events = _batch_events(connection, viewer, batch_id)
    for action in {event.action for event in events}:
        require(viewer, UNDO_NEEDS[action])
    last_id = max(event.id for event in events)
    ids = list(dict.fromkeys(event.client_id for event in events))
    clients = clients_in_scope(connection, viewer, ids)
    changed_since = _changed_since(connection, viewer, [i for i in ids if i in clients], last_id)
    refused: dict[str, list[int]] = {}
    will_undo: list[int] = []
    for client_id in ids:
        reason = OUTSIDE_ACCESS if client_id not in clients else changed_since.get(client_id)
        if reason:
            refused.setdefault(reason, []).append(client_id)
        else:
            will_undo.append(client_id)
    preview = UndoPreview(
        batch_id,
        tuple(will_undo),
        {reason: tuple(group) for reason, group in refused.items()},
        {client_id: clients[client_id].version for client_id in ids if client_id in clients},
    )
    by_client: dict[int, list[Any]] = {}
    for event in events:
        by_client.setdefault(event.client_id, []).append(event)
    reactivated = [i for i in will_undo if by_client[i][-1].action == "client.reactivated"]
    deactivated_at = _last_deactivations(connection, reactivated)
    members = _colleagues_named(connection, viewer, events)
    writes = [
        _putting_back(
            clients[client_id], by_client[client_id], deactivated_at.get(client_id), members
        )
        for client_id in will_undo
    ]
    return preview, writes


def _colleagues_named(connection: Connection, viewer: Viewer, events: list[Any]) -> dict[str, int]:
    """The colleague of each access event, by its label: bulk events carry the id, a
    one-client event only "Name <email>", read back by email (NotAllowed if they left)."""
    members: dict[str, int] = {}
    for event in events:
        if event.action not in ACCESS_EVENTS:
            continue
        before = json_or_empty(event.before)
        label = before.get("team_member", "")
        if label in members:
            continue
        member_id = before.get("team_member_id")
        email = label.rsplit(" <", 1)[-1].removesuffix(">")
        member = connection.execute(
            text(
                "SELECT id, role FROM team_member WHERE practice_id = :p "
                f"AND {'id = :id' if member_id is not None else 'email = :e'}"
            ),
            {"p": viewer.practice_id, "id": member_id, "e": email},
        ).first()
        if member is None:
            raise NotAllowed(f"{label} is no longer a team member here; nothing was undone.")
        if refusal := access_refusal_for(viewer, member.role):
            raise NotAllowed(refusal)
        member_id = member.id
        members[label] = member_id
    return members


def _batch_events(connection: Connection, viewer: Viewer, batch_id: str) -> list[Any]:
    """The batch's events, if the viewer made it and it can be undone; else NotAllowed."""
    events = connection.execute(
        text(
            "SELECT id, client_id, action, before, after, team_member_id, support_person_id "
            "FROM audit_event "
            "WHERE batch_id = :batch AND practice_id = :p ORDER BY id"
        ),
        {"batch": batch_id, "p": viewer.practice_id},
    ).all()
    if not events:
        raise NotAllowed("There is no such change to undo.")
    if any(getattr(event, _author_column(viewer)) != _author_id(viewer) for event in events):
        raise NotAllowed("Only the person who made a change can undo it.")
    if any(event.action == "client.deleted" for event in events):
        raise NotAllowed("A client deleted permanently cannot be brought back: it is not undoable.")
    for event in events:
        if not undoable_change(event.action, json_or_empty(event.before)):
            raise NotAllowed(f"This change ({event.action}) cannot be undone.")
    undone = connection.execute(
        text("SELECT 1 FROM audit_event WHERE undoes_batch = :batch LIMIT 1"), {"batch": batch_id}
    ).first()
    if undone:
        raise NotAllowed("That change has already been undone.")
    return events


def _changed_since(
    connection: Connection, viewer: Viewer, ids: list[int], last_id: int
) -> dict[int, str]:
    """Each client changed by a later event: 'changed since by NAME at TIME' (the latest).
    Read along the practice's log after the batch (the unary plus keeps planners off the
    client index, which would walk every client's whole history)."""
    among, wanted = ids_in(connection, "+e.client_id", ids)
    statement = text(
        "SELECT e.client_id, m.name, e.at FROM audit_event e "
        "LEFT JOIN team_member m ON m.id = e.team_member_id "
        f"WHERE e.practice_id = :p AND e.id > :last AND {among} ORDER BY e.id"
    )
    reasons: dict[int, str] = {}
    params = {"p": viewer.practice_id, "last": last_id, **wanted}
    for client_id, name, at in connection.execute(statement, params):
        when = as_datetime(at)
        reasons[client_id] = (
            f"changed since by {name or 'someone else'} at {when:%H:%M on %d %b %Y}"
        )
    return reasons


def _last_deactivations(connection: Connection, ids: list[int]) -> dict[int, datetime]:
    """When each client was last deactivated: what undoing its reactivation puts back."""
    among, wanted = ids_in(connection, "client_id", ids)
    statement = text(
        "SELECT client_id, MAX(at) FROM audit_event WHERE action = 'client.deactivated' "
        f"AND {among} GROUP BY client_id"
    )
    return {client_id: as_datetime(at) for client_id, at in connection.execute(statement, wanted)}


def _putting_back(
    client: Any, events: list[Any], deactivated_at: datetime | None, members: dict[str, int]
) -> ClientWrite:
    """The client's values before the batch: the earliest `before` of each field wins."""
    last = events[-1]
    if last.action in ACCESS_EVENTS or last.action == ACCOUNT_MANAGER_SET:
        return _access_put_back(client, last, members)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for event in reversed(events):
        before.update(json_or_empty(event.before))
    for event in events:
        after.update(json_or_empty(event.after))
    columns: dict[str, Any] = {}
    if "state" in before:
        columns["state"] = before["state"]
        if before["state"] == "active":
            columns["deactivated_at"] = None
        elif before["state"] == "deactivated" and client.state == "active":
            columns["deactivated_at"] = deactivated_at
    if "name" in before:
        columns["name"], columns["sort_name"] = before["name"], sort_key(before["name"])
    if "practice_code" in before:
        code = before["practice_code"]
        columns["practice_code"], columns["practice_code_key"] = code, practice_code_key(code)
    if "crn" in before:
        columns["crn"] = before["crn"]
    products = before.get("products") or {}
    action = events[-1].action + UNDONE_SUFFIX
    return ClientWrite(client, action, columns, dict(products), after, before)


def _access_put_back(client: Any, event: Any, members: dict[str, int]) -> ClientWrite:
    """A colleague's access row (or the Prepare account manager) as it was before."""
    before, after = json_or_empty(event.before), json_or_empty(event.after)
    action = event.action + UNDONE_SUFFIX
    if event.action == ACCOUNT_MANAGER_SET:
        manager = {"account_manager_id": before.get("account_manager_id")}
        return ClientWrite(client, action, {}, before=after, after=before, prepare=manager)
    member_id = members[before.get("team_member", "")]
    if event.action == "practice_access.granted":  # undone: the row taken away again
        return ClientWrite(client, action, {}, before=after, after=before, access=(member_id, None))
    toggles = {name: bool(before.get(name, False)) for name in ACCESS_TOGGLES}
    return ClientWrite(client, action, {}, before=after, after=before, access=(member_id, toggles))
