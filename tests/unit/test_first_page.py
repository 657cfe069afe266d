"""The first screenful is read as plain lists (numpy comes with the full list, after the
first paint: test_start_up_imports.py); it must hold exactly what the full list holds
for the same rows, and the table must find a row in it as it does in the full list."""

from __future__ import annotations

import numpy as np

from dext_tui.data.client_rows import COLUMN_NAMES, load_all_rows, load_first_rows
from dext_tui.data.identity import resolve_viewer
from dext_tui.widgets.client_table import ClientRowsSource
from dext_tui.widgets.row_table import _row_of
from tests.factories import add_client, add_team


def test_the_first_page_holds_the_full_lists_first_rows_and_finds_rows_alike(sqlite_db):
    team = add_team(sqlite_db)
    practice = team["practice_id"]
    add_client(sqlite_db, practice, "Cedar Ltd", crn="00000003", code="C1", costs=12, sales=3)
    add_client(sqlite_db, practice, "Alder Ltd", prepare=None, precision="active", solo="invited")
    add_client(sqlite_db, practice, "Birch Ltd", state="deactivated", costs=4000, code="B2")
    add_client(sqlite_db, practice, "Damson Ltd", crn="00000009", sales=7)
    viewer = resolve_viewer(sqlite_db, "admin@example.com")
    first = load_first_rows(sqlite_db, viewer, 3)
    every = load_all_rows(sqlite_db, viewer)
    assert first.total == 4 and len(first) == 3
    for name in COLUMN_NAMES:
        assert list(getattr(first, name)) == list(getattr(every, name))[:3], name
    assert list(first.present) == [True] * 3
    shown = range(len(first))  # the order the list shows a first page in
    for row, client_id in enumerate(first.ids):
        assert _row_of(ClientRowsSource(first), shown, client_id) == row
        assert _row_of(ClientRowsSource(every), np.arange(len(every)), client_id) == row
    assert _row_of(ClientRowsSource(first), shown, int(every.ids[3])) is None
