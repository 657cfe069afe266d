"""Precision import figures at scale, printed as JSON.

    python benchmarks/precision_import.py --sources 10000 --candidates 100000
    python benchmarks/precision_import.py --db postgresql://postgres@127.0.0.1:5432/test

With --db (a PostgreSQL URL) it works in a schema of its own, dropped afterwards.

Seeds a SQLite database with the seed command's generator: enough clients that
about `--candidates` of them are eligible Prepare clients (active, with a
Prepare account and no Precision account), and `--sources` Precision source
clients waiting (a third matching by CRN, a third by a name variant, a third
unmatched). Then, as the import screen does it:

- load_ms: the waiting rows and the eligible clients, read in one snapshot;
- match_ms: proposing a match for every row (the issue's budget: 3 s on 2 cores);
- import_ms: applying every row at once, proposed matches linked and the rest
  imported as new clients, in one transaction (budget: 5 s);
- longest_stall_ms: the longest the main thread waited for the interpreter while
  each step ran in a worker thread (a keystroke arriving then waits that long).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ELIGIBLE_SHARE = 0.47  # of seeded clients: about this many are eligible Prepare clients


def build_database(url: str, clients: int, sources: int) -> float:
    from dext_tui.data.database import make_engine, upgrade_to_head
    from dext_tui.data.seed import seed_practice

    engine = make_engine(url)
    upgrade_to_head(engine)
    started = time.perf_counter()
    seed_practice(engine, clients=clients, precision_pending=sources, seed=1)
    engine.dispose()
    return time.perf_counter() - started


def timed_in_thread(step) -> tuple[object, float, float]:
    """(what `step()` returned, its wall time in ms, the main thread's longest stall in ms)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = step()
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            outcome["error"] = error

    worker = threading.Thread(target=run)
    longest = 0.0
    started = time.perf_counter()
    worker.start()
    while worker.is_alive():
        before = time.perf_counter()
        time.sleep(0.005)
        longest = max(longest, time.perf_counter() - before - 0.005)
    elapsed = time.perf_counter() - started
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"], elapsed * 1000, longest * 1000


@contextmanager
def scratch_database(server_url: str | None) -> Iterator[str]:
    """A database URL to seed: a SQLite file, or a fresh schema on the server."""
    if server_url is None:
        with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
            yield f"sqlite:///{Path(scratch) / 'bench.sqlite'}"
        return
    from sqlalchemy import text

    from dext_tui.data.database import make_engine

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    try:
        yield f"{server_url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(url: str) -> dict:
    from dext_tui.data.database import make_engine
    from dext_tui.data.gc_pause import collector_paused
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.precision_matching import match_sources
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL
    from dext_tui.data.services.precision_import import (
        LATER,
        LINK,
        NEW,
        ImportChoice,
        ImportData,
        apply_import,
        default_choices,
        load_waiting,
    )

    engine = make_engine(url)
    viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)

    def load():
        with collector_paused():  # as load_import does
            return load_waiting(engine, viewer)

    (sources, candidates), load_ms, load_stall = timed_in_thread(load)
    progress: list[float] = []

    def match():
        with collector_paused():
            return match_sources(
                sources.names,
                sources.crns,
                candidates.ids,
                candidates.names,
                candidates.crns,
                progress.append,
            )

    proposals, match_ms, match_stall = timed_in_thread(match)
    data = ImportData(sources, candidates, proposals)
    choices = [
        choice if choice.action == LINK else ImportChoice(choice.source_id, NEW)
        for choice in default_choices(data)
    ]
    result, import_ms, import_stall = timed_in_thread(lambda: apply_import(engine, viewer, choices))
    engine.dispose()
    reasons = Counter(proposal.reason if proposal else "none" for proposal in proposals)
    actions = Counter(choice.action for choice in choices)
    return {
        "sources": len(sources),
        "eligible_candidates": len(candidates),
        "proposed": {"crn": reasons["crn"], "name": reasons["name"], "none": reasons["none"]},
        "load_ms": round(load_ms, 1),
        "match_ms": round(match_ms, 1),
        "match_progress_reports": len(progress),
        "imported": {
            "linked": actions[LINK],
            "new": actions[NEW],
            "set_up_later": actions[LATER],
            "clients_changed": len(result.client_ids),
        },
        "import_ms": round(import_ms, 1),
        "longest_stall_ms": {
            "load": round(load_stall, 1),
            "match": round(match_stall, 1),
            "import": round(import_stall, 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--db", help="a PostgreSQL URL to work in (default: a SQLite file)")
    args = parser.parse_args()
    clients = max(args.sources * 2, round(args.candidates / ELIGIBLE_SHARE))
    with scratch_database(args.db) as url:
        seed_seconds = build_database(url, clients, args.sources)
        figures = measure(url)
    print(
        json.dumps(
            {
                "database": "postgresql" if args.db else "sqlite",
                "clients": clients,
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "seed_seconds": round(seed_seconds, 1),
                **figures,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
