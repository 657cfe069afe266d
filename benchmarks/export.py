"""Client-list export at scale, printed as JSON.

    python benchmarks/export.py --clients 100000 > benchmarks/results/export-100k.json

Seeds a practice in a fresh SQLite file (or uses --db: a SQLite file, created
if missing, or a database URL, seeded if empty), then measures, as the
practice admin:

- build_ms: reading every client and building the CSV document in memory;
- save_ms: writing it atomically (temporary file, fsync, rename);
- total_ms: both (target: 2 s at 100,000 clients);
- view_build_ms: the same for a search view's ids (the list's current view);
- longest_stall_ms: the longest time a 5 ms ticker thread was kept waiting
  (how long a UI thread could be held up by the export worker).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite file (seeded if missing) or a database URL")
    args = parser.parse_args()

    from live_list import seeded_database
    from practice_codes import stall_meter

    from dext_tui.data.database import open_database
    from dext_tui.data.export import build_export, save_export
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-bench-export-") as scratch:
        url, seed_seconds = seeded_database(args.db, args.clients, scratch)
        engine = open_database(url)
        viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
        out = Path(scratch) / "export.csv"
        stalls: list[float] = []
        progress_calls = []
        started = time.perf_counter()
        with stall_meter(stalls):
            document = build_export(
                engine, viewer, progress=lambda done, total: progress_calls.append(done)
            )
        build_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with stall_meter(stalls):
            save_export(document, out)
        save_ms = (time.perf_counter() - started) * 1000
        file_mb = round(out.stat().st_size / 1e6, 1)
        # A view: every other client in reverse id order (as a sort or search would give).
        with engine.connect() as connection:
            from sqlalchemy import text

            ids = (
                connection.execute(
                    text("SELECT id FROM client WHERE practice_id = :p ORDER BY id DESC"),
                    {"p": viewer.practice_id},
                )
                .scalars()
                .all()[::2]
            )
        started = time.perf_counter()
        with stall_meter(stalls):
            view = build_export(engine, viewer, ids)
        view_ms = (time.perf_counter() - started) * 1000
        engine.dispose()

    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "seed_seconds": seed_seconds,
                "exported": document.clients,
                "file_mb": file_mb,
                "progress_updates": len(progress_calls),
                "build_ms": round(build_ms),
                "save_ms": round(save_ms),
                "total_ms": round(build_ms + save_ms),
                "view_clients": view.clients,
                "view_build_ms": round(view_ms),
                "longest_stall_ms": {
                    "build": round(stalls[0], 1),
                    "save": round(stalls[1], 1),
                    "view": round(stalls[2], 1),
                },
                "target_total_ms": 2000,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
