"""Add Client's duplicate check: close names, equal CRN, equal practice code, in scope only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dext_tui.data.duplicates import find_duplicates, load_name_keys, telling_words
from dext_tui.data.services.new_client import SoloBusinessDraft, SoloDraft, create_solo_client
from tests.factories import add_client, add_member, add_practice


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    thames = add_client(db, practice_id, "Thames Water Limited", crn="01234567", code="TW1")
    acme = add_client(db, practice_id, "Acme & Sons", crn="SC123456", granted_to=[standard])
    add_client(db, practice_id, "Gone Away Ltd", state="removed")
    add_client(db, practice_id, "Sleepy Bakery Ltd", state="deactivated")
    return {
        "db": db,
        "admin": admin,
        "standard": standard,
        "thames": thames,
        "acme": acme,
        "practice_id": practice_id,
    }


def names_found(duplicates) -> list[str]:
    return [d.name for d in duplicates]


@pytest.mark.parametrize(
    "typed",
    ["Thames Water Ltd", "THAMES WATER", "thames watr limited", "Thames-Water Ltd."],
)
def test_close_names_are_found(practice, typed):
    found = find_duplicates(practice["db"], practice["admin"], name=typed)
    assert names_found(found) == ["Thames Water Limited"]
    assert found[0].reasons == ("name",)
    assert found[0].sentences() == ["A client named 'Thames Water Limited' already exists."]


def test_and_and_ampersand_and_legal_forms_are_the_same_name(practice):
    found = find_duplicates(practice["db"], practice["admin"], name="Acme and Sons Ltd")
    assert names_found(found) == ["Acme & Sons"]


@pytest.mark.parametrize("typed", ["Thames Valley Water", "Severn Water Ltd", "Acme"])
def test_different_names_are_not_duplicates(practice, typed):
    assert find_duplicates(practice["db"], practice["admin"], name=typed) == []


def test_an_equal_crn_is_found_whatever_the_name(practice):
    (found,) = find_duplicates(practice["db"], practice["admin"], name="Orbit", crn="01234567")
    assert found.client_id == practice["thames"]
    assert found.reasons == ("crn",)
    assert found.sentences() == ["'Thames Water Limited' has the same CRN, 01234567."]


def test_an_equal_practice_code_is_found_ignoring_case(practice):
    (found,) = find_duplicates(practice["db"], practice["admin"], name="Orbit", practice_code="tw1")
    assert found.reasons == ("practice_code",)


def test_a_solo_accounts_code_counts(practice):
    db = practice["db"]
    created = create_solo_client(
        db,
        practice["admin"],
        SoloDraft(
            name="Jane Smith",
            email="jane@example.com",
            ni_number="AB123456C",
            postcode="SW1A 1AA",
            practice_code="JS-7",
            businesses=(SoloBusinessDraft("Plumbing", "self_employment", "bank"),),
        ),
    )
    with db.begin() as connection:  # the client's own code differs from its Solo one
        connection.execute(
            text("UPDATE client SET practice_code = NULL, practice_code_key = NULL WHERE id = :i"),
            {"i": created.client_ids[0]},
        )
    (found,) = find_duplicates(db, practice["admin"], name="Orbit", practice_code="js-7")
    assert found.name == "Jane Smith"


def test_several_reasons_for_one_client_are_all_given(practice):
    (found,) = find_duplicates(
        practice["db"], practice["admin"], name="Thames Water", crn="01234567", practice_code="TW1"
    )
    assert found.reasons == ("crn", "practice_code", "name")


def test_a_standard_user_is_told_only_of_clients_they_may_see(practice):
    db, standard = practice["db"], practice["standard"]
    assert find_duplicates(db, standard, name="Thames Water Ltd") == []
    assert find_duplicates(db, standard, name="X", crn="01234567", practice_code="TW1") == []
    assert names_found(find_duplicates(db, standard, name="Acme and Sons")) == ["Acme & Sons"]


def test_removed_clients_are_left_out_and_deactivated_ones_found(practice):
    db, admin = practice["db"], practice["admin"]
    assert find_duplicates(db, admin, name="Gone Away Limited") == []
    assert names_found(find_duplicates(db, admin, name="Sleepy Bakery")) == ["Sleepy Bakery Ltd"]


def test_names_loaded_earlier_still_see_clients_added_since(practice):
    db, admin = practice["db"], practice["admin"]
    keys = load_name_keys(db, admin)
    assert len(keys.ids) == 3  # the removed client is not among them
    add_client(db, practice["practice_id"], "Riverside Bakery Ltd")
    found = find_duplicates(db, admin, name="Riverside Bakery", names=keys)
    assert names_found(found) == ["Riverside Bakery Ltd"]


def test_a_name_of_filler_words_alone_is_compared_whole():
    assert telling_words("The Company Ltd") == "the co ltd"
    assert telling_words("Acme Limited") == "acme"


def test_a_client_alike_for_more_reasons_comes_before_a_closer_name(practice):
    db, practice_id = practice["db"], practice["practice_id"]
    add_client(db, practice_id, "Orbit Trading Ltd")  # the very name typed
    same_crn = add_client(db, practice_id, "Orbit Tradings Ltd", crn="11111111")
    found = find_duplicates(db, practice["admin"], name="Orbit Trading Ltd", crn="11111111")
    assert [d.client_id for d in found][0] == same_crn
    assert names_found(found) == ["Orbit Tradings Ltd", "Orbit Trading Ltd"]
    assert found[0].reasons == ("crn", "name") and found[1].reasons == ("name",)
