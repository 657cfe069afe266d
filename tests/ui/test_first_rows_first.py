"""The first screenful is on screen before the full load starts (issue 16: first rows
within 500 ms of the process's start): the full load holds the interpreter lock for
long stretches, and on a busy machine the first page would otherwise wait behind it."""

from __future__ import annotations

import dext_tui.screens.list.client_list as client_list
from dext_tui.app import DextApp
from dext_tui.widgets.client_table import ClientTable
from tests.ui.conftest import settle


async def test_the_full_load_starts_once_the_first_screenful_is_painted(
    small_practice, monkeypatch
):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    seen_at_full_load: list[tuple[bool, int]] = []
    load_all_rows = client_list.load_all_rows

    def watched(engine, viewer):
        screen = app.screen
        table = screen.query_one(ClientTable)
        seen_at_full_load.append((screen.first_page_painted.is_set(), len(table.order)))
        return load_all_rows(engine, viewer)

    monkeypatch.setattr(client_list, "load_all_rows", watched)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.view is not None  # the full load did run
    # When it began, the first page was painted, its rows in the table.
    assert seen_at_full_load == [(True, 5)]
