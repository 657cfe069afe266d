"""Getting around like the products do: the product switcher, each product's own view of
the list (its clients, its columns), Prepare's sidebar, and a status cell opening a
client in its product's view."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Button, OptionList, Static
from textual.widgets._footer import FooterKey

from dext_tui.app import DextApp
from dext_tui.data.services.precision import update_precision_settings
from dext_tui.data.services.solo import update_solo_details
from dext_tui.screens.list.product_switcher import ProductSwitcherScreen
from dext_tui.widgets.client_table import ClientTable
from tests.ui.conftest import settle
from tests.ui.test_client_list import count_text, shown_names
from tests.ui.test_live_list import client_id, look_for_changes


def header(app: DextApp) -> str:
    return app.screen.query_one(ClientTable).render_line(0).text


def row_text(app: DextApp, name: str) -> str:
    table = app.screen.query_one(ClientTable)
    row = shown_names(app).index(name)
    table.cursor_row = row
    return table.render_line(row + 1 - int(table.scroll_y)).text


async def switch_to(pilot, label: str) -> None:
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProductSwitcherScreen)
    # Each entry reads "▶ 2  Dext Prepare": its key picks it.
    key = next(entry[0] for entry in switcher_entries(pilot.app) if entry[3:].startswith(label))
    await pilot.press(key)
    await settle(pilot)


def switcher_entries(app: DextApp) -> list[str]:
    """The switcher's entries as read, without the ▶ gutter: "1  Dext Client List"."""
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt)[2:] for i in range(options.option_count)]


async def test_the_switcher_starts_on_its_first_entry_from_every_view(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        landed = []
        for _ in range(2):  # from the client list, then from Prepare's view
            await pilot.press("p")
            await settle(pilot)
            assert pilot.app.screen.query_one(OptionList).highlighted == 0
            await pilot.press("down", "enter")
            await settle(pilot)
            landed.append(str(admin_app.screen.query_one("#product-switcher", Button).label))
        assert landed[0] == landed[1] and landed[0].startswith("Dext Prepare")


async def test_the_switcher_offers_only_subscribed_products(small_practice):
    db = small_practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET has_solo = false"))
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert switcher_entries(app) == [
            "1  Dext Client List  (here now)",
            "2  Dext Prepare",
            "3  Dext Precision",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert str(app.screen.query_one("#product-switcher", Button).label).startswith(
            "Dext Client List"
        )


def footer_labels(app) -> set[str]:
    return {str(key.description) for key in app.screen.query(FooterKey)}


async def test_prepare_view_lists_prepare_clients_with_its_columns_and_sidebar(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await switch_to(pilot, "Dext Prepare")
        assert shown_names(admin_app) == [
            "[bold]Acme[/] Ltd",
            "Esc \x1b[31mRed\x1b[0m Ltd",
            "Sleepy Ltd",
            "Thames Water Ltd",
        ]  # not "Solo Trader": no Prepare account
        assert count_text(admin_app) == "Showing 4 of 4 clients in Prepare"
        assert "Status" in header(admin_app) and "Account manager" in header(admin_app)
        assert "Precision" not in header(admin_app)
        assert str(admin_app.screen.query_one("#product-switcher", Button).label).startswith(
            "Dext Prepare"
        )
        sidebar = admin_app.screen.query_one("#sidebar")
        assert sidebar.display
        sidebar.query_one(OptionList).focus()
        await pilot.press("enter")  # Manage > My Clients
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"
        assert not admin_app.screen.query_one("#sidebar").display
        assert "My Clients" not in footer_labels(admin_app)  # no sidebar, no key
        # My Clients has a key, shown in the footer and help, whatever has the focus.
        await switch_to(pilot, "Dext Prepare")
        assert "My Clients" in footer_labels(admin_app)
        await pilot.press("question_mark")
        help_text = str(admin_app.screen.query_one("#help-keys", Static).render())
        assert "Prepare's Manage > My Clients" in help_text
        await pilot.press("escape", "c")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"


async def test_precision_and_solo_views_show_their_own_columns(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    acme, solo = client_id(db, "[bold]Acme[/] Ltd"), client_id(db, "Solo Trader")
    update_precision_settings(
        db, admin, acme, version=1, software="quickbooks_online", account_managers={2}
    )
    update_solo_details(db, admin, solo, version=1, ni_number="AB123456C", postcode="sw1a1aa")
    app = DextApp(db, admin)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await switch_to(pilot, "Dext Precision")
        assert shown_names(app) == ["[bold]Acme[/] Ltd"]
        line = row_text(app, "[bold]Acme[/] Ltd")
        assert "QuickBooks Online" in line and "Whole team" in line and "Std" in line
        await switch_to(pilot, "Dext Solo")
        assert shown_names(app) == ["Solo Trader"]
        line = row_text(app, "Solo Trader")
        assert "AB123456C" in line and "SW1A 1AA" in line
        assert line.split("SW1A 1AA")[1].split()[0] == "1"  # one business


async def test_a_status_cell_opens_that_client_in_the_products_view_and_escape_returns(
    admin_app,
):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        thames_row = shown_names(admin_app).index("Thames Water Ltd")
        prepare_x = header(admin_app).index("Prepare")
        await pilot.click(ClientTable, offset=(prepare_x, thames_row + 1))
        await settle(pilot)
        assert count_text(admin_app) == "Showing 4 of 4 clients in Prepare"
        assert table.rows.names[table.highlighted_position] == "Thames Water Ltd"
        await pilot.press("escape")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"
        assert table.rows.names[table.highlighted_position] == "Thames Water Ltd"


async def test_a_product_view_searches_and_stays_live(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    solo = client_id(db, "Solo Trader")
    app = DextApp(db, admin)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await switch_to(pilot, "Dext Solo")
        await pilot.press("slash", *"trader")
        await settle(pilot)
        assert shown_names(app) == ["Solo Trader"]
        update_solo_details(db, admin, solo, version=1, ni_number="AB123456C")
        await look_for_changes(pilot)
        assert "AB123456C" in row_text(app, "Solo Trader")
        await pilot.press("ctrl+l")  # clearing the search keeps the product view
        await settle(pilot)
        assert count_text(app) == "Showing 1 of 1 clients in Solo"


async def test_a_standard_user_sees_only_granted_clients_in_every_view(small_practice):
    app = DextApp(small_practice["db"], small_practice["standard"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for label, names in [
            ("Dext Prepare", ["[bold]Acme[/] Ltd", "Thames Water Ltd"]),
            ("Dext Precision", ["[bold]Acme[/] Ltd"]),
            ("Dext Solo", []),
        ]:
            await switch_to(pilot, label)
            assert shown_names(app) == names


async def test_a_product_view_sorts_by_its_own_columns_only(admin_app):
    from dext_tui.screens.list.sort import SortScreen

    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await switch_to(pilot, "Dext Precision")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(admin_app.screen, SortScreen)
        options = admin_app.screen.query_one(OptionList)
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert offered == ["name", "precision", "crns", "codes"]
        assert str(options.get_option_at_index(1).prompt).strip() == "Status"  # after the gutter
        options.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert admin_app.screen.query_state.sort == "precision"
        assert "Status ▲" in header(admin_app)


async def test_a_product_view_whose_columns_cannot_be_read_says_so_and_keeps_working(
    admin_app, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from dext_tui.screens.list import product_views

    def locked(*_args, **_kwargs):
        raise OperationalError("SELECT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(product_views, "load_product_columns", locked)
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await switch_to(pilot, "Dext Solo")
        assert shown_names(admin_app) == ["Solo Trader"]  # the rows still show
        assert "…" in row_text(admin_app, "Solo Trader")  # its own columns: not read
        (said,) = [n.message for n in admin_app._notifications]
        assert said.startswith("Could not read the product details:")
        assert "database is locked" in said and "r reloads" in said
        monkeypatch.undo()
        await pilot.press("r")  # reload reads them again
        await settle(pilot)
        assert "—" in row_text(admin_app, "Solo Trader") and "…" not in row_text(
            admin_app, "Solo Trader"
        )
