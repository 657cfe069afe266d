"""Practice-codes upload at scale, printed as JSON.

    python benchmarks/practice_codes.py --clients 100000 \
        > benchmarks/results/practice_codes-100k.json

Seeds a practice (the seed command's generator) in a fresh SQLite file, or uses
--db (a SQLite file, created if missing, or a database URL, seeded if empty),
writes a CSV giving every client a new code (Excel's shape: BOM, CRLF, the
export's columns), then measures, as the practice admin:

- read_ms: reading and parsing the file;
- check_ms: every row checked against the clients (the preview);
- apply_ms: the write (checked again inside one transaction, executemany);
- longest_stall_ms: the longest time a 5 ms ticker thread was kept waiting
  while checking and applying (how long a UI thread could be held up).

Targets (issue 9): check within 3 s, apply within 5 s, for 100,000 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


@contextmanager
def stall_meter(out: list[float]):
    """Ticks every 5 ms in a thread; records the longest gap beyond the tick."""
    stop = threading.Event()
    gaps = [0.0]

    def tick() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.005)
            now = time.perf_counter()
            gaps[0] = max(gaps[0], (now - last - 0.005) * 1000)
            last = now

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        out.append(gaps[0])


def build_csv(engine, viewer, path: Path) -> int:
    from sqlalchemy import text

    from dext_tui.data.csv_files import csv_document

    with engine.connect() as connection:
        ids = connection.execute(
            text("SELECT id, name FROM client WHERE practice_id = :p AND state <> 'removed'"),
            {"p": viewer.practice_id},
        ).all()
    run = int(time.time()) % 1000  # codes new to the database, run after run
    rows = [(client_id, name, f"U{run:03d}{client_id:07d}") for client_id, name in ids]
    path.write_bytes(csv_document(("Client ID", "Client name", "Practice code"), rows))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite file (seeded if missing) or a database URL")
    args = parser.parse_args()

    from live_list import seeded_database

    from dext_tui.data.csv_files import read_csv_file
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL
    from dext_tui.data.services.practice_code_upload import apply_upload, check_upload

    with tempfile.TemporaryDirectory(prefix="dext-bench-codes-") as scratch:
        url, seed_seconds = seeded_database(args.db, args.clients, scratch)
        engine = open_database(url)
        viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
        csv_path = Path(scratch) / "codes.csv"
        rows = build_csv(engine, viewer, csv_path)
        file_mb = round(csv_path.stat().st_size / 1e6, 1)

        stalls: list[float] = []
        started = time.perf_counter()
        with stall_meter(stalls):
            table = read_csv_file(csv_path)
        read_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with stall_meter(stalls):
            preview = check_upload(engine, viewer, table)
        check_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with stall_meter(stalls):
            result = apply_upload(engine, viewer, table, expected=preview)
        apply_ms = (time.perf_counter() - started) * 1000
        engine.dispose()

    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "seed_seconds": seed_seconds,
                "rows": rows,
                "file_mb": file_mb,
                "updates": preview.totals["update"],
                "written": len(result.changes),
                "read_ms": round(read_ms),
                "check_ms": round(check_ms),
                "read_and_check_ms": round(read_ms + check_ms),
                "apply_ms": round(apply_ms),
                "longest_stall_ms": {
                    "read": round(stalls[0], 1),
                    "check": round(stalls[1], 1),
                    "apply": round(stalls[2], 1),
                },
                "targets_ms": {"read_and_check": 3000, "apply": 5000},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
