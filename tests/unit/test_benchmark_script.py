"""The scale benchmark keeps working (its figures are read, never asserted on here)."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "client_list.py"


def test_benchmark_prints_every_figure_as_json():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "300"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["rows_loaded"] == 300
    for key in (
        "process_start_to_first_rows_ms",
        "app_start_to_first_rows_ms",
        "full_load_ms",
        "resident_memory_mb",
    ):
        assert figures[key] > 0
    for key in (
        "search_keystroke",
        "search_keystroke_while_loading",
        "filter_change",
        "sort_change",
    ):
        assert figures[key]["samples"] > 0
