"""Prepare System Settings: every field's rule, the client's practice code, stale pages, scope.

Database tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services import fields
from dext_tui.data.services.clients import update_client
from dext_tui.data.services.prepare import load_prepare_settings, update_prepare_settings
from dext_tui.data.services.solo import update_solo_details
from dext_tui.data.validation import ValidationError
from tests.factories import add_client, add_team, audit, clock, second_engine

EVERYTHING = {
    "business_name": " Thames Water Trading ",
    "practice_code": "TW-2",
    "country": "gb",
    "base_currency": "gbp",
    "language": "en_gb",
    "industry": "Utilities",
    "registered_address": "Clearwater Court\r\nVastern Road  \r\nReading RG1 8DB\r\n",
    "vat_number": "gb 123 4567 89",
    "vat_cycle": "Quarterly",
    "first_reporting_month": "3",
    "extract_tax": True,
}
STORED = {
    "business_name": "Thames Water Trading",
    "practice_code": "TW-2",
    "country": "GB",
    "base_currency": "GBP",
    "language": "en-GB",
    "industry": "Utilities",
    "registered_address": "Clearwater Court\nVastern Road\nReading RG1 8DB",
    "vat_number": "GB123456789",
    "vat_cycle": "quarterly",
    "first_reporting_month": 3,
    "extract_tax": True,
}
NOTHING_SET = {**dict.fromkeys(STORED), "practice_code": "TW1", "extract_tax": False}


def settings(engine: Engine, client_id: int) -> dict:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT p.business_name, c.practice_code, p.country, p.base_currency, "
                "p.language, p.industry, p.registered_address, p.vat_number, p.vat_cycle, "
                "p.first_reporting_month, p.extract_tax, c.practice_code_key, c.version "
                "FROM prepare_account p JOIN client c ON c.id = p.client_id "
                "WHERE c.id = :id"
            ),
            {"id": client_id},
        ).one()
    values = dict(row._mapping)
    values["extract_tax"] = bool(values["extract_tax"])
    return values


def stored_fields(engine: Engine, client_id: int) -> dict:
    return {name: settings(engine, client_id)[name] for name in STORED}


@pytest.fixture
def practice(db):
    team = add_team(db)
    practice_id, standard = team.pop("practice_id"), team["standard"]
    return {
        "db": db,
        **team,
        "thames": add_client(
            db, practice_id, "Thames Water Ltd", code="TW1", granted_to=[standard]
        ),
        "hidden": add_client(db, practice_id, "Hidden Ltd", code="HID", solo="active"),
        "solo_only": add_client(
            db, practice_id, "Jo Bloggs", code="JB1", prepare=None, solo="active"
        ),
    }


def test_every_field_is_saved_normalised_in_one_audited_change(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    result = update_prepare_settings(db, admin, thames, version=1, clock=clock(), **EVERYTHING)
    assert stored_fields(db, thames) == STORED
    row = settings(db, thames)
    assert (row["practice_code_key"], row["version"]) == ("tw-2", 2)
    assert result.version_of(thames) == 2
    (event,) = audit(db, thames)
    assert event.action == "prepare.settings_updated"
    assert event.team_member_id == admin.team_member_id
    assert json.loads(event.before) == NOTHING_SET
    assert json.loads(event.after) == STORED
    assert json.loads(event.before)["extract_tax"] is False  # not SQLite's 0
    shown = load_prepare_settings(db, admin, thames)
    assert (shown.version, shown.status, shown.client_name) == (2, "active", "Thames Water Ltd")
    assert {name: getattr(shown, name) for name in STORED} == STORED
    assert shown.extract_tax is True


def test_only_changed_fields_are_audited_and_an_empty_field_clears(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    update_prepare_settings(db, admin, thames, version=1, **EVERYTHING)
    update_prepare_settings(
        db, admin, thames, version=2, vat_number="", vat_cycle="quarterly", country="GB"
    )
    assert settings(db, thames)["vat_number"] is None
    last = audit(db, thames)[-1]
    assert (json.loads(last.before), json.loads(last.after)) == (
        {"vat_number": "GB123456789"},
        {"vat_number": None},
    )


def test_saving_what_is_stored_writes_nothing(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    update_prepare_settings(db, admin, thames, version=1, **EVERYTHING)
    result = update_prepare_settings(db, admin, thames, version=2, **EVERYTHING)
    assert result.changes == ()
    assert settings(db, thames)["version"] == 2
    assert len(audit(db, thames)) == 1


def test_every_bad_field_is_named_with_its_rule_and_nothing_is_written(practice):
    db, thames = practice["db"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        update_prepare_settings(
            db,
            practice["admin"],
            thames,
            version=1,
            business_name="Thames\x1b[31m",
            practice_code="TW 2",
            country="XX",
            base_currency="ABC",
            language="tlh",
            industry="x" * 101,
            registered_address="1 High St\tReading",
            vat_number="GB123",
            vat_cycle="weekly",
            first_reporting_month=13,
            extract_tax="yes",
        )
    errors = refused.value
    assert {error.field for error in errors.errors} == set(STORED)
    messages = {error.field: error.message for error in errors.errors}
    assert messages["business_name"].startswith("Business name must be one line")
    assert "U+001B" in messages["business_name"]
    assert messages["practice_code"].startswith("Practice code must be")
    assert messages["country"].startswith("Country must be one of the list (GB, IE")
    assert messages["base_currency"].startswith("Base currency must be one of the list (GBP")
    assert messages["language"].startswith("Language must be one of the list")
    assert messages["industry"] == "Industry must be at most 100 characters (got 101)"
    assert "U+0009" in messages["registered_address"]
    assert messages["vat_number"].startswith("VAT number must be a UK VAT number")
    assert messages["vat_cycle"].startswith("VAT reporting cycle must be one of the list")
    assert messages["first_reporting_month"].startswith("First reporting month must be a month")
    assert messages["extract_tax"].startswith("Extract tax must be on or off")
    assert settings(db, thames)["version"] == 1
    assert stored_fields(db, thames) == NOTHING_SET
    assert audit(db, thames) == []


def test_the_practice_code_is_the_clients_and_unique_case_insensitively(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        update_prepare_settings(db, admin, thames, version=1, practice_code="hid")
    assert refused.value.for_field("practice_code").message == (
        "Practice code hid is already used by Hidden Ltd"
    )
    update_prepare_settings(db, admin, thames, version=1, practice_code="tw1")  # own, recased
    assert (settings(db, thames)["practice_code"], settings(db, thames)["version"]) == ("tw1", 2)


def test_a_code_held_by_another_clients_solo_account_is_refused(practice):
    db, admin = practice["db"], practice["admin"]
    update_solo_details(db, admin, practice["hidden"], version=1, practice_code="SOLO-9")
    with pytest.raises(InvalidInput) as refused:
        update_prepare_settings(db, admin, practice["thames"], version=1, practice_code="solo-9")
    assert refused.value.for_field("practice_code").message == (
        "Practice code solo-9 is already used by Hidden Ltd"
    )


def test_a_clash_with_a_client_the_viewer_cannot_see_does_not_name_it(practice):
    db, standard = practice["db"], practice["standard"]
    with pytest.raises(InvalidInput) as refused:
        update_prepare_settings(db, standard, practice["thames"], version=1, practice_code="HID")
    assert refused.value.for_field("practice_code").message == (
        "Practice code HID is already in use"
    )
    assert settings(db, practice["thames"])["practice_code"] == "TW1"


def test_a_client_without_prepare_has_no_settings(practice):
    db, admin, solo_only = practice["db"], practice["admin"], practice["solo_only"]
    with pytest.raises(NotAllowed) as refused:
        update_prepare_settings(db, admin, solo_only, version=1, industry="Retail")
    assert refused.value.message.startswith("Jo Bloggs has no Prepare account")
    with pytest.raises(NotAllowed):
        load_prepare_settings(db, admin, solo_only)
    assert audit(db, solo_only) == []


def test_a_standard_user_reaches_only_granted_clients(practice):
    db, standard = practice["db"], practice["standard"]
    with pytest.raises(ClientNotFound):
        update_prepare_settings(db, standard, practice["hidden"], version=1, industry="Retail")
    with pytest.raises(ClientNotFound):
        load_prepare_settings(db, standard, practice["hidden"])
    assert settings(db, practice["hidden"])["industry"] is None
    update_prepare_settings(db, standard, practice["thames"], version=1, industry="Retail")
    assert settings(db, practice["thames"])["industry"] == "Retail"


def test_a_stale_page_is_refused_after_another_session_changed_the_client(practice):
    db, thames = practice["db"], practice["thames"]
    other = second_engine(db)
    try:
        update_prepare_settings(other, practice["colleague"], thames, version=1, industry="Water")
        with pytest.raises(StaleVersion) as refused:
            update_prepare_settings(db, practice["admin"], thames, version=1, industry="Retail")
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert settings(db, thames)["industry"] == "Water"
    assert [event.action for event in audit(db, thames)] == ["prepare.settings_updated"]


def test_a_settings_change_makes_an_older_edit_page_stale(practice):
    db, thames = practice["db"], practice["thames"]
    update_prepare_settings(db, practice["colleague"], thames, version=1, extract_tax=True)
    with pytest.raises(StaleVersion):
        update_client(db, practice["admin"], thames, version=1, name="Overwrite Ltd")


# -- field rules (no database) ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("GB123456789", "GB123456789"),
        ("gb 123 4567 89", "GB123456789"),
        ("123456789", "GB123456789"),
        ("GB123456789012", "GB123456789012"),
        ("123456789012", "GB123456789012"),
        ("GBGD001", "GBGD001"),
        ("gbha 599", "GBHA599"),
        ("", None),
        (None, None),
    ],
)
def test_uk_vat_numbers_are_stored_upper_case_without_spaces(typed, stored):
    assert fields.vat_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "GB12345678",
        "GB1234567890",
        "FR12345678901",
        "GBGD01",
        "GBXX001",
        "GB１２３４５６７８９",
        "GD001",
    ],
)
def test_other_vat_numbers_are_refused_naming_the_rule(typed):
    with pytest.raises(ValidationError) as refused:
        fields.vat_number(typed)
    assert refused.value.field == "vat_number"
    assert "GB and 9 or 12 digits" in refused.value.message


def test_the_address_keeps_its_lines_and_refuses_other_control_characters():
    address = fields.text_lines("\n 1 High St \r\nReading\rRG1 1AA\n\n", "a", "Address", 100)
    assert address == "1 High St\nReading\nRG1 1AA"
    for bad in ("1 High St\x00", "Reading\u2028RG1", "\u202eevil", "a\x85b"):
        with pytest.raises(ValidationError):
            fields.text_lines(bad, "a", "Address", 100)


def test_pick_lists_accept_a_code_or_its_name_in_any_case():
    from dext_tui.data.choices import COUNTRIES, LANGUAGES

    assert fields.choice("united kingdom", "country", "Country", COUNTRIES) == "GB"
    assert fields.choice(" ie ", "country", "Country", COUNTRIES) == "IE"
    assert fields.choice("EN-us", "language", "Language", LANGUAGES) == "en-US"
    with pytest.raises(ValidationError):
        fields.choice(["GB"], "country", "Country", COUNTRIES)


def test_months_are_1_to_12_and_on_off_is_a_real_boolean():
    assert fields.month("12", "m", "Month") == 12
    assert fields.month(" ", "m", "Month") is None
    for bad in (0, 13, "1.5", True, "٣"):
        with pytest.raises(ValidationError):
            fields.month(bad, "m", "Month")
    with pytest.raises(ValidationError):
        fields.on_off(1, "t", "Tax")


def test_one_line_fields_refuse_a_line_break():
    assert fields.text_line("  Thames  ", "b", "Business name", 10) == "Thames"
    with pytest.raises(ValidationError) as refused:
        fields.text_line("Thames\nWater", "b", "Business name", 100)
    assert "U+000A" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        fields.text_line(" ", "b", "Business name", 10, required=True)
    assert refused.value.message == "Business name is required"
