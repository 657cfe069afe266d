"""A worker that fails on a real database becomes a message with a retry, never a traceback
(screens/worker_failures.py), shown here on the client list (the Retry dialog) and on Add
Client (the sentence in the status line naming ctrl+r)."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Label, OptionList, Static

from dext_tui.app import DextApp
from dext_tui.screens.dialogs.failure import FailureScreen
from dext_tui.screens.list.client_list import ClientListScreen
from tests.ui.conftest import settle
from tests.ui.test_add_client import WizardApp, status
from tests.ui.test_client_list import count_text


def rename_table(db, old: str, new: str) -> None:
    """The table gone from under the app (every read of it fails), or put back."""
    with db.begin() as connection:
        connection.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))


async def test_the_list_failing_to_load_offers_retry_that_loads_it(small_practice):
    db = small_practice["db"]
    rename_table(db, "client", "client_away")
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FailureScreen)
        title = str(app.screen.query_one(".dialog-title", Label).render())
        assert title == "Could not load the client list"
        reason = str(app.screen.query_one("#failure-reason", Static).render())
        assert "client" in reason and "Traceback" not in reason
        rename_table(db, "client_away", "client")
        await pilot.press("r")  # Retry
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert count_text(app) == "Showing 5 of 5 clients"
        assert app.is_running


async def test_add_client_failing_to_read_the_team_says_so_and_ctrl_r_reads_again(
    small_practice,
):
    db = small_practice["db"]
    rename_table(db, "team_member", "team_member_away")
    app = WizardApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = status(app)
        assert said.startswith("Could not read the practice's products: ")
        assert said.endswith(". Press ctrl+r to retry.")
        assert "Traceback" not in said
        rename_table(db, "team_member_away", "team_member")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert status(app) == ""
        options = app.screen.query_one("#product-options", OptionList)
        assert not options.get_option("prepare").disabled
        await pilot.press("enter")  # the products can be chosen again: on to Prepare's step
        await settle(pilot)
        assert app.is_running
