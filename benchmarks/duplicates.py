"""Add Client's duplicate check at scale, printed as JSON (and written to benchmarks/results/).

    python benchmarks/duplicates.py --clients 100000 [--db PATH]

Builds its own SQLite database with the seed command's generator (or reuses --db)
and times, on the data layer (no UI), as the wizard runs it in its workers:

- load: reading and normalising every visible client's name once (`load_name_keys`),
  which the wizard does in a worker when it opens, while the user types;
- check_with_names: a check at Next with those names loaded (fuzzy name match, plus
  clients added since, CRN and practice-code lookups);
- check_cold: a check with nothing loaded (what a check costs if the load failed);
- standard_user: the same for a standard user, whose scope is a fraction of the clients.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

TYPED = [
    ("Thames Watr Ltd", None, None),
    ("Smith & Jones Limited", "01234567", "SJ-1"),
    ("Chiltern Design", None, None),
    ("A Completely New Name For Once", None, "NEW-1"),
    ("Novak Audio Visual Ltd", "SC123456", None),
]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def summary(values: list[float]) -> dict:
    return {
        "samples": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "max_ms": round(max(values), 1),
    }


def measure(engine, viewer, repeats: int) -> dict:
    from dext_tui.data.duplicates import find_duplicates, load_name_keys

    names, load_ms = timed(load_name_keys, engine, viewer)
    warm, cold, found = [], [], {}
    for _ in range(repeats):
        for name, crn, code in TYPED:
            result, ms = timed(
                find_duplicates, engine, viewer, name=name, crn=crn, practice_code=code, names=names
            )
            warm.append(ms)
            found[name] = [d.name for d in result]
    for name, crn, code in TYPED:
        _result, ms = timed(find_duplicates, engine, viewer, name=name, crn=crn, practice_code=code)
        cold.append(ms)
    return {
        "visible_clients": len(names.ids),
        "load_names_ms": round(load_ms, 1),
        "check_with_names": summary(warm),
        "check_cold": summary(cold),
        "found": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="reuse this SQLite file (it is created and seeded if missing)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from client_list import build_database

    from dext_tui.data.database import open_database
    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    db_path = Path(args.db or Path(tempfile.gettempdir()) / f"dext-dups-{args.clients}.sqlite")
    if not db_path.exists():
        build_database(db_path, args.clients)
    engine = open_database(str(db_path))
    figures = {
        "clients": args.clients,
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "practice_admin": measure(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL), args.repeats),
        "standard_user": measure(
            engine, resolve_viewer(engine, "tokafor@demo-practice.example"), args.repeats
        ),
    }
    engine.dispose()
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text)
    results = Path(__file__).parent / "results" / f"duplicates-{args.clients // 1000}k.json"
    results.write_text(text + "\n")


if __name__ == "__main__":
    main()
