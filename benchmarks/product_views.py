"""Product views at scale, printed as JSON.

    python benchmarks/product_views.py --clients 100000 > benchmarks/results/product_views-100k.json

Seeds a practice in a fresh SQLite file (or uses --db: a SQLite file, created
if missing, or a database URL, seeded if empty), opens the app as the practice
admin and, once every client is loaded, measures per product (Prepare,
Precision, Solo):

- switch_to_rows_ms: from choosing the product until its rows are on screen;
- switch_to_columns_ms: ... until its own columns (account manager, NI number...)
  are read and drawn: the extra read runs in a worker, the rows show first;
- search_keystroke_ms: a search keystroke answered inside the product's view
  (p50 / max over the words typed);
- extras_read_ms: reading that product's columns for every client, alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

WORDS = "thames"


async def probe(url: str) -> dict:
    from dext_tui.app import DextApp
    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.product_columns import load_product_columns
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL
    from dext_tui.screens.list.client_list import ClientListScreen
    from dext_tui.widgets.client_table import ClientTable

    engine = open_database(url)
    viewer = resolve_viewer(engine, DEMO_ADMIN_EMAIL)
    figures: dict = {}
    app = DextApp(engine, viewer)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = None
        while screen is None or screen.view is None:
            await asyncio.sleep(0.005)
            if isinstance(app.screen, ClientListScreen):
                screen = app.screen
        table = screen.query_one(ClientTable)
        for product in ("prepare", "precision", "solo"):
            started = time.perf_counter()
            screen.show_product(product)
            while table.product != product:
                await asyncio.sleep(0.001)
            rows_at = time.perf_counter()
            while getattr(table.source, "extras", None) is None:
                await asyncio.sleep(0.001)
            columns_at = time.perf_counter()
            keystrokes = []
            for length in range(1, len(WORDS) + 1):
                typed = WORDS[:length]
                began = time.perf_counter()
                screen.query_one("#search").value = typed
                while screen.answered_query is None or screen.answered_query.search != typed:
                    await asyncio.sleep(0.001)
                keystrokes.append((time.perf_counter() - began) * 1000)
            screen.action_clear()
            await pilot.pause()
            keystrokes.sort()
            read_started = time.perf_counter()
            extras = load_product_columns(engine, viewer, product)
            figures[product] = {
                "clients_in_view": len(extras.values),
                "switch_to_rows_ms": round((rows_at - started) * 1000, 1),
                "switch_to_columns_ms": round((columns_at - started) * 1000, 1),
                "search_keystroke_ms": {
                    "p50": round(keystrokes[len(keystrokes) // 2], 1),
                    "max": round(keystrokes[-1], 1),
                },
                "extras_read_ms": round((time.perf_counter() - read_started) * 1000, 1),
            }
        screen.show_product(None)
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite file (seeded if missing) or a database URL")
    args = parser.parse_args()

    from live_list import seeded_database

    with tempfile.TemporaryDirectory(prefix="dext-bench-views-") as scratch:
        url, seed_seconds = seeded_database(args.db, args.clients, scratch)
        figures = asyncio.run(probe(url))
    result = {"clients": args.clients, "seed_seconds": seed_seconds, **figures}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
