"""Loading the list while another process writes, printed as JSON.

    python benchmarks/concurrent_load.py --clients 100000 --runs 20
    python benchmarks/concurrent_load.py --db postgresql://user@host/db --runs 20

A second process adds a client (with Prepare and Solo accounts) through the
services every 20 ms; meanwhile the app is started headless `--runs` times and
each time waits for every row. A run crashes if the app raises or shows a
failure message; the figure to hold is 0 crashes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from live_list import database_is_empty, seed, summary  # noqa: E402

WRITE_EVERY_SECONDS = 0.02
WRITER_SCRIPT = """
import sys, time
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.database import open_database
from dext_tui.data.services.clients import create_client
engine = open_database(sys.argv[1])
viewer = resolve_viewer(engine, sys.argv[2])
written = 0
while True:
    create_client(engine, viewer, name=f"Written While Loading {time.time_ns()}",
                  products={"prepare": "active", "solo": "invited"})
    written += 1
    print(written, flush=True)
    time.sleep(float(sys.argv[3]))
"""


async def one_run(url: str, user: str) -> tuple[str | None, float]:
    from dext_tui.app import DextApp
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.screens.dialogs.failure import FailureScreen

    engine = open_database(url)
    app = DextApp(engine, resolve_viewer(engine, user))
    started = time.perf_counter()
    problem = None
    try:
        async with app.run_test(size=(120, 40)):
            while True:
                screen = app.screen
                if isinstance(screen, FailureScreen):
                    problem = f"failure shown: {screen.reason}"
                    break
                if getattr(screen, "view", None) is not None:
                    break
                await asyncio.sleep(0.01)
    except Exception as error:  # what the issue called a crash
        problem = f"{type(error).__name__}: {error}"
    finally:
        engine.dispose()
    return problem, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="a SQLite file or database URL (seeded if empty)")
    args = parser.parse_args()

    from dext_tui.data.database import database_url
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
        url = database_url(args.db or str(Path(scratch) / "bench.sqlite"))
        if database_is_empty(url):
            seed(url, args.clients)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, url, DEMO_ADMIN_EMAIL, str(WRITE_EVERY_SECONDS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout is not None
            writer.stdout.readline()  # the writer is writing before the first load starts
            problems, load_times = [], []
            for _ in range(args.runs):
                problem, took = asyncio.run(one_run(url, DEMO_ADMIN_EMAIL))
                load_times.append(took)
                if problem:
                    problems.append(problem)
        finally:
            writer.terminate()
            written = writer.stdout.read().split() if writer.stdout else []
            writer.wait()
    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": url.split(":", 1)[0],
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "runs": args.runs,
                "crashes": len(problems),
                "problems": problems[:5],
                "clients_written_meanwhile": int(written[-1]) if written else 0,
                "writer_alive_to_the_end": writer.returncode in (-15, 0),
                "full_load": summary(load_times),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
