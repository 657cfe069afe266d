"""The screen's sinks under the hostile-name corpus: notifications (ours and any widget's)
carry no raw control character, and a 10,000-character name never pushes a form, a menu
or a confirm dialog off an 80x24 screen."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from dext_tui.app import DextApp
from dext_tui.data.client_record import load_client_record
from dext_tui.data.identity import resolve_viewer
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.manage.edit_client import EditClientScreen, consequences
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from tests.factories import FIXED_NOW, add_member, add_practice, add_stored_client
from tests.ui.conftest import settle
from tests.unit.test_safe_text_sinks import HOSTILE_NAMES, assert_clean

LONG_NAME = next(name for name in HOSTILE_NAMES if len(name) > 10_000)


@pytest.fixture
def hostile_app(sqlite_db) -> DextApp:
    """On SQLite only: PostgreSQL can hold neither a NUL nor a name past its 300-character
    column, so another tool can store this corpus only in a SQLite file."""
    db = sqlite_db
    practice_id = add_practice(db, "Evil \x1b]52;c;aGFja2Vk\x07 Practice")
    add_member(db, practice_id, "admin@example.com")
    for number, name in enumerate(HOSTILE_NAMES):
        add_stored_client(db, practice_id, name, code=f"H{number}")
    return DextApp(db, resolve_viewer(db, "admin@example.com"))


def record_named(app: DextApp, name: str):
    from sqlalchemy import text

    with app.engine.connect() as connection:
        client_id = connection.execute(
            text("SELECT id FROM client WHERE name = :name"), {"name": name}
        ).scalar_one()
    return load_client_record(app.engine, app.viewer, client_id)


def drawn_text(app: DextApp) -> str:
    """Every character the screen sends to the terminal now, toasts included, as text
    (the styling sequences Textual adds around segments left out)."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip if not segment.control)
        for line in update.strips
    )


async def test_saving_a_hostile_name_notifies_it_visibly_never_raw(hostile_app: DextApp):
    said = []
    async with hostile_app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for number, name in enumerate(HOSTILE_NAMES):
            record = record_named(hostile_app, name)
            hostile_app.push_screen(
                EditClientScreen(hostile_app.engine, hostile_app.viewer, record)
            )
            await settle(pilot)
            hostile_app.screen.query_one("#edit-practice_code", Input).value = f"NEW{number}"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(hostile_app.screen, EditClientScreen)  # saved and gone
            said.append(list(hostile_app._notifications)[-1])
            assert_clean(drawn_text(hostile_app))  # the toast as drawn, over the list
    undo = " z on the list undoes it."  # a practice code edit: undoable
    assert ("Edit client", f"Sgr ␛[31mRED␛[0m Ltd: saved.{undo}") == (
        said[0].title,
        said[0].message,
    )
    assert said[1].message == f"Clip ␛]52;c;aGFja2Vk␇ Ltd: saved.{undo}"
    for notification in said:
        assert_clean(notification.title)
        assert_clean(notification.message)
        assert len(notification.message) <= 400  # a 10,000-character name cut, not a wall


async def test_a_library_widgets_own_notification_goes_through_the_rule(hostile_app: DextApp):
    async with hostile_app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        hostile_app.screen.query_one(Input).notify(HOSTILE_NAMES[3], title=HOSTILE_NAMES[4])
        await settle(pilot)
        (notification,) = hostile_app._notifications
        assert notification.message == "Csi \ufffd31mC1\ufffd0m Ltd"
        assert "Csi \ufffd31mC1" in drawn_text(hostile_app)
        assert_clean(drawn_text(hostile_app))
        hostile_app.title, hostile_app.sub_title = HOSTILE_NAMES[1], HOSTILE_NAMES[4]
        assert hostile_app.title == "Clip ␛]52;c;aGFja2Vk␇ Ltd"
        assert_clean(hostile_app.sub_title)


def inside_screen(app: DextApp, *widgets) -> bool:
    """Each widget is drawn, whole, within the terminal (not cut off below or beside it)."""
    screen = app.screen.region
    return all(w.display and w.region.area and screen.contains_region(w.region) for w in widgets)


async def test_a_10000_character_name_never_pushes_manage_or_edit_off_screen(
    hostile_app: DextApp,
):
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        record = record_named(hostile_app, LONG_NAME)
        hostile_app.push_screen(ManageMenuScreen(record, hostile_app.viewer))
        await settle(pilot)
        title = hostile_app.screen.query_one("#manage-title")
        assert title.region.height == 1
        assert drawn_text(hostile_app).splitlines()[title.region.y].rstrip(" │╯╮").endswith("…")
        assert inside_screen(hostile_app, hostile_app.screen.query_one("#manage-options"))
        hostile_app.pop_screen()
        hostile_app.push_screen(EditClientScreen(hostile_app.engine, hostile_app.viewer, record))
        await settle(pilot)
        screen = hostile_app.screen
        assert screen.query_one(".dialog-title").region.height == 1
        assert inside_screen(
            hostile_app, screen.query_one("#edit-name"), screen.query_one("#edit-save")
        )


async def test_a_10000_character_name_leaves_the_confirm_buttons_on_screen(hostile_app: DextApp):
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        record = record_named(hostile_app, LONG_NAME)
        hostile_app.push_screen(
            ConfirmScreen(
                f"Delete permanently {record.name}?",
                consequences("delete", record, FIXED_NOW),
                "Delete permanently",
                type_to_confirm=record.name,
            )
        )
        await settle(pilot)
        screen = hostile_app.screen
        buttons = list(screen.query(Button))
        assert [b.id for b in buttons] == ["confirm-do", "confirm-cancel"]
        assert inside_screen(hostile_app, *buttons, screen.query_one("#confirm-typed"))
        assert screen.query_one("#confirm-prompt").region.height == 1
