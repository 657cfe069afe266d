"""Issue 15, keyboard first: each Manage menu page and each view of the product switcher
on a key of its own (reached in one key from where the menu opens, even typed ahead of
it), the highlighted entry readable without colour, and the list's mark and bulk keys in
its footer at 80 columns (all of them in `?` help and the palette)."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from dext_tui.commands import key_groups
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.list.product_switcher import ProductSwitcherScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen, ManageOptions
from dext_tui.screens.manage.manage_pages import PAGES
from tests.ui.conftest import search, settle
from tests.ui.test_manage import open_manage_for


def help_keys(app) -> dict[str, str]:
    """Every key `?` help lists for the screen: {keys: description}."""
    return {row.keys: row.description for group in key_groups(app.screen) for row in group.rows}


def palette_titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


def highlighted_lines(options) -> list[str]:
    """The plain text of the menu's lines that carry the ▶ gutter."""
    lines = [options.render_line(y).text for y in range(options.size.height)]
    return [line.strip() for line in lines if line.lstrip().startswith("▶")]


async def test_each_manage_page_opens_by_its_own_key(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "acme")  # in Prepare and Precision
        for action_id, key in (("precision.settings", "7"), ("prepare.access", "3")):
            assert isinstance(admin_app.screen, ManageMenuScreen)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(admin_app.screen, PAGES[action_id])
            await pilot.press("escape")
            await settle(pilot)


async def test_a_page_key_typed_with_the_one_opening_the_menu_opens_that_page(admin_app):
    """`m 5` sent as one burst from the list: the menu opens after a background read,
    and the 5 still lands on it (two keys from the list to Prepare's System Settings)."""
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "thames")
        await pilot.press("m", "5")
        await settle(pilot)
        assert isinstance(admin_app.screen, PAGES["prepare.settings"])


async def test_the_menu_offers_keys_only_for_the_pages_it_lists(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "thames water")  # Prepare only
        menu = admin_app.screen
        keys = help_keys(admin_app)
        assert {"1", "2", "3", "4", "5"} <= keys.keys()
        assert not {"6", "7", "8"} & keys.keys()
        assert keys["4"].startswith("Prepare Manage Users")
        titles = palette_titles(admin_app)
        assert {"Edit", "History", "Prepare Practice Access", "Prepare System Settings"} <= titles
        assert "Precision System Settings" not in titles
        hint = str(menu.query_one(".dialog-hint").render())
        assert "1 2 3 4 5 Page" in hint
        await pilot.press("7")  # Precision's page: not this client's
        await settle(pilot)
        assert admin_app.screen is menu


async def test_the_highlighted_entry_reads_without_colour(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_manage_for(pilot, "acme")
        options = admin_app.screen.query_one(ManageOptions)
        assert highlighted_lines(options) == [
            "▶ 1  Edit  — Name, practice code, CRN; deactivate, remove, delete"
        ]
        await pilot.press("down")
        await pilot.pause()
        assert highlighted_lines(options) == [
            "▶ 2  History  — Every change to this client, newest first"
        ]


async def test_each_view_opens_by_its_own_key_and_reads_which_is_highlighted(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(admin_app.screen, ProductSwitcherScreen)
        options = admin_app.screen.query_one("#switcher-options")
        assert highlighted_lines(options) == ["▶ 1  Dext Client List  (here now)"]
        assert {"1", "2", "3", "4"} <= help_keys(admin_app).keys()
        assert "Dext Precision" in palette_titles(admin_app)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(admin_app.screen, ClientListScreen)
        assert admin_app.screen.product == "precision"


async def test_the_lists_mark_and_bulk_keys_show_in_its_footer_at_80_columns(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = admin_app.screen
        footer = {key.action: key for key in screen.query(FooterKey) if key.key != "ctrl+p"}
        palette_key = next(key for key in screen.query(FooterKey) if key.key == "ctrl+p")
        # Each shown in full, left of the palette's key (none cut off at the right edge).
        for key in footer.values():
            assert key.region.width > 0 and key.region.right <= palette_key.region.x
        assert {"toggle_mark", "bulk", "undo", "activity", "help", "app.quit"} <= footer.keys()
        # Help and the palette have every key of the marks and what acts on them.
        keys = help_keys(admin_app)
        assert {"space", "*", "x", "b", "z", "v", "p", "/", "a", "i", "t", "f"} <= keys.keys()
        titles = palette_titles(admin_app)
        assert {"Mark", "Mark all shown", "Clear marks", "Bulk", "Undo", "Activity"} <= titles


async def test_a_burst_typed_with_the_keys_that_open_a_form_lands_in_its_first_field(admin_app):
    """Deliverable 2 on the forms that open with focus in a field, reached by the new
    numbered entries: `m 4 a Ann` (Manage Users' add form) and `t u` then a path (Upload
    practice codes), each posted as a terminal delivers one packet."""
    from textual.widgets import Input

    from dext_tui.screens.manage.client_users import UserFormScreen
    from dext_tui.screens.tools.upload_codes import UploadCodesScreen
    from tests.ui.test_edit_keys import post_burst

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "thames")
        await post_burst(admin_app, ["m", "4", "a", *"Ann"])
        for _ in range(40):
            await settle(pilot)
        assert isinstance(admin_app.screen, UserFormScreen)
        assert isinstance(admin_app.focused, Input) and admin_app.focused.value == "Ann"
        await pilot.press("escape")
        await settle(pilot)
        await back_to_list(pilot)
        await post_burst(admin_app, ["t", "u", *"codes.csv"])
        for _ in range(40):
            await settle(pilot)
        assert isinstance(admin_app.screen, UploadCodesScreen)
        assert isinstance(admin_app.focused, Input)
        assert admin_app.focused.value.endswith("codes.csv")


async def back_to_list(pilot) -> None:
    for _ in range(6):
        if isinstance(pilot.app.screen, ClientListScreen):
            return
        await pilot.press("escape")
        await settle(pilot)


async def test_keys_typed_while_manage_users_reads_its_rows_wait_for_them(admin_app, monkeypatch):
    """`m 4 a Ann` in one burst, with the users' read still going when the `a` arrives:
    the page holds the keys until its rows are shown, so Add opens and takes the name
    (before, the `a` met a page with no list yet and was dropped)."""
    import threading

    from textual.widgets import Input

    from dext_tui.screens.manage.client_users import ClientUsersScreen, UserFormScreen
    from tests.ui.test_edit_keys import post_burst

    rows_may_come = threading.Event()
    read_page = ClientUsersScreen.read_page

    def slow_read_page(self):
        rows_may_come.wait(timeout=5)
        return read_page(self)

    monkeypatch.setattr(ClientUsersScreen, "read_page", slow_read_page)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "thames")
        await post_burst(admin_app, ["m", "4", "a", *"Ann"])
        for _ in range(20):
            await pilot.pause()
            if isinstance(admin_app.screen, ClientUsersScreen):
                break
        assert isinstance(admin_app.screen, ClientUsersScreen)
        await pilot.pause(0.2)  # the held keys have had every chance to arrive
        rows_may_come.set()
        for _ in range(20):
            await settle(pilot)
        assert isinstance(admin_app.screen, UserFormScreen)
        assert isinstance(admin_app.focused, Input) and admin_app.focused.value == "Ann"
