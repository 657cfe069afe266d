"""What Import Precision Clients looks like: the rows, the link picker and the review,
at 80x24 and 120x40.

Deterministic as the list's snapshots are: a seeded practice (fixed seed, fixed
clock), SQLite only, no cursor blink.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.seed import DEMO_ADMIN_EMAIL
from dext_tui.screens.import_precision.import_precision import ImportPrecisionScreen
from tests.conftest import seeded_sqlite_engine
from tests.ui.conftest import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def seeded_app(tmp_path: Path) -> DextApp:
    engine = seeded_sqlite_engine(
        tmp_path / "snap.sqlite", clients=300, precision_pending=12, seed=7
    )
    return DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))


async def _no_blink(pilot) -> None:
    for screen in pilot.app.screen_stack:
        for input_widget in screen.query(Input):
            input_widget.cursor_blink = False


def on_import_screen(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        app = pilot.app
        app.push_screen(ImportPrecisionScreen(app.engine, app.viewer))
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        await _no_blink(pilot)
        await pilot.pause()

    return run_before


class TestImportPrecision:
    @pytest.mark.parametrize("size", SIZES)
    def test_rows(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=on_import_screen())

    @pytest.mark.parametrize("size", SIZES)
    def test_link_picker(self, snap_compare, seeded_app, size):
        # The third row, its match changed: the picker opens searching for its name.
        keys = ("down", "down", "c")
        assert snap_compare(seeded_app, terminal_size=size, run_before=on_import_screen(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_review(self, snap_compare, seeded_app, size):
        keys = ("down", "3", "down", "1", "n")
        assert snap_compare(seeded_app, terminal_size=size, run_before=on_import_screen(*keys))
