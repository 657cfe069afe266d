"""Practice-picker figures at 10,000 practices (spec 15), printed as JSON.

    python benchmarks/practice_picker.py --practices 10000 \
        --out benchmarks/results/practice_picker-10k.json

Builds a SQLite database (migrated, then plain SQL: practices with a few clients each,
and one support person), starts the app headless at 80x24 as that support person and
measures:

- app_start_to_first_paint_ms: from App.run to the picker's table holding every
  practice (read, counted and indexed in a worker, then drawn);
- search keystroke latency: a key typed into the picker's search box (as a terminal
  delivers it) until the table shows the answer for the box's text, typing parts of
  practices' names one key at a time (with a typo in some) and deleting them again;
- the longest stall of the event loop while loading and while typing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from live_list import summary  # noqa: E402  (p50/p95/max as the other benchmarks say them)

FIRST = (
    "Harbour Birch Cedar Thames Severn Oak Alder Kestrel Willow Granite Meadow Hawthorn "
    "Riverside Northgate Ashford Beacon Clifton Dunmore Elmwood Fairfield Glen Holloway Ivy "
    "Juniper Kingsley"
).split()
SECOND = [
    *("& Vale", "& Co", "Partners", "Tax", "Books", "& Sons", "Associates", "Audit"),
    *("Bookkeeping", "Advisory", "Payroll", "& Webb", "Chartered", "Finance", "Ledger"),
]
THIRD = ["Accountants", "LLP", "Ltd", "Limited", "Group", "Services", ""]
CLIENTS_PER_PRACTICE = 3
SUPPORT_EMAIL = "sam@support.example"


def practice_names(count: int, rng: random.Random) -> list[str]:
    names = []
    for number in range(count):
        words = [rng.choice(FIRST), rng.choice(FIRST), rng.choice(SECOND), rng.choice(THIRD)]
        names.append(" ".join(word for word in words if word) + f" {number}")
    return names


def build_database(path: Path, practices: int) -> tuple[float, list[str]]:
    from sqlalchemy import text

    from dext_tui.data.database import make_engine, upgrade_to_head

    rng = random.Random(1)
    names = practice_names(practices, rng)
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    started = time.perf_counter()
    now = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO practice (id, name, has_prepare, has_precision, has_solo, "
                "client_bundle_limit, support_access) VALUES (:id, :name, :p, :r, :s, 1000, :on)"
            ),
            [
                {
                    "id": i + 1,
                    "name": name,
                    "p": True,
                    "r": i % 3 != 0,
                    "s": i % 4 == 0,
                    "on": i % 50 != 0,
                }  # fmt: skip
                for i, name in enumerate(names)
            ],
        )
        connection.execute(
            text(
                "INSERT INTO client (practice_id, name, sort_name, state, created_at, "
                "updated_at, version) VALUES (:p, :name, :name, 'active', :now, :now, 1)"
            ),
            [
                {"p": i + 1, "name": f"Client {n} of {i + 1}", "now": now}
                for i in range(practices)
                for n in range(rng.randint(0, 2 * CLIENTS_PER_PRACTICE))
            ],
        )
        connection.execute(
            text(
                "INSERT INTO support_person (name, email, active, created_at) "
                "VALUES ('Sam Support', :email, :on, :now)"
            ),
            {"email": SUPPORT_EMAIL, "on": True, "now": now},
        )
    engine.dispose()
    return time.perf_counter() - started, names


async def probe(db_path: Path, names: list[str]) -> dict:
    from textual import events

    from dext_tui.app import DextApp
    from dext_tui.data.database import open_database
    from dext_tui.data.support_identity import find_support_person
    from dext_tui.screens.support.picker import PracticePickerScreen, PracticeTable

    engine = open_database(str(db_path))
    with engine.connect() as connection:
        person = find_support_person(connection, SUPPORT_EMAIL)
    app = DextApp(engine, support_person=person)
    stalls: list[float] = []

    async def watch_loop() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append((time.perf_counter() - before - 0.005) * 1000)

    started = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        watcher = asyncio.create_task(watch_loop())
        while not isinstance(app.screen, PracticePickerScreen):
            await asyncio.sleep(0.001)
        screen = app.screen
        table = screen.query_one(PracticeTable)
        while table.row_count < len(names):
            await asyncio.sleep(0.001)
        await pilot.pause()  # drawn
        first_paint = (time.perf_counter() - started) * 1000
        loading_stall = max(stalls, default=0.0)
        stalls.clear()

        async def send_key(key: str, char: str | None) -> float:
            typed_before = screen.search
            sent = time.perf_counter()
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
            while screen.search == typed_before or screen.answered_query != screen.search:
                await asyncio.sleep(0.0005)
            return (time.perf_counter() - sent) * 1000

        rng = random.Random(2)
        keystrokes: list[float] = []
        for name in rng.sample(names, 8):
            typed = " ".join(name.split()[:2]).lower()
            if rng.random() < 0.5 and len(typed) > 5:  # a typo: two letters swapped
                typed = typed[:2] + typed[3] + typed[2] + typed[4:]
            for char in typed:
                key = "space" if char == " " else char
                keystrokes.append(await send_key(key, char))
            for _ in typed:
                keystrokes.append(await send_key("backspace", None))
        watcher.cancel()
        return {
            "practices_shown": table.row_count,
            "app_start_to_first_paint_ms": round(first_paint, 1),
            "loading_longest_stall_ms": round(loading_stall, 1),
            "search_keystroke": summary(keystrokes),
            "typing_longest_stall_ms": round(max(stalls, default=0.0), 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
        db_path = Path(scratch) / "picker.sqlite"
        seed_seconds, names = build_database(db_path, args.practices)
        figures = asyncio.run(probe(db_path, names))
    load = os.getloadavg()
    result = {
        "practices": args.practices,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "load_average_1_5_15": [round(value, 2) for value in load],
        "seed_seconds": round(seed_seconds, 1),
        **figures,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
