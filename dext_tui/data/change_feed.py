"""What changed since the list was read: the practice's change counter, its audit events
and the clients the database's own triggers recorded.

Every write transaction bumps `practice.change_seq` under a row lock: the services
stamp their audit events with the new number (`services/writing.py`), and triggers
on the client tables (migration 0005) append the clients any writer changed, plain
SQL included, to `client_change` with it. Numbers follow commit order, so checking
for news is one primary-key read, and the clients to re-read are those numbered
above what the list has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from dext_tui.data.database_file import check_same_file
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer

# Past this many changed clients, one full re-read is cheaper than patching.
MAX_PATCHED_CLIENTS = 5_000


@dataclass(frozen=True)
class Changes:
    seq: int  # the newest change number now
    client_ids: tuple[int, ...] = ()
    everything: bool = False  # too many, or a change not tied to one client: reload it all

    @property
    def any(self) -> bool:
        return self.everything or bool(self.client_ids)


def current_change_seq(engine: Engine, practice_id: int) -> int:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT change_seq FROM practice WHERE id = :id"), {"id": practice_id}
        ).scalar_one()


def changes_since(engine: Engine, viewer: Viewer, seen: int) -> Changes:
    """The clients changed by transactions numbered above `seen` (scope is applied
    when their rows are re-read, so that a client leaving the scope is noticed).
    DatabaseFileChanged if the SQLite file was deleted or replaced under the app."""
    check_same_file(engine)
    with read_snapshot(engine) as connection:
        now = connection.execute(
            text("SELECT change_seq FROM practice WHERE id = :id"), {"id": viewer.practice_id}
        ).scalar_one()
        if now <= seen:
            return Changes(now)
        rows = connection.execute(
            text(
                "SELECT client_id FROM audit_event "
                "WHERE practice_id = :id AND seq > :seen AND seq <= :now "
                "UNION SELECT client_id FROM client_change "
                "WHERE practice_id = :id AND seq > :seen AND seq <= :now"
            ),
            {"id": viewer.practice_id, "seen": seen, "now": now},
        ).scalars()
        client_ids = list(rows)
    if None in client_ids or len(client_ids) > MAX_PATCHED_CLIENTS:
        return Changes(now, everything=True)
    return Changes(now, tuple(sorted(client_ids)))
