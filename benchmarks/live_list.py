"""Live-list figures, printed as JSON.

    python benchmarks/live_list.py --clients 100000
    python benchmarks/live_list.py --db postgresql://user@host/db --clients 100000
    python benchmarks/live_list.py --db FILE_OR_URL --cold-start-only --cold-starts 1

(--cold-start-only: the cold starts and import time alone, e.g. run in turn against
two checkouts, by PYTHONPATH, so that the machine's load hits both alike.)

Seeds a practice (a SQLite file in a scratch folder, or the database `--db`
names if it is empty), starts the app headless in a fresh process, waits for
every row, then measures:

- own changes: a rename, a state change, a new practice code and a new client,
  made through the services as a screen would, from the service's return to the
  patched answer on screen (and the write itself), with no full reload;
- changes by another process: a second Python process renames a client through
  the services; from its commit to the new name in the table, with no keypress;
- changes by plain SQL: the same, the second process renaming by a bare UPDATE
  (as an admin's script would), which only the database's triggers record;
  a change not on screen within MISSED_AFTER_SECONDS counts as missed;
- cold start, as a user meets it: `python -m dext_tui` started in a
  pseudo-terminal at 80x24 (`--cold-starts` times, median), from the process's
  start to the first rows' frame written to the terminal, to every row loaded
  ("Showing N of"), and the app's resident memory once every row is loaded and
  the screen has settled. The package's bytecode is compiled first, as an
  installed package has it (this machine sets PYTHONDONTWRITEBYTECODE, so
  without that every start would compile dext-tui's modules: ~130 ms more);
  also the import time of `dext_tui.cli` + `dext_tui.app` (`-X importtime`).
  (The headless probe's own start is no cold start: it counted the probe
  script's imports and, under load, the UI thread starved by the full load;
  its resident memory is still reported, as `rss_after_load_headless_mb`.)
- idle cost: the app process's CPU time over 10 s of doing nothing, and the cost
  of one change check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OWN_CHANGES_PER_KIND = 20
COLD_STARTS = 5
COLD_START_TIMEOUT = 120.0
# The count line under the table: the first screenful, then every row.
FIRST_ROWS_SHOWN = re.compile(rb"showing the first [0-9,]+|Showing [0-9,]+ of")
ALL_ROWS_SHOWN = re.compile(rb"Showing [0-9,]+ of")
OTHER_PROCESS_CHANGES = 8
MISSED_AFTER_SECONDS = 10.0
IDLE_SECONDS = 10.0

OTHER_PROCESS_SCRIPT = """
import sys, time
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.database import open_database
from dext_tui.data.services.clients import update_client
engine = open_database(sys.argv[1])
viewer = resolve_viewer(engine, sys.argv[2])
for line in sys.stdin:
    client_id, version, name = line.rstrip("\\n").split("\\t")
    update_client(engine, viewer, int(client_id), version=int(version), name=name)
    print(time.time(), flush=True)
"""
PLAIN_SQL_SCRIPT = """
import sys, time
from sqlalchemy import text
from dext_tui.data.database import open_database
engine = open_database(sys.argv[1])
for line in sys.stdin:
    client_id, _version, name = line.rstrip("\\n").split("\\t")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE client SET name = :name WHERE id = :id"),
            {"name": name, "id": int(client_id)},
        )
    print(time.time(), flush=True)
"""


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


def seeded_database(db: str | None, clients: int, scratch: str) -> tuple[str, float | None]:
    """The database to measure in: `db` as a URL (seeded if empty) or a SQLite file
    (created and seeded if missing), else a new file in `scratch`; with the seconds
    seeding took (None: it was seeded already)."""
    from dext_tui.data.database import make_engine, upgrade_to_head

    if db and "://" in db:
        return db, round(seed(db, clients), 1) if database_is_empty(db) else None
    path = Path(db) if db else Path(scratch) / "bench.sqlite"
    url = f"sqlite:///{path}"
    if path.exists():
        return url, None
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    return url, round(seed(url, clients), 1)


def database_is_empty(url: str) -> bool:
    from sqlalchemy import inspect, text

    from dext_tui.data.database import make_engine, upgrade_to_head

    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        with engine.connect() as connection:
            if not inspect(connection).has_table("practice"):
                return True
            return connection.execute(text("SELECT COUNT(*) FROM practice")).scalar() == 0
    finally:
        engine.dispose()


def seed(url: str, clients: int) -> float:
    from dext_tui.data.database import make_engine
    from dext_tui.data.seed import seed_practice

    engine = make_engine(url)
    started = time.perf_counter()
    seed_practice(engine, clients=clients, precision_pending=min(1000, clients // 10), seed=1)
    engine.dispose()
    return time.perf_counter() - started


async def probe(url: str, user: str, samples: int, idle_seconds: float) -> dict:
    from dext_tui.app import DextApp
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer

    engine = open_database(url)
    viewer = resolve_viewer(engine, user)
    app = DextApp(engine, viewer)
    async with app.run_test(size=(120, 40)):
        import psutil

        from dext_tui.data.change_feed import changes_since

        while not hasattr(app.screen, "view") or app.screen.view is None:
            await asyncio.sleep(0.01)
        screen = app.screen
        while screen.answered_query != screen.query_state:
            await asyncio.sleep(0.01)
        # Every row loaded, nothing written yet (writing imports the services and models).
        rss_mb = psutil.Process().memory_info().rss / 2**20
        from dext_tui.data.services import clients as services

        rows = screen.view.rows
        loads = screen.loads
        listed = [
            int(rows.ids[i])
            for i in range(0, len(rows), max(1, len(rows) // 400))
            if rows.state[i] == 0
        ]
        versions: dict[int, int] = {}

        def version(client_id: int) -> int:
            from sqlalchemy import text

            if client_id not in versions:
                with engine.connect() as connection:
                    versions[client_id] = connection.execute(
                        text("SELECT version FROM client WHERE id = :id"), {"id": client_id}
                    ).scalar_one()
            return versions[client_id]

        # Woken when an answer is put on screen, instead of polling: a polling loop
        # would hold the interpreter lock against the worker doing the patch.
        answer_shown = asyncio.Event()
        show_order = screen._show_order

        def show_and_signal(order) -> None:
            show_order(order)
            answer_shown.set()

        screen._show_order = show_and_signal

        async def own_change(call, check) -> tuple[float, float]:
            started = time.perf_counter()
            result = await asyncio.to_thread(call)
            written = time.perf_counter()
            (client_id,) = result.client_ids
            versions[client_id] = result.version_of(client_id)
            before = screen.view.generation  # the feed is paused: only this patch moves it
            screen.show_changed_clients(result.client_ids)
            while not (screen.shown_generation[1] > before and check(client_id)):
                answer_shown.clear()
                await answer_shown.wait()
            shown = time.perf_counter()
            return (written - started) * 1000, (shown - written) * 1000

        def row(client_id: int):
            rows = screen.view.rows
            return rows, rows.position_of(client_id)

        # The change feed would bring each own change a second time a moment later
        # (a duplicate patch that can land while one is timed): paused meanwhile.
        seen_before = screen.seen_seq
        screen.seen_seq = 2**62
        kinds: dict[str, list[tuple[float, float]]] = {}
        run = int(time.time()) % 1_000_000
        picks = iter(listed)
        for i in range(samples):
            name, added = f"Aardvark Bench {i} Ltd", f"Bench New Client {i}"
            code = f"B{run}-{i}"  # unique across runs on the same database
            renamed, deactivated, coded = next(picks), next(picks), next(picks)
            changes = {
                "rename": (
                    lambda c=renamed, name=name: services.update_client(
                        engine, viewer, c, version=version(c), name=name
                    ),
                    lambda c, name=name: row(c)[0].names[row(c)[1]] == name,
                ),
                "state": (
                    lambda c=deactivated: services.deactivate_client(
                        engine, viewer, c, version=version(c)
                    ),
                    lambda c: row(c)[0].state[row(c)[1]] == 1,  # deactivated
                ),
                "code": (
                    lambda c=coded, code=code: services.update_client(
                        engine, viewer, c, version=version(c), practice_code=code
                    ),
                    lambda c, code=code: row(c)[0].codes[row(c)[1]] == code,
                ),
                "add": (
                    lambda added=added: services.create_client(
                        engine, viewer, name=added, products={"solo": "active"}
                    ),
                    lambda c, added=added: row(c)[0].names[row(c)[1]] == added,
                ),
            }
            for kind, (call, check) in changes.items():
                kinds.setdefault(kind, []).append(await own_change(call, check))
        screen.seen_seq = seen_before
        own = {
            kind: {
                "on_screen_after_write": summary([shown for _, shown in samples]),
                "write": summary([written for written, _ in samples]),
            }
            for kind, samples in kinds.items()
        }
        all_on_screen = [shown for samples in kinds.values() for _, shown in samples]
        full_reloads = screen.loads - loads

        async def renamed_elsewhere(script: str, label: str) -> tuple[list[float], int]:
            """Renames by a second process running `script`: commit-to-screen delays,
            and how many never showed within MISSED_AFTER_SECONDS."""
            other = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                script,
                url,
                user,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            delays, missed = [], 0
            spacing = random.Random(1)
            for i in range(max(1, samples * OTHER_PROCESS_CHANGES // OWN_CHANGES_PER_KIND)):
                client_id = next(picks)
                name = f"Zebra {label} {i} Ltd"
                other.stdin.write(f"{client_id}\t{version(client_id)}\t{name}\n".encode())
                await other.stdin.drain()
                committed = float((await other.stdout.readline()).decode())
                versions.pop(client_id, None)
                position = screen.view.rows.position_of(client_id)
                while screen.view.rows.names[position] != name:
                    if time.time() - committed > MISSED_AFTER_SECONDS:
                        missed += 1
                        break
                    await asyncio.sleep(0.005)
                else:
                    delays.append((time.time() - committed) * 1000)
                # Land at different points of the check cycle: a fixed pause after
                # each change landed every sample at the same point of the 1 s poll.
                await asyncio.sleep(spacing.uniform(0.2, 1.2))
            other.stdin.close()
            await other.wait()
            return delays, missed

        delays, _ = await renamed_elsewhere(OTHER_PROCESS_SCRIPT, "Other Process")
        plain_sql_delays, plain_sql_missed = await renamed_elsewhere(PLAIN_SQL_SCRIPT, "Plain SQL")

        process = psutil.Process()
        await asyncio.sleep(1.5)
        before = process.cpu_times()
        await asyncio.sleep(idle_seconds)
        after = process.cpu_times()
        idle_cpu = (after.user - before.user + after.system - before.system) / idle_seconds
        checks = []
        for _ in range(50):
            started = time.perf_counter()
            changes_since(engine, viewer, screen.seen_seq)
            checks.append((time.perf_counter() - started) * 1000)
    return {
        "rows_loaded": len(rows),
        "own_change_on_screen_after_write_all_kinds": summary(all_on_screen),
        "own_change": own,
        "full_reloads_during_own_changes": full_reloads,
        "change_by_another_process_on_screen": summary(delays),
        "change_by_plain_sql_on_screen": summary(plain_sql_delays) if plain_sql_delays else {},
        "changes_by_plain_sql_missed": plain_sql_missed,
        "rss_after_load_headless_mb": round(rss_mb, 1),
        "idle_process_cpu_percent_of_a_core": round(idle_cpu * 100, 2),
        "one_change_check": summary(checks),
    }


def compile_bytecode() -> None:
    """dext-tui's modules compiled, as pip leaves an installed package (the
    __pycache__ folders are git-ignored)."""
    import compileall

    import dext_tui

    compileall.compile_dir(Path(dext_tui.__file__).parent, quiet=1)


def import_ms() -> float:
    """Milliseconds `import dext_tui.cli, dext_tui.app` takes, by `-X importtime`."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dext_tui.cli, dext_tui.app"],
        capture_output=True,
        text=True,
        check=True,
    )
    top = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", result.stderr, re.M)
    return round(sum(int(micros) for micros in top) / 1000, 1)


def cold_start(url: str, user: str) -> tuple[float, float, float]:
    """One start of the real app in an 80x24 pseudo-terminal: ms to the first rows
    on screen, ms to every row, and its resident MB once loaded and settled."""
    import psutil
    from pty_terminal import start_app

    started = time.perf_counter()
    process, terminal = start_app(url, user, 80, 24)
    first = None
    try:
        while True:
            output = terminal.output()
            if first is None and FIRST_ROWS_SHOWN.search(output):
                first = (time.perf_counter() - started) * 1000
            if ALL_ROWS_SHOWN.search(output):
                every = (time.perf_counter() - started) * 1000
                break
            if process.poll() is not None or time.perf_counter() - started > COLD_START_TIMEOUT:
                raise SystemExit(f"the app did not show its list: {output[-2000:]!r}")
            time.sleep(0.002)
        terminal.wait_quiet(1.0)
        rss = psutil.Process(process.pid).memory_info().rss / 2**20
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        os.close(terminal.master)
    return first, every, rss


def cold_starts(url: str, user: str, runs: int) -> dict:
    compile_bytecode()
    sys.path.insert(0, str(Path(__file__).parent))
    taken = [cold_start(url, user) for _ in range(runs)]
    return {
        "cold_start_first_rows_ms": round(statistics.median(t[0] for t in taken)),
        "cold_start_every_row_ms": round(statistics.median(t[1] for t in taken)),
        "cold_start_runs_first_rows_ms": [round(t[0]) for t in taken],
        "rss_after_load_mb": round(statistics.median(t[2] for t in taken), 1),
        "import_app_ms": import_ms(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite file or database URL (seeded if empty)")
    parser.add_argument("--samples", type=int, default=OWN_CHANGES_PER_KIND, help="per kind")
    parser.add_argument("--idle-seconds", type=float, default=IDLE_SECONDS)
    parser.add_argument("--cold-starts", type=int, default=COLD_STARTS, help="runs in a pty")
    parser.add_argument(
        "--cold-start-only",
        action="store_true",
        help="only the cold starts (and import time), not the live figures",
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        figures = probe(args.probe, args.user, args.samples, args.idle_seconds)
        print(json.dumps(asyncio.run(figures)))
        return

    from dext_tui.data.database import database_url
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
        url = database_url(args.db or str(Path(scratch) / "bench.sqlite"))
        seed_seconds = None
        if database_is_empty(url):
            seed_seconds = round(seed(url, args.clients), 1)
        figures = {} if args.cold_start_only else live_figures(url, args)
        figures.update(cold_starts(url, DEMO_ADMIN_EMAIL, args.cold_starts))
    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": url.split(":", 1)[0],
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "seed_seconds": seed_seconds,
                **figures,
            },
            indent=2,
        )
    )


def live_figures(url: str, args: argparse.Namespace) -> dict:
    """The headless probe's figures, from a fresh process."""
    from probe_process import probe_figures

    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    return probe_figures(
        __file__,
        *(url, "--user", DEMO_ADMIN_EMAIL),
        *("--samples", str(args.samples), "--idle-seconds", str(args.idle_seconds)),
    )


if __name__ == "__main__":
    main()
