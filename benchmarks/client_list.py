"""Client-list figures at scale, printed as JSON.

    python benchmarks/client_list.py --clients 100000

Builds its own SQLite database with the seed command's generator, then starts
the app in a fresh Python process (headless, 120x40) and measures, from that
process's spawn:

- process_start_to_first_rows_ms: interpreter start, imports, migrations
  check, identity, first screenful of rows in the table;
- app_start_to_first_rows_ms: from App.run to the first rows;
- full_load_ms: until every row and the search index are loaded;
- search keystroke latency (key press to table and #client-count updated),
  typing several queries one key at a time and deleting them again, both
  right after the first rows (prefix matches from the database) and once
  everything is loaded (the fuzzy index);
- filter and sort change latency (applied as the dialogs apply them);
- resident memory after everything is loaded;
- the longest stall of the event loop while loading, and while searching,
  filtering and sorting (a keystroke arriving then would wait that long).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["thams water", "smith & jones", "00012", "cafe lumiere", "obrien", "hv00"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "samples": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
    }


def build_database(path: Path, clients: int) -> float:
    from dext_tui.data.database import make_engine, upgrade_to_head
    from dext_tui.data.seed import seed_practice

    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    started = time.perf_counter()
    seed_practice(engine, clients=clients, precision_pending=min(1000, clients // 10), seed=1)
    engine.dispose()
    return time.perf_counter() - started


async def probe(db_path: str, spawned_at: float, user: str) -> dict:
    """Runs inside the fresh process: drive the app and time it."""
    import numpy as np
    import psutil
    from textual import events
    from textual.keys import _character_to_key

    from dext_tui.app import DextApp
    from dext_tui.data.client_view import ClientFilters
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.widgets.client_table import ClientTable

    engine = open_database(db_path)
    app = DextApp(engine, resolve_viewer(engine, user))
    stalls: list[float] = []

    async def watch_loop() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append((time.perf_counter() - before - 0.005) * 1000)

    app_started = time.perf_counter()
    app_started_wall = time.time()
    async with app.run_test(size=(120, 40)) as pilot:
        watcher = asyncio.create_task(watch_loop())
        table = None
        while table is None or table.row_count == 0:
            await asyncio.sleep(0.001)
            if app.screen.query(ClientTable):
                table = app.screen.query_one(ClientTable)
        first_rows = time.perf_counter()
        first_rows_wall = time.time()
        screen = app.screen

        async def until_answered(change) -> float:
            started = time.perf_counter()
            asked_before = screen.query_state
            await change()
            while screen.query_state == asked_before or screen.answered_query != screen.query_state:
                await asyncio.sleep(0.0005)
            return (time.perf_counter() - started) * 1000

        async def send_key(key: str, char: str | None) -> None:
            # As a terminal delivers it: no waiting for idle (Pilot.press waits
            # for the whole process to go idle, which would time the benchmark).
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)

        # Typed before every row is loaded: answered by prefix matches from the database.
        early: list[float] = []
        await send_key("slash", "/")
        while not screen.query_one("#search").has_focus:
            await asyncio.sleep(0.001)
        for key, char in [("t", "t"), ("h", "h"), ("a", "a"), ("m", "m")]:
            early.append(await until_answered(lambda k=key, c=char: send_key(k, c)))
        early_while_loading = screen.view is None
        for _ in range(4):
            early.append(await until_answered(lambda: send_key("backspace", None)))
        await send_key("escape", None)
        while screen.view is None or screen.answered_query != screen.query_state:
            await asyncio.sleep(0.005)
        full_load = time.perf_counter()
        loading_stall = max(stalls, default=0.0)
        stalls.clear()
        await pilot.pause()

        keystrokes: list[float] = []
        await pilot.press("slash")
        for query in QUERIES:
            for char in query:
                key = char if char.isalnum() else _character_to_key(char)
                keystrokes.append(await until_answered(lambda k=key, c=char: send_key(k, c)))
            for _ in query:
                keystrokes.append(await until_answered(lambda: send_key("backspace", None)))
        await pilot.press("escape")
        await pilot.pause()

        changes: list[float] = []
        for filters in (
            ClientFilters(prepare="active"),
            ClientFilters(prepare="active", integration="expired"),
            ClientFilters(no_practice_code=True),
            ClientFilters(state="deactivated"),
            ClientFilters(),
        ):

            async def apply_filters(filters=filters) -> None:
                screen._apply_filters(filters)

            changes.append(await until_answered(apply_filters))
        sorts: list[float] = []
        for key in ("costs", "costs", "crns", "codes", "prepare", "integration", "name"):

            async def apply_sort(key=key) -> None:
                screen._apply_sort(key)

            sorts.append(await until_answered(apply_sort))
        watcher.cancel()
        rss = psutil.Process().memory_info().rss
        rows = len(screen.rows)
        del np
    return {
        "rows_loaded": rows,
        "process_start_to_first_rows_ms": round((first_rows_wall - spawned_at) * 1000, 1),
        "app_start_to_first_rows_ms": round((first_rows - app_started) * 1000, 1),
        "app_start_wall_offset_ms": round((app_started_wall - spawned_at) * 1000, 1),
        "full_load_ms": round((full_load - app_started) * 1000, 1),
        "search_keystroke_while_loading": {
            **summary(early),
            "all_answered_before_full_load": early_while_loading,
        },
        "search_keystroke": summary(keystrokes),
        "filter_change": summary(changes),
        "sort_change": summary(sorts),
        "resident_memory_mb": round(rss / 2**20, 1),
        "longest_event_loop_stall_ms": {
            "while_loading": round(loading_stall, 1),
            "while_searching_filtering_sorting": round(max(stalls, default=0.0), 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument(
        "--db",
        help="reuse this SQLite file (created and seeded if missing), or a database URL "
        "(seeded if empty)",
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--spawned-at", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.probe:
        print(json.dumps(asyncio.run(probe(args.probe, args.spawned_at, args.user))))
        return

    from live_list import database_is_empty, seed
    from probe_process import probe_figures

    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
        seed_seconds = None
        if args.db and "://" in args.db:  # a server database: seeded when it is empty
            db_path = args.db
            if database_is_empty(db_path):
                seed_seconds = round(seed(db_path, args.clients), 1)
        else:
            db_path = Path(args.db) if args.db else Path(scratch) / "bench.sqlite"
            if not db_path.exists():
                seed_seconds = round(build_database(db_path, args.clients), 1)
        spawned_at = time.time()
        figures = probe_figures(
            __file__, str(db_path), "--spawned-at", str(spawned_at), "--user", DEMO_ADMIN_EMAIL
        )
    print(
        json.dumps(
            {
                "clients": args.clients,
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "seed_seconds": seed_seconds,
                **figures,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
