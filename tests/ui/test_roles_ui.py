"""The role table as the screens show it (spec section 6): what the viewer's role may not
do is not offered, or is disabled with the reason; a key that would do it says the rule."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Button, Checkbox, Static

from dext_tui.app import DextApp
from dext_tui.screens.add_client import AddClientScreen
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.manage.edit_client import LIFECYCLE, EditClientScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from tests.factories import add_member
from tests.ui.conftest import settle
from tests.ui.test_manage import menu_labels, open_manage_for, stored


def offered_lifecycle(screen: EditClientScreen) -> set[str]:
    return {action for action in LIFECYCLE if screen.query_one(f"#edit-{action}", Button).display}


def role_limits(screen: EditClientScreen) -> str:
    line = screen.query_one("#edit-role-limits", Static)
    return str(line.render()) if line.display else ""


async def open_edit(pilot, name: str) -> int:
    client_id = await open_manage_for(pilot, name)
    assert isinstance(pilot.app.screen, ManageMenuScreen)
    await pilot.press("enter")  # Edit is highlighted first
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditClientScreen)
    return client_id


async def test_a_standard_user_is_offered_no_lifecycle_products_or_practice_access(
    small_practice,
):
    app = DextApp(small_practice["db"], small_practice["standard"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "acme")
        labels = [label.strip() for label in menu_labels(app)]
        assert not any("Practice Access" in label for label in labels)
        assert any("System Settings" in label for label in labels)  # editing stays theirs
        await pilot.press("enter")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, EditClientScreen)
        assert offered_lifecycle(edit) == set()
        assert all(box.disabled for box in edit.query(Checkbox))
        assert role_limits(edit) == (
            "Active in, Deactivate, Remove, Delete permanently — your role (Standard) "
            "does not allow this: ask a practice admin."
        )
        assert not edit.query_one("#edit-name").disabled


async def test_a_client_admin_is_offered_all_but_permanent_delete(small_practice):
    db = small_practice["db"]
    app = DextApp(db, add_member(db, 1, "cadmin@example.com", "client_admin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "acme")
        labels = [label.strip() for label in menu_labels(app)]
        assert sum("Practice Access" in label for label in labels) == 2  # Prepare, Precision
        await pilot.press("enter")
        await settle(pilot)
        edit = app.screen
        assert offered_lifecycle(edit) == {"deactivate", "remove"}
        assert not any(box.disabled for box in edit.query(Checkbox))
        assert role_limits(edit).startswith("Delete permanently — your role (Client admin)")


async def test_a_practice_admin_is_offered_everything_without_a_limits_line(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_edit(pilot, "thames water")
        assert offered_lifecycle(admin_app.screen) == {"deactivate", "remove", "delete"}
        assert role_limits(admin_app.screen) == ""


async def test_add_client_without_the_right_says_the_rule_instead_of_opening(small_practice):
    app = DextApp(small_practice["db"], small_practice["standard"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#add-client-button", Button).disabled
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)  # no wizard that would refuse later
        said = [n.message for n in app._notifications]
        assert said == [
            "Your role (Standard) does not allow adding clients: practice admins, client "
            "admins and standard users allowed to add clients may."
        ]


async def test_add_client_with_the_right_opens_the_wizard(small_practice):
    db = small_practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE team_member SET can_add_clients = TRUE"))
    from dext_tui.data.identity import resolve_viewer

    app = DextApp(db, resolve_viewer(db, "std@example.com"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#add-client-button", Button).disabled
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddClientScreen)


async def test_a_role_lowered_while_the_edit_page_is_open_is_refused_at_the_write(
    small_practice,
):
    db = small_practice["db"]
    client_admin = add_member(db, 1, "cadmin@example.com", "client_admin")
    app = DextApp(db, client_admin)
    async with app.run_test(size=(80, 24)) as pilot:
        client_id = await open_edit(pilot, "thames water")
        with db.begin() as connection:  # meanwhile, a practice admin lowers the role
            connection.execute(
                text("UPDATE team_member SET role = 'standard' WHERE id = :id"),
                {"id": client_admin.team_member_id},
            )
            connection.execute(
                text(
                    "INSERT INTO practice_access (team_member_id, client_id, bookkeeping, "
                    "approval, data_health, account_manager) "
                    "VALUES (:m, :c, TRUE, FALSE, FALSE, FALSE)"
                ),
                {"m": client_admin.team_member_id, "c": client_id},
            )
        app.screen.query_one("#edit-remove", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, EditClientScreen)
        status = str(app.screen.query_one("#edit-status", Static).render())
        assert status == (
            "Your role (Standard) does not allow removing clients: "
            "practice admins and client admins may."
        )
    assert stored(db, client_id).state == "active"
