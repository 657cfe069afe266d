"""The search benchmark keeps working (its figures are read, never asserted on here)."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "search.py"


def test_search_benchmark_prints_every_figure_as_json():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "300", "--sample", "20"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["rows_loaded"] == 300
    assert figures["ltd_limited_swapped"]["sample"] == 20
    assert 0 <= figures["ltd_limited_swapped"]["intended_client_in_first_10_pct"] <= 100
    keystrokes = figures["keystrokes"]
    assert keystrokes["search_keystroke_after_warm_up"]["samples"] > 0
    assert keystrokes["first_keystroke_after_warm_up_ms"] > 0
