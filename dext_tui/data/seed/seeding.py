"""The entry point: `seed_practice` writes the whole demo practice in one transaction."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Table, func, select, text

from dext_tui.data.models import (
    AuditEvent,
    Client,
    ClientUser,
    Practice,
    PrecisionSourceClient,
    TeamMember,
)
from dext_tui.data.seed.plan import plan_forced_profiles, source_split
from dext_tui.data.seed.rows import DemoRowFactory, precision_source_rows
from dext_tui.data.seed.team import DEMO_TEAM, team_rows
from dext_tui.data.seed.words import PRACTICE_ID, Row
from dext_tui.data.transactions import write_lock

DEMO_PRACTICE_NAME = "Harbour & Vale Accountants"
FIXED_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

CLIENTS_PER_INSERT = 10_000
SEED_SQLITE_CACHE_KIB = -256_000  # negative: KiB, per SQLite's PRAGMA cache_size


def _refresh_planner_statistics(conn: Connection) -> None:
    """PostgreSQL only: after a bulk load its planner still believes the tables
    empty and joins every client to find the first screenful (0.5 s instead of
    40 ms at 100k). ANALYZE runs in the seed's own transaction, so the seed stays
    all or nothing. (SQLite's plans are fixed by the queries themselves.)"""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "ANALYZE client, prepare_account, precision_account, solo_account, "
            "practice_access, precision_source_client"
        )


@dataclass(frozen=True)
class SeedSummary:
    """What `seed_practice` created, for the CLI to report."""

    practice_id: int
    clients: int
    precision_pending: int
    team_members: int


def _refuse_existing_practice(conn: Connection) -> None:
    existing = conn.execute(select(func.count()).select_from(Practice.__table__)).scalar_one()
    if existing:
        raise ValueError(
            f"The database already holds {existing} practice(s); seed only into an empty database."
        )


def _bundle_limit(clients: int) -> int:
    """Room for the demo to add clients: at least 1,000, and 10% above the seeded count."""
    return (clients * 11 // 10 // 1_000 + 1) * 1_000


def _practice_row(clients: int) -> Row:
    return {
        "id": PRACTICE_ID,
        "name": DEMO_PRACTICE_NAME,
        "has_prepare": True,
        "has_precision": True,
        "has_solo": True,
        "client_bundle_limit": _bundle_limit(clients),
    }


def _insert(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    if rows:
        conn.execute(table.insert(), list(rows))


@contextmanager
def _large_sqlite_cache(conn: Connection) -> Iterator[None]:
    """SQLite only: a bigger page cache while the client indexes fill up.

    The sort-name index is filled in random order; with the default 2 MB cache
    most inserts touch pages that were just evicted. The old size is put back
    so the pooled connection is left as it was found.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = {SEED_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        # An interrupt (Ctrl-C) mid-statement invalidates the connection: it is thrown
        # away, and a statement now would only bury the interrupt under another error.
        if not conn.invalidated:
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _reset_id_sequences(conn: Connection) -> None:
    """PostgreSQL only: explicit ids leave serial sequences behind; catch them up."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for model in (Practice, TeamMember, Client, ClientUser, PrecisionSourceClient):
        table_name = model.__table__.name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table_name, 'id'), "
                f"(SELECT max(id) FROM {quote(table_name)}))"
            ),
            {"table_name": table_name},
        )


def _audit_row(now: datetime, clients: int, precision_pending: int, seed: int) -> Row:
    after = {"clients": clients, "precision_pending": precision_pending, "seed": seed}
    return {
        "at": now,
        "team_member_id": 1,
        "client_id": None,
        "action": "seed",
        "before": None,
        "after": json.dumps(after, sort_keys=True),
    }


def seed_practice(
    engine: Engine,
    clients: int,
    precision_pending: int = 0,
    seed: int = 1,
    now: datetime | None = None,
) -> SeedSummary:
    """Create the demo practice in an empty, migrated database, in one transaction.

    Raises ValueError if the database already holds a practice: the demo's fixed
    ids would collide with it, and mixing demo data into real data helps no one.
    """
    if clients < 0 or precision_pending < 0:
        raise ValueError("clients and precision_pending must not be negative")
    now = FIXED_NOW if now is None else now
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    rng = random.Random(seed)
    by_crn, by_name, unmatched = source_split(precision_pending, clients)
    forced = plan_forced_profiles(rng, clients, by_crn, by_name)
    factory = DemoRowFactory(rng, now, clients, forced)

    # The write lock is taken before the check, so of two seeds into one database the
    # second waits, then finds the first one's practice (or gives up: database is locked).
    with write_lock(engine) as conn:
        _refuse_existing_practice(conn)
        _insert(conn, Practice.__table__, [_practice_row(clients)])
        _insert(conn, TeamMember.__table__, team_rows())
        with _large_sqlite_cache(conn):
            for first_index in range(0, clients, CLIENTS_PER_INSERT):
                count = min(CLIENTS_PER_INSERT, clients - first_index)
                for table, rows in factory.chunk(first_index, count).in_insert_order():
                    _insert(conn, table, rows)
        sources = precision_source_rows(rng, factory, unmatched)
        _insert(conn, PrecisionSourceClient.__table__, sources)
        _insert(conn, AuditEvent.__table__, [_audit_row(now, clients, precision_pending, seed)])
        _reset_id_sequences(conn)
        _refresh_planner_statistics(conn)

    return SeedSummary(
        practice_id=PRACTICE_ID,
        clients=clients,
        precision_pending=len(sources),
        team_members=len(DEMO_TEAM),
    )
