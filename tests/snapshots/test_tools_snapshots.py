"""What the Tools look like, at 80x24 and 120x40: the menu, an upload preview with
errors, an export in progress and one ready to download.

Deterministic as tests/snapshots/test_snapshots.py: a seeded practice (fixed
seed and clock), SQLite, no cursor blink; files by relative path from a
temporary working directory, and the export's path typed in, so no run's
temporary folder or date shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar

from dext_tui.app import DextApp
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.seed import DEMO_ADMIN_EMAIL
from dext_tui.screens.tools.export_list import ExportListScreen
from dext_tui.screens.tools.tools_menu import ToolsMenuScreen
from dext_tui.screens.tools.upload_codes import UploadCodesScreen
from tests.conftest import seeded_sqlite_engine
from tests.ui.conftest import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
UPLOAD = (
    "Client ID,Practice code,Note\r\n"
    "1,NEW-001,renumbered\r\n"
    "2,,left as it is\r\n"
    "3,bad code!,typo\r\n"
    "999999,X1,not ours\r\n"
    "4,NEW-005,\r\n"
    "5,new-005,same code twice\r\n"
    "6,=HYPERLINK(1),formula\r\n"
)
EXPORT_PATH = "/home/pat/Downloads/dext-client-list-2026-11-02.csv"


@pytest.fixture
def tools_app(tmp_path: Path, monkeypatch) -> DextApp:
    engine = seeded_sqlite_engine(
        tmp_path / "snap.sqlite", clients=300, precision_pending=10, seed=7
    )
    (tmp_path / "codes.csv").write_bytes(UPLOAD.encode())
    monkeypatch.chdir(tmp_path)
    app = DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))
    app.tools_engine = engine  # type: ignore[attr-defined]
    return app


def no_blink(pilot) -> None:
    for input_widget in pilot.app.screen.query(Input):
        input_widget.cursor_blink = False


def opened(make_screen, *keys: str, then=None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        app = pilot.app
        app.push_screen(make_screen(app.tools_engine, app.viewer))
        await settle(pilot)
        no_blink(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        no_blink(pilot)

    return run_before


async def choose_codes_csv(pilot) -> None:
    path = pilot.app.screen.query_one("#upload-path", Input)
    path.value = "codes.csv"
    path.focus()
    await pilot.press("enter")
    await settle(pilot)


async def typed_export_path(pilot) -> None:
    pilot.app.screen.query_one("#export-path", Input).value = EXPORT_PATH


async def half_way(pilot) -> None:
    """The export worker's progress as it arrives half-way (set directly: a real
    export of 300 clients is over before a picture can be taken)."""
    screen = pilot.app.screen
    await typed_export_path(pilot)
    screen.token, screen.building = 7, True
    screen.query_one("#export-progress", ProgressBar).display = True
    screen._update_buttons()
    screen.on_export_list_screen_progressed(ExportListScreen.Progressed(7, 150, 300))


def export_screen(engine, viewer) -> ExportListScreen:
    return ExportListScreen(engine, viewer, None, "")


def export_view_screen(engine, viewer) -> ExportListScreen:
    import numpy as np

    ids = np.array([5, 3, 1], dtype=np.int64)
    return ExportListScreen(engine, viewer, ids, "search “ltd”, Prepare: Active")


class TestTools:
    def test_menu(self, snap_compare, tools_app):
        menu = opened(lambda _engine, _viewer: ToolsMenuScreen())
        assert snap_compare(tools_app, terminal_size=(80, 24), run_before=menu)

    @pytest.mark.parametrize("size", SIZES)
    def test_upload_preview_with_errors(self, snap_compare, tools_app, size):
        run_before = opened(UploadCodesScreen, then=choose_codes_csv)
        assert snap_compare(tools_app, terminal_size=size, run_before=run_before)

    def test_upload_apply_confirmation(self, snap_compare, tools_app):
        async def then(pilot) -> None:
            await choose_codes_csv(pilot)
            await pilot.press("ctrl+s")

        run_before = opened(UploadCodesScreen, then=then)
        assert snap_compare(tools_app, terminal_size=(80, 24), run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_export_in_progress(self, snap_compare, tools_app, size):
        run_before = opened(export_view_screen, then=half_way)
        assert snap_compare(tools_app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_export_ready_to_download(self, snap_compare, tools_app, size):
        async def then(pilot) -> None:
            await typed_export_path(pilot)
            await pilot.press("ctrl+s")

        run_before = opened(export_screen, then=then)
        assert snap_compare(tools_app, terminal_size=size, run_before=run_before)
