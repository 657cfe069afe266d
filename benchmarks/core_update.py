"""Raw text() against SQLAlchemy Core for an executemany UPDATE (issue 18), printed as JSON.

    PYTHONPATH=. python benchmarks/core_update.py > benchmarks/results/core_update-100k.json

The statement is precision_import._mark_sources': 100,000 source rows marked, in one
transaction on a fresh SQLite file each run, raw and Core alternating (two runs each).
Core replaced the raw statement when it measured no slower.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import bindparam, insert, or_, text, update

from dext_tui.data.models import PrecisionSourceClient
from tests.conftest import sqlite_engine
from tests.factories import add_practice

ROWS = 100_000
TABLE = PrecisionSourceClient.__table__
RAW = text(
    "UPDATE precision_source_client SET import_state = :state, client_id = :client_id "
    "WHERE id = :id AND import_state IN ('pending', 'set_up_later')"
)
CORE = (
    update(TABLE)
    .where(
        TABLE.c.id == bindparam("source_id"),
        or_(TABLE.c.import_state == "pending", TABLE.c.import_state == "set_up_later"),
    )
    .values(import_state=bindparam("state"), client_id=bindparam("new_client_id"))
)


def run(kind: str) -> int:
    engine = sqlite_engine(Path(tempfile.mkdtemp()) / "bench.sqlite")
    practice_id = add_practice(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(TABLE),
            [
                {"practice_id": practice_id, "name": f"n{i}", "import_state": "pending"}
                for i in range(ROWS)
            ],
        )
    with engine.begin() as connection:
        start = time.perf_counter()
        if kind == "raw":
            rows = [{"id": i + 1, "state": "set_up_later", "client_id": None} for i in range(ROWS)]
            connection.execute(RAW, rows)
        else:
            rows = [
                {"source_id": i + 1, "state": "set_up_later", "new_client_id": None}
                for i in range(ROWS)
            ]
            connection.execute(CORE, rows)
        elapsed = round((time.perf_counter() - start) * 1000)
    engine.dispose()
    return elapsed


def main() -> None:
    results: dict[str, list[int]] = {"raw": [], "core": []}
    for kind in ("raw", "core", "raw", "core"):
        results[kind].append(run(kind))
    print(
        json.dumps(
            {
                "rows": ROWS,
                "backend": "sqlite",
                "ms": results,
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
