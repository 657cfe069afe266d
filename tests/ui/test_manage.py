"""The Manage menu and the Edit and History pages, driven from the keyboard, checked
against the database afterwards."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Input, OptionList, Static

from dext_tui.app import DextApp
from dext_tui.data.services.clients import update_client
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.manage.edit_client import EditClientScreen
from dext_tui.screens.manage.history import HistoryScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen, ManageOptions
from dext_tui.screens.manage.manage_pages import manage_page
from tests.ui.conftest import search, settle
from tests.ui.test_client_list import shown_names


def stored(db, client_id: int):
    with db.connect() as connection:
        return connection.execute(
            text("SELECT name, practice_code, state, version FROM client WHERE id = :id"),
            {"id": client_id},
        ).first()


def audit_actions(db, client_id: int) -> list[str]:
    with db.connect() as connection:
        return list(
            connection.execute(
                text("SELECT action FROM audit_event WHERE client_id = :id ORDER BY id"),
                {"id": client_id},
            ).scalars()
        )


async def open_manage_for(pilot, name: str) -> int:
    """Search for `name`, go to it and press m; returns the client's id."""
    await settle(pilot)
    await search(pilot, name.lower())
    screen = pilot.app.screen
    table = screen.query_one("#client-table")
    client_id = table.highlighted_client_id
    await pilot.press("m")
    await settle(pilot)
    return client_id


def menu_labels(app: DextApp) -> list[str]:
    options = app.screen.query_one(ManageOptions)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_menu_names_the_client_and_lists_only_its_products(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "solo trader")
        assert isinstance(admin_app.screen, ManageMenuScreen)
        title = str(admin_app.screen.query_one("#manage-title", Static).render())
        assert title == "Manage Solo Trader · no CRN"
        labels = [label.strip() for label in menu_labels(admin_app)]
        assert labels[0] == "Client" and "Solo" in labels
        assert "Prepare" not in labels and "Precision" not in labels
        await pilot.press("escape")
        assert isinstance(admin_app.screen, ClientListScreen)


async def test_edit_saves_a_new_name_records_it_and_the_row_shows_it(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")  # Edit is highlighted first
        await settle(pilot)
        assert isinstance(admin_app.screen, EditClientScreen)
        name = admin_app.screen.query_one("#edit-name", Input)
        assert admin_app.focused is name
        name.value = "Thames Water Limited"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)  # one step back
        assert admin_app.screen.record.name == "Thames Water Limited"
        assert stored(db, client_id).name == "Thames Water Limited"
        assert audit_actions(db, client_id)[-1] == "client.updated"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # out of the search box's results: the whole list
        await settle(pilot)
        assert "Thames Water Limited" in shown_names(admin_app)


async def test_a_bad_practice_code_is_refused_next_to_its_field_and_nothing_saved(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        admin_app.screen.query_one("#edit-practice_code", Input).value = "no spaces!"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(admin_app.screen.query_one("#edit-practice_code-error", Static).render())
        assert error.startswith("Practice code must be 1-20 characters")
        assert admin_app.focused is admin_app.screen.query_one("#edit-practice_code", Input)
        assert stored(db, client_id).practice_code == "TW1"


async def test_a_stale_save_says_who_changed_it_and_keeps_what_was_typed(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        # Someone else saves first, in their own session.
        update_client(db, admin, client_id, version=1, practice_code="OTHER-1")
        app.screen.query_one("#edit-name", Input).value = "Mine Ltd"
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(app.screen.query_one("#edit-status", Static).render())
        assert "Admin" in status and "changed this client meanwhile" in status
        assert app.screen.query_one("#edit-name", Input).value == "Mine Ltd"
        assert tuple(stored(db, client_id))[:2] == ("Thames Water Ltd", "OTHER-1")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.query_one("#edit-practice_code", Input).value == "OTHER-1"


async def test_remove_asks_first_and_cancel_changes_nothing(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        admin_app.screen.query_one("#edit-remove").press()
        await settle(pilot)
        assert isinstance(admin_app.screen, ConfirmScreen)
        said = str(admin_app.screen.query_one("#confirm-consequences", Static).render())
        assert "will leave the client list" in said and "restore it" in said
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db, client_id).state == "active"
        admin_app.screen.query_one("#edit-remove").press()
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(db, client_id).state == "removed"
        assert audit_actions(db, client_id)[-1] == "client.removed"


async def test_delete_needs_the_name_typed(small_practice):
    db = small_practice["db"]
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "solo trader")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#edit-delete").press()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(*"solo", "ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # not yet: the name is not typed whole
        assert stored(db, client_id) is not None
        app.screen.query_one("#confirm-typed", Input).value = "Solo Trader"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert stored(db, client_id) is None
        assert audit_actions(db, client_id)[-1] == "client.deleted"


async def test_history_lists_changes_newest_first(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        admin = admin_app.viewer
        update_client(db, admin, client_id, version=1, name="Thames One Ltd")
        update_client(db, admin, client_id, version=2, practice_code="TW2")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, HistoryScreen)
        lines = str(admin_app.screen.query_one("#history-entries", Static).render()).splitlines()
        assert "practice code: TW1 → TW2" in lines[0]
        assert "name: Thames Water Ltd → Thames One Ltd" in lines[1]
        assert "created" in lines[-1]
        assert "{" not in lines[-1] and "None" not in lines[-1]  # said in words, not reprs
        assert "Thames Water Ltd" not in lines[0]  # an unchanged name is not repeated


async def test_back_from_a_page_the_menu_is_where_it_was(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "thames water")
        await pilot.press("down", "enter")  # History
        await settle(pilot)
        assert isinstance(admin_app.screen, HistoryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        options = admin_app.screen.query_one(ManageOptions)
        assert options.highlighted == options.get_option_index("history")
        await pilot.press("escape", "m")  # left the menu: next time it starts on Edit
        await settle(pilot)
        options = admin_app.screen.query_one(ManageOptions)
        assert options.highlighted == options.get_option_index("edit")


async def test_escape_with_typed_changes_asks_before_throwing_them_away(admin_app):
    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        admin_app.screen.query_one("#edit-name", Input).value = "Typed But Not Saved"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(admin_app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert admin_app.screen.query_one("#edit-name", Input).value == "Typed But Not Saved"
        assert stored(db, client_id).name == "Thames Water Ltd"


async def test_solo_edit_saves_a_valid_ni_number_and_refuses_a_bad_postcode(admin_app):
    from dext_tui.screens.manage.solo_edit import SoloEditScreen

    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "solo trader")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("solo.edit")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, SoloEditScreen)
        admin_app.screen.query_one("#form-postcode", Input).value = "NOT A POSTCODE"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(admin_app.screen.query_one("#form-postcode-error", Static).render())
        assert error == "Postcode must be a UK postcode such as SW1A 1AA"
        admin_app.screen.query_one("#form-postcode", Input).value = "sw1a1aa"
        admin_app.screen.query_one("#form-ni_number", Input).value = "ab 12 34 56 c"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        with db.connect() as connection:
            saved = connection.execute(
                text("SELECT ni_number, postcode FROM solo_account WHERE client_id = :id"),
                {"id": client_id},
            ).one()
        assert tuple(saved) == ("AB123456C", "SW1A 1AA")
        assert audit_actions(db, client_id)[-1] == "solo.updated"


async def test_prepare_settings_saves_picks_and_refuses_a_bad_vat_number(admin_app):
    from textual.widgets import Select

    from dext_tui.screens.manage.prepare_settings import PrepareSettingsScreen

    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("prepare.settings")
        await pilot.press("enter")
        await settle(pilot)
        page = admin_app.screen
        assert isinstance(page, PrepareSettingsScreen)
        page.query_one("#form-vat_number", Input).value = "GB12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(page.query_one("#form-vat_number-error", Static).render())
        assert error.startswith("VAT number")
        page.query_one("#form-vat_number", Input).value = "GB 123 4567 89"
        page.query_one("#form-country", Select).value = "IE"
        page.query_one("#form-vat_cycle", Select).value = "quarterly"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        with db.connect() as connection:
            saved = connection.execute(
                text(
                    "SELECT vat_number, country, vat_cycle FROM prepare_account "
                    "WHERE client_id = :id"
                ),
                {"id": client_id},
            ).one()
        assert tuple(saved) == ("GB123456789", "IE", "quarterly")


async def test_practice_access_adds_switches_and_removes_a_colleague(small_practice):
    from textual.widgets import DataTable

    from dext_tui.screens.manage.practice_access import PickColleagueScreen, PrepareAccessScreen
    from tests.factories import add_member

    db = small_practice["db"]
    newcomer = add_member(db, 1, "new@example.com", "standard")
    app = DextApp(db, small_practice["admin"])

    def access() -> tuple | None:
        with db.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT bookkeeping, approval FROM practice_access "
                    "WHERE client_id = :c AND team_member_id = :m"
                ),
                {"c": client_id, "m": newcomer.team_member_id},
            ).first()
        return tuple(row) if row else None

    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_manage_for(pilot, "sleepy")
        options = app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("prepare.access")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PrepareAccessScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PickColleagueScreen)
        picker = app.screen.query_one(OptionList)
        picker.highlighted = picker.get_option_index(str(newcomer.team_member_id))
        await pilot.press("enter")
        await settle(pilot)
        assert access() == (True, False)
        table = app.screen.query_one(DataTable)
        row = table.get_row_index(str(newcomer.team_member_id))
        # The cursor follows the colleague just added, on their first permission.
        assert tuple(table.cursor_coordinate) == (row, 2)
        await pilot.press("right", "space")  # Approval
        await settle(pilot)
        assert access() == (True, True)
        assert tuple(table.cursor_coordinate) == (row, 3)  # still where it was
        await pilot.press("left", "left", "space")  # Role: not a switch, and said so
        await settle(pilot)
        status = str(app.screen.query_one("#access-status", Static).render())
        assert "permission column" in status
        assert access() == (True, True)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert access() is None
        assert audit_actions(db, client_id)[-3:] == [
            "practice_access.granted",
            "practice_access.updated",
            "practice_access.removed",
        ]


async def test_precision_settings_saves_software_visibility_and_account_managers(small_practice):
    from textual.widgets import Select, SelectionList

    from dext_tui.screens.manage.precision_settings import PrecisionSettingsScreen

    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_manage_for(pilot, "acme")
        options = app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("precision.settings")
        await pilot.press("enter")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, PrecisionSettingsScreen)
        page.query_one("#form-software", Select).value = "quickbooks_online"
        page.query_one("#form-visibility", Select).value = "software_users_only"
        page.query_one("#form-account_managers", SelectionList).select(admin.team_member_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)
        with db.connect() as connection:
            saved = connection.execute(
                text("SELECT software, visibility FROM precision_account WHERE client_id = :id"),
                {"id": client_id},
            ).one()
            managers = (
                connection.execute(
                    text(
                        "SELECT team_member_id FROM practice_access "
                        "WHERE client_id = :id AND account_manager"
                    ),
                    {"id": client_id},
                )
                .scalars()
                .all()
            )
        assert tuple(saved) == ("quickbooks_online", "software_users_only")
        assert managers == [admin.team_member_id]


async def test_manage_users_adds_an_owner_then_a_user_and_protects_the_owner(admin_app):
    from textual.widgets import DataTable, Label, Select

    from dext_tui.screens.manage.client_users import ClientUsersScreen, UserFormScreen

    db = admin_app.engine

    def users() -> list[tuple]:
        with db.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    text(
                        "SELECT email, role, active, is_owner FROM client_user "
                        "WHERE client_id = :id ORDER BY id"
                    ),
                    {"id": client_id},
                )
            ]

    def hint() -> str:
        return str(admin_app.screen.query_one("#users-hint", Label).render())

    def offered_keys() -> set[str]:
        bindings = admin_app.screen.active_bindings
        return {key for key, active in bindings.items() if active.enabled}

    async def add(name: str, email: str, default_role: str) -> None:
        """Add a user keeping the role the form starts with, which must be `default_role`."""
        await pilot.press("a")
        await settle(pilot)
        form = admin_app.screen
        assert isinstance(form, UserFormScreen)
        assert form.query_one("#user-role", Select).value == default_role
        form.query_one("#user-name", Input).value = name
        form.query_one("#user-email", Input).value = email
        await pilot.press("ctrl+s")
        await settle(pilot)

    async with admin_app.run_test(size=(120, 40)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        options = admin_app.screen.query_one(ManageOptions)
        options.highlighted = options.get_option_index("prepare.users")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, ClientUsersScreen)
        assert "Edit" not in hint() and "activate" not in hint()  # no user to act on
        assert {"e", "d"}.isdisjoint(offered_keys())
        await add("Olu Owner", "owner@example.com", "business_admin")
        assert "e Edit" in hint() and "d (De)activate" in hint()
        assert {"e", "d"} <= offered_keys()
        await add("Sam Staff", "not-an-email", "standard")
        assert isinstance(admin_app.screen, UserFormScreen)  # refused, still open
        error = str(admin_app.screen.query_one("#user-email-error", Static).render())
        assert "email" in error.lower()
        admin_app.screen.query_one("#user-email", Input).value = "sam@example.com"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert users() == [
            ("owner@example.com", "business_admin", True, True),
            ("sam@example.com", "standard", True, False),
        ]
        table = admin_app.screen.query_one(DataTable)
        table.move_cursor(row=0)  # the owner
        await pilot.press("d")
        await settle(pilot)
        status = str(admin_app.screen.query_one("#users-status", Static).render())
        assert "owner" in status and "cannot be deactivated" in status
        table.move_cursor(row=1)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert users()[1] == ("sam@example.com", "standard", False, False)


async def test_edit_turns_a_product_on_and_the_row_shows_it(admin_app):
    """Back on, with its data: a product the client had. One it never had is refused,
    saying where it is set up (Edit does not collect what it needs)."""
    from textual.widgets import Checkbox

    db = admin_app.engine
    async with admin_app.run_test(size=(120, 40)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        with db.begin() as connection:  # a Solo account it had, since deactivated
            connection.execute(
                text("INSERT INTO solo_account (client_id, status) VALUES (:id, 'deactivated')"),
                {"id": client_id},
            )
        await pilot.press("enter")
        await settle(pilot)
        page = admin_app.screen
        assert page.query_one("#edit-product-prepare", Checkbox).value is True
        assert page.query_one("#edit-product-solo", Checkbox).value is False
        page.query_one("#edit-product-precision", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert admin_app.screen is page
        said = str(page.query_one("#edit-status", Static).render())
        assert "not set up in Precision" in said and "Import Precision Clients" in said
        page.query_one("#edit-product-precision", Checkbox).value = False
        page.query_one("#edit-product-solo", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        assert admin_app.screen.record.products["solo"] == "active"
        with db.connect() as connection:
            status = connection.execute(
                text("SELECT status FROM solo_account WHERE client_id = :id"), {"id": client_id}
            ).scalar()
        assert status == "active"
        assert audit_actions(db, client_id)[-1] == "client.products_changed"
        await pilot.press("escape")
        await settle(pilot)
        table = admin_app.screen.query_one("#client-table")
        rows, position = table.highlighted_row
        assert rows.solo[position] == 0  # Active, patched into the list at once


async def test_a_standard_user_sees_access_but_is_not_offered_changes(small_practice):
    from dext_tui.screens.manage.practice_access import PrepareAccessScreen

    db, standard = small_practice["db"], small_practice["standard"]
    app = DextApp(db, standard)
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        # The menu does not offer the page to a standard user (test_roles_ui.py); opened
        # all the same, it shows the access and offers no change.
        record = app.screen.record
        app.push_screen(manage_page("prepare.access", db, standard, record))
        await settle(pilot)
        page = app.screen
        assert isinstance(page, PrepareAccessScreen)
        status = str(page.query_one("#access-status", Static).render())
        assert status  # says why changes are not theirs to make
        offered = {
            active.binding.action for active in page.active_bindings.values() if active.enabled
        }
        assert {"toggle", "add", "remove"}.isdisjoint(offered)
        assert "dismiss(None)" in offered
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PrepareAccessScreen)  # no confirmation offered
        with db.connect() as connection:
            rows = connection.execute(
                text("SELECT COUNT(*) FROM practice_access WHERE client_id = :id"),
                {"id": client_id},
            ).scalar()
        assert rows == 1


async def test_keys_arriving_in_one_burst_land_in_the_fields_they_were_typed_for(admin_app):
    """Fast typing, or keys arriving in one packet over SSH: a tab moves on at once,
    so what follows it goes into the next field, and f2 saves only after them."""
    from textual import events

    db = admin_app.engine
    async with admin_app.run_test(size=(80, 24)) as pilot:
        client_id = await open_manage_for(pilot, "thames water")
        await pilot.press("enter")
        await settle(pilot)
        name = admin_app.screen.query_one("#edit-name", Input)
        name.value = ""
        await settle(pilot)
        burst = [*"Thames Two", "tab", *"TW2", "f2"]  # the code is selected on focus: replaced
        for key in burst:  # all queued before any is handled, as a terminal delivers them
            character = key if len(key) == 1 else None
            admin_app.post_message(events.Key(key, character))
        await settle(pilot)
        assert stored(db, client_id).name == "Thames Two"
        assert stored(db, client_id).practice_code == "TW2"


async def test_a_notification_shows_a_bracketed_name_as_typed(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "acme")
        await pilot.press("enter")
        await settle(pilot)
        admin_app.screen.query_one("#edit-practice_code", Input).value = "ACME2"
        await pilot.press("f2")
        await settle(pilot)
        (notification,) = [n for n in admin_app._notifications if "[bold]Acme[/] Ltd" in n.message]
        assert notification.markup is False  # shown as typed, not as bold "Acme"
