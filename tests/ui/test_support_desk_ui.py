"""The support desk in the TUI (spec 15) at 80x24: opened on a practice with --practice,
a support person reads it as a client admin would and every save says
'read-only: elevate to change'; elevated (the data layer's elevation, as the headless
commands use it), the practice code they fix is what the practice's admin reads in
Activity, and nothing else changed."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input

from dext_tui.app import DextApp
from dext_tui.data.activity import activity_page
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.support import elevate, record_visit
from dext_tui.data.support_people import add_support_person
from dext_tui.screens.manage.edit_client import EditClientScreen
from dext_tui.screens.manage.history import HistoryScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen, ManageOptions
from tests.factories import FIXED_NOW
from tests.ui.conftest import settle
from tests.ui.test_manage import open_manage_for, stored

SAM = "sam@support.example"


def support_viewer(db):
    add_support_person(db, "Sam Support", SAM, None, FIXED_NOW)
    return resolve_viewer(db, SAM, "1")


def codes(db) -> dict:
    with db.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT name, practice_code FROM client").all())


async def edit_code(pilot, name: str, code: str) -> int:
    client_id = await open_manage_for(pilot, name)
    await pilot.press("enter")  # Edit is highlighted first
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditClientScreen)
    pilot.app.screen.query_one("#edit-practice_code", Input).value = code
    await pilot.press("ctrl+s")
    await settle(pilot)
    return client_id


async def test_support_reads_the_practice_and_every_write_is_offered_disabled(small_practice):
    db = small_practice["db"]
    before = codes(db)
    app = DextApp(db, support_viewer(db))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "thames water")
        assert isinstance(app.screen, ManageMenuScreen)
        options = app.screen.query_one(ManageOptions)
        shown = [options.get_option_at_index(i) for i in range(options.option_count)]
        disabled = {str(o.prompt).strip() for o in shown if o.disabled and o.id}
        assert "1  Edit  — read-only: elevate to change" in disabled
        assert "4  Manage Users  — read-only: elevate to change" in disabled
        assert not any("Practice Access" in str(o.prompt) and not o.disabled for o in shown)
        await pilot.press("enter")  # the first thing it may do: History
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    assert codes(db) == before


async def test_elevated_support_fixes_a_code_and_the_admin_reads_exactly_that(small_practice):
    db = small_practice["db"]
    before = codes(db)
    viewer = support_viewer(db)
    now = datetime.now(UTC)  # the app's saves run on the real clock
    record_visit(db, viewer, now)
    viewer = elevate(db, viewer, "TICKET-4711", now)
    app = DextApp(db, viewer)
    async with app.run_test(size=(80, 24)) as pilot:
        client_id = await edit_code(pilot, "thames water", "TW9")
        assert isinstance(app.screen, ManageMenuScreen)  # saved: one step back
    assert stored(db, client_id).practice_code == "TW9"
    assert codes(db) == {**before, "Thames Water Ltd": "TW9"}
    practice = "Harbour & Vale [bold]Accountants[/]"
    lines = activity_page(db, small_practice["admin"]).lines
    assert [line.words for line in lines[:3]] == [
        f"Sam Support on behalf of {practice} edited Thames Water Ltd",
        f"Sam Support on behalf of {practice} elevated to change the practice (support)",
        f"Sam Support on behalf of {practice} opened the practice (support)",
    ]
    assert lines[0].details == ("practice code TW1 → TW9",)
    assert lines[1].details == ("reason: TICKET-4711",)
    assert not any("Sam Support" in line.words for line in lines[3:])  # nothing else
