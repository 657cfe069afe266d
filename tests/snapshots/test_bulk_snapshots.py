"""What marks, the Bulk menu, a bulk preview and Activity look like at 80x24.

Deterministic as the other snapshots: a seeded practice (fixed seed and clock),
SQLite, no cursor blink.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.seed import DEMO_ADMIN_EMAIL
from dext_tui.data.services.bulk_actions import apply_bulk, preview_bulk
from dext_tui.data.services.clients import update_client
from tests.conftest import seeded_sqlite_engine
from tests.factories import FIXED_NOW
from tests.ui.conftest import settle


@pytest.fixture
def bulk_app(tmp_path: Path) -> DextApp:
    engine = seeded_sqlite_engine(
        tmp_path / "snap.sqlite", clients=300, precision_pending=10, seed=7
    )
    return DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))


def pressing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for input_widget in pilot.app.screen.query(Input):
            input_widget.cursor_blink = False
        await pilot.pause()

    return run_before


MARK_THREE = ("space", "down", "down", "space", "down", "space")


class TestBulk:
    def test_marked_clients(self, snap_compare, bulk_app):
        assert snap_compare(bulk_app, terminal_size=(80, 24), run_before=pressing(*MARK_THREE))

    def test_bulk_menu(self, snap_compare, bulk_app):
        keys = (*MARK_THREE, "b")
        assert snap_compare(bulk_app, terminal_size=(80, 24), run_before=pressing(*keys))

    def test_deactivate_preview(self, snap_compare, bulk_app):
        keys = (*MARK_THREE, "b", "d")
        assert snap_compare(bulk_app, terminal_size=(80, 24), run_before=pressing(*keys))

    def test_activity(self, snap_compare, bulk_app):
        engine, admin = bulk_app.engine, bulk_app.viewer
        fixed = lambda: FIXED_NOW  # noqa: E731
        preview = preview_bulk(engine, admin, "deactivate", range(1, 41), clock=fixed)
        apply_bulk(engine, admin, preview, clock=fixed)
        edited = update_client(engine, admin, 50, version=1, practice_code="SNAP-050", clock=fixed)
        assert edited.batch_id
        keys = ("v", "down", "enter")  # the batch opened to its clients
        assert snap_compare(bulk_app, terminal_size=(80, 24), run_before=pressing(*keys))
