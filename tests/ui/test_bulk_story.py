"""Issue 17's "Done when", as a practice admin does it by keyboard at 80x24: mark 120
clients by search, grant a new colleague access to all of them in one previewed step, see
it as one line in Activity, undo it, and find access as it was. On both backends."""

from __future__ import annotations

from sqlalchemy import text

from dext_tui.app import DextApp
from dext_tui.screens.activity.activity import ActivityScreen
from dext_tui.screens.bulk.bulk_colleague import AccessTogglesScreen, BulkColleagueScreen
from dext_tui.screens.bulk.bulk_menu import BulkMenuScreen
from dext_tui.screens.bulk.change_preview import ChangePreviewScreen
from dext_tui.screens.list.client_list import ClientListScreen
from tests.factories import add_client, add_member, add_practice
from tests.ui.conftest import settle
from tests.ui.test_activity import words
from tests.ui.test_bulk import last_notification, preview_text, search
from tests.ui.test_client_list import count_text


def access_rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT team_member_id, client_id, bookkeeping, approval, data_health, "
                "account_manager FROM practice_access ORDER BY team_member_id, client_id"
            )
        ).all()


async def test_grant_a_new_colleague_access_to_120_searched_clients_then_undo(db):
    practice_id = add_practice(db, "Harbour & Vale")
    admin = add_member(db, practice_id, "ann.lee@example.com")
    old_hand = add_member(db, practice_id, "bea.old@example.com", "standard")
    add_member(db, practice_id, "olivia.vale@example.com", "standard")  # the new colleague
    harbour = [add_client(db, practice_id, f"Harbour Client {n:03d} Ltd") for n in range(120)]
    add_client(db, practice_id, "Harbour Seen Ltd", granted_to=[old_hand])
    add_client(db, practice_id, "Other Business Ltd")
    add_client(db, practice_id, "Another Trade Ltd")
    before = access_rows(db)
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "harbour client")
        await pilot.press("escape")  # back to the list from the search box
        await pilot.press("asterisk")
        await settle(pilot)
        assert count_text(app).endswith("· 120 marked")
        await pilot.press("b")
        assert isinstance(app.screen, BulkMenuScreen)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, BulkColleagueScreen)  # the active standard colleagues
        await pilot.press("down", "enter")  # Bea.Old, then Olivia.Vale
        await settle(pilot)
        assert isinstance(app.screen, AccessTogglesScreen)
        await pilot.press("down", "space")  # approval on, besides bookkeeping
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)
        assert preview_text(app) == (
            "Will grant Olivia.Vale access to 120 clients, with bookkeeping access, "
            "approval permission"
        )
        assert access_rows(db) == before  # nothing written by the preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert last_notification(app) == (
            "Olivia.Vale was granted access to 120 clients. z undoes it."
        )
        granted = [row for row in access_rows(db) if row not in before]
        assert sorted(row.client_id for row in granted) == sorted(harbour)
        assert {tuple(row)[2:] for row in granted} == {(True, True, False, False)}

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        assert words(app)[0] == "Ann.Lee granted Olivia.Vale access to 120 clients ▸"
        assert len([w for w in words(app) if "Olivia.Vale" in w]) == 1  # one line for 120
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)

        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, ChangePreviewScreen)
        assert preview_text(app) == "120 clients will be put back as they were"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert last_notification(app) == "Undone: 120 clients put back as they were."
    assert access_rows(db) == before


async def test_account_manager_and_revoke_from_the_bulk_menu_by_keyboard(db):
    practice_id = add_practice(db, "Harbour & Vale")
    admin = add_member(db, practice_id, "ann.lee@example.com")
    olivia = add_member(db, practice_id, "olivia.vale@example.com", "standard")
    clients = [
        add_client(db, practice_id, f"Harbour Client {n} Ltd", granted_to=[olivia])
        for n in range(3)
    ]
    add_client(db, practice_id, "Solo Only Ltd", prepare=None, solo="active")
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk", "b", "a")
        await settle(pilot)
        assert isinstance(app.screen, BulkColleagueScreen)  # Ann.Lee, Olivia.Vale
        await pilot.press("down", "enter")
        await settle(pilot)
        assert preview_text(app) == (
            "Will make Olivia.Vale the Prepare account manager of 3 clients\n"
            "1 skipped: no Prepare account"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        with db.connect() as connection:
            managers = connection.execute(
                text("SELECT client_id, account_manager_id FROM prepare_account")
            ).all()
        assert dict(managers) == dict.fromkeys(clients, olivia.team_member_id)

        await pilot.press("b", "k")
        await settle(pilot)
        assert isinstance(app.screen, BulkColleagueScreen)  # those with access rows
        await pilot.press("enter")
        await settle(pilot)
        assert preview_text(app) == (
            "Will revoke Olivia.Vale's access to 3 clients\n1 skipped: has no access"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert last_notification(app) == (
            "Olivia.Vale's access to 3 clients was revoked. z undoes it."
        )
    assert access_rows(db) == []
