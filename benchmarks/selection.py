"""Marking every client shown on the list, at scale, printed as JSON.

    python benchmarks/selection.py --clients 100000 > benchmarks/results/selection-100k.json

The list holds its clients column-wise (an id array) and an order array of the rows
shown; marks are a set of ids shared with the table. Measured over such columns
(shuffled ids, every row shown), median of 7:

- mark_all_ms: `*` — the shown ids read from the order and merged into the marks
  (a sorted id array: widgets/marks.py);
- scope_check_ms: after a live patch, the marked ids no longer in the viewer's scope
  found (one client left it);
- clear_ms: `x`.

Target (issue 17): marking all 100,000 clients within 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).parent.parent))

from dext_tui.screens.list.selection import out_of_scope, shown_ids  # noqa: E402
from dext_tui.widgets.marks import Marks  # noqa: E402


def median_ms(run, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    ids = np.random.default_rng(7).permutation(np.arange(1, args.clients + 1, dtype=np.int64))
    present = np.ones(args.clients, dtype=bool)
    present[0] = False  # one client left the viewer's scope
    table = SimpleNamespace(rows=SimpleNamespace(ids=ids), order=np.arange(args.clients))
    view = SimpleNamespace(rows=SimpleNamespace(ids=ids, present=present))
    marks = Marks()

    def mark_all() -> None:
        marks.clear()
        marks.update(shown_ids(table))  # as Selection._mark does

    mark_all_ms = median_ms(mark_all)
    assert len(marks) == args.clients
    scope_check_ms = median_ms(lambda: out_of_scope(marks, view))
    assert out_of_scope(marks, view).tolist() == [int(ids[0])]
    clear_ms = median_ms(marks.clear)
    print(
        json.dumps(
            {
                "clients": args.clients,
                "mark_all_ms": mark_all_ms,
                "scope_check_ms": scope_check_ms,
                "clear_ms": clear_ms,
                "target_mark_all_ms": 100,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
