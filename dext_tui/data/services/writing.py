"""One write transaction: the practice's change lock, the viewer re-checked, audit events.

Every service opens `writing(...)`. It bumps the practice's `change_seq` first:
that row lock orders all writers of a practice (PostgreSQL holds it to commit;
SQLite's BEGIN IMMEDIATE already serialises writers), so sequence numbers
follow commit order and the live list's change feed can never skip one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text, update

from dext_tui.data.change_listener import CHANNEL as CHANGE_CHANNEL
from dext_tui.data.database_file import changed_file
from dext_tui.data.errors import DatabaseFileReplaced, NotAllowed
from dext_tui.data.identity import Viewer, reread_viewer
from dext_tui.data.support import current_support_viewer, stamp_support
from dext_tui.data.transactions import write_lock

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientChange:
    """One audited change to one client: `before` and `after` hold the fields that changed."""

    client_id: int
    action: str
    before: dict
    after: dict
    version: int | None  # the client's new version; None once it is deleted


@dataclass(frozen=True)
class ChangeResult:
    """What a service changed, so the screen can update exactly those rows."""

    seq: int  # the practice's change_seq after this transaction (0: nothing written)
    changes: tuple[ClientChange, ...] = ()
    batch_id: str | None = None  # what Undo puts back; None when nothing was written

    @property
    def client_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(change.client_id for change in self.changes))

    def version_of(self, client_id: int) -> int | None:
        versions = [c.version for c in self.changes if c.client_id == client_id]
        return versions[-1] if versions else None


def new_batch_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Writer:
    """The open transaction a service works in."""

    connection: Connection
    viewer: Viewer
    now: datetime
    seq: int
    changes: list[ClientChange] = field(default_factory=list)
    # Every audit event of the transaction shares it: Undo and Activity treat one
    # change and a bulk change alike, as one batch.
    batch_id: str = field(default_factory=new_batch_id)
    undoes_batch: str | None = None  # set by an undo: the batch it puts back

    def record(
        self, client_id: int, action: str, before: dict, after: dict, version: int | None
    ) -> None:
        """Write the audit event for one change (who, when, what, before and after)."""
        self.record_many([ClientChange(client_id, action, before, after, version)])

    def record_many(self, changes: list[ClientChange]) -> None:
        """One audit event per change, in one statement (a bulk import or upload)."""
        if not changes:
            return
        # Raw SQL: Core's SQLite DateTime would store `at` without its UTC offset, unlike
        # every event written before.
        self.connection.execute(
            text(
                "INSERT INTO audit_event "
                "(practice_id, seq, at, team_member_id, client_id, action, before, after, "
                "batch_id, undoes_batch) VALUES (:practice_id, :seq, :at, :member, :client_id, "
                ":action, :before, :after, :batch_id, :undoes_batch)"
            ),
            [
                {
                    "practice_id": self.viewer.practice_id,
                    "seq": self.seq,
                    "at": self.now,
                    "member": self.viewer.team_member_id,
                    "client_id": change.client_id,
                    "action": change.action,
                    "before": _json(change.before),
                    "after": _json(change.after),
                    "batch_id": self.batch_id,
                    "undoes_batch": self.undoes_batch,
                }
                for change in changes
            ],
        )
        self.changes.extend(changes)

    def result(self) -> ChangeResult:
        return ChangeResult(self.seq, tuple(self.changes), self.batch_id if self.changes else None)


def as_datetime(value: datetime | str | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (raw SQL on SQLite hands back naive text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _json(values: dict) -> str:
    return json.dumps(values, default=str, sort_keys=True, ensure_ascii=False)


def _current_viewer(connection: Connection, viewer: Viewer, now: datetime) -> Viewer:
    """The viewer as the database has them now: a role changed or an account closed
    since the app started applies to this write (for support: identity still active,
    the practice's support access still on, elevation unexpired at `now`)."""
    if viewer.is_support:
        return current_support_viewer(connection, viewer, now)
    current = reread_viewer(connection, viewer)
    if current is None:
        raise NotAllowed(f"{viewer.email} is no longer an active team member; nothing was saved.")
    return current


@contextmanager
def writing(engine: Engine, viewer: Viewer, clock: Clock = utc_now) -> Iterator[Writer]:
    """One transaction for one service call; commits when the block ends without error
    and the database file is still the one at its path (else rolls back)."""
    # Imported here: the list imports this module (ChangeResult) at start, before the ORM.
    from dext_tui.data.models import Practice

    practice = Practice.__table__
    with write_lock(engine) as connection:
        seq = connection.execute(
            update(practice)
            .where(practice.c.id == viewer.practice_id)
            .values(change_seq=practice.c.change_seq + 1, change_numbered=True)
            .returning(practice.c.change_seq)
        ).scalar_one()
        now = clock()
        writer = Writer(connection, _current_viewer(connection, viewer, now), now, seq)
        yield writer
        if viewer.is_support:  # on behalf of the practice: the person and their reason
            stamp_support(connection, viewer, writer.batch_id)
        # Numbered once: the triggers reused this number until here (never seen committed).
        connection.execute(
            update(practice)
            .where(practice.c.id == viewer.practice_id)
            .values(change_numbered=False)
        )
        if connection.dialect.name == "postgresql":
            # Wakes listening lists at commit (change_listener.py), as the triggers do
            # for other writers: they skip it for a change a service numbered itself.
            connection.execute(
                text("SELECT pg_notify(:channel, :practice_id)"),
                {"channel": CHANGE_CHANNEL, "practice_id": str(viewer.practice_id)},
            )
        if (path := changed_file(engine)) is not None:
            raise DatabaseFileReplaced(path)
