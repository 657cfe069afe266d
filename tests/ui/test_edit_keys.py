"""Edit by keyboard (issue 15): every lifecycle action on a key, offered only where the
client's state and the viewer's role allow; names kept current; a stale save merged
field by field; a refusal seen at 80x24."""

from __future__ import annotations

from textual.widgets import Button, Input, Label, Static

from dext_tui.app import DextApp
from dext_tui.commands import key_groups
from dext_tui.data.client_record import load_client_record
from dext_tui.data.services.clients import remove_client, update_client
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.manage.edit_client import EditClientScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from tests.ui.conftest import settle
from tests.ui.test_manage import menu_labels, open_manage_for, stored


def hint(app: DextApp) -> str:
    return str(app.screen.query_one("#edit-hint", Label).render())


def help_keys(app: DextApp) -> set[str]:
    return {row.keys for group in key_groups(app.screen) for row in group.rows}


async def test_each_lifecycle_action_has_its_key_shown_only_where_it_applies(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, EditClientScreen)
        assert "f3 Deactivate" in hint(admin_app) and "f6 Remove" in hint(admin_app)
        assert "f8 Delete" in hint(admin_app)
        assert "f4" not in hint(admin_app) and "f7" not in hint(admin_app)
        assert {"f3", "f6", "f8"} <= help_keys(admin_app)
        assert "f4" not in help_keys(admin_app)
        palette = {c.title for c in admin_app.get_system_commands(admin_app.screen)}
        assert {"Deactivate", "Remove", "Delete"} <= palette and "Restore" not in palette
        await pilot.press("f4")  # Reactivate: not for an active client
        await settle(pilot)
        assert isinstance(admin_app.screen, EditClientScreen)
        # From the name field, where Edit opens: one key, no tabbing.
        assert admin_app.focused is admin_app.screen.query_one("#edit-name", Input)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(admin_app.screen, ConfirmScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(db, client_id).state == "deactivated"


async def test_a_removed_clients_edit_opens_on_restore_and_f7_restores_it(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#client-table")
        client_id = table.highlighted_client_id
        remove_client(db, admin, client_id, version=stored(db, client_id).version)
        record = load_client_record(db, admin, client_id)
        app.push_screen(ManageMenuScreen(record, admin))
        await settle(pilot)
        labels = [label.strip() for label in menu_labels(app)]
        assert labels[0] == "Client" and "Prepare" not in labels and "Precision" not in labels
        app.pop_screen()
        app.push_screen(EditClientScreen(db, admin, record))
        await settle(pilot)
        # No invisible focus stop: the focus is on a button one can see.
        assert app.focused is app.screen.query_one("#edit-restore", Button)
        assert "f7 Restore" in hint(app) and "ctrl+s" not in hint(app)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#edit-delete", Button)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(db, client_id).state == "active"


async def test_after_delete_the_list_not_the_manage_menu(admin_app):
    db = admin_app.engine
    said: list[str] = []
    notify = admin_app.notify
    admin_app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "solo trader")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        admin_app.screen.query_one("#confirm-typed", Input).value = "Solo Trader"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(db, client_id) is None
        assert isinstance(admin_app.screen, ClientListScreen)
        assert "Solo Trader: deleted." in said
        assert not any("no longer on your list" in m for m in said)


async def test_a_rename_is_named_by_its_new_name_and_a_reload_retitles(admin_app):
    db = admin_app.engine
    said: list[str] = []  # every toast (one may time out before a slow machine looks)
    notify = admin_app.notify
    admin_app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        update_client(db, admin_app.viewer, client_id, version=1, name="Thames Blue Ltd")
        await pilot.press("ctrl+r")
        await settle(pilot)
        title = str(admin_app.screen.query_one("#edit-title", Label).render())
        assert title == "Edit Thames Blue Ltd"
        admin_app.screen.query_one("#edit-name", Input).value = "Thames Green Ltd"
        await pilot.press("f2")
        await settle(pilot)
        assert "Thames Green Ltd: saved. z on the list undoes it." in said


async def test_a_stale_save_keeps_a_field_they_did_not_change_and_saves_with_one_key(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        update_client(db, admin_app.viewer, client_id, version=1, name="Thames Renamed Ltd")
        admin_app.screen.query_one("#edit-practice_code", Input).value = "MINE1"
        await pilot.press("f2")
        await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, EditClientScreen)
        assert screen.query_one("#edit-name", Input).value == "Thames Renamed Ltd"
        assert screen.query_one("#edit-practice_code", Input).value == "MINE1"
        status = str(screen.query_one("#edit-status", Static).render())
        assert "Nothing was saved" in status and "ctrl+s saves" in status
        # Seen at 80x24 without scrolling.
        assert screen.query_one("#edit-status").region.bottom <= 24
        assert tuple(stored(db, client_id))[:2] == ("Thames Renamed Ltd", "TW1")
        await pilot.press("f2")
        await settle(pilot)
        assert tuple(stored(db, client_id))[:2] == ("Thames Renamed Ltd", "MINE1")


async def test_a_field_both_changed_shows_theirs_and_ctrl_t_takes_it(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        update_client(db, admin_app.viewer, client_id, version=1, name="Their Name Ltd")
        screen = admin_app.screen
        screen.query_one("#edit-name", Input).value = "My Name Ltd"
        await pilot.press("f2")
        await settle(pilot)
        assert screen.query_one("#edit-name", Input).value == "My Name Ltd"
        theirs = str(screen.query_one("#edit-name-error", Static).render())
        assert theirs == "Theirs: Their Name Ltd"
        assert "ctrl+t Theirs" in hint(admin_app)
        await pilot.press("ctrl+t")
        assert screen.query_one("#edit-name", Input).value == "Their Name Ltd"
        assert "ctrl+t" not in hint(admin_app)
        screen.query_one("#edit-practice_code", Input).value = "MINE2"
        await pilot.press("f2")
        await settle(pilot)
        assert tuple(stored(db, client_id))[:2] == ("Their Name Ltd", "MINE2")


async def test_solo_edit_merges_a_stale_save_and_says_so_above_the_fold(admin_app):
    from sqlalchemy import text

    from dext_tui.data.services.solo import load_solo_details, update_solo_details
    from dext_tui.screens.manage.manage_menu import ManageOptions
    from dext_tui.screens.manage.solo_edit import SoloEditScreen

    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "solo trader")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("solo.edit")
        await pilot.press("enter")
        await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, SoloEditScreen)
        version = load_solo_details(db, admin_app.viewer, client_id).version
        update_solo_details(db, admin_app.viewer, client_id, version=version, postcode="SW1A 1AA")
        screen.query_one("#form-ni_number", Input).value = "AB123456C"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#form-postcode", Input).value == "SW1A 1AA"
        assert screen.query_one("#form-ni_number", Input).value == "AB123456C"
        status = screen.query_one("#form-status", Static)
        assert "ctrl+s saves" in str(status.render()) and status.region.bottom <= 24
        await pilot.press("ctrl+s")
        await settle(pilot)
        with db.connect() as connection:
            saved = connection.execute(
                text("SELECT ni_number, postcode FROM solo_account WHERE client_id = :id"),
                {"id": client_id},
            ).one()
        assert tuple(saved) == ("AB123456C", "SW1A 1AA")


async def post_burst(app: DextApp, keys: list[str]) -> None:
    """All queued before any is handled, as a terminal delivers one packet."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_with_the_one_that_opens_manage_land_in_edits_name_field(admin_app):
    """`enter enter Z q` from the list: Manage opens after a background read, then Edit;
    the Z and q are typed into the name, and the app does not quit."""
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"thames", "enter")
        await settle(pilot)
        client_id = admin_app.screen.query_one("#client-table").highlighted_client_id
        await post_burst(admin_app, ["enter", "enter", "end", "Z", "q"])
        for _ in range(40):  # the held keys follow one by one as each screen comes to rest
            await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, EditClientScreen)
        assert screen.query_one("#edit-name", Input).value == "Thames Water LtdZq"
        await post_burst(admin_app, ["backspace", "backspace", "f2"])
        for _ in range(20):
            await settle(pilot)
        assert stored(db, client_id).name == "Thames Water Ltd"


async def test_keys_typed_as_a_settings_page_opens_wait_for_its_first_field(admin_app):
    from dext_tui.screens.manage.manage_menu import ManageOptions
    from dext_tui.screens.manage.solo_edit import SoloEditScreen

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "solo trader")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("solo.edit") - 1
        await post_burst(admin_app, ["down", "enter", *"SC1"])
        for _ in range(40):
            await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, SoloEditScreen)
        assert screen.query_one("#form-crn", Input).value.endswith("SC1")
