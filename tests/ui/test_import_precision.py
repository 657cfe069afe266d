"""Import Precision Clients by keyboard: each action, the link picker, the bulk keys,
the review and Back, refusals and failures, all checked against the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from textual.widgets import Input, Select, Static

from dext_tui.app import DextApp
from dext_tui.commands import key_groups
from dext_tui.data.client_view import ClientView
from dext_tui.data.services import precision_import as service
from dext_tui.data.services.precision_import import LATER, LINK, NEW, ImportChoice, apply_import
from dext_tui.data.services.writing import ChangeResult
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.dialogs.help import HelpScreen
from dext_tui.screens.import_precision.import_precision import ImportPrecisionScreen, ImportTable
from dext_tui.screens.import_precision.import_review import ImportReviewScreen
from dext_tui.screens.import_precision.link_picker import LinkPickerScreen, PickerTable
from tests.factories import add_client, add_member, add_practice
from tests.ui.conftest import settle, type_text


def add_source(engine, practice_id, name, *, crn=None, software="xero", state="pending") -> int:
    with engine.begin() as connection:
        return connection.execute(
            text(
                "INSERT INTO precision_source_client (practice_id, name, crn, software, "
                "import_state) VALUES (:p, :n, :c, :s, :st) RETURNING id"
            ),
            {"p": practice_id, "n": name, "c": crn, "s": software, "st": state},
        ).scalar_one()


def states(db) -> dict[str, tuple[str, int | None]]:
    with db.connect() as connection:
        rows = connection.execute(
            text("SELECT name, import_state, client_id FROM precision_source_client")
        ).all()
    return {row.name: (row.import_state, row.client_id) for row in rows}


def everything(db) -> dict:
    with db.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in ("client", "precision_account", "precision_source_client", "audit_event")
        }


@pytest.fixture
def importing(db):
    """Two Prepare clients a source matches (by CRN, by name), one near-namesake
    for the picker, and sources: two with a match, two without."""
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    clients = {
        "acme": add_client(db, practice_id, "Acme Widgets Ltd", crn="01234567"),
        "thames": add_client(db, practice_id, "Thames Water Limited"),
        "harbour": add_client(db, practice_id, "Harbour View Dental Ltd", crn="SC654321"),
    }
    sources = {
        "acme": add_source(db, practice_id, "Acme Widgets (UK)", crn="01234567"),
        "thames": add_source(db, practice_id, "THAMES WATER LTD"),
        "bakery": add_source(db, practice_id, "Brand New Bakery Ltd", crn="SC123456"),
        "harbour": add_source(db, practice_id, "Harbourview Dentistry", state="set_up_later"),
    }
    return {"db": db, "admin": admin, "clients": clients, "sources": sources}


@pytest.fixture
def app(importing) -> DextApp:
    return DextApp(importing["db"], importing["admin"])


async def open_import(pilot) -> list:
    """The import screen over the list; returns the list its dismiss result lands in."""
    await settle(pilot)
    results: list = []
    app = pilot.app
    app.push_screen(ImportPrecisionScreen(app.engine, app.viewer), results.append)
    await settle(pilot)
    return results


def screen_rows(app):
    screen = app.screen
    assert isinstance(screen, ImportPrecisionScreen)
    return screen.rows


async def go_to(pilot, name: str) -> int:
    """Move the cursor (with the arrow keys) to the row of `name`; its position."""
    rows = screen_rows(pilot.app)
    table = pilot.app.screen.query_one(ImportTable)
    await pilot.press("home")
    for _ in range(len(rows)):
        if rows.name(table.highlighted_position) == name:
            return table.highlighted_position
        await pilot.press("down")
    raise AssertionError(f"{name} is not on the import screen")


def actions(app) -> dict[str, str]:
    rows = screen_rows(app)
    return {rows.name(i): rows.action(i) for i in range(len(rows))}


async def import_all(pilot) -> None:
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ImportReviewScreen)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_rows_show_their_proposed_match_and_start_at_link_or_later(app, importing):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_import(pilot)
        rows = screen_rows(app)
        names = [rows.name(i) for i in range(len(rows))]
        assert names == [
            "Acme Widgets (UK)",
            "Brand New Bakery Ltd",
            "Harbourview Dentistry",
            "THAMES WATER LTD",
        ]
        assert actions(app) == {
            "Acme Widgets (UK)": LINK,
            "Brand New Bakery Ltd": LATER,
            "Harbourview Dentistry": LATER,
            "THAMES WATER LTD": LINK,
        }
        acme = names.index("Acme Widgets (UK)")
        assert rows.cell("match", acme) == ("Acme Widgets Ltd", None)
        assert rows.cell("reason", acme)[0] == "CRN match"
        assert rows.cell("reason", names.index("THAMES WATER LTD"))[0] == "name 100%"
        detail = str(app.screen.query_one("#import-detail", Static).render())
        assert "Match: Acme Widgets Ltd (01234567), CRN match" in detail


async def test_each_action_by_key_is_imported(app, importing):
    db, clients = importing["db"], importing["clients"]
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_import(pilot)
        await go_to(pilot, "Acme Widgets (UK)")
        await pilot.press("1")  # set up later, though it has a match
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("3")  # a new client
        await go_to(pilot, "Harbourview Dentistry")
        await pilot.press("1")
        # THAMES WATER LTD keeps its proposed link.
        assert actions(app) == {
            "Acme Widgets (UK)": LATER,
            "Brand New Bakery Ltd": NEW,
            "Harbourview Dentistry": LATER,
            "THAMES WATER LTD": LINK,
        }
        await import_all(pilot)
        found = states(db)
        assert found["Acme Widgets (UK)"] == ("set_up_later", None)
        assert found["THAMES WATER LTD"] == ("linked", clients["thames"])
        assert found["Harbourview Dentistry"] == ("set_up_later", None)
        state, new_id = found["Brand New Bakery Ltd"]
        assert state == "imported"
        (result,) = results
        assert isinstance(result, ChangeResult)
        assert set(result.client_ids) == {clients["thames"], new_id}
        assert not isinstance(app.screen, (ImportPrecisionScreen, ImportReviewScreen))
        # Next time: the set-up-later rows only.
        await open_import(pilot)
        assert set(actions(app)) == {"Acme Widgets (UK)", "Harbourview Dentistry"}


async def test_two_on_a_row_without_a_match_opens_the_picker(app, importing):
    db, clients = importing["db"], importing["clients"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        row = await go_to(pilot, "Harbourview Dentistry")
        await pilot.press("2")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LinkPickerScreen)
        # Acme and Thames are linked by other rows: not offered.
        table = picker.query_one(PickerTable)
        await type_text(pilot, "harbour")  # the picker's search, by value
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 1 and table.highlighted_id == clients["harbour"]
        await pilot.press("enter")
        await settle(pilot)
        assert screen_rows(app).action(row) == LINK
        assert screen_rows(app).reason(row) == "chosen"
        await import_all(pilot)
        assert states(db)["Harbourview Dentistry"] == ("linked", clients["harbour"])


async def test_the_picker_finds_a_client_by_its_crn(app, importing):
    db, clients = importing["db"], importing["clients"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "sc654321")  # the picker's search, by value
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(PickerTable)
        assert table.row_count == 1 and table.highlighted_id == clients["harbour"]
        await pilot.press("enter")
        await settle(pilot)
        await import_all(pilot)
        assert states(db)["Brand New Bakery Ltd"] == ("linked", clients["harbour"])


async def test_at_80_columns_nothing_said_or_shown_is_cut(app, importing):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await pilot.press("n")
        await settle(pilot)
        review = app.screen.query_one("ReviewTable")
        lines = [review.render_line(y).text for y in range(review.size.height)]
        assert any("01234567" in line for line in lines), lines  # the CRN whole
        await pilot.press("escape")
        await settle(pilot)
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "no such client anywhere")  # the picker's search, by value
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(PickerTable)
        assert table.row_count == 0
        assert "Try fewer letters or a CRN:" in table.render_line(2).text


async def test_the_picker_leaves_out_clients_other_rows_link(app, importing):
    clients = importing["clients"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LinkPickerScreen)
        picker.query_one("#picker-search").value = ""
        await settle(pilot)
        table = picker.query_one(PickerTable)
        shown = {int(table.source.ids[p]) for p in table.order.tolist()}
        assert shown == {clients["harbour"]}
        await pilot.press("escape")  # nothing chosen: the row stays as it was
        await settle(pilot)
        assert actions(app)["Brand New Bakery Ltd"] == LATER


async def test_change_match_relinks_a_row_and_frees_its_old_match(app, importing):
    db, clients = importing["db"], importing["clients"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await go_to(pilot, "THAMES WATER LTD")
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "harbour")  # the picker's search, by value
        await pilot.press("enter", "enter")
        await settle(pilot)
        await go_to(pilot, "Harbourview Dentistry")
        await pilot.press("2")  # no match of its own: the picker
        await settle(pilot)
        picker = app.screen
        picker.query_one("#picker-search").value = "thames"
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        await import_all(pilot)
        found = states(db)
        assert found["THAMES WATER LTD"] == ("linked", clients["harbour"])
        assert found["Harbourview Dentistry"] == ("linked", clients["thames"])


async def test_the_selector_sets_the_highlighted_rows_action(app, importing):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        row = await go_to(pilot, "Brand New Bakery Ltd")
        app.screen.query_one("#import-action", Select).value = NEW
        await settle(pilot)
        assert screen_rows(app).action(row) == NEW
        await pilot.press("down")
        assert app.screen.query_one("#import-action", Select).value == LATER  # follows the row


async def test_bulk_keys_accept_every_match_then_import_the_rest_as_new(app, importing):
    db = importing["db"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await go_to(pilot, "Acme Widgets (UK)")
        await pilot.press("1")
        await go_to(pilot, "THAMES WATER LTD")
        await pilot.press("3")
        await pilot.press("a")
        assert actions(app) == {
            "Acme Widgets (UK)": LINK,
            "Brand New Bakery Ltd": LATER,
            "Harbourview Dentistry": LATER,
            "THAMES WATER LTD": LINK,
        }
        await pilot.press("r")
        assert actions(app) == {
            "Acme Widgets (UK)": LINK,
            "Brand New Bakery Ltd": NEW,
            "Harbourview Dentistry": NEW,
            "THAMES WATER LTD": LINK,
        }
        await import_all(pilot)
        assert {state for state, _ in states(db).values()} == {"linked", "imported"}


def last_note(app) -> str:
    return list(app._notifications)[-1].message


async def test_bulk_keys_say_when_they_change_nothing(app, importing):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await pilot.press("a")  # both proposals start chosen
        assert last_note(app) == "All 2 proposed matches are already chosen: nothing changed."
        await pilot.press("r", "r")
        assert last_note(app) == "No row is Set up later: nothing changed."


async def test_importing_with_every_row_set_up_later_says_there_is_nothing(app, importing):
    db = importing["db"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        for name in ("Acme Widgets (UK)", "THAMES WATER LTD"):
            await go_to(pilot, name)
            await pilot.press("1")
        before = everything(db)
        await import_all(pilot)
        assert isinstance(app.screen, ImportReviewScreen)  # not imported, still here
        status = str(app.screen.query_one("#review-status", Static).render())
        assert status.startswith("Nothing to import: every row is Set up later.")
        assert everything(db) == before


async def test_review_shows_totals_and_back_returns_to_change(app, importing):
    db = importing["db"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        await pilot.press("n")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ImportReviewScreen)
        totals = str(review.query_one("#review-totals", Static).render())
        assert totals == "Link to Prepare client: 2 · Import as new client: 0 · Set up later: 2"
        source = review.source
        lines = [source.name(i).strip() for i in range(len(source.ids))]
        assert lines == [
            "Link to Prepare client: 2",
            "Acme Widgets (UK)",
            "THAMES WATER LTD",
            "Set up later: 2",
            "Brand New Bakery Ltd",
            "Harbourview Dentistry",
        ]
        before = everything(db)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ImportPrecisionScreen)
        assert everything(db) == before  # looking at the review writes nothing
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("3", "n")
        await settle(pilot)
        totals = str(app.screen.query_one("#review-totals", Static).render())
        assert totals == "Link to Prepare client: 2 · Import as new client: 1 · Set up later: 1"


async def test_a_failure_in_the_middle_of_the_import_writes_nothing(app, importing, monkeypatch):
    db = importing["db"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(service, "_mark_sources", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_import(pilot)
        await pilot.press("r")  # new clients too
        before = everything(db)
        await import_all(pilot)
        assert isinstance(app.screen, ImportReviewScreen)  # still here, saying why
        status = str(app.screen.query_one("#review-status", Static).render())
        assert status.startswith("Nothing was imported: disk I/O error.")
        assert everything(db) == before
        assert results == []


async def test_rows_imported_by_someone_else_meanwhile_refuse_the_whole_import(app, importing):
    db, sources = importing["db"], importing["sources"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        # A colleague imports one of the rows after this screen read them.
        apply_import(db, importing["admin"], [ImportChoice(sources["bakery"], NEW)])
        before = everything(db)
        await import_all(pilot)
        status = str(app.screen.query_one("#review-status", Static).render())
        assert "Someone else imported “Brand New Bakery Ltd”" in status
        assert everything(db) == before
        await pilot.press("escape", "ctrl+r")  # back, and read the rows again
        await settle(pilot)
        assert "Brand New Bakery Ltd" not in actions(app)


async def test_with_none_waiting_the_screen_says_so(app, importing):
    with importing["db"].begin() as connection:
        connection.execute(text("UPDATE precision_source_client SET import_state = 'imported'"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        status = str(app.screen.query_one("#import-status", Static).render())
        assert status == "No Precision clients are waiting to be imported."
        assert app.screen.query_one(ImportTable).row_count == 0
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ImportPrecisionScreen)


async def test_escape_leaves_at_once_unless_actions_were_changed(app, importing):
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_import(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert results == [None]
        results = await open_import(pilot)
        await pilot.press("3", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert results == [None]
        assert {state for state, _ in states(importing["db"]).values()} == {
            "pending",
            "set_up_later",
        }


async def test_footer_and_help_show_every_key(app, importing):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_import(pilot)
        groups = {group.title: group for group in key_groups(app.screen)}
        keys = {row.keys for row in groups["Import Precision clients"].rows}
        assert {"1", "2", "3", "c", "a", "r", "n", "esc", "?"} <= keys
        bindings = app.screen.active_bindings
        footer_keys = {key for key, active in bindings.items() if active.binding.show}
        assert {"1", "2", "3", "c", "a", "r", "escape", "question_mark"} <= footer_keys
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_user_who_may_not_add_clients_cannot_set_rows_to_new(importing):
    db = importing["db"]
    standard = add_member(db, importing["admin"].practice_id, "std@example.com", "standard")
    with db.begin() as connection:  # Acme is theirs; Thames and Harbour are not
        connection.execute(
            text(
                "INSERT INTO practice_access (team_member_id, client_id, bookkeeping, approval, "
                "data_health, account_manager) VALUES (:m, :c, TRUE, FALSE, FALSE, FALSE)"
            ),
            {"m": standard.team_member_id, "c": importing["clients"]["acme"]},
        )
    app = DextApp(db, standard)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        assert actions(app)["THAMES WATER LTD"] == LATER  # its match is not theirs to see
        await go_to(pilot, "Brand New Bakery Ltd")
        await pilot.press("3", "r")
        assert set(actions(app).values()) == {LINK, LATER}


async def test_the_picker_search_failing_says_so_and_ctrl_r_searches_again(
    app, importing, monkeypatch
):
    """The picker searches in memory (the list's ClientView), so no database read can fail
    under it: the search itself is made to fail, until it is mended."""
    clients = importing["clients"]
    apply = ClientView.apply
    broken = [True]

    def failing(view, query):
        if broken[0]:
            raise RuntimeError("out of memory")
        return apply(view, query)

    async with app.run_test(size=(80, 24)) as pilot:
        await open_import(pilot)
        row = await go_to(pilot, "Harbourview Dentistry")
        monkeypatch.setattr(ClientView, "apply", failing)
        await pilot.press("2")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LinkPickerScreen)
        said = str(picker.query_one("#picker-count", Static).render())
        assert said == (
            "Could not search the Prepare clients: out of memory. Press ctrl+r to try again."
        )
        broken[0] = False
        await pilot.press("ctrl+r")
        await settle(pilot)
        said = str(picker.query_one("#picker-count", Static).render())
        assert said == "0 of 3 Prepare clients without a Precision account"  # searched
        picker.query_one("#picker-search", Input).value = "harbour"  # and searches on
        await settle(pilot)
        assert picker.query_one(PickerTable).highlighted_id == clients["harbour"]
        await pilot.press("enter", "enter")  # to the results, and links it
        await settle(pilot)
        assert screen_rows(app).action(row) == LINK
