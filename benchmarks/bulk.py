"""Bulk deactivate, its undo, and Activity's first page at scale, printed as JSON.

    python benchmarks/bulk.py --clients 100000 --batch 10000 --events 1000000 \
        > benchmarks/results/bulk-100k.json
    python benchmarks/bulk.py --db postgresql://USER@HOST/DB --schema bench_bulk \
        > benchmarks/results/bulk-100k-postgresql.json

Seeds a practice (the seed command's generator) in a fresh SQLite file, or uses
--db (a SQLite file, or a database URL; with --schema, a PostgreSQL schema of
its own, created if missing), then, as the practice admin:

- preview_ms: the preview of deactivating `--batch` active clients;
- apply_ms: writing it (checked again inside one transaction, one audit event each);
- undo_preview_ms, undo_apply_ms: the same for undoing that batch;
- grant_*: the same four for granting a standard colleague practice access to those
  clients (those who have it already are skipped) and undoing it;
- activity_first_page_ms: Activity's first page (50 lines, newest first) once the
  practice's log holds `--events` audit events (filled with INSERT … SELECT),
  median of 5, and with a colleague filter.

Targets (issue 17): preview 1 s, apply 3 s, undo 3 s, Activity's first page 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))


def in_schema(url: str, schema: str) -> str:
    """`url` working in `schema` (created if missing): benchmarks keep off others' tables."""
    from sqlalchemy import text

    from dext_tui.data.database import make_engine

    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


def timed(call):
    started = time.perf_counter()
    value = call()
    return value, (time.perf_counter() - started) * 1000


def fill_events(engine, practice_id: int, member_id: int, wanted: int) -> int:
    """Audit events up to `wanted` for the practice, ten to a batch, in one statement."""
    from sqlalchemy import text

    with engine.begin() as connection:
        have = connection.execute(
            text("SELECT COUNT(*) FROM audit_event WHERE practice_id = :p"), {"p": practice_id}
        ).scalar_one()
        missing = max(0, wanted - have)
        if not missing:
            return have
        if engine.dialect.name == "postgresql":
            series = "generate_series(1, :n) AS g(n)"
            batch = "md5((g.n / 10)::text)"
            source = series
            number = "g.n"
        else:
            source = (
                "(WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :n) "
                "SELECT n FROM g) AS g"
            )
            batch = "printf('%032x', g.n / 10)"
            number = "g.n"
        connection.execute(
            text(
                "INSERT INTO audit_event (practice_id, seq, at, team_member_id, client_id, "
                "action, before, after, batch_id) "
                f"SELECT :p, 0, :at, :m, 1 + ({number} % 100000), 'client.updated', "
                '\'{"crn": null}\', \'{"crn": "01234567"}\', '
                f"{batch} FROM {source}"
            ),
            {"p": practice_id, "m": member_id, "n": missing, "at": "2026-01-01 00:00:00"},
        )
    return wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", help="a SQLite file (seeded if missing) or a database URL")
    parser.add_argument("--schema", help="with a PostgreSQL URL: the schema to work in")
    args = parser.parse_args()

    from live_list import seeded_database
    from sqlalchemy import text

    from dext_tui.data.activity import ActivityFilter, activity_page
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL
    from dext_tui.data.services.bulk_actions import apply_bulk, preview_bulk
    from dext_tui.data.services.undo import apply_undo, preview_undo

    db = in_schema(args.db, args.schema) if args.db and args.schema else args.db
    with tempfile.TemporaryDirectory(prefix="dext-bench-bulk-") as scratch:
        url, seed_seconds = seeded_database(db, args.clients, scratch)
        engine = open_database(url)
        viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
        with engine.connect() as connection:
            ids = connection.scalars(
                text(
                    "SELECT id FROM client WHERE practice_id = :p AND state = 'active' "
                    "ORDER BY id LIMIT :n"
                ),
                {"p": viewer.practice_id, "n": args.batch},
            ).all()

        preview, preview_ms = timed(lambda: preview_bulk(engine, viewer, "deactivate", ids))
        result, apply_ms = timed(lambda: apply_bulk(engine, viewer, preview))
        undo, undo_preview_ms = timed(lambda: preview_undo(engine, viewer, result.batch_id))
        undone, undo_apply_ms = timed(lambda: apply_undo(engine, viewer, undo))

        # A colleague's practice access granted to the same clients, and undone.
        with engine.connect() as connection:
            colleague = connection.scalar(
                text(
                    "SELECT id FROM team_member WHERE practice_id = :p AND role = 'standard' "
                    "AND active ORDER BY id LIMIT 1"
                ),
                {"p": viewer.practice_id},
            )
        grant, grant_preview_ms = timed(
            lambda: preview_bulk(engine, viewer, "grant-access", ids, colleague=colleague)
        )
        granted, grant_apply_ms = timed(lambda: apply_bulk(engine, viewer, grant))
        ungrant, grant_undo_preview_ms = timed(
            lambda: preview_undo(engine, viewer, granted.batch_id)
        )
        ungranted, grant_undo_apply_ms = timed(lambda: apply_undo(engine, viewer, ungrant))

        _, fill_ms = timed(
            lambda: fill_events(engine, viewer.practice_id, viewer.team_member_id, args.events)
        )
        with engine.begin() as connection:  # statistics as autovacuum would leave them
            connection.execute(text("ANALYZE audit_event"))
        with engine.connect() as connection:
            events = connection.execute(
                text("SELECT COUNT(*) FROM audit_event WHERE practice_id = :p"),
                {"p": viewer.practice_id},
            ).scalar_one()
        pages = [timed(lambda: activity_page(engine, viewer))[1] for _ in range(5)]
        by_me = ActivityFilter(by=viewer.team_member_id)
        filtered = [timed(lambda: activity_page(engine, viewer, by_me))[1] for _ in range(5)]
        first_page = activity_page(engine, viewer)
        engine.dispose()

    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": sys.version.split()[0],
                    # the machine is shared: how busy it was says how far to trust the figures
                    "load_average_1m": round(os.getloadavg()[0], 1),
                },
                "seed_seconds": seed_seconds,
                "batch": len(ids),
                "will_change": len(preview.will_change),
                "written": len(result.changes),
                "undone": len(undone.changes),
                "preview_ms": round(preview_ms),
                "apply_ms": round(apply_ms),
                "undo_preview_ms": round(undo_preview_ms),
                "undo_apply_ms": round(undo_apply_ms),
                "grant_will_change": len(grant.will_change),
                "grant_preview_ms": round(grant_preview_ms),
                "grant_apply_ms": round(grant_apply_ms),
                "grant_undo_preview_ms": round(grant_undo_preview_ms),
                "grant_undo_apply_ms": round(grant_undo_apply_ms),
                "grant_undone": len(ungranted.changes),
                "audit_events": events,
                "fill_events_ms": round(fill_ms),
                "activity_first_page_lines": len(first_page.lines),
                "activity_first_page_ms": round(statistics.median(pages), 1),
                "activity_first_page_cold_ms": round(pages[0], 1),
                "activity_first_page_by_colleague_ms": round(statistics.median(filtered), 1),
                "targets_ms": {
                    "preview": 1000,
                    "apply": 3000,
                    "undo": 3000,
                    "activity_first_page": 200,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
