"""Activity from the client list (spec 14): a batch as one line, filters, opening a client."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from dext_tui.app import DextApp
from dext_tui.data.services.bulk_actions import apply_bulk, preview_bulk
from dext_tui.data.services.clients import update_client
from dext_tui.screens.activity.activity import ActivityScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from dext_tui.widgets.one_line import OneLine
from tests.factories import add_member
from tests.ui.conftest import settle
from tests.ui.test_bulk import table
from tests.ui.test_worker_failures import rename_table

GUTTER = 2  # "▶ " before the highlighted line, two spaces before the others


def log_lines(app: DextApp) -> list[str]:
    """Each line's text, without the cursor gutter."""
    options = app.screen.query_one("#activity-lines", OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return [prompt[GUTTER:] for prompt in prompts]


def highlighted(app: DextApp) -> list[int]:
    """Which lines carry the ▶ (as plain text: readable without colour)."""
    options = app.screen.query_one("#activity-lines", OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return [index for index, prompt in enumerate(prompts) if prompt.startswith("▶ ")]


def words(app: DextApp) -> list[str]:
    """Each line without its time stamp ('05 Dec 14:02  ')."""
    return [line.split("  ", 1)[1] for line in log_lines(app)]


async def test_a_batch_is_one_line_that_opens_to_its_clients(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "down", "space", "b", "d")  # Acme and Esc
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        assert words(app)[0] == "Admin deactivated 2 clients ▸"
        assert highlighted(app) == [0]
        closed = log_lines(app)
        await pilot.press("enter")  # opens the batch
        await settle(pilot)
        assert highlighted(app) == [0]  # the batch's line keeps the ▶ as it opens
        assert log_lines(app)[1].startswith("    deactivated [bold]Acme[/] Ltd: Precision: ")
        assert log_lines(app)[2].startswith("    deactivated Esc ␛[31mRed␛[0m Ltd: ")
        await pilot.press("enter")  # closes it again
        await settle(pilot)
        assert log_lines(app) == closed
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down")
        await pilot.pause()
        assert highlighted(app) == [1]
        await pilot.press("enter")  # a client's line: its Manage menu
        await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)
        assert app.screen.record.name == "[bold]Acme[/] Ltd"


async def test_filter_by_colleague(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    practice_id = admin.practice_id
    olivia = add_member(db, practice_id, "olivia.vale@example.com", "client_admin")
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ids = [int(i) for i in table(app).rows.ids]
        update_client(db, olivia, ids[0], version=1, practice_code="OV1")
        apply_bulk(db, admin, preview_bulk(db, admin, "remove", ids[1:3]))
        await pilot.press("v")
        await settle(pilot)
        assert words(app)[:2][0].startswith("Admin removed 2 clients")
        app.screen.query_one("#activity-by", Select).value = olivia.team_member_id
        await settle(pilot)
        assert len(words(app)) == 1 and words(app)[0].startswith("Olivia.Vale edited ")
        await pilot.press("escape")
        assert not isinstance(app.screen, ActivityScreen)


async def test_older_pages_are_read_as_the_cursor_nears_the_end(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        client_id = int(table(app).rows.ids[0])
        for version in range(1, 61):  # 60 edits, one line each, beside the 5 additions
            update_client(db, admin, client_id, version=version, practice_code=f"P{version}")
        await pilot.press("v")
        await settle(pilot)
        assert len(log_lines(app)) == 50  # the first page only
        assert "(more below)" in str(app.screen.query_one("#activity-status").render())
        await pilot.press("end")
        await settle(pilot)
        assert len(log_lines(app)) == 65
        assert words(app)[-1].startswith("Admin added ")


def status(app: DextApp) -> str:
    return app.screen.query_one("#activity-status", OneLine).text


async def test_the_log_failing_to_read_says_so_and_ctrl_r_reads_it_again(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rename_table(db, "audit_event", "audit_event_away")  # the log
        rename_table(db, "team_member", "team_member_away")  # and the colleagues to filter by
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        said = status(app)
        assert said.startswith("Could not read the log: ")
        assert said.endswith(". Press ctrl+r to try again.")
        assert "Traceback" not in said
        assert log_lines(app) == []
        rename_table(db, "audit_event_away", "audit_event")
        rename_table(db, "team_member_away", "team_member")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert words(app)[0].startswith("Admin deactivated Sleepy Ltd")  # the log, newest first
        assert status(app).endswith("lines · enter opens a batch or a client's Manage menu")
        colleagues = app.screen.query_one("#activity-by", Select)
        assert len(colleagues._options) > 1  # read again too: the filter offers the admin
