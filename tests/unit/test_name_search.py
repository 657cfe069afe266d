"""Fuzzy name search: typos, prefixes, accents, '&', and best matches first."""

from dext_tui.data.name_search import EXACT, PREFIX, NameSearchIndex, normalise, words_of

NAMES = [
    "Thames Water Ltd",
    "Thameside Bakery Limited",
    "Water Works & Co",
    "O'Brien & Sons Limited",
    "Café Lumière Ltd",
    "Smith and Jones LLP",
    "Northern Lights Studio",
]


def found(index: NameSearchIndex, query: str) -> dict[str, int]:
    matches = index.search(query)
    return {NAMES[row]: int(score) for row, score in zip(matches.rows, matches.scores, strict=True)}


def test_normalise_ignores_case_accents_apostrophes_and_ampersand():
    assert normalise("Café O'Brien & Co") == "cafe obrien  and  co"
    assert words_of("Café O'Brien & Co") == ["cafe", "obrien", "and", "co"]


def test_typo_finds_the_intended_name():
    results = found(NameSearchIndex(NAMES), "thams water")
    assert "Thames Water Ltd" in results
    assert "Water Works & Co" not in results  # every query word must match


def test_prefix_while_typing():
    results = found(NameSearchIndex(NAMES), "tham")
    assert set(results) == {"Thames Water Ltd", "Thameside Bakery Limited"}
    assert set(results.values()) == {PREFIX}


def test_exact_word_scores_above_prefix():
    results = found(NameSearchIndex(NAMES), "water")
    assert results["Water Works & Co"] == EXACT
    assert results["Thames Water Ltd"] == EXACT


def test_accents_apostrophes_and_ampersand_are_ignored():
    index = NameSearchIndex(NAMES)
    assert "Café Lumière Ltd" in found(index, "cafe lumiere")
    assert "O'Brien & Sons Limited" in found(index, "obrien and sons")
    assert "Smith and Jones LLP" in found(index, "smith & jones")


def test_substring_inside_a_word():
    assert "Thameside Bakery Limited" in found(NameSearchIndex(NAMES), "side")


def test_short_queries_do_not_match_by_typo():
    assert found(NameSearchIndex(NAMES), "zz") == {}


def test_empty_query_matches_everything():
    assert len(NameSearchIndex(NAMES).search("   ").rows) == len(NAMES)


def test_markup_like_names_are_searchable_as_text():
    names = ["[bold]Acme[/] Ltd", "Plain Ltd"]
    matches = NameSearchIndex(names).search("acme")
    assert list(matches.rows) == [0]


def test_a_name_with_a_line_break_keeps_every_row_aligned():
    names = ["Alpha Ltd", "Broken\nLine Ltd", "Gamma Ltd"]
    index = NameSearchIndex(names)
    assert list(index.search("gamma").rows) == [2]
    assert list(index.search("line").rows) == [1]
