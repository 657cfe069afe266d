"""Add Client's creation services (issue 7): each product's rules, the right to add,
the subscription, the bundle limit, and nothing written when anything fails."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.identity import Viewer, resolve_viewer
from dext_tui.data.services import new_client
from dext_tui.data.services.new_client import (
    PrecisionDraft,
    PrepareDraft,
    SoloBusinessDraft,
    SoloDraft,
    check_fields,
    create_precision_client,
    create_prepare_client,
    create_solo_client,
    load_add_client_choices,
    validate_fields,
)
from tests.factories import add_client, add_member, add_practice

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def at_now():
    return NOW


def one(engine: Engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).first()


def rows(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def counts(engine: Engine) -> dict[str, int]:
    tables = (
        "client",
        "prepare_account",
        "precision_account",
        "solo_account",
        "solo_business",
        "client_user",
        "practice_access",
        "audit_event",
    )
    found = {table: one(engine, f"SELECT COUNT(*) FROM {table}")[0] for table in tables}
    found["change_seq"] = one(engine, "SELECT change_seq FROM practice")[0]
    return found


def member_id(engine: Engine, email: str) -> int:
    return one(engine, "SELECT id FROM team_member WHERE email = :e", e=email)[0]


def allow_adding(engine: Engine, email: str) -> Viewer:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = :t WHERE email = :e"),
            {"t": True, "e": email},
        )
    return resolve_viewer(engine, email)


@pytest.fixture
def practice(db):
    practice_id = add_practice(db, "Harbour Accountants")
    admin = add_member(db, practice_id, "admin@example.com")
    client_admin = add_member(db, practice_id, "cadmin@example.com", "client_admin")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    colleague = add_member(db, practice_id, "colleague@example.com", "standard")
    add_client(db, practice_id, "Thames Water Ltd", crn="01234567", code="TW1")
    return {
        "db": db,
        "practice_id": practice_id,
        "admin": admin,
        "client_admin": client_admin,
        "standard": standard,
        "colleague": colleague,
    }


def prepare_draft(**changes) -> PrepareDraft:
    values = {"name": "Riverside Bakery Ltd", "practice_code": "RB1", "industry": "Food"}
    return PrepareDraft(**{**values, **changes})


def solo_draft(**changes) -> SoloDraft:
    values = {
        "name": "Jane Smith",
        "email": "jane@example.com",
        "ni_number": "ab 12 34 56 c",
        "postcode": "sw1a1aa",
        "businesses": (SoloBusinessDraft("Jane's Plumbing", "self_employment", "bank"),),
    }
    return SoloDraft(**{**values, **changes})


# -- Prepare ---------------------------------------------------------------------------
def test_prepare_client_with_access_manager_software_and_an_invited_owner(practice):
    db = practice["db"]
    colleague = practice["colleague"].team_member_id
    draft = prepare_draft(
        crn="123456",
        connect="xero",
        colleagues=(colleague,),
        account_manager=practice["client_admin"].team_member_id,
        invite=True,
        invite_name="Rita Baker",
        invite_email="rita@riverside.example",
    )
    result = create_prepare_client(db, practice["admin"], draft, clock=at_now)
    (client_id,) = result.client_ids
    assert result.version_of(client_id) == 1
    client = one(
        db, "SELECT name, practice_code, crn, state FROM client WHERE id = :i", i=client_id
    )
    assert tuple(client) == ("Riverside Bakery Ltd", "RB1", "00123456", "active")
    account = one(
        db,
        "SELECT status, industry, integration_software, integration_status, account_manager_id "
        "FROM prepare_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == (
        "invited",
        "Food",
        "xero",
        "unintegrated",
        practice["client_admin"].team_member_id,
    )
    access = {
        row.team_member_id: (bool(row.bookkeeping), bool(row.account_manager))
        for row in rows(db, "SELECT * FROM practice_access WHERE client_id = :i", i=client_id)
    }
    assert access == {
        colleague: (True, False),
        practice["client_admin"].team_member_id: (False, True),
    }
    user = one(
        db, "SELECT name, email, role, is_owner FROM client_user WHERE client_id = :i", i=client_id
    )
    assert tuple(user)[:3] == ("Rita Baker", "rita@riverside.example", "business_admin")
    assert user.is_owner
    (event,) = rows(db, "SELECT action, after FROM audit_event WHERE client_id = :i", i=client_id)
    assert event.action == "client.created"
    after = json.loads(event.after)
    assert after["products"] == {"prepare": "invited"}
    assert after["invited_user"] == "Rita Baker <rita@riverside.example>"
    assert after["colleagues"] == ["Colleague <colleague@example.com>"]


def test_prepare_client_without_an_invitation_is_active_and_connects_later(practice):
    db = practice["db"]
    result = create_prepare_client(db, practice["admin"], prepare_draft(), clock=at_now)
    (client_id,) = result.client_ids
    account = one(
        db,
        "SELECT status, integration_software FROM prepare_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == ("active", None)
    assert one(db, "SELECT COUNT(*) FROM client_user WHERE client_id = :i", i=client_id)[0] == 0


def test_a_standard_account_manager_is_given_access_with_the_toggle(practice):
    db = practice["db"]
    colleague = practice["colleague"].team_member_id
    result = create_prepare_client(
        db, practice["admin"], prepare_draft(account_manager=colleague), clock=at_now
    )
    (client_id,) = result.client_ids
    row = one(
        db,
        "SELECT bookkeeping, account_manager FROM practice_access "
        "WHERE client_id = :i AND team_member_id = :m",
        i=client_id,
        m=colleague,
    )
    assert row is not None and bool(row.bookkeeping) and bool(row.account_manager)


def test_the_invitation_needs_a_name_and_a_plausible_email(practice):
    draft = prepare_draft(invite=True, invite_name=" ", invite_email="rita@")
    with pytest.raises(InvalidInput) as refused:
        create_prepare_client(practice["db"], practice["admin"], draft, clock=at_now)
    assert [e.field for e in refused.value.errors] == ["invite_name", "invite_email"]
    assert "The user's name is required" in refused.value.message
    assert "The user's email must be an address" in refused.value.message


def test_prepare_connects_now_only_to_xero_or_sage(practice):
    with pytest.raises(InvalidInput) as refused:
        validate_fields(prepare_draft(connect="freeagent"))
    assert refused.value.for_field("connect") is not None


def test_every_broken_rule_is_named_at_once_in_field_order(practice):
    draft = prepare_draft(name="", practice_code="-bad", crn="XX123456")
    with pytest.raises(InvalidInput) as refused:
        validate_fields(draft, ("name", "practice_code", "crn", "industry"))
    assert [e.field for e in refused.value.errors] == ["name", "practice_code", "crn"]
    assert "Client name is required" in refused.value.message
    assert "Practice code must be" in refused.value.message
    assert "CRN prefix XX" in refused.value.message


def test_a_practice_code_in_use_is_refused_at_the_step_and_at_create(practice):
    db = practice["db"]
    with pytest.raises(InvalidInput) as refused:
        check_fields(db, practice["admin"], prepare_draft(practice_code="tw1"), ("practice_code",))
    assert refused.value.message == "Practice code tw1 is already used by Thames Water Ltd"
    before = counts(db)
    with pytest.raises(InvalidInput):
        create_prepare_client(db, practice["admin"], prepare_draft(practice_code="tw1"))
    assert counts(db) == before


def test_a_standard_user_learns_only_that_the_code_is_in_use(practice):
    db = practice["db"]
    standard = allow_adding(db, "std@example.com")
    with pytest.raises(InvalidInput) as refused:
        check_fields(db, standard, prepare_draft(practice_code="TW1"), ("practice_code",))
    assert refused.value.message == "Practice code TW1 is already in use"


# -- who may add --------------------------------------------------------------------------
def test_a_standard_user_without_the_right_to_add_is_refused_and_nothing_written(practice):
    db = practice["db"]
    before = counts(db)
    with pytest.raises(NotAllowed) as refused:
        create_prepare_client(db, practice["standard"], prepare_draft())
    assert "does not allow adding clients" in refused.value.message
    assert counts(db) == before
    choices = load_add_client_choices(db, practice["standard"])
    assert choices.why_not and "does not allow adding clients" in choices.why_not


def test_a_standard_user_allowed_to_add_gets_access_but_may_not_choose_colleagues(practice):
    db = practice["db"]
    standard = allow_adding(db, "std@example.com")
    assert load_add_client_choices(db, standard).why_no_team_choice
    before = counts(db)
    colleague = practice["colleague"].team_member_id
    with pytest.raises(NotAllowed) as refused:
        create_prepare_client(db, standard, prepare_draft(colleagues=(colleague,)))
    assert "does not allow changing practice access" in refused.value.message
    assert counts(db) == before
    (client_id,) = create_prepare_client(db, standard, prepare_draft()).client_ids
    granted = rows(
        db, "SELECT team_member_id FROM practice_access WHERE client_id = :i", i=client_id
    )
    assert [row[0] for row in granted] == [standard.team_member_id]


def test_a_client_admin_cannot_make_a_practice_admin_account_manager(practice):
    db = practice["db"]
    admin_id = practice["admin"].team_member_id
    with pytest.raises(NotAllowed):
        create_precision_client(
            db,
            practice["client_admin"],
            PrecisionDraft("xero", "Orbit Ltd", account_managers=(admin_id,)),
        )


def test_products_outside_the_subscription_are_refused(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET has_solo = :f"), {"f": False})
    choices = load_add_client_choices(db, practice["admin"])
    assert choices.products["solo"] and "subscription" in choices.products["solo"]
    assert choices.choosable == ["prepare", "precision"]
    before = counts(db)
    with pytest.raises(NotAllowed) as refused:
        create_solo_client(db, practice["admin"], solo_draft())
    assert "does not include Solo" in refused.value.message
    assert counts(db) == before


def test_the_bundle_limit_stops_a_new_client(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET client_bundle_limit = 1"))
    choices = load_add_client_choices(db, practice["admin"])
    assert choices.why_not and "client bundle is full (1 of 1" in choices.why_not
    before = counts(db)
    for create, draft in (
        (create_prepare_client, prepare_draft()),
        (create_precision_client, PrecisionDraft("xero", "Orbit Ltd")),
        (create_solo_client, solo_draft()),
    ):
        with pytest.raises(NotAllowed):
            create(db, practice["admin"], draft)
    assert counts(db) == before


# -- Precision -------------------------------------------------------------------------------
def test_precision_client_with_software_visibility_and_account_managers(practice):
    db = practice["db"]
    colleague = practice["colleague"].team_member_id
    client_admin = practice["client_admin"].team_member_id
    draft = PrecisionDraft(
        software="QuickBooks Online",
        name="Orbit Ltd",
        crn="sc123456",
        visibility="software_users_only",
        account_managers=(colleague, client_admin),
    )
    (client_id,) = create_precision_client(db, practice["admin"], draft, clock=at_now).client_ids
    assert tuple(one(db, "SELECT name, crn FROM client WHERE id = :i", i=client_id)) == (
        "Orbit Ltd",
        "SC123456",
    )
    account = one(
        db,
        "SELECT status, software, visibility FROM precision_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == ("active", "quickbooks_online", "software_users_only")
    assert one(db, "SELECT COUNT(*) FROM prepare_account WHERE client_id = :i", i=client_id)[0] == 0
    access = {
        row.team_member_id: (bool(row.data_health), bool(row.account_manager))
        for row in rows(db, "SELECT * FROM practice_access WHERE client_id = :i", i=client_id)
    }
    assert access == {colleague: (True, True), client_admin: (False, True)}


def test_precision_needs_its_software_and_an_organisation_name(practice):
    with pytest.raises(InvalidInput) as refused:
        validate_fields(PrecisionDraft(software="sage", name=""))
    assert [e.field for e in refused.value.errors] == ["software", "name"]
    assert "Organisation name is required" in refused.value.message


def test_an_inactive_account_manager_is_refused(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET active = :f WHERE email = 'colleague@example.com'"),
            {"f": False},
        )
    before = counts(db)
    with pytest.raises(InvalidInput) as refused:
        create_precision_client(
            db,
            practice["admin"],
            PrecisionDraft(
                "xero", "Orbit Ltd", account_managers=(practice["colleague"].team_member_id,)
            ),
        )
    assert "no longer an active team member" in refused.value.message
    assert counts(db) == before


def test_a_colleague_of_another_practice_is_no_colleague(practice):
    db = practice["db"]
    elsewhere = add_member(db, add_practice(db, "Elsewhere LLP"), "out@example.com", "standard")
    before = counts(db)
    with pytest.raises(InvalidInput) as refused:
        create_prepare_client(
            db, practice["admin"], prepare_draft(colleagues=(elsewhere.team_member_id,))
        )
    assert refused.value.message == (
        f"Colleagues: no colleague {elsewhere.team_member_id} in this practice"
    )
    assert counts(db) == before


# -- Solo ----------------------------------------------------------------------------------
def test_solo_client_with_two_businesses(practice):
    db = practice["db"]
    draft = solo_draft(
        practice_code="JS1",
        businesses=(
            SoloBusinessDraft("Jane's Plumbing", "self_employment", "bank"),
            SoloBusinessDraft("Flat 2, Mill Lane", "UK property", "costs_sales"),
        ),
    )
    (client_id,) = create_solo_client(db, practice["admin"], draft, clock=at_now).client_ids
    client = one(db, "SELECT name, practice_code FROM client WHERE id = :i", i=client_id)
    assert tuple(client) == ("Jane Smith", "JS1")
    account = one(
        db,
        "SELECT status, email, practice_code, ni_number, postcode, business_name, business_type, "
        "collection_method FROM solo_account WHERE client_id = :i",
        i=client_id,
    )
    assert tuple(account) == (
        "invited",
        "jane@example.com",
        "JS1",
        "AB123456C",
        "SW1A 1AA",
        "Jane's Plumbing",
        "self_employment",
        "bank",
    )
    more = rows(
        db,
        "SELECT position, business_name, business_type, collection_method FROM solo_business "
        "WHERE client_id = :i",
        i=client_id,
    )
    assert [tuple(row) for row in more] == [(2, "Flat 2, Mill Lane", "uk_property", "costs_sales")]


def test_solo_rules_each_named_including_the_second_business(practice):
    draft = solo_draft(
        email="jane",
        ni_number="QQ123456C",
        postcode="",
        businesses=(
            SoloBusinessDraft("Jane's Plumbing", "self_employment", "bank"),
            SoloBusinessDraft("", "farm", ""),
        ),
    )
    with pytest.raises(InvalidInput) as refused:
        validate_fields(draft)
    assert [e.field for e in refused.value.errors] == [
        "email",
        "ni_number",
        "postcode",
        "business_name_2",
        "business_type_2",
        "collection_method_2",
    ]
    assert "Postcode is required" in refused.value.message
    assert "Business 2 name is required" in refused.value.message


def test_solo_code_clashes_with_another_clients_code(practice):
    db = practice["db"]
    before = counts(db)
    with pytest.raises(InvalidInput) as refused:
        create_solo_client(db, practice["admin"], solo_draft(practice_code="Tw1"))
    assert refused.value.for_field("practice_code") is not None
    assert counts(db) == before


# -- one transaction --------------------------------------------------------------------------
def test_a_failure_after_the_client_row_leaves_nothing_written(practice, monkeypatch):
    db = practice["db"]
    before = counts(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(new_client, "add_first_user", broken)
    draft = prepare_draft(
        colleagues=(practice["colleague"].team_member_id,),
        invite=True,
        invite_name="Rita",
        invite_email="rita@example.com",
    )
    with pytest.raises(RuntimeError):
        create_prepare_client(db, practice["admin"], draft)
    assert counts(db) == before


def test_a_failure_writing_the_second_business_leaves_nothing_written(practice, monkeypatch):
    db = practice["db"]
    before = counts(db)
    draft = solo_draft(
        businesses=(
            SoloBusinessDraft("A", "self_employment", "bank"),
            SoloBusinessDraft("B" * 301, "self_employment", "bank"),
        )
    )
    with pytest.raises(InvalidInput):  # caught before writing
        create_solo_client(db, practice["admin"], draft)
    real_record = new_client.Writer.record

    def failing_record(self, *args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(new_client.Writer, "record", failing_record)
    with pytest.raises(RuntimeError):
        create_solo_client(
            db,
            practice["admin"],
            solo_draft(businesses=(SoloBusinessDraft("A", "self_employment", "bank"),) * 2),
        )
    monkeypatch.setattr(new_client.Writer, "record", real_record)
    assert counts(db) == before


def test_a_solo_client_with_further_businesses_can_still_be_deleted(practice):
    from dext_tui.data.services.clients import delete_client

    db = practice["db"]
    draft = solo_draft(businesses=(SoloBusinessDraft("A", "self_employment", "bank"),) * 2)
    (client_id,) = create_solo_client(db, practice["admin"], draft).client_ids
    delete_client(db, practice["admin"], client_id, version=1)
    assert one(db, "SELECT COUNT(*) FROM solo_business")[0] == 0


def test_the_colleagues_offered_are_in_name_order_whatever_the_case(practice):
    db = practice["db"]
    with db.begin() as connection:  # a name stored in lower case sorts among the others
        connection.execute(
            text("UPDATE team_member SET name = 'bea' WHERE email = 'std@example.com'")
        )
    choices = load_add_client_choices(db, practice["admin"])
    assert [c.name for c in choices.colleagues] == ["Admin", "bea", "Cadmin", "Colleague"]


@pytest.mark.parametrize(
    ("count", "said"),
    [(0, "Add at least one business"), (6, "A Solo client has at most 5 businesses")],
)
def test_a_solo_client_has_one_to_five_businesses(count, said):
    business = SoloBusinessDraft("Jane's Plumbing", "self_employment", "bank")
    with pytest.raises(InvalidInput) as refused:
        validate_fields(solo_draft(businesses=(business,) * count))
    assert [(e.field, e.message) for e in refused.value.errors] == [("businesses", said)]
    assert validate_fields(solo_draft(businesses=(business,) * 5))["name"] == "Jane Smith"
