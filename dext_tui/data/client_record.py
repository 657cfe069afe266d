"""One client as the Manage pages see it, and its history: plain values, read in scope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text

from dext_tui.data.scope import scope_condition
from dext_tui.data.services.writing import as_datetime
from dext_tui.data.support import WHO_JOINS, WHO_SQL
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import Viewer

PRODUCT_TABLES = (
    ("prepare", "prepare_account"),
    ("precision", "precision_account"),
    ("solo", "solo_account"),
)


@dataclass(frozen=True)
class ClientRecord:
    id: int
    name: str
    practice_code: str | None
    crn: str | None
    state: str
    deactivated_at: datetime | None
    version: int
    products: dict[str, str]  # product -> status, only the products the client has

    def has(self, product: str) -> bool:
        return product in self.products


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime | None
    who: str
    action: str
    before: dict
    after: dict


def load_client_record(engine: Engine, viewer: Viewer, client_id: int) -> ClientRecord | None:
    """The client now, or None when it is gone or not the viewer's to see."""
    where, params = scope_condition(viewer, include_removed=True)
    with read_snapshot(engine) as connection:
        row = connection.execute(
            text(
                "SELECT c.id, c.name, c.practice_code, c.crn, c.state, c.deactivated_at, "
                "c.version FROM client c" + where + " AND c.id = :client_id"
            ),
            {**params, "client_id": client_id},
        ).first()
        if row is None:
            return None
        products = {}
        for product, table in PRODUCT_TABLES:
            status = connection.execute(
                text(f"SELECT status FROM {table} WHERE client_id = :id"), {"id": client_id}
            ).scalar()
            if status is not None:
                products[product] = status
    return ClientRecord(
        id=row.id,
        name=row.name,
        practice_code=row.practice_code,
        crn=row.crn,
        state=row.state,
        deactivated_at=as_datetime(row.deactivated_at),
        version=row.version,
        products=products,
    )


def _parsed(value: str | None) -> dict:
    try:
        parsed = json.loads(value) if value else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def load_history(engine: Engine, viewer: Viewer, client_id: int) -> list[HistoryEntry] | None:
    """The client's audit events, newest first; None when the client is not the viewer's."""
    if load_client_record(engine, viewer, client_id) is None:
        return None
    with read_snapshot(engine) as connection:
        rows = connection.execute(
            text(
                f"SELECT e.at, {WHO_SQL}, e.action, e.before, e.after FROM audit_event e"
                f"{WHO_JOINS} WHERE e.client_id = :client_id ORDER BY e.id DESC"
            ),
            {"client_id": client_id},
        ).all()
    return [
        HistoryEntry(as_datetime(at), who or "Someone", action, _parsed(before), _parsed(after))
        for at, who, action, before, after in rows
    ]
