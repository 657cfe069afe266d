"""After a single change the notification offers undo when, and only when, the list's z
would put it back (issue 17 item 3; the rule is data/services/undo.py's `undoable`)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from dext_tui.app import DextApp
from dext_tui.screens.bulk.change_preview import ChangePreviewScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen, ManageOptions
from dext_tui.screens.manage.prepare_settings import PrepareSettingsScreen
from tests.ui.conftest import settle
from tests.ui.test_manage import audit_actions, open_manage_for, stored

OFFER = " z on the list undoes it."


def catch_notifications(app: DextApp) -> list[str]:
    """Every toast's text (one may time out before a slow machine looks)."""
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    return said


async def test_a_rename_offers_undo_and_z_on_the_list_puts_the_old_name_back(admin_app):
    db = admin_app.engine
    said = catch_notifications(admin_app)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")  # Edit
        await settle(pilot)
        admin_app.screen.query_one("#edit-name", Input).value = "Thames Green Ltd"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert said[-1] == f"Thames Green Ltd: saved.{OFFER}"
        assert stored(db, client_id).name == "Thames Green Ltd"
        assert isinstance(admin_app.screen, ManageMenuScreen)
        await pilot.press("escape")  # back on the list, as the offer says
        await settle(pilot)
        assert isinstance(admin_app.screen, ClientListScreen)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(admin_app.screen, ChangePreviewScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(db, client_id).name == "Thames Water Ltd"
        assert said[-1] == "Undone: 1 client put back as it was."


async def test_a_product_change_does_not_offer_undo(admin_app):
    db = admin_app.engine
    said = catch_notifications(admin_app)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "acme")
        await pilot.press("enter")  # Edit
        await settle(pilot)
        admin_app.screen.query_one("#edit-product-precision", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        assert audit_actions(db, client_id)[-1] == "client.products_changed"
        assert said[-1] == "[bold]Acme[/] Ltd: saved."


async def test_a_settings_page_save_does_not_offer_undo(admin_app):
    said = catch_notifications(admin_app)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "thames water")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("prepare.settings")
        await pilot.press("enter")
        await settle(pilot)
        page = admin_app.screen
        assert isinstance(page, PrepareSettingsScreen)
        page.query_one("#form-vat_number", Input).value = "GB 123 4567 89"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        assert said[-1] == "Thames Water Ltd: saved."
