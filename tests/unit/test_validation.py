"""Identifier rules of spec section 9: what is accepted, how it is stored, what is refused."""

from __future__ import annotations

import pytest

from dext_tui.data.validation import (
    CRN_PREFIXES,
    ValidationError,
    normalize_client_name,
    normalize_crn,
    normalize_ni_number,
    normalize_postcode,
    normalize_practice_code,
    practice_code_key,
    sort_key,
)

# -- CRN ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("123456", "00123456"),
        ("1", "00000001"),
        ("12345678", "12345678"),
        (" 0123 4567 ", "01234567"),
        ("sc123456", "SC123456"),
        ("SC 123 456", "SC123456"),
        ("oc301234", "OC301234"),
        ("NI012345", "NI012345"),
        ("R0123456", "R0123456"),
        ("fc\t012345", "FC012345"),
    ],
)
def test_crn_is_stored_upper_case_without_spaces_and_zero_padded(typed: str, stored: str) -> None:
    assert normalize_crn(typed) == stored


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_crn_means_none(empty: str | None) -> None:
    assert normalize_crn(empty) is None


@pytest.mark.parametrize(
    "typed",
    [
        "123456789",  # nine digits
        "XX123456",  # not a Companies House prefix
        "S1234567",  # letter + digit is not a prefix (R0 is the only one)
        "SC12345",  # prefix + 5 digits: only all-digit input is padded
        "SC1234567",
        "SCO12345",
        "12-34-56",
        "AB12345C",
        "١٢٣٤٥٦",  # Arabic-Indic digits are digits to Python, not to Companies House
        "SC12345６",  # full-width digit
    ],
)
def test_invalid_crn_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_crn(typed)
    assert refused.value.field == "crn"


def test_every_spec_prefix_is_accepted() -> None:
    for prefix in sorted(CRN_PREFIXES):
        assert normalize_crn(f"{prefix.lower()}000001") == f"{prefix}000001"
    assert len(CRN_PREFIXES) == 38


def test_crn_error_names_the_field_and_the_rule() -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_crn("123456789")
    error = refused.value
    assert isinstance(error, ValueError)
    assert str(error) == error.message
    assert "CRN" in error.message
    assert "8 digits" in error.message
    assert "prefix" in error.message


def test_unknown_crn_prefix_is_named_in_the_message() -> None:
    with pytest.raises(ValidationError, match="XX"):
        normalize_crn("XX123456")


# -- National Insurance number ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("AB123456C", "AB123456C"),
        ("ab 12 34 56 c", "AB123456C"),
        (" ZY999999D ", "ZY999999D"),
        ("CE000000A", "CE000000A"),
        ("OA123456B", "OA123456B"),  # O is allowed first, not second
    ],
)
def test_ni_number_is_stored_upper_case_without_spaces(typed: str, stored: str) -> None:
    assert normalize_ni_number(typed) == stored


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_empty_ni_number_means_none(empty: str | None) -> None:
    assert normalize_ni_number(empty) is None


@pytest.mark.parametrize("first_letter", list("DFIQUV"))
def test_ni_number_forbidden_first_letters(first_letter: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_ni_number(f"{first_letter}A123456A")
    assert refused.value.field == "ni_number"


@pytest.mark.parametrize("second_letter", list("DFIQUVO"))
def test_ni_number_forbidden_second_letters(second_letter: str) -> None:
    with pytest.raises(ValidationError):
        normalize_ni_number(f"A{second_letter}123456A")


@pytest.mark.parametrize("prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"])
def test_ni_number_prefixes_never_used(prefix: str) -> None:
    with pytest.raises(ValidationError):
        normalize_ni_number(f"{prefix}123456A")


@pytest.mark.parametrize(
    "typed", ["AB123456E", "AB12345C", "AB1234567C", "AB123456", "A1234567C", "AB12E456C"]
)
def test_ni_number_shape_is_enforced(typed: str) -> None:
    with pytest.raises(ValidationError, match="National Insurance number"):
        normalize_ni_number(typed)


# -- Postcode -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("  m1   1ae ", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A0AX", "W1A 0AX"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcode_is_upper_case_with_one_space_before_inward_code(typed: str, stored: str) -> None:
    assert normalize_postcode(typed) == stored


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_postcode_means_none(empty: str | None) -> None:
    assert normalize_postcode(empty) is None


@pytest.mark.parametrize(
    "typed",
    [
        "SW1A",
        "12345",
        "SW1A 1A",
        "SW1A 1AAA",
        "SW1A-1AA",
        "QI1 1AA",  # second letter of a two-letter area is never I
        "AZ1 1AA",  # ... nor Z
        "ſW1A 1AA",  # long s would upper-case to S
        "SW1A 1ΑΑ",  # Greek capital alphas
    ],
)
def test_invalid_postcode_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_postcode(typed)
    assert refused.value.field == "postcode"
    assert "Postcode" in refused.value.message


# -- Practice code ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("HV0001", "HV0001"),
        ("acme/01", "acme/01"),  # case kept as typed
        ("  ACME/01 ", "ACME/01"),
        ("1-2_3.4/5", "1-2_3.4/5"),
        ("A" * 20, "A" * 20),
        ("0abc", "0abc"),
    ],
)
def test_practice_code_is_kept_as_typed(typed: str, stored: str) -> None:
    assert normalize_practice_code(typed) == stored


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_practice_code_means_none(empty: str | None) -> None:
    assert normalize_practice_code(empty) is None


@pytest.mark.parametrize(
    "typed", ["A" * 21, "-ABC", ".abc", "/x", "_x", "AB C", "AB#1", "Café1", "AB\n1", "AB,1"]
)
def test_invalid_practice_code_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_practice_code(typed)
    assert refused.value.field == "practice_code"
    assert "Practice code" in refused.value.message


def test_practice_code_key_compares_case_insensitively() -> None:
    assert practice_code_key("ACME/01") == practice_code_key("acme/01") == "acme/01"
    assert practice_code_key("HV0001") != practice_code_key("HV0002")
    assert practice_code_key(None) is None
    assert practice_code_key("") is None


# -- Client name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Acme Ltd ", "Acme Ltd"),
        ("Høgberg Design Ltd", "Høgberg Design Ltd"),
        ("O'Brien & Sons Limited", "O'Brien & Sons Limited"),
        ("Cafe\u0301 Lumie\u0300re Ltd", "Café Lumière Ltd"),  # NFC: one spelling per name
        ("Acme Ltd\n", "Acme Ltd"),  # a pasted trailing newline is surrounding whitespace
        ("Sakura 桜 Tea House Ltd", "Sakura 桜 Tea House Ltd"),
    ],
)
def test_client_name_is_stripped_and_kept(typed: str, stored: str) -> None:
    assert normalize_client_name(typed) == stored


@pytest.mark.parametrize("empty", [None, "", "   ", "\t"])
def test_client_name_is_required(empty: str | None) -> None:
    with pytest.raises(ValidationError, match="required") as refused:
        normalize_client_name(empty)
    assert refused.value.field == "name"


def test_client_name_length_limit() -> None:
    assert normalize_client_name("x" * 300) == "x" * 300
    with pytest.raises(ValidationError, match="300"):
        normalize_client_name("x" * 301)


@pytest.mark.parametrize(
    "typed",
    [
        "\x1b[31mRed Ltd",  # terminal escape
        "Acme\tLtd",
        "Acme\nLtd",
        "Acme\rLtd",
        "Acme\x00Ltd",
        "Acme\x7fLtd",
        "Acme\x9bLtd",  # C1 control sequence introducer
        "Acme\u0085Ltd",  # next line
        "Acme\u2028Ltd",  # line separator
        "Acme\u202eLtd",  # right-to-left override
    ],
)
def test_client_name_refuses_control_characters(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_client_name(typed)
    assert refused.value.field == "name"
    assert "control characters" in refused.value.message
    assert "position 5" in refused.value.message or "position 1" in refused.value.message


# -- Sort key -----------------------------------------------------------------------


def test_sort_key_case_folds_and_collapses_whitespace() -> None:
    assert sort_key("  The  Old\tForge ") == "the old forge"
    assert sort_key("STRASSE") == sort_key("Straße")


def test_sort_key_orders_names_as_people_read_them() -> None:
    names = ["beta Ltd", "Alpha Ltd", "alpha  ltd", "Gamma"]
    assert sorted(names, key=sort_key) == ["Alpha Ltd", "alpha  ltd", "beta Ltd", "Gamma"]


def test_sort_key_fits_the_column_even_when_case_folding_grows_the_name() -> None:
    assert len(sort_key("ß" * 300)) == 300
