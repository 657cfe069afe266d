"""Starting the TUI imports only what the first screen needs (issue 16: first rows
within 500 ms of the process's start). What is deferred until first used is named
here, so that an import added at module level somewhere cannot bring it back
silently: the migrations (alembic), the ORM and the models (sqlmodel,
sqlalchemy.orm, data/models.py), the write side (the services beyond the shared
transaction helper), numpy (the first screenful is drawn from plain lists; numpy
comes with the full list, in the loading worker), the search side (rapidfuzz and
the name index, built in the loading worker; the support desk's access check
brings it with the practice picker, so that is read in its worker too), and the
screens the list opens: each package is imported when its key is first pressed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dext_tui.data.database import SCHEMA_REVISION, current_revision
from tests.factories import add_client, add_team

DEFERRED = (
    "numpy",  # the first screenful is plain lists; numpy comes with the full list
    "alembic",
    "sqlmodel",
    "sqlalchemy.orm",
    "pydantic",
    "rapidfuzz",
    "dext_tui.data.models",
    "dext_tui.data.services.clients",
    "dext_tui.data.name_search",
    "dext_tui.data.live_name_index",
    "dext_tui.data.practice_picker",
    # Screens not on screen at start: imported when their key is first pressed.
    "dext_tui.screens.activity",
    "dext_tui.screens.add_client",
    "dext_tui.screens.bulk",
    "dext_tui.screens.import_precision",
    "dext_tui.screens.manage",
    "dext_tui.screens.tools",
    "dext_tui.screens.support.elevate",
    "dext_tui.screens.support.picker",
)

START_UP = """
import json, sys
from dext_tui.cli_options import open_database
from dext_tui.cli_support import acting_viewer
engine = open_database(sys.argv[1])
viewer = acting_viewer(engine, sys.argv[2], None, None, writes=False)
import dext_tui.app
from dext_tui.data.client_rows import load_first_rows
first = load_first_rows(engine, viewer, 200)
print(json.dumps({"rows": len(first), "modules": sorted(sys.modules)}))
"""


def _loaded_at_start_up(path: Path, user: str) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", START_UP, str(path), user],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["rows"], set(answer["modules"])


def _deferred_among(modules: set[str]) -> list[str]:
    return sorted(
        module
        for module in modules
        if any(module == name or module.startswith(name + ".") for name in DEFERRED)
    )


def test_starting_the_tui_on_an_up_to_date_database_defers_the_rest(sqlite_db, tmp_path):
    team = add_team(sqlite_db)
    add_client(sqlite_db, team["practice_id"], name="Acme Ltd")
    assert current_revision(sqlite_db) == SCHEMA_REVISION  # no migration to run
    path = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    rows, modules = _loaded_at_start_up(path, "admin@example.com")
    assert rows == 1  # the first screenful was read ...
    assert "dext_tui.screens.list.client_list" in modules  # ... and the first screen imported
    assert _deferred_among(modules) == []


def test_the_deferred_modules_still_load_when_first_used():
    """The names above are real modules (a renamed one would make the test pass vacuously)."""
    script = "import json, sys\n" + "".join(f"import {name}\n" for name in DEFERRED)
    script += "print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert set(DEFERRED) <= set(json.loads(result.stdout))
