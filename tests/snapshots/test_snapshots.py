"""What the screens look like, at 80x24 and 120x40.

Deterministic: a seeded practice (fixed seed, fixed clock inside the seed),
SQLite only, no cursor blink. Update with `make snapshots`, after looking at
the changed SVGs in the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.seed import DEMO_ADMIN_EMAIL
from dext_tui.data.services.clients import update_client
from tests.conftest import seeded_sqlite_engine
from tests.factories import add_client, add_stored_client
from tests.ui.conftest import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def seeded_app(tmp_path: Path) -> DextApp:
    engine = seeded_sqlite_engine(
        tmp_path / "snap.sqlite", clients=300, precision_pending=10, seed=7
    )
    # Text is data: these must render as typed, not as markup or terminal codes.
    add_stored_client(engine, 1, "[bold]AAA Markup[/] Ltd", code="MARKUP[1]")
    add_stored_client(engine, 1, "AAB Escape \x1b[31mRed\x1b[0m Ltd")
    add_client(engine, 1, "AAC 東京商事 🍕 Ltd")
    return DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))


def before(*keys: str):
    async def run_before(pilot) -> None:
        for input_widget in pilot.app.screen.query(Input):
            input_widget.cursor_blink = False
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            for input_widget in pilot.app.screen.query(Input):
                input_widget.cursor_blink = False
            await settle(pilot)

    return run_before


class TestClientList:
    @pytest.mark.parametrize("size", SIZES)
    def test_list(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before())

    @pytest.mark.parametrize("size", SIZES)
    def test_search_results(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before("slash", *"ltd"))

    def test_empty_search(self, snap_compare, seeded_app):
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before("slash", *"zzqx"))

    def test_scrolled_right_and_down(self, snap_compare, seeded_app):
        keys = ("j", "j", "j", "right", "right", "right", "right")
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before(*keys))


class TestDialogs:
    @pytest.mark.parametrize("size", SIZES)
    def test_filters(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before("f"))

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before("question_mark"))

    def test_sort(self, snap_compare, seeded_app):
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before("s"))

    def test_filtered_list(self, snap_compare, seeded_app):
        keys = ("f", "enter", "down", "down", "enter", "ctrl+s")
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before(*keys))


def after_someone_else_saves(*keys: str):
    """Open Edit, let another session change the client (at a fixed time), then save."""

    async def run_before(pilot) -> None:
        await before("j", "j", "m", "enter")(pilot)
        from tests.factories import FIXED_NOW

        screen = pilot.app.screen
        update_client(
            pilot.app.engine,
            pilot.app.viewer,
            screen.record.id,
            version=screen.record.version,
            crn="SC654321",
            clock=lambda: FIXED_NOW,
        )
        # The list behind picks the change up within a second: now, so the picture is fixed.
        from dext_tui.screens.list.client_list import ClientListScreen

        (client_list,) = [s for s in pilot.app.screen_stack if isinstance(s, ClientListScreen)]
        client_list.look_for_changes()
        await settle(pilot)
        await pilot.press(*keys)
        for input_widget in pilot.app.screen.query(Input):
            input_widget.cursor_blink = False
        await settle(pilot)

    return run_before


class TestManage:
    @pytest.mark.parametrize("size", SIZES)
    def test_menu(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before("j", "j", "m"))

    def test_menu_without_colour(self, snap_compare, tmp_path, monkeypatch):
        """Each entry's key beside it and the ▶ on the highlighted one, with NO_COLOR."""
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
        engine = seeded_sqlite_engine(
            tmp_path / "snap.sqlite", clients=300, precision_pending=10, seed=7
        )
        app = DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))
        assert app.no_color
        keys = ("slash", *"amber print", "enter", "m", "down")
        assert snap_compare(app, terminal_size=(80, 24), run_before=before(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_edit(self, snap_compare, seeded_app, size):
        keys = ("j", "j", "m", "enter")
        assert snap_compare(seeded_app, terminal_size=size, run_before=before(*keys))

    def test_edit_invalid_input(self, snap_compare, seeded_app):
        # The first client's stored practice code breaks the rules: saving says so.
        keys = ("m", "enter", "ctrl+s")
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before(*keys))

    def test_confirm_remove(self, snap_compare, seeded_app):
        keys = ("j", "j", "m", "enter", "f6")  # Remove: one key from where Edit opens
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=before(*keys))

    def test_conflict(self, snap_compare, seeded_app):
        run_before = after_someone_else_saves("end", "x", "ctrl+s")
        assert snap_compare(seeded_app, terminal_size=(80, 24), run_before=run_before)


def on_page(action_id: str):
    """Open the Manage menu for Amber Print Ltd. (it has all three products) and the page
    `action_id` from it."""

    async def run_before(pilot) -> None:
        await before("slash", *"amber print", "enter", "m")(pilot)
        from dext_tui.screens.manage.manage_menu import ManageOptions

        options = pilot.app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index(action_id)
        await pilot.press("enter")
        await settle(pilot)
        for input_widget in pilot.app.screen.query(Input):
            input_widget.cursor_blink = False
        await settle(pilot)

    return run_before


PAGES = [
    "history",
    "prepare.access",
    "prepare.users",
    "prepare.settings",
    "precision.access",
    "precision.settings",
    "solo.edit",
]


class TestManagePages:
    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("page", PAGES)
    def test_page(self, snap_compare, seeded_app, page, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=on_page(page))


PRODUCT_KEYS = {
    "prepare": ("p", "down", "enter"),
    "precision": ("p", "down", "down", "enter"),
    "solo": ("p", "down", "down", "down", "enter"),
}


class TestGettingAround:
    @pytest.mark.parametrize("size", SIZES)
    def test_switcher(self, snap_compare, seeded_app, size):
        assert snap_compare(seeded_app, terminal_size=size, run_before=before("p"))

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("product", list(PRODUCT_KEYS))
    def test_product_view(self, snap_compare, seeded_app, product, size):
        keys = PRODUCT_KEYS[product]
        assert snap_compare(seeded_app, terminal_size=size, run_before=before(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_help_in_a_product_view(self, snap_compare, seeded_app, size):
        keys = (*PRODUCT_KEYS["prepare"], "question_mark")
        assert snap_compare(seeded_app, terminal_size=size, run_before=before(*keys))

    def test_list_without_colour(self, snap_compare, tmp_path, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
        engine = seeded_sqlite_engine(
            tmp_path / "snap.sqlite", clients=300, precision_pending=10, seed=7
        )
        app = DextApp(engine, resolve_viewer(engine, DEMO_ADMIN_EMAIL))
        assert app.no_color
        assert snap_compare(app, terminal_size=(80, 24), run_before=before("j", "j"))
