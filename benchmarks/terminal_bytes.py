"""Bytes on the wire per key, printed as JSON.

    python benchmarks/terminal_bytes.py --clients 100000 --db /tmp/bench100k.sqlite

Seeds a practice (a SQLite file in a scratch folder, or `--db` if it is missing
or an empty database), then for each terminal size runs the real app in a
pseudo-terminal of that size, as a user's terminal would, waits for every row,
and presses keys one at a time: `Down`, `PageDown`, `/`, a search character,
`esc`, `m` (open Manage) and `esc` (close it). For each it counts the bytes the
app writes to the terminal and the settle time: from the key sent to the last
byte before the terminal has been quiet for `--quiet-ms` (so a redraw that
comes in pieces counts whole; every key measured draws something, so its
first byte is waited for up to FIRST_BYTE_TIMEOUT). Each figure is the median
of `--samples` presses.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from live_list import database_is_empty, seed  # noqa: E402
from pty_terminal import Terminal, start_app  # noqa: E402

SIZES = ((80, 24), (200, 50))
KEYS = {"down": b"\x1b[B", "pagedown": b"\x1b[6~", "slash": b"/", "escape": b"\x1b", "m": b"m"}
ACTIONS = (
    "down",
    "pagedown",
    "slash",
    "search_character",
    "escape_search",
    "open_manage",
    "close_manage",
)
SEARCH_TEXT = "thames"  # one character per sample, typed in turn
LOADED = re.compile(rb"Showing [0-9,]+ of")
START_TIMEOUT = 300.0


def wait_loaded(process: subprocess.Popen, terminal: Terminal, quiet: float) -> None:
    deadline = time.perf_counter() + START_TIMEOUT
    while not LOADED.search(terminal.output()):
        if process.poll() is not None or time.perf_counter() > deadline:
            tail = terminal.output()[-2000:].decode(errors="replace")
            raise SystemExit(f"the app did not show its list: {tail}")
        time.sleep(0.1)
    terminal.wait_quiet(max(quiet, 1.0))


def last_words(terminal: Terminal) -> str:
    """The end of what a crashed app wrote, escape sequences removed."""
    text = re.sub(rb"\x1b\[[0-9;:?<>=]*[a-zA-Z~]", b" ", terminal.output()[-4000:])
    return " ".join(text.decode(errors="replace").split())[-600:]


def figure(samples: list[tuple[int, float, int, bytes]]) -> dict:
    sizes = [size for size, *_rest in samples]
    return {
        "samples": len(samples),
        "bytes_median": round(statistics.median(sizes)),
        "bytes_max": max(sizes),
        "settle_ms_median": round(statistics.median(s for _b, s, _c, _d in samples), 1),
        "colour_bytes_pct": round(
            100 * sum(c for _b, _s, c, _d in samples) / max(1, sum(sizes)), 1
        ),
    }


def measure(
    url: str,
    user: str,
    width: int,
    height: int,
    samples: int,
    quiet: float,
    dump: Path | None = None,
) -> dict:
    process, terminal = start_app(url, user, width, height)
    try:
        wait_loaded(process, terminal, quiet)
        taken: dict[str, list] = {name: [] for name in ACTIONS}
        for _ in range(samples):
            taken["down"].append(terminal.press(KEYS["down"], quiet))
        for _ in range(samples):
            taken["pagedown"].append(terminal.press(KEYS["pagedown"], quiet))
        for sample in range(samples):
            taken["slash"].append(terminal.press(KEYS["slash"], quiet))
            character = SEARCH_TEXT[sample % len(SEARCH_TEXT)].encode()
            taken["search_character"].append(terminal.press(character, quiet))
            taken["escape_search"].append(terminal.press(KEYS["escape"], quiet))
        for _ in range(samples):
            taken["open_manage"].append(terminal.press(KEYS["m"], quiet))
            taken["close_manage"].append(terminal.press(KEYS["escape"], quiet))
        exit_code = process.poll()  # None: still running, as it should be
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            for name, values in taken.items():
                (dump / f"{width}x{height}-{name}.bin").write_bytes(values[-1][3])
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        os.close(terminal.master)
    return {
        "size": f"{width}x{height}",
        "crashed": exit_code is not None,
        **({"exit_code": exit_code, "last_output": last_words(terminal)} if exit_code else {}),
        **{name: figure(values) for name, values in taken.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite file or database URL (seeded if missing or empty)")
    parser.add_argument("--samples", type=int, default=5, help="presses of each key")
    parser.add_argument("--quiet-ms", type=float, default=200, help="silence that ends a redraw")
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    parser.add_argument(
        "--dump", type=Path, help="write each action's last sample's bytes here (wire_breakdown.py)"
    )
    args = parser.parse_args()

    from dext_tui.data.database import database_url
    from dext_tui.data.seed import DEMO_ADMIN_EMAIL

    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    quiet = args.quiet_ms / 1000
    with tempfile.TemporaryDirectory(prefix="dext-bench-") as scratch:
        url = database_url(args.db or str(Path(scratch) / "bench.sqlite"))
        seed_seconds = None
        if database_is_empty(url):
            seed_seconds = round(seed(url, args.clients), 1)
        load_before = [round(load, 2) for load in os.getloadavg()]
        results = [
            measure(url, DEMO_ADMIN_EMAIL, width, height, args.samples, quiet, args.dump)
            for width, height in sizes
        ]
    load_after = [round(load, 2) for load in os.getloadavg()]
    print(
        json.dumps(
            {
                "clients": args.clients,
                "backend": url.split(":", 1)[0],
                "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                "terminal": "pty, TERM=xterm-256color, COLORTERM=truecolor",
                "quiet_ms": args.quiet_ms,
                "seed_seconds": seed_seconds,
                # 1, 5 and 15 minute load averages (2 cores shared): figures are noisy above ~2
                "load_average": {"before": load_before, "after": load_after},
                "sizes": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
