"""Marks, bulk actions and undo from the client list (spec 14), by keyboard at 80x24."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Static

from dext_tui.app import DextApp
from dext_tui.data.services.clients import deactivate_client
from dext_tui.screens.bulk.bulk_menu import BulkMenuScreen
from dext_tui.screens.bulk.change_preview import ChangePreviewScreen
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.list.selection import ASK_BEFORE_MARKING
from dext_tui.widgets.client_table import ClientTable
from tests.factories import add_stored_clients
from tests.ui.conftest import search, settle
from tests.ui.test_client_list import count_text


def table(app: DextApp) -> ClientTable:
    return app.screen.query_one(ClientTable)


def drawn_names(app: DextApp) -> list[str]:
    """The name cells as drawn, mark glyphs included, in display order."""
    shown = table(app)
    assert shown.source is not None
    return [shown.source.name(int(position)) for position in shown.order]


def states(engine, names: list[str]) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, state FROM client")).all()
    return {name: state for name, state in rows if name in names}


def preview_text(app: DextApp) -> str:
    return str(app.screen.query_one("#preview-text", Static).render())


def last_notification(app: DextApp) -> str:
    return list(app._notifications)[-1].message


async def test_space_marks_with_a_glyph_and_the_count_survives_search_and_sort(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert drawn_names(admin_app)[0] == "[bold]Acme[/] Ltd"  # no gutter while none marked
        await pilot.press("space")
        assert count_text(admin_app) == "Showing 5 of 5 clients · 1 marked"
        assert drawn_names(admin_app)[:2] == ["● [bold]Acme[/] Ltd", "  Esc \x1b[31mRed\x1b[0m Ltd"]
        await pilot.press("slash", *"thames", "enter")
        await settle(pilot)
        assert drawn_names(admin_app) == ["  Thames Water Ltd"]
        assert count_text(admin_app) == "Showing 1 of 5 clients · 1 marked"
        await pilot.press("space")  # Thames marked too, while searching
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # sort by the first column offered (the name) ...
        await settle(pilot)
        marked = [name for name in drawn_names(admin_app) if name.startswith("● ")]
        assert sorted(marked) == ["● Thames Water Ltd", "● [bold]Acme[/] Ltd"]
        assert count_text(admin_app).endswith("· 2 marked")
        await pilot.press("space")  # the highlighted client again: unmarked
        assert count_text(admin_app).endswith("· 1 marked")
        await pilot.press("x")
        assert count_text(admin_app) == "Showing 5 of 5 clients"
        assert drawn_names(admin_app)[0] == "[bold]Acme[/] Ltd"


async def test_star_marks_every_client_the_search_shows(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ltd", "enter")
        await settle(pilot)
        shown = len(table(admin_app).order)
        await pilot.press("asterisk")
        assert count_text(admin_app).endswith(f"· {shown} marked")
        assert set(table(admin_app).marks) == {
            int(table(admin_app).rows.ids[p]) for p in table(admin_app).order
        }


async def test_marking_more_than_a_thousand_says_the_count_first(db, small_practice):
    practice_id = 1
    with db.connect() as connection:
        practice_id = connection.execute(text("SELECT practice_id FROM client LIMIT 1")).scalar()
    names = [f"Bulk Client {n:04d} Ltd" for n in range(ASK_BEFORE_MARKING + 1 - 5)]
    add_stored_clients(db, practice_id, names)
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk")
        assert isinstance(app.screen, ConfirmScreen)
        assert "all 1,001 clients" in str(app.screen.query_one("#confirm-consequences").render())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert count_text(app).endswith("· 1,001 marked")


async def test_bulk_deactivate_previews_then_applies_and_patches_the_list(small_practice):
    db = small_practice["db"]
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "down", "down", "space")  # Acme, Sleepy (deactivated)
        await pilot.press("b")
        assert isinstance(app.screen, BulkMenuScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)
        assert preview_text(app) == "1 will be deactivated\n1 skipped: already deactivated"
        assert states(db, ["[bold]Acme[/] Ltd"]) == {"[bold]Acme[/] Ltd": "active"}  # not yet
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert states(db, ["[bold]Acme[/] Ltd"]) == {"[bold]Acme[/] Ltd": "deactivated"}
        assert last_notification(app) == "1 client deactivated. z undoes it."
        rows = table(app).rows
        acme = [p for p in range(len(rows)) if rows.names[p] == "[bold]Acme[/] Ltd"][0]
        assert table(app).source.cell("prepare", acme)[0] == "Deactivated"  # patched live


async def test_a_stale_preview_is_checked_again_and_shown_not_applied(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "thames")
        await pilot.press("space")
        thames = next(iter(table(app).marks))
        await pilot.press("b", "d")
        await settle(pilot)
        assert preview_text(app) == "1 will be deactivated"
        deactivate_client(db, admin, thames, version=1)  # someone else, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)  # not applied, not closed
        assert preview_text(app) == (
            "0 will be deactivated\n1 skipped: already deactivated\n"
            "Nothing to change: Apply does nothing."
        )
        note = str(app.screen.query_one("#preview-note", Static).render())
        assert "changed since this preview was made; nothing was written" in note
        await pilot.press("escape")
        assert isinstance(app.screen, ClientListScreen)


async def test_z_previews_and_undoes_the_last_batch_of_the_session(small_practice):
    db = small_practice["db"]
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert last_notification(app) == "Nothing you changed in this session to undo."
        await search(pilot, "thames")
        await pilot.press("space", "b", "d")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert states(db, ["Thames Water Ltd"]) == {"Thames Water Ltd": "deactivated"}
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)
        assert preview_text(app) == "1 client will be put back as it was"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert states(db, ["Thames Water Ltd"]) == {"Thames Water Ltd": "active"}
        assert last_notification(app) == "Undone: 1 client put back as it was."


async def test_a_standard_user_is_told_the_rule_for_bulk_and_activity(small_practice):
    app = DextApp(small_practice["db"], small_practice["standard"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "b")
        assert isinstance(app.screen, ClientListScreen)
        assert last_notification(app).startswith("Your role (Standard) does not allow bulk actions")
        await pilot.press("v")
        assert isinstance(app.screen, ClientListScreen)
        assert "does not allow reading the practice's activity log" in last_notification(app)


async def test_a_marked_client_whose_access_is_revoked_is_unmarked_and_said(small_practice):
    db, standard = small_practice["db"], small_practice["standard"]
    app = DextApp(db, standard)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # the first of their two clients
        gone = next(iter(table(app).marks))
        with db.begin() as connection:
            connection.execute(
                text("DELETE FROM practice_access WHERE client_id = :c"), {"c": gone}
            )
        for _ in range(20):  # a check already running may have read before the delete
            app.screen.look_for_changes()
            await settle(pilot)
            if not table(app).marks:
                break
        assert not table(app).marks
        assert last_notification(app) == "1 marked client left your access and was unmarked."
        assert count_text(app) == "Showing 1 of 1 clients"


async def test_a_bulk_change_failing_to_write_says_so_and_applies_on_the_next_try(
    small_practice,
):
    from tests.ui.test_worker_failures import rename_table

    db = small_practice["db"]
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "b", "d")  # Acme
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)
        rename_table(db, "audit_event", "audit_event_away")  # no audit: nothing may be written
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)  # still open, saying why
        note = str(app.screen.query_one("#preview-note", Static).render())
        assert note.startswith("Nothing was written: ") and "Traceback" not in note
        rename_table(db, "audit_event_away", "audit_event")
        assert states(db, ["[bold]Acme[/] Ltd"]) == {"[bold]Acme[/] Ltd": "active"}
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert states(db, ["[bold]Acme[/] Ltd"]) == {"[bold]Acme[/] Ltd": "deactivated"}


async def test_the_colleagues_failing_to_read_offer_retry_that_reads_them(small_practice):
    from textual.widgets import Label

    from dext_tui.screens.bulk.bulk_colleague import BulkColleagueScreen
    from dext_tui.screens.dialogs.failure import FailureScreen
    from tests.ui.test_worker_failures import rename_table

    db = small_practice["db"]
    app = DextApp(db, small_practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "b")
        await settle(pilot)
        rename_table(db, "team_member", "team_member_away")
        await pilot.press("g")  # Grant access: pick the colleague first
        await settle(pilot)
        assert isinstance(app.screen, FailureScreen)
        title = str(app.screen.query_one(".dialog-title", Label).render())
        assert title == "Could not read the colleagues"
        rename_table(db, "team_member_away", "team_member")
        await pilot.press("r")  # Retry
        await settle(pilot)
        assert isinstance(app.screen, BulkColleagueScreen)
