"""The Add Client wizard driven by keyboard alone, checked against the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from textual.app import App
from textual.widgets import Button, Input, OptionList, Static

from dext_tui.data.duplicates import Duplicate
from dext_tui.data.identity import resolve_viewer
from dext_tui.screens.add_client import AddClientOutcome, AddClientScreen
from dext_tui.screens.add_client import wizard as wizard_module
from dext_tui.screens.add_client.duplicate_warning import DuplicateWarningScreen
from dext_tui.screens.add_client.review_step import ReviewStep
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from tests.factories import add_client, add_member, add_practice
from tests.ui.conftest import settle, type_text

UNSET = object()


class WizardApp(App[None]):
    """Pushes the wizard as the client list does, and keeps what it is dismissed with."""

    def __init__(self, engine, viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.outcome: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(AddClientScreen(self.engine, self.viewer), self.closed)

    def closed(self, outcome: AddClientOutcome | None) -> None:
        self.outcome = outcome


@pytest.fixture
def practice(db):
    practice_id = add_practice(db, "Harbour Accountants")
    admin = add_member(db, practice_id, "admin@example.com")
    add_member(db, practice_id, "zed@example.com", "standard")  # Zed: last in the lists
    standard = add_member(db, practice_id, "std@example.com", "standard")
    thames = add_client(db, practice_id, "Thames Water Ltd", crn="01234567", code="TW1")
    return {"db": db, "admin": admin, "standard": standard, "thames": thames}


def one(db, sql: str, **params):
    with db.connect() as connection:
        return connection.execute(text(sql), params).first()


def client_count(db) -> int:
    return one(db, "SELECT COUNT(*) FROM client")[0]


def member(db, email: str) -> int:
    return one(db, "SELECT id FROM team_member WHERE email = :e", e=email)[0]


def status(app: App) -> str:
    return str(app.screen.query_one("#add-status", Static).render())


def error_of(app: App, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}-error", Static).render())


def step_title(app: App) -> str:
    return str(app.screen.query_one("#add-step", Static).render())


async def type_in(pilot, text_: str, *then: str) -> None:
    await type_text(pilot, text_)
    await pilot.press(*then)


# -- each product, keyboard only -----------------------------------------------------------
async def test_prepare_client_typed_step_by_step(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Step 1 of 4" in step_title(app)
        await pilot.press("enter")  # Prepare, the first product
        await settle(pilot)
        assert "Step 2 of 4 · Prepare · Client details" in step_title(app)
        await type_in(pilot, "Riverside Bakery", "tab")
        await type_in(pilot, "RB-1", "tab")
        await type_in(pilot, "123456", "tab")
        await type_in(pilot, "Food", "tab")
        await pilot.press("enter", "up", "up", "enter")  # connect: Later -> Xero
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Step 3 of 4" in step_title(app)
        # Colleagues: admins see every client by role, so only Std and Zed are listed.
        await pilot.press("space", "tab")  # tick Std
        await pilot.press("enter", "down", "down", "down", "enter", "tab")  # manager: Zed
        await pilot.press("space", "tab")  # invite the first user now
        await type_in(pilot, "Rita Baker", "tab")
        await type_in(pilot, "rita@riverside.example")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Step 4 of 4 · Prepare · Review" in step_title(app)
        review = app.screen.query_one("#step-prepare-reviewstep", ReviewStep).review_text()
        assert "CRN: 00123456" in review
        assert (
            "00123456" in review and "Rita Baker <rita@riverside.example> (invited now)" in review
        )
        assert client_count(db) == 1  # nothing written before Create
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    client_id = app.outcome.client_id
    assert app.outcome.result is not None and app.outcome.result.client_ids == (client_id,)
    row = one(db, "SELECT name, practice_code, crn FROM client WHERE id = :i", i=client_id)
    assert tuple(row) == ("Riverside Bakery", "RB-1", "00123456")
    account = one(
        db,
        "SELECT status, industry, integration_software, account_manager_id FROM prepare_account "
        "WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == ("invited", "Food", "xero", member(db, "zed@example.com"))
    with db.connect() as connection:
        access = set(
            connection.execute(
                text("SELECT team_member_id FROM practice_access WHERE client_id = :i"),
                {"i": client_id},
            ).scalars()
        )
    assert access == {member(db, "std@example.com"), member(db, "zed@example.com")}
    user = one(
        db, "SELECT name, email, is_owner FROM client_user WHERE client_id = :i", i=client_id
    )
    assert (user.name, user.email, bool(user.is_owner)) == (
        "Rita Baker",
        "rita@riverside.example",
        True,
    )


async def test_precision_client_typed_step_by_step(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # Precision
        await settle(pilot)
        assert "Precision · Organisation" in step_title(app)
        await pilot.press("enter", "down", "down", "enter", "tab")  # QuickBooks Online
        await type_in(pilot, "Orbit Widgets Ltd", "tab")
        await type_in(pilot, "sc123456")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Step 3 of 4" in step_title(app)
        await pilot.press("enter", "down", "enter", "tab")  # software users only
        await pilot.press("down", "space")  # account manager: the second colleague (Std)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Review" in step_title(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    client_id = app.outcome.client_id
    assert tuple(one(db, "SELECT name, crn FROM client WHERE id = :i", i=client_id)) == (
        "Orbit Widgets Ltd",
        "SC123456",
    )
    account = one(
        db,
        "SELECT status, software, visibility FROM precision_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == ("active", "quickbooks_online", "software_users_only")
    manager = one(
        db,
        "SELECT data_health, account_manager FROM practice_access "
        "WHERE client_id = :i AND team_member_id = :m",
        i=client_id,
        m=member(db, "std@example.com"),
    )
    assert manager is not None and bool(manager.data_health) and bool(manager.account_manager)


async def test_solo_client_with_a_second_business_typed_step_by_step(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Solo
        await settle(pilot)
        assert "Solo · Sole trader" in step_title(app)
        await type_in(pilot, "Jane Smith", "tab")
        await type_in(pilot, "jane@example.com", "tab")
        await type_in(pilot, "ab123456c", "tab")
        await type_in(pilot, "sw1a1aa", "tab")
        await type_in(pilot, "JS-1")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Solo · Businesses" in step_title(app)
        await type_in(pilot, "Jane's Plumbing", "tab")
        await pilot.press("enter", "down", "enter", "tab")  # self-employment
        await pilot.press("enter", "down", "down", "enter", "tab")  # bank
        await pilot.press("enter")  # Add another business
        await settle(pilot)
        assert app.focused is app.screen.query_one("#solo-business_name_2", Input)
        await type_in(pilot, "Flat 2 Mill Lane", "tab")
        await pilot.press("enter", "down", "down", "enter", "tab")  # UK property
        await pilot.press("enter", "down", "enter")  # costs and sales
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Review" in step_title(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    client_id = app.outcome.client_id
    account = one(
        db,
        "SELECT status, email, ni_number, postcode, practice_code, business_name, business_type, "
        "collection_method FROM solo_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == (
        "invited",
        "jane@example.com",
        "AB123456C",
        "SW1A 1AA",
        "JS-1",
        "Jane's Plumbing",
        "self_employment",
        "bank",
    )
    second = one(
        db,
        "SELECT position, business_name, business_type, collection_method FROM solo_business "
        "WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(second) == (2, "Flat 2 Mill Lane", "uk_property", "costs_sales")


# -- validation ----------------------------------------------------------------------------
async def test_next_stays_names_every_rule_and_puts_the_cursor_on_the_first_bad_field(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Solo
        await settle(pilot)
        await type_in(pilot, "Jane Smith", "tab")
        await type_in(pilot, "jane@", "tab")
        await type_in(pilot, "QQ123456C", "tab", "tab")  # no postcode
        await type_in(pilot, "tw1")  # Thames Water's code
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Solo · Sole trader" in step_title(app)
        assert app.focused is app.screen.query_one("#solo-email", Input)
        assert error_of(app, "solo-email") == "Email must be an address such as name@example.com"
        assert error_of(app, "solo-ni_number").startswith("National Insurance number must be")
        assert error_of(app, "solo-postcode") == "Postcode is required"
        assert error_of(app, "solo-practice_code") == (
            "Practice code tw1 is already used by Thames Water Ltd"
        )
        assert error_of(app, "solo-name") == ""
        assert status(app).startswith("4 fields to put right")
        # Put right, the step is left and its errors are gone.
        email = app.screen.query_one("#solo-email", Input)
        email.value = "jane@example.com"
        app.screen.query_one("#solo-ni_number", Input).value = "AB123456C"
        app.screen.query_one("#solo-postcode", Input).value = "SW1A 1AA"
        app.screen.query_one("#solo-practice_code", Input).value = "JS-1"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Solo · Businesses" in step_title(app)
        await pilot.press("ctrl+n")  # nothing chosen for the business
        await settle(pilot)
        assert "Solo · Businesses" in step_title(app)
        assert error_of(app, "solo-business_type_1") == "Business type is required"
        assert app.focused is app.screen.query_one("#solo-business_name_1", Input)
    assert client_count(db) == 1


async def test_a_create_refused_keeps_the_wizard_open_on_the_field_with_values_kept(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Riverside Bakery", "tab")
        await type_in(pilot, "RB-1")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Review" in step_title(app)
        # Meanwhile someone else gives another client that code.
        add_client(db, 1, "Other Client Ltd", code="rb-1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AddClientScreen)
        assert "Client details" in step_title(app)
        assert error_of(app, "prepare-practice_code") == (
            "Practice code RB-1 is already used by Other Client Ltd"
        )
        assert app.focused is app.screen.query_one("#prepare-practice_code", Input)
        assert app.screen.query_one("#prepare-name", Input).value == "Riverside Bakery"
        assert "Nothing was saved" in status(app)
    assert app.outcome is UNSET
    assert client_count(db) == 2


async def test_a_failure_while_creating_writes_nothing_and_can_be_tried_again(
    practice, monkeypatch
):
    db = practice["db"]
    real = wizard_module.create_from_draft

    def failing(*args, **kwargs):
        raise RuntimeError("connection reset")

    monkeypatch.setattr(wizard_module, "create_from_draft", failing)
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Riverside Bakery")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AddClientScreen) and "Review" in step_title(app)
        assert "Nothing was saved: connection reset" in status(app)
        assert client_count(db) == 1
        monkeypatch.setattr(wizard_module, "create_from_draft", real)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    assert client_count(db) == 2


# -- duplicates ------------------------------------------------------------------------------
async def duplicate_warning_for(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press("enter")  # Prepare
    await settle(pilot)
    await type_in(pilot, name)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)


async def test_a_close_name_warns_and_can_open_that_client_instead(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await duplicate_warning_for(pilot, "thames water limited")
        assert isinstance(app.screen, DuplicateWarningScreen)
        options = app.screen.query_one("#duplicate-options", OptionList)
        assert str(options.get_option_at_index(0).prompt) == (  # ▶: it is highlighted
            "▶ 1  A client named 'Thames Water Ltd' already exists."
        )
        await pilot.press("enter")
        await settle(pilot)
    assert app.outcome == AddClientOutcome(client_id=practice["thames"], created=False)
    assert client_count(db) == 1


class WarningApp(App[None]):
    def __init__(self, duplicates) -> None:
        super().__init__()
        self.duplicates = duplicates
        self.chosen: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(DuplicateWarningScreen("Thames", self.duplicates), self.closed)

    def closed(self, chosen) -> None:
        self.chosen = chosen


async def test_each_hit_of_the_warning_is_its_own_choice_with_its_own_key():
    by_name = Duplicate(7, "Thames Water Ltd", ("name",), None, None, 95)
    by_crn = Duplicate(9, "Severn Trent Plc", ("crn",), "01234567", None, 0)
    app = WarningApp([by_name, by_crn])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#duplicate-options", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts[0].startswith("▶ 1  ") and prompts[1].startswith("  2  ")
        await pilot.press("3")  # no third hit: nothing happens
        assert app.chosen is UNSET
        await pilot.press("2")
        await pilot.pause()
    assert app.chosen == 9  # the CRN match, not the highlighted name match


async def test_opening_the_existing_client_highlights_it_on_the_list(admin_app):
    from dext_tui.screens.manage.manage_menu import ManageMenuScreen
    from dext_tui.widgets.client_table import ClientTable

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        before = table.highlighted_client_id
        await pilot.press("a")
        await duplicate_warning_for(pilot, "thames water limited")
        assert isinstance(admin_app.screen, DuplicateWarningScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(admin_app.screen, ManageMenuScreen)
        thames = admin_app.screen.record.id
        await pilot.press("escape")
        await settle(pilot)
        assert thames != before and table.highlighted_client_id == thames


async def test_going_on_past_the_warning_reaches_the_review_and_creates(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await duplicate_warning_for(pilot, "Thames Watr Ltd")
        assert isinstance(app.screen, DuplicateWarningScreen)
        await pilot.press("escape")  # back to the step, nothing lost
        await settle(pilot)
        assert isinstance(app.screen, AddClientScreen) and "Step 3 of 4" in step_title(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+y")  # go on
        await settle(pilot)
        assert "Review" in step_title(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    assert client_count(db) == 2


async def test_a_standard_user_is_not_warned_of_a_client_they_may_not_see(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = :t WHERE email = 'std@example.com'"),
            {"t": True},
        )
    standard = resolve_viewer(db, "std@example.com")
    app = WizardApp(db, standard)
    async with app.run_test(size=(80, 24)) as pilot:
        await duplicate_warning_for(pilot, "Thames Water Limited")
        assert isinstance(app.screen, AddClientScreen)
        assert "Review" in step_title(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created


# -- who may add, and what may be chosen ---------------------------------------------------------
async def test_a_standard_user_without_the_right_is_told_why_and_can_only_go_back(practice):
    db = practice["db"]
    app = WizardApp(db, practice["standard"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        refusal = str(app.screen.query_one("#product-refusal", Static).render())
        assert "Your role (Standard) does not allow adding clients" in refusal
        assert not app.screen.query_one("#add-next", Button).display
        await pilot.press("enter", "ctrl+n")
        await settle(pilot)
        assert "Step 1 of 4" in step_title(app)
        await pilot.press("escape")
        await settle(pilot)
    assert app.outcome is None
    assert client_count(db) == 1


async def test_the_bundle_limit_is_said_at_the_first_step(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET client_bundle_limit = 1"))
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        refusal = str(app.screen.query_one("#product-refusal", Static).render())
        assert "The client bundle is full (1 of 1 active clients)" in refusal
        await pilot.press("enter", "ctrl+n")
        await settle(pilot)
        assert "Step 1 of 4" in step_title(app)


async def test_products_outside_the_subscription_cannot_be_chosen(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET has_prepare = :f"), {"f": False})
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#product-options", OptionList)
        prepare = options.get_option("prepare")
        assert prepare.disabled and "subscription" in str(prepare.prompt)
        await pilot.press("enter")  # the first product that can be chosen: Precision
        await settle(pilot)
        assert "Precision · Organisation" in step_title(app)


# -- leaving -------------------------------------------------------------------------------------
async def test_escape_asks_before_throwing_typing_away(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Half Typed Ltd")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep typing
        await settle(pilot)
        assert app.screen.query_one("#prepare-name", Input).value == "Half Typed Ltd"
        await pilot.press("escape", "ctrl+y")  # discard
        await settle(pilot)
    assert app.outcome is None
    assert client_count(db) == 1


async def test_escape_with_nothing_typed_just_closes(practice):
    app = WizardApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.outcome is None


async def test_back_keeps_what_was_typed(practice):
    app = WizardApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Kept Ltd")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "Client details" in step_title(app)
        assert app.screen.query_one("#prepare-name", Input).value == "Kept Ltd"


async def test_enter_in_a_field_is_next(practice):
    app = WizardApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Entered Ltd", "enter")
        await settle(pilot)
        assert "Step 3 of 4" in step_title(app)


async def test_typing_for_another_product_still_asks_before_discarding(practice):
    app = WizardApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Prepare
        await settle(pilot)
        await type_in(pilot, "Typed In Prepare")
        await pilot.press("ctrl+o", "down", "down", "enter")  # back, then Solo
        await settle(pilot)
        assert "Solo" in step_title(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)


async def test_f2_creates_where_flow_control_eats_ctrl_s(practice):
    db = practice["db"]
    app = WizardApp(db, practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Function Key Ltd", "enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
    assert isinstance(app.outcome, AddClientOutcome) and app.outcome.created
    assert client_count(db) == 2


async def test_keys_typed_with_the_product_choice_land_in_its_first_field(practice):
    """A product's steps are made when it is chosen: what is typed in the same packet as
    the enter that chose it waits for them and lands in the first field, none lost."""
    from textual import events

    from dext_tui.app import DextApp

    app = DextApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        for key in ["down", "down", "enter", *"Ada Lovelace"]:  # Solo, then its first field
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(20):  # the app hands the keys on one by one (key_gate.py)
            await settle(pilot)
        assert "Solo" in step_title(app)
        focused = app.focused
        assert isinstance(focused, Input) and focused.value == "Ada Lovelace"


async def test_choosing_another_product_and_back_keeps_what_was_typed_for_each(practice):
    """Each product's steps keep their typing while the user tries another product."""
    app = WizardApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # Solo
        await settle(pilot)
        await type_text(pilot, "Ada Lovelace")
        await pilot.press("ctrl+o", "up", "enter")  # Precision
        await settle(pilot)
        assert "Precision" in step_title(app)
        await pilot.press("ctrl+o", "down", "enter")  # Solo again
        await settle(pilot)
        assert "Solo" in step_title(app)
        focused = app.focused
        assert isinstance(focused, Input) and focused.value == "Ada Lovelace"


async def test_a_burst_of_typing_then_next_checks_what_was_typed(practice):
    """Keys arriving in one packet (fast typing, SSH): Next checks the fields as typed,
    after the keys before it, and what follows a tab lands in the next field."""
    from textual import events

    from dext_tui.app import DextApp

    app = DextApp(practice["db"], practice["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # Prepare
        await settle(pilot)
        for key in [*"Severn Bakery Ltd", "tab", *"SB1", "ctrl+n"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(20):  # the app hands the keys on one by one (key_gate.py)
            await settle(pilot)
        assert "Step 3 of 4" in step_title(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen.query_one("#prepare-name", Input).value == "Severn Bakery Ltd"
        assert app.screen.query_one("#prepare-practice_code", Input).value == "SB1"
