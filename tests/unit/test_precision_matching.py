"""The Precision import matcher on the hard cases of spec section 8."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from dext_tui.data.names import match_key
from dext_tui.data.precision_matching import (
    CANDIDATE_BUDGET,
    CRN,
    NAME,
    match_keys,
    match_sources,
)


def match(sources, candidates, progress=None):
    """sources: [(name, crn)]; candidates: [(name, crn)] with ids 101, 102, ... ->
    per source (candidate name, label) or None."""
    ids = [101 + i for i in range(len(candidates))]
    proposals = match_sources(
        [name for name, _ in sources],
        [crn for _, crn in sources],
        ids,
        [name for name, _ in candidates],
        [crn for _, crn in candidates],
        progress,
    )
    found = []
    for proposal in proposals:
        if proposal is None:
            found.append(None)
            continue
        assert proposal.client_id == ids[proposal.candidate]
        found.append((candidates[proposal.candidate][0], proposal.label))
    return found


@pytest.mark.parametrize(
    ("source", "candidate"),
    [
        ("Chiltern Design Limited", "Chiltern Design Ltd"),
        ("CHILTERN DESIGN LTD.", "chiltern design limited"),
        ("Smith & Sons Ltd", "SMITH AND SONS LIMITED"),
        ("O'Brien,  Murphy & Co.", "OBrien Murphy and Company"),
        ("Hartley-Brown  Plumbing", "Hartley Brown Plumbing"),
    ],
)
def test_names_written_differently_are_the_same_name(source, candidate):
    others = [("Chiltern Bakery Ltd", None), ("Smith Haulage Ltd", None), ("Murphy Ltd", None)]
    assert match([(source, None)], [*others, (candidate, None)]) == [(candidate, "name 100%")]


def test_a_typo_is_matched_with_its_score():
    found = match([("Bluebell Cateing Ltd", None)], [("Bluebell Catering Ltd", None)])
    assert found == [("Bluebell Catering Ltd", "name 97%")]


def test_two_near_equal_candidates_propose_neither():
    candidates = [("Northgate Bakers Ltd", None), ("Northgate Bakery Co Ltd", None)]
    assert fuzz.ratio(match_key("Northgate Bakery Ltd"), match_key(candidates[0][0])) >= 95
    assert fuzz.ratio(match_key("Northgate Bakery Ltd"), match_key(candidates[1][0])) >= 93
    assert match([("Northgate Bakery Ltd", None)], candidates) == [None]


def test_two_candidates_with_the_same_name_propose_neither():
    candidates = [("Acme Widgets Ltd", None), ("ACME WIDGETS LIMITED", None)]
    assert match([("Acme Widgets Ltd", None)], candidates) == [None]


def test_a_margin_of_five_is_enough():
    # 100 against 95: exactly the margin asked for.
    candidates = [("Northgate Bakers Ltd", None), ("Northgate Bakery Limited", None)]
    assert int(fuzz.ratio(match_key("Northgate Bakery Ltd"), "northgate bakers ltd")) == 95
    assert match([("Northgate Bakery Ltd", None)], candidates) == [
        ("Northgate Bakery Limited", "name 100%")
    ]


def test_ninety_is_enough_and_eighty_nine_is_not():
    assert int(fuzz.ratio("wintergold", "wintergolt")) == 90
    assert int(fuzz.ratio("wintergol", "wintergot")) == 88
    assert match([("Wintergold", None)], [("Wintergolt", None)]) == [("Wintergolt", "name 90%")]
    assert match([("Wintergol", None)], [("Wintergot", None)]) == [None]


def test_a_crn_match_beats_a_better_name_match():
    candidates = [("Acme Widgets Ltd", None), ("Zenith Holdings Ltd", "01234567")]
    found = match([("Acme Widgets Ltd", "1234567")], candidates)  # CRNs compared as stored
    assert found == [("Zenith Holdings Ltd", "CRN match")]


def test_crns_compare_without_case_or_spaces():
    found = match([("Whatever", "sc 123456")], [("Other Name Ltd", "SC123456")])
    assert found == [("Other Name Ltd", "CRN match")]


def test_no_prepare_client_is_proposed_twice_best_score_wins():
    sources = [("Acme Widget Ltd", None), ("Acme Widgets Ltd", None)]  # 96, then 100
    found = match(sources, [("Acme Widgets Limited", None)])
    assert found == [None, ("Acme Widgets Limited", "name 100%")]


def test_equal_scores_go_to_the_first_source():
    sources = [("ACME WIDGETS LTD", None), ("Acme Widgets Limited", None)]
    found = match(sources, [("Acme Widgets Ltd", None)])
    assert found == [("Acme Widgets Ltd", "name 100%"), None]


def test_a_crn_match_claims_its_client_before_name_matches():
    sources = [("Acme Widgets Ltd", None), ("Something Else", "01234567")]
    found = match(sources, [("Acme Widgets Ltd", "01234567")])
    assert found == [None, ("Acme Widgets Ltd", "CRN match")]


def test_two_sources_with_one_crn_the_first_gets_it():
    sources = [("First Ltd", "01234567"), ("Second Ltd", "01234567")]
    found = match(sources, [("Holder Ltd", "01234567")])
    assert found == [("Holder Ltd", "CRN match"), None]


def test_nothing_close_proposes_nothing():
    assert match([("Completely Different Ltd", None)], [("Acme Widgets Ltd", None)]) == [None]
    assert match([("Acme Ltd", None)], []) == [None]
    assert match([], [("Acme Ltd", None)]) == []


def test_a_rare_word_with_a_typo_is_found_among_many_common_words():
    crowd = [(f"Consulting Services {n} Ltd", None) for n in range(CANDIDATE_BUDGET + 200)]
    target = ("Zyxwvut Consulting Services Ltd", None)
    found = match([("Zyxwvat Consulting Services Ltd", None)], [*crowd, target])
    assert found == [(target[0], "name 96%")]


def test_progress_rises_to_one():
    seen: list[float] = []
    match([("Acme Ltd", None), ("Bravo Ltd", None)], [("Acme Ltd", None)], seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_batch_keys_equal_the_shared_normalisation():
    names = [
        "Café O’Brien & Co.",
        "P.L.C. Holdings Public Limited Company",
        "Pizza 🍕 Ltd",
        "Two\nLines Ltd",
        "Smith  &  Sons LIMITED",
        "東京商事 Ltd",
        "",
        "Acme Limited Liability Partnership",
    ] * 3000  # more than one batch
    assert match_keys(names) == [match_key(name.replace("\n", " ")) for name in names]


def test_proposal_reasons():
    found = match_sources(
        ["A Ltd", "Bee Keepers"],
        ["01234567", None],
        [7, 8],
        ["X", "Bee Keepers"],
        ["01234567", None],
    )
    assert [(p.reason, p.score) for p in found if p] == [(CRN, 100), (NAME, 100)]


def test_a_typo_in_every_word_is_still_found():
    # No word in common as written: only the one-typo neighbourhood brings them together.
    found = match([("Bluebel Cateing Ltd", None)], [("Bluebell Catering Ltd", None)])
    assert found == [("Bluebell Catering Ltd", "name 95%")]
