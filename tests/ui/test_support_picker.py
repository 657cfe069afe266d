"""The support desk's own screens (spec 15, issue 19) at 80x24, on both backends: the
practice picker a support identity starts on, elevation with a reason and its countdown
(an injected clock: no sleeping), support access turned off mid-session, switching
practice, and a team member who never sees another practice by any path."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from textual import events
from textual.widgets import Button, Input, Label, Static

from dext_tui.app import DextApp
from dext_tui.commands import key_groups
from dext_tui.data import roles
from dext_tui.data.activity import activity_page
from dext_tui.data.identity import IdentityError, resolve_viewer
from dext_tui.data.support import set_support_access
from dext_tui.data.support_identity import ACCESS_OFF
from dext_tui.data.support_people import add_support_person
from dext_tui.screens.dialogs.failure import FailureScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.manage.edit_client import EditClientScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen, ManageOptions
from dext_tui.screens.support.desk import SupportLine
from dext_tui.screens.support.elevate import ElevateScreen
from dext_tui.screens.support.picker import PracticePickerScreen, PracticeTable
from dext_tui.widgets.one_line import OneLine
from tests.factories import FIXED_NOW, add_client, add_member, add_practice
from tests.ui.conftest import search, settle, type_text
from tests.ui.test_repaint import drawn, watch_repaints
from tests.ui.test_worker_failures import rename_table

SAM = "sam@support.example"
ALDER = "Alder & Vale Accountants"
BIRCH = "Birch Partners"


class Clock:
    """The app's clock, moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def desk(db: Engine) -> dict:
    """Two practices with an admin and clients each, a third that turned support off,
    and one support person."""
    a = add_practice(db, ALDER)
    b = add_practice(db, BIRCH)
    c = add_practice(db, "Closed Shop LLP")
    world = {
        "db": db,
        "a": a,
        "b": b,
        "admin_a": add_member(db, a, "admin@alder.example"),
        "admin_b": add_member(db, b, "admin@birch.example"),
        "admin_c": add_member(db, c, "admin@closed.example"),
        "thames": add_client(db, a, "Thames Water Ltd", crn="01234567", code="TW1"),
        "acme": add_client(db, a, "Acme Widgets Ltd", code="ACME"),
        "severn": add_client(db, b, "Severn Trent plc", code="ST1"),
    }
    set_support_access(db, world["admin_c"], False, FIXED_NOW)
    person = add_support_person(db, "Sam Support", SAM, None, FIXED_NOW)
    world["person"] = person
    return world


def support_app(desk: dict, clock: Clock | None = None) -> DextApp:
    """As `dext-tui --user sam@…` starts it: the support person, no practice yet."""
    if clock is None:
        return DextApp(desk["db"], support_person=desk["person"])
    return DextApp(desk["db"], support_person=desk["person"], clock=clock)


def screen_text(app: DextApp) -> str:
    """Every character on the terminal now, as text."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip if not segment.control)
        for line in update.strips
    )


def visits(db: Engine) -> list:
    with db.connect() as connection:
        return connection.execute(
            text(
                "SELECT practice_id, action, reason FROM audit_event "
                "WHERE support_person_id IS NOT NULL ORDER BY id"
            )
        ).all()


async def pick(pilot, typed: str) -> None:
    """Type part of a practice's name in the picker, go to the results, open the first."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, PracticePickerScreen)
    await type_text(pilot, typed)
    await settle(pilot)
    await pilot.press("enter")  # to the results
    await pilot.press("enter")  # open
    await settle(pilot)


async def elevate_with(pilot, reason: str) -> None:
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ElevateScreen)
    await type_text(pilot, reason)
    await pilot.press("enter")
    await settle(pilot)


def support_line(app: DextApp) -> str:
    return app.screen.query_one(SupportLine).text


# -- the picker ---------------------------------------------------------------------------
async def test_support_sees_nothing_of_a_practice_until_it_picks_one(desk):
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PracticePickerScreen)
        shown = screen_text(app)
        # Practices with their number of clients; no client of any practice.
        assert ALDER in shown and "Birch Partners" in shown
        assert "Thames" not in shown and "Severn" not in shown and "Acme" not in shown
        assert visits(desk["db"]) == []  # nothing opened yet
        await pick(pilot, "aldr vale")  # a typo, as the client search allows
        assert isinstance(app.screen, ClientListScreen)
        assert app.screen.viewer.practice_id == desk["a"]
        assert app.screen.viewer.elevated_until is None  # read-only
        assert "Thames Water Ltd" in screen_text(app)
        assert "Severn" not in screen_text(app)
    assert [(v.practice_id, v.action) for v in visits(desk["db"])] == [
        (desk["a"], "support.opened")
    ]


async def test_the_picker_counts_clients_and_refuses_a_practice_that_turned_support_off(desk):
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PracticeTable)
        cells = {
            table.source.name(p): table.source.cell("clients", p)[0] for p in table.order.tolist()
        }
        assert cells == {ALDER: "2", BIRCH: "1", "Closed Shop LLP": "0"}
        await pick(pilot, "closed shop")
        assert isinstance(app.screen, PracticePickerScreen)  # stays shut
        assert ACCESS_OFF in app.screen.query_one("#practice-count").text
    assert visits(desk["db"]) == []


async def test_keys_typed_ahead_of_a_practice_opening_reach_its_list(desk, monkeypatch):
    """Typed in one burst over SSH: `alder`, enter, enter, then `/thames` and `e …` go to
    the list once it is up (and to its elevation dialog once that is done), not to the
    picker or the dialog being left. The visit and the elevation are held back until the
    keys have been handed on, as a slow database would."""
    from dext_tui.screens.support import elevate as elevate_module
    from dext_tui.screens.support import picker as picker_module

    visited, elevated = threading.Event(), threading.Event()

    def slow(write, done: threading.Event):
        def waiting(*args, **kwargs):
            done.wait(timeout=30)
            return write(*args, **kwargs)

        return waiting

    monkeypatch.setattr(picker_module, "record_visit", slow(picker_module.record_visit, visited))
    monkeypatch.setattr(elevate_module, "elevate", slow(elevate_module.elevate, elevated))
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst = [*"alder", "enter", "enter", "slash", *"thames", "enter", "e", *"T-5", "enter"]
        burst += ["m"]  # after the elevation: the Manage menu
        for key in burst:  # all queued before any is handled, as a terminal delivers them
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for done in (visited, elevated):
            for _ in range(20):  # every key the gate lets through is handled meanwhile
                await pilot.pause()
            done.set()
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)
        screen = app.screen_stack[-2]
        assert isinstance(screen, ClientListScreen)
        assert screen.query_one("#search", Input).value == "thames"
        assert screen.viewer.support_reason == "T-5"


async def test_a_hostile_practice_name_and_reason_show_as_typed(db):
    """Practice names and reasons are stored text: shown printable, never as markup or
    terminal codes (the name is stored past the services, as another tool might)."""
    with db.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO practice (name, has_prepare, has_precision, has_solo, "
                "client_bundle_limit) VALUES (:name, :on, :on, :on, 100)"
            ),
            {"name": "Esc \x1b[31mRed\x1b[0m & [bold]Co[/]", "on": True},
        )
    person = add_support_person(db, "Sam Support", SAM, None, FIXED_NOW)
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    app = DextApp(db, support_person=person, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Esc ␛[31mRed␛[0m & [bold]Co[/]" in screen_text(app)
        await pick(pilot, "red")
        assert isinstance(app.screen, ClientListScreen)
        await elevate_with(pilot, "[b]T-1[/b] \x1b[2J")
        assert "elevated 30:00 — [b]T-1[/b] [2J" in support_line(app)  # the box drops ESC
        assert "\x1b" not in screen_text(app)


# -- read-only until elevated -------------------------------------------------------------
async def test_read_only_support_cannot_write_and_the_screen_says_why(desk):
    db = desk["db"]
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        screen = app.screen
        assert roles.READ_ONLY in support_line(app)
        add = screen.query_one("#add-client-button", Button)
        assert add.disabled and add.tooltip == roles.READ_ONLY
        imports = screen.query_one("#import-button", Button)
        assert imports.disabled and imports.tooltip == roles.READ_ONLY
        for keys in (("a",), ("i",), ("t", "u")):  # each key says it too, and opens nothing
            app.clear_notifications()
            await pilot.press(*keys)
            await settle(pilot)
            assert app.screen is screen, keys
            assert [n.message for n in app._notifications] == [roles.READ_ONLY], keys
        # Its own keys are in help and the palette.
        palette = [c.title for c in app.get_system_commands(screen)]
        assert "Elevate" in palette and "Practices" in palette
        help_rows = [row.keys for group in key_groups(screen) for row in group.rows]
        assert "e" in help_rows and "o" in help_rows
        await pilot.press("slash")
        await type_text(pilot, "thames")
        await pilot.press("enter", "m")
        await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)
        options = app.screen.query_one(ManageOptions)
        edit = options.get_option("edit")
        assert edit.disabled and roles.READ_ONLY in str(edit.prompt)
    with db.connect() as connection:
        assert connection.execute(text("SELECT practice_code FROM client")).scalars().all() == [
            "TW1",
            "ACME",
            "ST1",
        ]


async def test_elevation_needs_a_reason_counts_down_and_expires(desk):
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    app = support_app(desk, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # no reason: refused in the dialog, nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, ElevateScreen)
        assert "reason is needed" in app.screen.query_one("#elevate-problem").text
        await type_text(pilot, "  ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ElevateScreen)
        await type_text(pilot, "TICKET-1")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientListScreen)
        assert "elevated 30:00 — TICKET-1" in support_line(app)
        assert not screen.query_one("#add-client-button", Button).disabled
        clock.advance(seconds=61)
        screen.tick_support()
        assert "elevated 28:59 — TICKET-1" in support_line(app)
        clock.advance(minutes=29)
        screen.tick_support()
        await pilot.pause()
        assert screen.viewer.elevated_until is None
        assert roles.READ_ONLY in support_line(app)
        add = screen.query_one("#add-client-button", Button)
        assert add.disabled and add.tooltip == roles.READ_ONLY
        assert any("read-only again" in n.message for n in app._notifications)
    assert [(v.action, v.reason) for v in visits(desk["db"])] == [
        ("support.opened", None),
        ("support.elevated", "TICKET-1"),
    ]


async def test_a_countdown_tick_draws_only_the_support_line(desk):
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    app = support_app(desk, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        await elevate_with(pilot, "TICKET-1")
        screen = app.screen
        app.clear_notifications()
        await settle(pilot)
        line = screen.query_one(SupportLine).region.y
        spans = watch_repaints(app)
        clock.advance(seconds=1)
        screen.tick_support()
        await pilot.pause()
        assert "elevated 29:59" in support_line(app)
        assert drawn(spans) == {line}


# -- support access off, switching practice --------------------------------------------------
async def test_support_access_turned_off_mid_session_leaves_the_practice(desk):
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        list_screen = app.screen
        assert isinstance(list_screen, ClientListScreen)
        await pilot.press("m")  # a dialog over the list: it goes too
        await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)
        set_support_access(desk["db"], desk["admin_a"], False, FIXED_NOW)
        list_screen.check_support_access()  # the poll, now rather than in 2 s
        await settle(pilot)
        assert isinstance(app.screen, PracticePickerScreen)
        assert not any(isinstance(s, ClientListScreen | ManageMenuScreen) for s in app.screen_stack)
        assert ACCESS_OFF in app.screen.query_one("#practice-count").text
        shown = screen_text(app)
        assert "Thames" not in shown and "Acme" not in shown


async def test_leaving_is_done_once_when_said_twice(desk):
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        list_screen = app.screen
        for _ in range(2):  # two polls' answers, queued before either is handled
            list_screen.post_message(list_screen.SupportLost(ACCESS_OFF))
        await settle(pilot)
        assert [type(s) for s in app.screen_stack[1:]] == [PracticePickerScreen]


async def test_switching_practice_keeps_nothing_of_the_previous_one(desk):
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        first = app.screen
        await pilot.press("slash")
        await type_text(pilot, "thames")
        await pilot.press("enter", "space")  # a mark
        await settle(pilot)
        assert first.marks
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PracticePickerScreen)
        assert "Thames" not in screen_text(app)
        await pick(pilot, "birch")
        second = app.screen
        assert isinstance(second, ClientListScreen) and second is not first
        assert second.viewer.practice_id == desk["b"]
        # The first practice's screen is gone, not kept under this one.
        assert [type(s) for s in app.screen_stack[1:]] == [ClientListScreen]
        assert not first.is_attached
        assert second.query_one("#search", Input).value == ""
        assert not second.marks
        shown = screen_text(app)
        assert "Severn Trent plc" in shown and "Thames" not in shown


# -- a team member never crosses practices ------------------------------------------------
async def test_a_team_member_never_sees_another_practice(desk):
    db = desk["db"]
    with pytest.raises(IdentityError, match="sees only that practice"):
        resolve_viewer(db, "admin@alder.example", BIRCH)
    with pytest.raises(IdentityError, match="sees only that practice"):
        resolve_viewer(db, "admin@alder.example", str(desk["b"]))
    app = DextApp(db, desk["admin_a"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientListScreen)
        assert not screen.query(SupportLine)
        assert screen.check_action("switch_practice", ()) is False
        assert screen.check_action("elevate", ()) is False
        palette = [c.title for c in app.get_system_commands(screen)]
        assert "Practices" not in palette and "Elevate" not in palette
        await pilot.press("o", "e")
        await settle(pilot)
        assert app.screen is screen  # no picker, no elevation
        assert "Severn" not in screen_text(app)


# -- done when (issue 19) -------------------------------------------------------------------
def dump(db: Engine) -> dict[str, list]:
    """Every table but the audit log, as rows in key order."""
    tables = [
        "practice",
        "team_member",
        "support_person",
        "client",
        "client_user",
        "client_change",
        "practice_access",
        "prepare_account",
        "precision_account",
        "precision_source_client",
        "solo_account",
        "solo_business",
    ]
    with db.connect() as connection:
        return {
            table: [
                dict(row._mapping)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            ]
            for table in tables
        }


async def test_done_when_a_support_person_fixes_a_practice_code_and_the_admin_sees_exactly_that(
    desk,
):
    db = desk["db"]
    before = dump(db)
    activity_before = activity_page(db, desk["admin_a"]).lines
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")  # part of its name, as on the ticket
        await search(pilot, "thames")
        client_id = app.screen.query_one("#client-table").highlighted_client_id
        assert client_id == desk["thames"]
        await elevate_with(pilot, "ticket ABC-1")
        assert "ticket ABC-1" in support_line(app)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")  # Edit, offered now
        await settle(pilot)
        assert isinstance(app.screen, EditClientScreen)
        app.screen.query_one("#edit-practice_code", Input).value = "TW9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageMenuScreen)  # saved: one step back
    after = dump(db)
    # Nothing else changed: every table as it was but that client's code (with its
    # version, key and time of change) and the practice's change counter.
    changed = {"practice_code", "practice_code_key", "version", "updated_at"}
    for table in before:
        if table in ("client", "practice", "client_change"):
            continue
        assert after[table] == before[table], table
    # The live list's change feed: new entries for that client only.
    assert after["client_change"][: len(before["client_change"])] == before["client_change"]
    assert {row["client_id"] for row in after["client_change"][len(before["client_change"]) :]} == {
        client_id
    }
    for old, new in zip(before["client"], after["client"], strict=True):
        if new["id"] != client_id:
            assert new == old
        else:
            assert new["practice_code"] == "TW9"
            assert {k: v for k, v in new.items() if k not in changed} == {
                k: v for k, v in old.items() if k not in changed
            }
    for old, new in zip(before["practice"], after["practice"], strict=True):
        assert {k: v for k, v in new.items() if k != "change_seq"} == {
            k: v for k, v in old.items() if k != "change_seq"
        }
    lines = activity_page(db, desk["admin_a"]).lines
    new_lines = lines[: len(lines) - len(activity_before)]
    assert lines[len(new_lines) :] == activity_before
    who = f"Sam Support on behalf of {ALDER}"
    assert [(line.words, line.details) for line in new_lines] == [
        (f"{who} edited Thames Water Ltd", ("practice code TW1 → TW9",)),
        (f"{who} elevated to change the practice (support)", ("reason: ticket ABC-1",)),
        (f"{who} opened the practice (support)", ()),
    ]
    # As the admin reads it on the Activity screen (v).
    admin_app = DextApp(db, desk["admin_a"])
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        shown = screen_text(admin_app)
    for words in (
        "edited Thames Water Ltd",
        "elevated to change the practice",
        "opened the practice",
    ):
        assert f"Sam Support on behalf of {ALDER} {words}" in shown, words
    assert f"{len(activity_before) + 3} lines" in shown  # the fixture's, and those three
    # The other practices' admins see none of it.
    assert not any("Sam Support" in line.words for line in activity_page(db, desk["admin_b"]).lines)


# -- failures (screens/worker_failures.py) --------------------------------------------------
def failure_said(app: DextApp) -> tuple[str, str]:
    """The failure dialog's title and reason."""
    assert isinstance(app.screen, FailureScreen)
    title = str(app.screen.query_one(".dialog-title", Label).render())
    return title, str(app.screen.query_one("#failure-reason", Static).render())


async def test_the_practices_failing_to_load_offer_retry_that_reads_them(desk):
    db = desk["db"]
    rename_table(db, "practice", "practice_away")
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title, reason = failure_said(app)
        assert title == "Could not read the practices"
        assert "practice" in reason and "Traceback" not in reason
        rename_table(db, "practice_away", "practice")
        await pilot.press("r")  # Retry
        await settle(pilot)
        assert isinstance(app.screen, PracticePickerScreen)
        assert ALDER in screen_text(app) and BIRCH in screen_text(app)
        assert app.is_running


async def test_a_practice_failing_to_open_offers_retry_that_opens_it(desk):
    db = desk["db"]
    app = support_app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rename_table(db, "audit_event", "audit_event_away")  # the visit cannot be recorded
        await pick(pilot, "alder")
        title, reason = failure_said(app)
        assert title == "Could not open the practice"
        assert "audit_event" in reason and "Traceback" not in reason
        rename_table(db, "audit_event_away", "audit_event")
        assert visits(db) == []  # nothing was recorded
        await pilot.press("r")  # Retry: opens the practice that failed to open
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert app.screen.viewer.practice_id == desk["a"]
        assert [visit.practice_id for visit in visits(db)] == [desk["a"]]


async def test_elevation_failing_says_so_and_enter_tries_again(desk):
    db = desk["db"]
    app = support_app(desk, Clock(FIXED_NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pick(pilot, "alder")
        rename_table(db, "audit_event", "audit_event_away")  # the elevation cannot be recorded
        await elevate_with(pilot, "ticket ABC-1")
        assert isinstance(app.screen, ElevateScreen)  # still open, saying why
        said = app.screen.query_one("#elevate-problem", OneLine).text
        assert said.startswith("Could not elevate: ")
        assert said.endswith(". Nothing was saved; enter tries again.")
        assert "audit_event" in said and "Traceback" not in said
        rename_table(db, "audit_event_away", "audit_event")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientListScreen)
        assert app.screen.viewer.elevated_until is not None
        assert "ticket ABC-1" in support_line(app)
