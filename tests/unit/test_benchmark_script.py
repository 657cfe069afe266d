"""The benchmark scripts keep working (their figures are read, never asserted on here)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a benchmark script in a new process

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


def run_benchmark(name: str, *arguments: str) -> dict:
    script = SCRIPT.parent / name
    result = subprocess.run(
        [sys.executable, str(script), *arguments], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_live_list_benchmark_measures_every_kind_of_change():
    figures = run_benchmark(
        "live_list.py",
        *("--clients", "300", "--samples", "2", "--idle-seconds", "0.5", "--cold-starts", "1"),
    )
    assert set(figures["own_change"]) == {"rename", "state", "code", "add"}
    assert figures["own_change_on_screen_after_write_all_kinds"]["samples"] == 8
    assert figures["full_reloads_during_own_changes"] == 0
    assert figures["change_by_another_process_on_screen"]["samples"] >= 1
    assert figures["change_by_plain_sql_on_screen"]["samples"] >= 1
    assert figures["changes_by_plain_sql_missed"] == 0
    assert figures["cold_start_first_rows_ms"] > 0 and figures["rss_after_load_mb"] > 0
    assert figures["cold_start_every_row_ms"] >= figures["cold_start_first_rows_ms"]
    assert figures["import_app_ms"] > 0 and figures["rss_after_load_headless_mb"] > 0


def test_concurrent_load_benchmark_loads_while_another_process_writes():
    figures = run_benchmark("concurrent_load.py", "--clients", "300", "--runs", "2")
    assert figures["runs"] == 2
    assert figures["crashes"] == 0
    assert figures["clients_written_meanwhile"] > 0


def test_search_benchmark_prints_every_figure_as_json():
    figures = run_benchmark("search.py", "--clients", "300", "--sample", "20")
    assert figures["rows_loaded"] == 300
    assert figures["ltd_limited_swapped"]["sample"] == 20
    assert 0 <= figures["ltd_limited_swapped"]["intended_client_in_first_10_pct"] <= 100
    assert 0 < figures["exact_name_typed"]["sample"] <= 300
    assert 0 <= figures["exact_name_typed"]["typed_name_first_pct"] <= 100
    keystrokes = figures["keystrokes"]
    assert keystrokes["search_keystroke_after_warm_up"]["samples"] > 0
    assert keystrokes["first_keystroke_after_warm_up_ms"] > 0


def test_precision_import_benchmark_matches_and_imports():
    figures = run_benchmark("precision_import.py", "--sources", "300", "--candidates", "1000")
    for key in ("load_ms", "match_ms", "import_ms"):
        assert figures[key] > 0, key
    assert set(figures["longest_stall_ms"]) == {"load", "match", "import"}
    assert figures["imported"]["clients_changed"] == 300


def test_practice_codes_benchmark_checks_and_applies_an_upload():
    figures = run_benchmark("practice_codes.py", "--clients", "300")
    assert figures["rows"] > 0 and figures["written"] == figures["updates"] > 0
    for key in ("read_and_check_ms", "apply_ms"):
        assert figures[key] >= 0, key


def test_export_benchmark_builds_and_saves_the_list():
    figures = run_benchmark("export.py", "--clients", "300")
    assert figures["exported"] > 0 and figures["view_clients"] > 0
    assert figures["total_ms"] >= 0


def test_product_views_benchmark_switches_to_each_product():
    figures = run_benchmark("product_views.py", "--clients", "300")
    for product in ("prepare", "precision", "solo"):
        assert figures[product]["clients_in_view"] > 0
        assert figures[product]["switch_to_columns_ms"] >= figures[product]["switch_to_rows_ms"]


def test_terminal_bytes_benchmark_counts_bytes_per_key():
    figures = run_benchmark(
        "terminal_bytes.py", "--clients", "300", "--samples", "1", "--sizes", "80x24"
    )
    (size,) = figures["sizes"]
    assert size["size"] == "80x24"
    assert not size["crashed"]
    for action in ("down", "pagedown", "slash", "search_character", "escape_search"):
        assert size[action]["samples"] == 1
        assert size[action]["bytes_median"] > 0, action  # each redraws something
    assert size["open_manage"]["bytes_median"] > 0
    assert size["close_manage"]["bytes_median"] > 0


def test_bulk_benchmark_deactivates_undoes_and_reads_activity():
    figures = run_benchmark("bulk.py", "--clients", "300", "--batch", "50", "--events", "1000")
    assert figures["written"] == figures["undone"] == figures["will_change"] == 50
    assert figures["audit_events"] == 1000
    assert figures["activity_first_page_lines"] == 50
    for key in ("preview_ms", "apply_ms", "undo_preview_ms", "undo_apply_ms"):
        assert figures[key] >= 0, key
    assert 0 < figures["grant_will_change"] == figures["grant_undone"] <= 50
    for key in ("grant_preview_ms", "grant_apply_ms", "grant_undo_preview_ms"):
        assert figures[key] >= 0, key


def test_selection_benchmark_marks_every_client_shown():
    figures = run_benchmark("selection.py", "--clients", "1000")
    assert figures["clients"] == 1000
    for key in ("mark_all_ms", "scope_check_ms", "clear_ms"):
        assert figures[key] >= 0, key


def test_practice_picker_benchmark_paints_and_searches():
    figures = run_benchmark("practice_picker.py", "--practices", "50")
    assert figures["practices_shown"] == 50
    assert figures["app_start_to_first_paint_ms"] > 0
    assert figures["search_keystroke"]["samples"] > 0
