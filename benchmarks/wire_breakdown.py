"""Where a redraw's bytes go: per screen line, its colour runs and bytes.

    python benchmarks/terminal_bytes.py --dump /tmp/wire ...
    python benchmarks/wire_breakdown.py /tmp/wire/80x24-down.bin [more.bin ...]

Reads the bytes an action wrote (as dumped by terminal_bytes.py) and splits them
at each cursor move (`ESC [ row ; col H`, how Textual starts every changed
piece of a line), then reports for each screen row: how many pieces were sent,
how many colour changes (SGR sequences), how many bytes of which were colour,
and the text drawn (escape sequences removed), as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
SGR = re.compile(rb"\x1b\[[0-9;:]*m")
ANY_ESCAPE = re.compile(rb"\x1b(\[[0-9;:?<>=]*[a-zA-Z~]|[()][0-9A-B]|[78=>])")


def breakdown(data: bytes) -> dict:
    rows: dict[int, dict] = defaultdict(
        lambda: {"pieces": 0, "runs": 0, "bytes": 0, "colour_bytes": 0, "text": ""}
    )
    moves = list(MOVE.finditer(data))
    before = data[: moves[0].start()] if moves else data
    for index, move in enumerate(moves):
        end = moves[index + 1].start() if index + 1 < len(moves) else len(data)
        piece = data[move.start() : end]
        row = rows[int(move.group(1))]
        row["pieces"] += 1
        row["runs"] += len(SGR.findall(piece))
        row["bytes"] += len(piece)
        row["colour_bytes"] += sum(len(m) for m in SGR.findall(piece))
        text = ANY_ESCAPE.sub(b"", piece[move.end() - move.start() :])
        row["text"] += f"@{move.group(2).decode()}:" + text.decode(errors="replace")
    return {
        "bytes": len(data),
        "colour_bytes": sum(len(m) for m in SGR.findall(data)),
        "runs": len(SGR.findall(data)),
        "outside_lines": len(before),
        "rows": {str(row): rows[row] for row in sorted(rows)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dumps", nargs="+", type=Path)
    args = parser.parse_args()
    print(json.dumps({str(path): breakdown(path.read_bytes()) for path in args.dumps}, indent=2))


if __name__ == "__main__":
    main()
