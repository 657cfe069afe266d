"""The client list driven from the keyboard, asserting on what the user sees."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, Select, Static
from textual.widgets._select import SelectOverlay

from dext_tui.app import DextApp
from dext_tui.screens.dialogs.help import HelpScreen
from dext_tui.screens.dialogs.refusal import RefusalScreen
from dext_tui.screens.list.filters import FiltersScreen
from dext_tui.screens.list.sort import SortScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from dext_tui.widgets.client_table import ClientTable
from tests.factories import add_client, add_member
from tests.ui.conftest import settle


def count_text(app: DextApp) -> str:
    return str(app.screen.query_one("#client-count", Static).render())


def shown_names(app: DextApp) -> list[str]:
    table = app.screen.query_one(ClientTable)
    return [table.rows.names[row] for row in table.order]


async def until(pilot, condition, *, attempts: int = 500) -> None:
    """Wait for `condition` while a worker is held back (so `settle` would wait for ever).

    Each pause lets the messages posted by worker threads so far land; no fixed sleep.
    """
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause()
    assert condition()


async def test_list_shows_every_listed_client_and_the_count(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"
        assert shown_names(admin_app)[0] == "[bold]Acme[/] Ltd"
        assert admin_app.focused is admin_app.screen.query_one("#client-table")


async def test_typing_a_fuzzy_name_finds_the_client(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert admin_app.focused is admin_app.screen.query_one("#search")
        await pilot.press(*"thams watr")
        await settle(pilot)
        assert shown_names(admin_app) == ["Thames Water Ltd"]
        assert count_text(admin_app) == "Showing 1 of 5 clients"


async def test_search_by_crn_and_practice_code(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sc123456")
        await settle(pilot)
        assert shown_names(admin_app) == ["[bold]Acme[/] Ltd"]
        await pilot.press("escape", "slash", *"esc")
        await settle(pilot)
        assert shown_names(admin_app)[0] == "Esc \x1b[31mRed\x1b[0m Ltd"


async def test_escape_clears_search_and_returns_to_table(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"acme")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 1 of 5 clients"
        await pilot.press("escape")
        await settle(pilot)
        assert admin_app.screen.query_one("#search", Input).value == ""
        assert admin_app.focused is admin_app.screen.query_one(ClientTable)
        assert count_text(admin_app) == "Showing 5 of 5 clients"


async def test_enter_and_down_move_from_search_to_results(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "t", "enter")
        assert admin_app.focused is admin_app.screen.query_one(ClientTable)
        await pilot.press("slash", "down")
        assert admin_app.focused is admin_app.screen.query_one(ClientTable)


async def test_empty_search_result_says_why(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qqqqq")
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        assert table.row_count == 0
        assert "No clients match “qqqqq”" in table.render_line(2).text
        assert count_text(admin_app) == "Showing 0 of 5 clients"


async def test_filter_by_prepare_status_from_the_keyboard(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(admin_app.screen, FiltersScreen)
        assert admin_app.focused is admin_app.screen.query_one("#filter-prepare", Select)
        # Open the Prepare select, move past "Any status" to "Invited", pick it, apply.
        await pilot.press("enter", "down", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert shown_names(admin_app) == ["Esc \x1b[31mRed\x1b[0m Ltd"]
        summary = str(admin_app.screen.query_one("#query-summary", Static).render())
        assert "Prepare: invited" in summary


async def test_filter_escape_changes_nothing(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "enter", "down", "enter", "escape")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"


async def test_removed_and_deactivated_filters(small_practice):
    db = small_practice["db"]
    from tests.factories import add_client

    add_client(db, 1, "Gone Ltd", state="removed")
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Gone Ltd" not in shown_names(app)
        await pilot.press("f")
        app.screen.query_one("#filter-state", Select).value = "removed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_names(app) == ["Gone Ltd"]
        # The removed client is not one of the five listed: the count does not say "of 5".
        assert count_text(app) == "Showing 1 removed client"
        await pilot.press("f")
        app.screen.query_one("#filter-state", Select).value = "deactivated"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_names(app) == ["Sleepy Ltd"]
        await pilot.press("f")
        app.screen.query_one("#filter-state", Select).value = "active"
        await pilot.press("ctrl+s")
        await settle(pilot)
        active = shown_names(app)
        assert "Sleepy Ltd" not in active and "Gone Ltd" not in active and len(active) == 4


async def test_ctrl_l_clears_search_and_filters(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        admin_app.screen.query_one("#filter-code", Select).value = "missing"
        admin_app.screen.query_one("#filter-state", Select).value = "deactivated"
        await pilot.press("ctrl+s", "slash", *"sleepy", "enter")
        await settle(pilot)
        assert shown_names(admin_app) == ["Sleepy Ltd"]
        summary = str(admin_app.screen.query_one("#query-summary", Static).render())
        assert "No filters" not in summary
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert admin_app.screen.query_one("#search", Input).value == ""
        assert count_text(admin_app) == "Showing 5 of 5 clients"
        summary = str(admin_app.screen.query_one("#query-summary", Static).render())
        assert "No filters" in summary
        await pilot.press("f")  # the dialog opens with nothing chosen
        for select in admin_app.screen.query(Select):
            assert select.value is Select.NULL, select.id


async def test_clear_all_clears_the_fields_and_stays_open(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        admin_app.screen.query_one("#filter-state", Select).value = "deactivated"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 1 of 5 clients"
        await pilot.press("f", "ctrl+r")
        await settle(pilot)
        assert isinstance(admin_app.screen, FiltersScreen)  # still open: keys act here
        for select in admin_app.screen.query(Select):
            assert select.value is Select.NULL, select.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count_text(admin_app) == "Showing 5 of 5 clients"


async def state_choices(app: DextApp, pilot) -> list[str]:
    """The Client state choices the Filters dialog offers, read from its open list."""
    await pilot.press("f")
    state = app.screen.query_one("#filter-state", Select)
    state.focus()
    await pilot.press("enter")
    overlay = state.query_one(SelectOverlay)
    assert overlay.display
    return [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]


@pytest.mark.parametrize(
    ("role", "offered"),
    [("practice_admin", True), ("client_admin", False), ("standard", False)],
)
async def test_removed_filter_is_offered_only_to_practice_admins(small_practice, role, offered):
    practice_id = small_practice["admin"].practice_id
    viewer = add_member(small_practice["db"], practice_id, f"{role}@example.com", role)
    app = DextApp(small_practice["db"], viewer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choices = await state_choices(app, pilot)
        assert {"Active", "Deactivated"} <= set(choices)
        assert ("Removed" in choices) is offered


async def test_no_practice_code_filter(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        admin_app.screen.query_one("#filter-code", Select).value = "missing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_names(admin_app) == ["Sleepy Ltd", "Solo Trader"]


async def test_sort_by_costs_then_reverse(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(admin_app.screen, SortScreen)
        await pilot.press("down", "down", "down", "down", "enter")  # Costs
        await settle(pilot)
        largest_first = [
            "Esc \x1b[31mRed\x1b[0m Ltd",  # 900
            "Thames Water Ltd",  # 120
            "[bold]Acme[/] Ltd",  # 5
            "Solo Trader",  # 0
            "Sleepy Ltd",  # 0
        ]
        assert shown_names(admin_app) == largest_first
        await pilot.press("s", "enter")  # the highlighted option is the current column
        await settle(pilot)
        assert shown_names(admin_app) == largest_first[::-1]


async def test_cursor_keys_move_and_detail_line_follows(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        await pilot.press("j", "j")
        await settle(pilot)
        assert table.cursor_row == 2
        await pilot.press("k")
        await settle(pilot)
        assert table.cursor_row == 1
        detail = str(admin_app.screen.query_one("#client-detail", Static).render())
        assert detail.startswith(shown_names(admin_app)[1].replace("\x1b", "␛"))
        await pilot.press("G")
        assert table.cursor_row == 4
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_help_lists_the_keys_and_escape_closes_it(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(admin_app.screen, HelpScreen)
        text = str(admin_app.screen.query_one("#help-keys", Static).render())
        rows = {tuple(re.split(r" {2,}", line)) for line in text.splitlines()}
        for row in (
            ("/", "Search by name, CRN or practice code"),
            ("f", "Filter by product status, integration, state or code"),
            ("s", "Sort by a column (pick it again to reverse)"),
            ("ctrl+l", "Clear the search and all filters"),
            ("?", "Show every key of this screen"),
            ("ctrl+p", "Open the command palette"),
            ("q", "Quit dext-tui"),
            ("esc", "Clear the search and go back to the list"),
            ("enter / down", "Go to the results"),
            ("down / j", "Down"),
        ):
            assert row in rows
        await pilot.press("escape")
        assert not isinstance(admin_app.screen, HelpScreen)


async def test_command_palette_runs_screen_actions(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"sort")
        await settle(pilot)  # the palette gathers its hits in a worker
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, SortScreen)


async def test_standard_user_sees_only_granted_clients(small_practice):
    app = DextApp(small_practice["db"], small_practice["standard"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sorted(shown_names(app)) == ["Thames Water Ltd", "[bold]Acme[/] Ltd"]
        assert count_text(app) == "Showing 2 of 2 clients"
        await pilot.press("slash", *"esc")
        await settle(pilot)
        assert shown_names(app) == []


async def test_names_render_as_typed(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        lines = [table.render_line(y).text for y in range(1, 6)]
        names = [line[1:] for line in lines]  # after the cursor's gutter
        assert any(name.startswith("[bold]Acme[/] Ltd") for name in names)
        assert any(name.startswith("Esc ␛[31mRed␛[0m Ltd") for name in names)
        assert all(len(line) == len(lines[0]) for line in lines)
        title = str(admin_app.screen.query_one("#practice-name", Static).render())
        assert title == "Harbour & Vale [bold]Accountants[/]"


async def test_unknown_user_is_refused_not_defaulted(small_practice, monkeypatch):
    monkeypatch.delenv("DEXT_USER", raising=False)
    monkeypatch.setattr("dext_tui.data.identity.os_login_name", lambda: "nobody")
    app = DextApp(small_practice["db"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_q_quits(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not admin_app.is_running
    assert admin_app.return_code == 0


async def test_textual_run_style_start_uses_the_environment(tmp_path, monkeypatch):
    """`textual run dext_tui.app:DextApp` builds the app with no arguments."""
    from sqlalchemy import text

    from dext_tui.data.database import make_engine, upgrade_to_head

    db_file = tmp_path / "env.sqlite"
    engine = make_engine(f"sqlite:///{db_file}")
    upgrade_to_head(engine)
    from tests.factories import add_client, add_member, add_practice

    practice_id = add_practice(engine)
    add_member(engine, practice_id, "env@example.com")
    add_client(engine, practice_id, "Env Client Ltd")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM client")).scalar() == 1
    monkeypatch.setenv("DEXT_DATABASE_URL", f"sqlite:///{db_file}")
    monkeypatch.setenv("DEXT_USER", "env@example.com")
    app = DextApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_names(app) == ["Env Client Ltd"]


async def test_search_typed_while_loading_gets_prefix_matches(small_practice, monkeypatch):
    """Before the full list and its index are loaded, a search still answers at once."""
    import threading

    from dext_tui.screens.list import client_list

    release = threading.Event()
    real_load_all_rows = client_list.load_all_rows

    def slow_load_all_rows(*args, **kwargs):
        release.wait(10)
        return real_load_all_rows(*args, **kwargs)

    monkeypatch.setattr(client_list, "load_all_rows", slow_load_all_rows)
    app = DextApp(small_practice["db"], small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: count_text(app).startswith("Loading all 5 clients…"))
        assert app.screen.view is None
        await pilot.press("slash", *"thames")
        await until(pilot, lambda: shown_names(app) == ["Thames Water Ltd"])
        assert "1 prefix matches so far" in count_text(app)
        release.set()
        await settle(pilot)
        assert app.screen.view is not None
        assert shown_names(app) == ["Thames Water Ltd"]
        assert count_text(app) == "Showing 1 of 5 clients"


async def test_clicking_a_header_sorts_and_again_reverses(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        header = table.render_line(0).text
        costs_x = header.index("Costs")
        await pilot.click(ClientTable, offset=(costs_x, 0))
        await settle(pilot)
        assert shown_names(admin_app)[0] == "Esc \x1b[31mRed\x1b[0m Ltd"  # most costs first
        await pilot.click(ClientTable, offset=(costs_x, 0))
        await settle(pilot)
        assert shown_names(admin_app)[-1] == "Esc \x1b[31mRed\x1b[0m Ltd"
        await pilot.click(ClientTable, offset=(1, 0))  # the name column
        await settle(pilot)
        assert shown_names(admin_app)[0] == "[bold]Acme[/] Ltd"


async def test_clicking_a_row_moves_the_cursor_and_manage_answers(admin_app):
    async with admin_app.run_test(size=(160, 40)) as pilot:  # the Actions column in view
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        await pilot.click(ClientTable, offset=(2, 3))
        assert table.cursor_row == 2
        manage_x = table.render_line(0).text.index("Actions")
        await pilot.click(ClientTable, offset=(manage_x, 1))
        await settle(pilot)
        assert table.cursor_row == 0
        assert isinstance(admin_app.screen, ManageMenuScreen)
        assert admin_app.screen.record.id == table.highlighted_client_id


async def test_empty_practice_and_unshared_user_say_why(db):
    from tests.factories import add_member, add_practice

    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "a@example.com")
    standard = add_member(db, practice_id, "s@example.com", "standard")
    for viewer, expected in (
        (admin, "This practice has no clients yet."),
        (standard, "No clients have been shared with you yet."),
    ):
        app = DextApp(db, viewer)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert expected in app.screen.query_one(ClientTable).render_line(2).text
            assert count_text(app) == "Showing 0 of 0 clients"


async def test_sorting_a_search_and_going_back_to_best_match(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ltd", "enter")
        await settle(pilot)
        best_first = shown_names(admin_app)
        await pilot.press("s")
        options = admin_app.screen.query_one("#sort-options")
        assert options.get_option_at_index(0).id == "relevance"
        assert options.highlighted == 0
        await pilot.press(*["down"] * 5, "enter")  # Costs, largest first
        await settle(pilot)
        by_costs = shown_names(admin_app)
        assert by_costs[0] == "Esc \x1b[31mRed\x1b[0m Ltd"
        assert sorted(by_costs) == sorted(best_first)
        await pilot.press("s", "home", "enter")
        await settle(pilot)
        assert shown_names(admin_app) == best_first


def detail_line(app: DextApp) -> str:
    return str(app.screen.query_one("#client-detail", Static).render())


async def test_detail_line_describes_the_integration(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"thames", "enter")
        await settle(pilot)
        assert detail_line(admin_app) == (
            "Thames Water Ltd · CRN 01234567 · Code TW1 · "
            "Xero connected to Thames Water, synced 02 Nov 2026"
        )


async def test_detail_line_cuts_a_long_name_not_the_crn_and_code(small_practice):
    db = small_practice["db"]
    add_client(db, 1, "Aaaa " + "Very Long Name " * 12 + "Ltd", crn="SC999999", code="LONG-1")
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"aaaa", "enter")
        await settle(pilot)
        line = detail_line(app)
        assert line.startswith("Aaaa Very Long Name")
        assert line.endswith("… · CRN SC999999 · Code LONG-1")
        assert len(line) <= 80 - 2  # the line's own padding


async def test_keys_arriving_in_one_burst_after_slash_all_reach_the_search_box(admin_app):
    """Over SSH a typed "/thames" can arrive in one packet: no letter may go to the table."""
    from textual import events

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, character in [("slash", "/"), *((c, c) for c in "thames")]:
            admin_app.post_message(events.Key(key, character))
        await settle(pilot)
        assert admin_app.screen.query_one("#search", Input).value == "thames"
        assert shown_names(admin_app) == ["Thames Water Ltd"]


async def test_a_slash_typed_in_the_search_box_is_text(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "c", "c", "slash", "2")
        await settle(pilot)
        assert admin_app.screen.query_one("#search", Input).value == "cc/2"


async def test_toolbar_buttons_fit_80_columns_and_do_what_their_keys_do(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = admin_app.screen
        labels = [str(button.label) for button in screen.query("#toolbar Button") if button.display]
        assert labels == ["Add Client (a)", "Import (i)", "Tools (t)", "Filters (f)"]
        search = screen.query_one("#search", Input)
        assert search.region.right <= 80 and search.region.width >= 20
        await pilot.click("#filters-button")
        await settle(pilot)
        assert isinstance(admin_app.screen, FiltersScreen)


async def test_toolbar_shows_the_long_labels_where_they_fit(admin_app):
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        labels = [str(b.label) for b in admin_app.screen.query("#toolbar Button") if b.display]
        assert labels == [
            "Add Client (a)",
            "Import Precision Clients (i)",
            "Tools (t)",
            "Filters (f)",
            "Sort (s)",
        ]
        await pilot.click("#sort-button")
        await settle(pilot)
        assert isinstance(admin_app.screen, SortScreen)


async def test_a_i_and_t_open_add_client_import_and_tools(admin_app):
    from dext_tui.screens.add_client import AddClientScreen
    from dext_tui.screens.import_precision.import_precision import ImportPrecisionScreen
    from dext_tui.screens.tools.tools_menu import ToolsMenuScreen

    async with admin_app.run_test(size=(80, 24)) as pilot:
        for key, screen_class in [
            ("a", AddClientScreen),
            ("i", ImportPrecisionScreen),
            ("t", ToolsMenuScreen),
        ]:
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(admin_app.screen, screen_class)
            admin_app.screen.dismiss(None)
            await settle(pilot)
        await pilot.click("#tools-button")
        await settle(pilot)
        assert isinstance(admin_app.screen, ToolsMenuScreen)


async def test_export_offers_the_current_search_in_its_order(admin_app):
    from dext_tui.screens.tools.export_list import ExportListScreen

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ltd", "enter")
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        shown = [int(table.rows.ids[row]) for row in table.order]
        admin_app.screen._open_tool("export")
        await settle(pilot)
        export = admin_app.screen
        assert isinstance(export, ExportListScreen)
        assert [int(i) for i in export.view_ids] == shown
        assert export.view_description == "search “ltd”"


async def test_an_added_client_is_shown_highlighted_and_a_duplicate_opens_manage(admin_app):
    from dext_tui.data.services.clients import create_client
    from dext_tui.screens.add_client import AddClientOutcome

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        result = create_client(
            admin_app.engine, admin_app.viewer, name="Aardvark Ltd", products={"solo": "active"}
        )
        admin_app.screen._added(AddClientOutcome(result.client_ids[0], True, result))
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        assert table.highlighted_client_id == result.client_ids[0]
        assert count_text(admin_app) == "Showing 6 of 6 clients"
        admin_app.screen._added(AddClientOutcome(result.client_ids[0], False))
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        assert admin_app.screen.record.name == "Aardvark Ltd"
