"""What every Add Client step looks like, at 80x24 and 120x40, an error state included.

Deterministic: a seeded practice (fixed seed), SQLite, no cursor blink. Update with
`pytest tests/snapshots/test_add_client_snapshots.py --snapshot-update`, after looking
at the changed SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.seed import DEMO_ADMIN_EMAIL
from dext_tui.screens.add_client import AddClientScreen
from tests.conftest import seeded_sqlite_engine
from tests.factories import add_client
from tests.ui.conftest import settle, type_text

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
NO_RIGHT_TO_ADD = "mlloyd@demo-practice.example"  # a standard user without can_add_clients
MAY_ADD = "tokafor@demo-practice.example"  # a standard user with can_add_clients


def make_app(tmp_path: Path, email: str = DEMO_ADMIN_EMAIL, *, bundle_full: bool = False):
    engine = seeded_sqlite_engine(tmp_path / "snap.sqlite", clients=60, precision_pending=0, seed=7)
    add_client(engine, 1, "Thames Water Ltd", crn="01234567", code="TW1")
    if bundle_full:
        with engine.begin() as connection:
            connection.execute(text("UPDATE practice SET client_bundle_limit = 10"))
    return DextApp(engine, resolve_viewer(engine, email))


@pytest.fixture
def admin_app(tmp_path: Path) -> DextApp:
    return make_app(tmp_path)


def no_blink(pilot) -> None:
    for screen in pilot.app.screen_stack:
        for input_widget in screen.query(Input):
            input_widget.cursor_blink = False


class Typed(str):
    """Text put into the focused field in one step (typing is not what these pictures
    show; a key press costs ~0.1 s), where a plain string is one key to press."""


def wizard(*keys: str):
    """Open the wizard over the list, then press `keys` (a `Typed` is typed by value)."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        app = pilot.app
        app.push_screen(AddClientScreen(app.engine, app.viewer))
        await settle(pilot)
        no_blink(pilot)
        for key in keys:
            if isinstance(key, Typed):
                await type_text(pilot, key)
                continue
            await pilot.press(key)
            if key in ("ctrl+n", "ctrl+s", "enter"):
                await settle(pilot)
        no_blink(pilot)
        await settle(pilot)

    return run_before


PREPARE = ("enter",)
PREPARE_DETAILS = (
    *PREPARE,
    Typed("Riverside Bakery"),
    "tab",
    Typed("RB-1"),
    "tab",
    Typed("123456"),
)
PREPARE_TEAM = (*PREPARE_DETAILS, "ctrl+n")
PREPARE_TEAM_FILLED = (
    *PREPARE_TEAM,
    "space",
    "tab",
    "enter",
    "down",
    "enter",
    "tab",
    "space",
    "tab",
    Typed("Rita Baker"),
    "tab",
    Typed("rita@riverside.example"),
)
PRECISION = ("down", "enter")
PRECISION_TEAM = (*PRECISION, "enter", "down", "enter", "tab", Typed("Orbit Widgets Ltd"), "ctrl+n")
SOLO = ("down", "down", "enter")
SOLO_PERSON = (
    *SOLO,
    Typed("Jane Smith"),
    "tab",
    Typed("jane@example.com"),
    "tab",
    Typed("AB123456C"),
    "tab",
)
SOLO_PERSON_FILLED = (*SOLO_PERSON, Typed("SW1A 1AA"))
SOLO_BUSINESSES = (
    *SOLO_PERSON_FILLED,
    "ctrl+n",
    Typed("Jane's Plumbing"),
    "tab",
    "enter",
    "down",
    "enter",
    "tab",
    "enter",
    "down",
    "down",
    "enter",
    "tab",
    "enter",
)


class TestSteps:
    @pytest.mark.parametrize("size", SIZES)
    def test_product(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard())

    @pytest.mark.parametrize("size", SIZES)
    def test_prepare_details(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*PREPARE_DETAILS))

    @pytest.mark.parametrize("size", SIZES)
    def test_prepare_details_errors(self, snap_compare, admin_app, size):
        keys = (*PREPARE, "tab", Typed("-bad"), "tab", Typed("XX123456"), "ctrl+n")
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_prepare_team(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*PREPARE_TEAM_FILLED))

    def test_prepare_team_without_colour(self, snap_compare, tmp_path, monkeypatch):
        """Ticked and unticked colleagues and the invite checkbox read apart as text."""
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
        app = make_app(tmp_path)
        assert app.no_color
        keys = wizard(*PREPARE_TEAM_FILLED)
        assert snap_compare(app, terminal_size=(80, 24), run_before=keys)

    @pytest.mark.parametrize("size", SIZES)
    def test_prepare_review(self, snap_compare, admin_app, size):
        keys = (*PREPARE_TEAM_FILLED, "ctrl+n")
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_precision_organisation(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*PRECISION))

    @pytest.mark.parametrize("size", SIZES)
    def test_precision_team(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*PRECISION_TEAM))

    @pytest.mark.parametrize("size", SIZES)
    def test_solo_person_errors(self, snap_compare, admin_app, size):
        keys = (*SOLO_PERSON, "ctrl+n")  # no postcode
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_solo_businesses(self, snap_compare, admin_app, size):
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*SOLO_BUSINESSES))

    @pytest.mark.parametrize("size", SIZES)
    def test_solo_review(self, snap_compare, admin_app, size):
        keys = (
            *SOLO_BUSINESSES,
            Typed("Flat 2 Mill Lane"),
            "tab",
            "enter",
            "down",
            "down",
            "enter",
            "tab",
            "enter",
            "down",
            "enter",
            "ctrl+n",
        )
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*keys))


class TestWarningsAndRefusals:
    @pytest.mark.parametrize("size", SIZES)
    def test_duplicate_warning(self, snap_compare, admin_app, size):
        keys = (
            *PREPARE,
            Typed("Thames Water Limited"),
            "tab",
            Typed("tw2"),
            "tab",
            Typed("1234567"),
        )
        keys = (*keys, "ctrl+n", "ctrl+n")
        assert snap_compare(admin_app, terminal_size=size, run_before=wizard(*keys))

    @pytest.mark.parametrize("size", SIZES)
    def test_not_allowed_to_add(self, snap_compare, tmp_path, size):
        app = make_app(tmp_path, NO_RIGHT_TO_ADD)
        assert snap_compare(app, terminal_size=size, run_before=wizard())

    def test_standard_user_may_not_choose_colleagues(self, snap_compare, tmp_path):
        app = make_app(tmp_path, MAY_ADD)
        assert snap_compare(app, terminal_size=(80, 24), run_before=wizard(*PREPARE_TEAM))

    def test_bundle_full(self, snap_compare, tmp_path):
        app = make_app(tmp_path, bundle_full=True)
        assert snap_compare(app, terminal_size=(80, 24), run_before=wizard())

    def test_discard_prompt(self, snap_compare, admin_app):
        keys = (*PREPARE, Typed("Half Typed"), "escape")
        assert snap_compare(admin_app, terminal_size=(80, 24), run_before=wizard(*keys))
