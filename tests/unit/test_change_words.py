"""An audited change said in words: no dict reprs, no None/False, unchanged values left out."""

from dext_tui.data.change_words import change_words


def test_a_product_status_change_is_said_with_the_product_and_status_labels():
    words = change_words({"products": {"solo": "not_set_up"}}, {"products": {"solo": "active"}})
    assert words == ["Solo: not set up → Active"]


def test_a_value_set_for_the_first_time_says_set_to():
    assert change_words({"ni_number": None}, {"ni_number": "AB123456C"}) == [
        "NI number: set to AB123456C"
    ]


def test_a_cleared_value_says_cleared():
    assert change_words({"practice_code": "TW1"}, {"practice_code": None}) == [
        "practice code: TW1 cleared"
    ]


def test_booleans_are_on_and_off():
    assert change_words({"extract_tax": False}, {"extract_tax": True}) == ["extract tax: off → on"]


def test_unchanged_values_are_not_repeated():
    before = {"name": "Thames Water Ltd", "crn": "01234567", "products": {"prepare": "active"}}
    after = {"name": "Thames One Ltd", "crn": "01234567", "products": {"prepare": "active"}}
    assert change_words(before, after) == ["name: Thames Water Ltd → Thames One Ltd"]


def test_coded_values_are_said_with_their_labels():
    assert change_words({"visibility": "whole_team"}, {"visibility": "software_users_only"}) == [
        "visibility: Whole team → Software users only"
    ]


def test_a_new_client_lists_what_it_got_without_empty_values():
    after = {"name": "New Ltd", "crn": None, "products": {"prepare": "invited"}, "colleagues": []}
    assert change_words({}, after) == ["name: New Ltd", "Prepare: Invited"]


def test_no_python_reprs_leak_into_the_words():
    before = {"products": {"precision": "not_set_up"}, "account_managers": ["A"], "flag": None}
    after = {"products": {"precision": "active"}, "account_managers": ["A", "B"], "flag": False}
    text = " ".join(change_words(before, after))
    for leak in ("{", "}", "[", "'", "None", "True", "False", "not_set_up"):
        assert leak not in text
