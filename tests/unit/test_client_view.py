"""Search, filters and sort over loaded rows, as the list applies them."""

import pytest

from dext_tui.data.client_rows import ClientRows
from dext_tui.data.client_view import (
    EXACT_IDENTIFIER,
    ClientFilters,
    ClientQuery,
    ClientView,
)
from dext_tui.data.vocab import CLIENT_STATES, INTEGRATION_STATUSES, PRODUCT_STATUSES

P = PRODUCT_STATUSES.index
INTEG = INTEGRATION_STATUSES.index
S = CLIENT_STATES.index

# id, name, crn, code, state, prepare, precision, solo, costs, sales, integration, software
TUPLES = [
    (
        1,
        "Acme Holdings Ltd",
        "01234567",
        "ACME01",
        S("active"),
        P("active"),
        P("not_set_up"),
        P("not_set_up"),
        10,
        5,
        INTEG("connected"),
        1,
    ),
    (
        2,
        "Bravo Bakery",
        "SC123456",
        "",
        S("active"),
        P("invited"),
        P("active"),
        P("not_set_up"),
        500,
        0,
        INTEG("expired"),
        2,
    ),
    (
        3,
        "Charlie Consulting",
        "",
        "CC/2",
        S("deactivated"),
        P("deactivated"),
        P("deactivated"),
        P("deactivated"),
        0,
        0,
        INTEG("unintegrated"),
        0,
    ),
    (
        4,
        "Delta Thames Water",
        "01234999",
        "dw-1",
        S("active"),
        P("not_set_up"),
        P("active"),
        P("active"),
        2,
        900,
        INTEG("mismatch"),
        1,
    ),
    (
        5,
        "Echo Removed Ltd",
        "07654321",
        "",
        S("removed"),
        P("active"),
        P("not_set_up"),
        P("not_set_up"),
        1,
        1,
        INTEG("unintegrated"),
        0,
    ),
]


@pytest.fixture
def view() -> ClientView:
    return ClientView(ClientRows.from_tuples(TUPLES))


def names(view: ClientView, query: ClientQuery) -> list[str]:
    return [view.rows.names[row] for row in view.apply(query)]


def test_default_is_name_order_without_removed(view):
    assert names(view, ClientQuery()) == [
        "Acme Holdings Ltd",
        "Bravo Bakery",
        "Charlie Consulting",
        "Delta Thames Water",
    ]


def test_removed_filter_shows_only_removed(view):
    assert names(view, ClientQuery(filters=ClientFilters(state="removed"))) == ["Echo Removed Ltd"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ClientFilters(prepare="active"), ["Acme Holdings Ltd"]),
        (ClientFilters(prepare="not_set_up"), ["Delta Thames Water"]),
        (ClientFilters(precision="active"), ["Bravo Bakery", "Delta Thames Water"]),
        (ClientFilters(solo="deactivated"), ["Charlie Consulting"]),
        (ClientFilters(integration="expired"), ["Bravo Bakery"]),
        (ClientFilters(state="deactivated"), ["Charlie Consulting"]),
        (ClientFilters(no_practice_code=True), ["Bravo Bakery"]),
        (ClientFilters(precision="active", solo="active"), ["Delta Thames Water"]),
    ],
)
def test_filters(view, filters, expected):
    assert names(view, ClientQuery(filters=filters)) == expected


def test_sort_by_costs_starts_largest_and_reverses(view):
    query = ClientQuery().sorted_by("costs")
    assert names(view, query)[0] == "Bravo Bakery"
    assert names(view, query.sorted_by("costs"))[0] == "Charlie Consulting"


def test_sort_by_crn_puts_empty_last(view):
    assert names(view, ClientQuery().sorted_by("crns")) == [
        "Acme Holdings Ltd",
        "Delta Thames Water",
        "Bravo Bakery",
        "Charlie Consulting",
    ]


def test_sort_by_practice_code_ignores_case(view):
    order = names(view, ClientQuery().sorted_by("codes"))
    assert order[:3] == ["Acme Holdings Ltd", "Charlie Consulting", "Delta Thames Water"]


def test_search_by_exact_crn_and_prefix(view):
    assert names(view, ClientQuery(search="01234567")) == ["Acme Holdings Ltd"]
    assert names(view, ClientQuery(search="0123")) == ["Acme Holdings Ltd", "Delta Thames Water"]
    assert names(view, ClientQuery(search="sc12 3456")) == ["Bravo Bakery"]


def test_search_by_practice_code_ignores_case(view):
    assert names(view, ClientQuery(search="acme01")) == ["Acme Holdings Ltd"]
    assert names(view, ClientQuery(search="DW-")) == ["Delta Thames Water"]


def client(client_id: int, name: str, crn="", code="", costs=0, state="active") -> tuple:
    """A row tuple for ClientRows.from_tuples; only what a search test looks at varies."""
    statuses = (P("not_set_up"),) * 3
    return (client_id, name, crn, code, S(state), *statuses, costs, 0, INTEG("unintegrated"), 0)


def test_identifier_match_ranks_above_name_match(view):
    rows, scores = view.identifier_matches("ACME01")
    assert list(scores) == [EXACT_IDENTIFIER]
    # "acme" matches the name of client 1 and the code prefix of client 1: one row, once.
    assert names(view, ClientQuery(search="acme")) == ["Acme Holdings Ltd"]
    # A whole-name match, first in name order, still comes after the code and CRN matches.
    rows = ClientRows.from_tuples(
        [
            client(1, "Delta"),
            client(2, "Yankee Bakery", code="DELTA1"),
            client(3, "Zulu Foods", crn="DELTA"),
        ]
    )
    order = ClientView(rows).apply(ClientQuery(search="delta"))
    assert [rows.names[row] for row in order] == ["Zulu Foods", "Yankee Bakery", "Delta"]


def test_fuzzy_search_respects_filters(view):
    assert names(view, ClientQuery(search="thams watr")) == ["Delta Thames Water"]
    filtered = ClientQuery(search="thams watr", filters=ClientFilters(prepare="active"))
    assert names(view, filtered) == []


def test_search_never_shows_removed_by_default(view):
    assert names(view, ClientQuery(search="echo")) == []


def test_best_match_first(view):
    rows = ClientRows.from_tuples(
        [
            (1, "Aardvark Waterworks", "", "", 0, 0, 3, 3, 0, 0, 3, 0),
            (2, "Water Ltd", "", "", 0, 0, 3, 3, 0, 0, 3, 0),
        ]
    )
    order = ClientView(rows).apply(ClientQuery(search="water"))
    assert [rows.names[i] for i in order] == ["Water Ltd", "Aardvark Waterworks"]


def test_a_name_typed_exactly_comes_first_among_equal_scores():
    rows = ClientRows.from_tuples(
        [
            client(1, "Happy Owl Limited"),
            client(2, "Happy Owl L.T.D."),
            client(3, "HAPPY OWL LTD"),
            client(4, "Happy Owl Ltd"),
        ]
    )
    view = ClientView(rows)
    # The search scores all four the same (a legal form is one word), and name order
    # alone would put "HAPPY OWL LTD" first: the literal name wins, case folded, then the
    # closest spelling, then name order.
    order = view.apply(ClientQuery(search="happy owl ltd"))
    assert [rows.names[row] for row in order] == [
        "HAPPY OWL LTD",
        "Happy Owl Ltd",
        "Happy Owl L.T.D.",
        "Happy Owl Limited",
    ]
    order = view.apply(ClientQuery(search="Happy Owl Limited"))
    assert rows.names[order[0]] == "Happy Owl Limited"


def test_sorted_search_keeps_only_matches():
    rows = ClientRows.from_tuples(
        [
            client(1, "Bravo Bakery", costs=500),
            client(2, "Thames Water", costs=50),
            client(3, "Water Ltd", costs=5),
            client(4, "Waterside Cafe", costs=20),
            client(5, "Zed Water", costs=1000, state="removed"),
        ]
    )
    order = ClientView(rows).apply(ClientQuery(search="water", sort="costs", descending=True))
    # Best match first would be Water Ltd, Thames Water, Waterside Cafe.
    assert [rows.names[row] for row in order] == ["Thames Water", "Waterside Cafe", "Water Ltd"]


def test_search_finds_a_name_typed_with_its_legal_form_swapped(view):
    assert names(view, ClientQuery(search="acme holdings limited")) == ["Acme Holdings Ltd"]


def test_a_search_of_only_a_symbol_finds_only_the_names_with_it():
    rows = ClientRows.from_tuples([client(1, "Pizza 🍕 Palace"), client(2, "Plain Bakery")])
    order = ClientView(rows).apply(ClientQuery(search="🍕"))
    assert [rows.names[row] for row in order] == ["Pizza 🍕 Palace"]


def test_relevance_returns_to_the_default_order():
    from dext_tui.data.client_view import RELEVANCE

    query = ClientQuery(search="x").sorted_by("costs").sorted_by("costs")
    assert (query.sort, query.descending) == ("costs", False)
    assert query.sorted_by(RELEVANCE) == ClientQuery(search="x")


def test_warm_up_builds_every_index_under_the_lock(view, monkeypatch):
    """A patch from another worker must never interleave with an index being built."""

    class WatchedLock:
        locked = False

        def __enter__(self):
            WatchedLock.locked = True

        def __exit__(self, *exc):
            WatchedLock.locked = False

    built: list[tuple[str, bool]] = []

    def watch(name, method):
        def watched(*args):
            built.append((name, WatchedLock.locked))
            return method(*args)

        return watched

    view.lock = WatchedLock()
    monkeypatch.setattr(view.name_index, "warm_up", watch("names", view.name_index.warm_up))
    monkeypatch.setattr(view, "_identifier_index", watch("identifiers", view._identifier_index))
    monkeypatch.setattr(view, "sort_order", watch("sort", view.sort_order))
    view.warm_up()
    assert {name for name, _ in built} == {"names", "identifiers", "sort"}
    assert all(locked for _, locked in built), built


def test_an_empty_list_warms_up_and_answers_every_query():
    empty = ClientView(ClientRows.from_tuples([]))
    empty.warm_up()
    for query in (ClientQuery(), ClientQuery(search="thames"), ClientQuery(sort="crns")):
        assert empty.apply(query).tolist() == []
