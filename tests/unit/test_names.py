"""One normalisation of client names (spec section 8), shared by search and matching."""

import random

import pytest

from dext_tui.data.names import fold, match_key, name_words, words_of
from dext_tui.data.seed import name_variant


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "Smith & Sons Ltd.",
            "SMITH AND SONS LIMITED",
            "smith  and sons, limited",
            "Smith & Sons LTD",
        ],
        ["Acme PLC", "Acme Public Limited Company", "acme p.l.c.", "ACME plc"],
        ["Hale & Co LLP", "Hale and Company Limited Liability Partnership", "Hale & Co. L.L.P."],
        ["Jones & Co", "Jones and Company", "Jones & Co."],
        ["Widgets (UK) Ltd", "Widgets UK Limited", "Widgets U.K. Ltd", "widgets uk ltd"],
        ["Café Lumière Ltd", "Cafe Lumiere Limited"],
        ["O'Brien & Sons Limited", "OBrien and Sons Ltd", "O’Brien & Sons Ltd"],
        ["Brasserie Bøgelund Ltd", "Brasserie Bogelund Ltd"],
        ["A-Z Removals Ltd", "A Z Removals Ltd"],
        ["Seaside Community Interest Company", "Seaside CIC"],
    ],
)
def test_the_same_name_written_differently_has_one_key(spellings):
    assert len({match_key(spelling) for spelling in spellings}) == 1, [
        match_key(spelling) for spelling in spellings
    ]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme Ltd", "Acme LLP"),
        ("Acme Ltd", "Acme PLC"),
        ("Smith Plumbing Ltd", "Smith Plumbing & Heating Ltd"),
        ("A+ Tutors Ltd", "A Tutors Ltd"),
        ("Companions Care Ltd", "Co Care Ltd"),
    ],
)
def test_different_names_keep_different_keys(one, other):
    assert match_key(one) != match_key(other)


def test_legal_forms_are_one_canonical_word_each():
    assert name_words("Chiltern Design Limited") == ["chiltern", "design", "ltd"]
    assert name_words("Acme Public Limited Company") == ["acme", "plc"]
    assert name_words("Hale Limited Liability Partnership") == ["hale", "llp"]
    assert name_words("Fox and Company") == ["fox", "and", "co"]


def test_words_inside_other_words_are_left_alone():
    assert name_words("Limehouse Companions Publicity") == ["limehouse", "companions", "publicity"]


def test_a_query_keeps_its_legal_forms_as_typed():
    """The search reads a query word by word, so that a word being typed stays a prefix."""
    assert words_of("Happy Yard Limited") == ["happy", "yard", "limited"]


def test_symbols_and_emoji_are_words_and_punctuation_is_not():
    assert name_words("Pizza 🍕 Palace Ltd") == ["pizza", "🍕", "palace", "ltd"]
    assert name_words("★ Star Cleaners") == ["★", "star", "cleaners"]
    assert name_words("❤️ Hearts") == ["❤", "hearts"]  # the emoji style selector is dropped
    assert name_words("(St. John's) – Wood!") == ["st", "johns", "wood"]
    assert name_words("...") == []


def test_seed_name_variants_share_the_key_of_the_original():
    """The seed writes the import's source names with exactly these differences."""
    rng = random.Random(8)
    for name in ["Ashgrove Plumbing Ltd", "Elmstead & Sons Limited", "Yewtree & Patel Ltd."]:
        for _ in range(30):
            assert match_key(name_variant(rng, name)) == match_key(name)


def test_folding_many_names_at_once_keeps_one_line_each():
    assert fold("Acme Ltd\nCafé & Co").split("\n") == [fold("Acme Ltd"), fold("Café & Co")]
