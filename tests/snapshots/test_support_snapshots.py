"""The support desk at 80x24 (spec 15): the practice picker, and the client list while
elevated (a fixed clock: the countdown reads 30:00). SQLite only, as every snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.support import set_support_access
from dext_tui.data.support_people import add_support_person
from tests.conftest import seeded_sqlite_engine
from tests.factories import FIXED_NOW, add_client, add_member, add_practice
from tests.ui.conftest import settle, type_text


@pytest.fixture
def support_app(tmp_path: Path) -> DextApp:
    engine = seeded_sqlite_engine(
        tmp_path / "snap.sqlite", clients=300, precision_pending=0, seed=7
    )
    for name, clients in (("Birch Partners", 2), ("Cedar Tax LLP", 0), ("Closed Shop Ltd", 1)):
        practice = add_practice(engine, name)
        admin = add_member(engine, practice, f"admin@{name.split()[0].lower()}.example")
        for number in range(clients):
            add_client(engine, practice, f"{name} client {number}")
        if name.startswith("Closed"):
            set_support_access(engine, admin, False, FIXED_NOW)
    person = add_support_person(engine, "Sam Support", "sam@support.example", None, FIXED_NOW)
    return DextApp(engine, support_person=person, clock=lambda: FIXED_NOW)


def no_blink(pilot) -> None:
    for input_widget in pilot.app.screen.query(Input):
        input_widget.cursor_blink = False


def test_practice_picker(snap_compare, support_app):
    async def run_before(pilot) -> None:
        no_blink(pilot)
        await settle(pilot)

    assert snap_compare(support_app, terminal_size=(80, 24), run_before=run_before)


def test_list_while_elevated(snap_compare, support_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await type_text(pilot, "harbour")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "TICKET-4711")
        await pilot.press("enter")
        await settle(pilot)
        no_blink(pilot)
        app = pilot.app
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(support_app, terminal_size=(80, 24), run_before=run_before)
