"""Fuzzy name search: typos, prefixes, accents, '&', legal forms, symbols, best matches first."""

from dext_tui.data.name_search import BEST, NameSearchIndex

NAMES = [
    "Thames Water Ltd",
    "Thameside Bakery Limited",
    "Water Works & Co",
    "Waterside Mill Ltd",
    "O'Brien & Sons Limited",
    "Café Lumière Ltd",
    "Smith and Jones LLP",
    "Northern Lights Studio",
]


def found(index: NameSearchIndex, query: str, names: list[str] = NAMES) -> dict[str, int]:
    matches = index.search(query)
    return {names[row]: int(score) for row, score in zip(matches.rows, matches.scores, strict=True)}


def ranked(names: list[str], query: str) -> list[str]:
    """Names found, best first, then in list order (as the client list shows them)."""
    results = found(NameSearchIndex(names), query, names)
    return sorted(results, key=lambda name: (-results[name], names.index(name)))


def test_typo_finds_the_intended_name():
    results = found(NameSearchIndex(NAMES), "thams water")
    assert "Thames Water Ltd" in results
    assert "Water Works & Co" not in results  # every query word must match


def test_prefix_while_typing():
    results = found(NameSearchIndex(NAMES), "tham")
    assert set(results) == {"Thames Water Ltd", "Thameside Bakery Limited"}
    assert results["Thames Water Ltd"] == results["Thameside Bakery Limited"]


def test_exact_word_scores_above_prefix():
    results = found(NameSearchIndex(NAMES), "water")
    # Both names have one other word; only exact-versus-prefix tells them apart.
    assert results["Water Works & Co"] > results["Waterside Mill Ltd"]


def test_accents_apostrophes_and_ampersand_are_ignored():
    index = NameSearchIndex(NAMES)
    assert "Café Lumière Ltd" in found(index, "cafe lumiere")
    assert "O'Brien & Sons Limited" in found(index, "obrien and sons")
    assert "Smith and Jones LLP" in found(index, "smith & jones")


def test_substring_inside_a_word():
    assert "Thameside Bakery Limited" in found(NameSearchIndex(NAMES), "side")


def test_short_queries_do_not_match_by_typo():
    assert found(NameSearchIndex(NAMES), "zz") == {}


def test_empty_or_punctuation_only_query_matches_everything():
    index = NameSearchIndex(NAMES)
    assert len(index.search("   ").rows) == len(NAMES)
    assert len(index.search("...").rows) == len(NAMES)


def test_markup_like_names_are_searchable_as_text():
    names = ["[bold]Acme[/] Ltd", "Plain Ltd"]
    matches = NameSearchIndex(names).search("acme")
    assert list(matches.rows) == [0]


def test_a_name_with_a_line_break_keeps_every_row_aligned():
    names = ["Alpha Ltd", "Broken\nLine Ltd", "Gamma Ltd"]
    index = NameSearchIndex(names)
    assert list(index.search("gamma").rows) == [2]
    assert list(index.search("line").rows) == [1]


# -- legal forms ------------------------------------------------------------------

LEGAL = [
    "Chiltern Design Limited",
    "Happy Yard Ltd",
    "Acme Public Limited Company",
    "Beta PLC",
    "Hale Limited Liability Partnership",
    "Fox & Co",
    "Wolf and Company",
    "Cobalt Systems Ltd.",
    "Limehouse Bakery",
    "Widgets (UK) Ltd",
    "Chiltern Design Studio",
]


def test_ltd_and_limited_are_one_word():
    assert ranked(LEGAL, "chiltern design ltd") == ["Chiltern Design Limited"]
    assert ranked(LEGAL, "happy yard limited") == ["Happy Yard Ltd"]
    assert ranked(LEGAL, "cobalt systems limited") == ["Cobalt Systems Ltd."]


def test_plc_llp_and_co_match_their_words_in_full_and_back():
    assert set(ranked(LEGAL, "plc")) == {"Acme Public Limited Company", "Beta PLC"}
    assert ranked(LEGAL, "beta public limited company") == ["Beta PLC"]
    assert ranked(LEGAL, "hale llp") == ["Hale Limited Liability Partnership"]
    assert ranked(LEGAL, "fox company") == ["Fox & Co"]
    assert ranked(LEGAL, "wolf co") == ["Wolf and Company"]


def test_punctuation_around_words_is_ignored():
    assert ranked(LEGAL, "widgets uk limited") == ["Widgets (UK) Ltd"]
    assert ranked(LEGAL, "widgets (u.k.) ltd.") == ["Widgets (UK) Ltd"]


def test_a_legal_form_being_typed_is_still_a_prefix():
    assert "Cobalt Systems Ltd." in ranked(LEGAL, "co")
    assert "Limehouse Bakery" in ranked(LEGAL, "lim")
    # "limi", part way to "limited", finds names written "Ltd" as it finds "Limited".
    assert {"Happy Yard Ltd", "Chiltern Design Limited"} <= set(ranked(LEGAL, "limi"))
    # Part way through a legal form of several words.
    assert ranked(LEGAL, "acme public limi") == ["Acme Public Limited Company"]
    assert ranked(LEGAL, "beta public limited comp") == ["Beta PLC"]


def test_a_complete_legal_form_is_not_a_prefix_of_other_words():
    assert ranked(LEGAL, "company") == ["Fox & Co", "Wolf and Company"]


def test_a_typo_in_a_legal_form_is_forgiven():
    assert ranked(LEGAL, "happy yard limitd") == ["Happy Yard Ltd"]


# -- ranking among equal scores -------------------------------------------------------


def test_a_name_the_query_covers_whole_ranks_first():
    names = ["Freya Novák Audio Visual", "Novák Audio Visual"]
    assert ranked(names, "novák audio visual") == ["Novák Audio Visual", "Freya Novák Audio Visual"]


def test_then_names_with_fewer_words_left_unmatched():
    names = [
        "Freya Novák Audio Visual Hire",
        "Freya Novák Audio Visual",
        "Novák Audio Visual Ltd",  # the legal form is no word left unmatched
    ]
    assert ranked(names, "novak audio visual") == [
        "Novák Audio Visual Ltd",
        "Freya Novák Audio Visual",
        "Freya Novák Audio Visual Hire",
    ]


def test_a_whole_name_match_scores_best():
    names = ["Novák Audio Visual Ltd", "Novák Audio Visual Hire Ltd"]
    assert found(NameSearchIndex(names), "novak audio visual limited", names) == {
        "Novák Audio Visual Ltd": BEST,
        "Novák Audio Visual Hire Ltd": BEST - 1,
    }


# -- symbols ------------------------------------------------------------------------

SYMBOLS = ["Pizza 🍕 Palace Ltd", "★ Star Cleaners", "Smith & Sons", "Plain Bakery Ltd"]


def test_a_search_of_only_symbols_finds_the_names_with_them():
    assert ranked(SYMBOLS, "🍕") == ["Pizza 🍕 Palace Ltd"]
    assert ranked(SYMBOLS, "★") == ["★ Star Cleaners"]
    assert ranked(SYMBOLS, "&&") == ["Smith & Sons"]


def test_warm_up_changes_no_answer():
    cold = NameSearchIndex(NAMES)
    warm = NameSearchIndex(NAMES)
    warm.warm_up()
    for query in ["thams water", "side", "waterr", "tham", "🍕", "obrien"]:
        assert found(cold, query) == found(warm, query)


def test_the_index_reads_each_name_as_the_shared_normalisation_does():
    from dext_tui.data.names import match_key

    names = [
        "Acme\tTrading  Ltd",
        "A+B Builders – Public  Limited   Company",
        "❤️ Hearts & Co.",
        "Sakura 桜 Tea House Ltd",
        "St. John's Wood (Dental) L.L.P.",
        "Ørsted Energy Ltd",
        "Fish 'n' Chips Limited",
    ]
    index = NameSearchIndex(names)
    for row, name in enumerate(names):
        matches = index.search(match_key(name))
        scores = dict(zip(matches.rows.tolist(), matches.scores.tolist(), strict=True))
        assert scores[row] == BEST, name


def test_rows_stay_aligned_across_batches_of_names():
    names = [f"Client {number} Ltd" for number in range(12_000)]
    index = NameSearchIndex(names)
    for number in (0, 4_999, 5_000, 11_999):
        matches = index.search(f"client {number} ltd")
        assert matches.rows[matches.scores == BEST].tolist() == [number]


def test_many_matched_words_score_as_a_few_do(monkeypatch):
    """Word ranges are marked one by one when few, gathered at once when many."""
    import dext_tui.data.name_search as name_search

    names = [*NAMES, *LEGAL, "Thamesmead Thames Co", "Waterford Waters Ltd"]
    queries = ["tham", "water", "lim", "l", "co", "side", "thams watr", "public limi", "ltd"]
    one_by_one = {query: found(NameSearchIndex(names), query, names) for query in queries}
    monkeypatch.setattr(name_search, "_RANGES_BY_SLICES", 0)
    gathered = {query: found(NameSearchIndex(names), query, names) for query in queries}
    assert gathered == one_by_one
