"""Live changes patch the loaded rows and every index: a patched view answers every
query exactly as a view built afresh from the same data would."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dext_tui.data.client_rows import ClientRows
from dext_tui.data.client_view import ClientFilters, ClientQuery, ClientView
from dext_tui.data.validation import sort_key
from dext_tui.data.vocab import CLIENT_STATES, PRODUCT_STATUSES

WORDS = ["thames", "water", "acme", "bakery", "north", "café", "smith", "jones", "delta", "zeta"]
QUERIES = [
    ClientQuery(),
    ClientQuery(search="water"),
    ClientQuery(search="thams"),
    ClientQuery(search="ac"),
    ClientQuery(search="SC1"),
    ClientQuery(search="c0"),
    ClientQuery(sort="costs"),
    ClientQuery(sort="crns", descending=True),
    ClientQuery(sort="codes"),
    ClientQuery(sort="prepare"),
    ClientQuery(search="smith", sort="sales"),
    ClientQuery(filters=ClientFilters(state="removed")),
    ClientQuery(filters=ClientFilters(no_practice_code=True)),
    ClientQuery(filters=ClientFilters(prepare="active"), sort="name", descending=True),
]


def random_client(rng: random.Random, client_id: int) -> tuple:
    name = " ".join(rng.choice(WORDS).title() for _ in range(rng.randint(1, 3)))
    crn = rng.choice(["", f"SC{rng.randint(0, 999999):06d}", f"{rng.randint(0, 99999999):08d}"])
    code = rng.choice(["", f"C{rng.randint(0, 99)}", f"c{rng.randint(0, 99)}x"])
    return (
        client_id,
        name,
        crn,
        code,
        rng.randrange(len(CLIENT_STATES)),
        rng.randrange(len(PRODUCT_STATUSES)),
        rng.randrange(len(PRODUCT_STATUSES)),
        rng.randrange(len(PRODUCT_STATUSES)),
        rng.randint(0, 5),
        rng.randint(0, 5),
        rng.randrange(4),
        rng.randrange(3),
    )


def rows_in_name_order(clients: dict[int, tuple]) -> ClientRows:
    ordered = sorted(clients.values(), key=lambda row: (sort_key(row[1]), row[0]))
    return ClientRows.from_tuples(ordered)


def shown_ids(view: ClientView, query: ClientQuery) -> list[int]:
    return view.rows.ids[view.apply(query)].tolist()


@pytest.mark.parametrize("most_per_patch", [1, 6], ids=["one-at-a-time", "batches"])
@pytest.mark.parametrize("seed", range(12))
def test_a_patched_view_answers_like_a_fresh_one(seed: int, most_per_patch: int):
    """One change per patch takes the in-place path; batches rebuild around the rows."""
    rng = random.Random(seed)
    clients = {client_id: random_client(rng, client_id) for client_id in range(1, 60)}
    view = ClientView(rows_in_name_order(clients))
    view.warm_up()  # every cached order and index exists, so every one gets patched
    next_id = 60
    for _round in range(8):
        asked_for = []
        for _ in range(rng.randint(1, most_per_patch)):
            kind = rng.choice(["rename", "change", "add", "delete", "delete"])
            if kind == "add" or not clients:
                clients[next_id] = random_client(rng, next_id)
                asked_for.append(next_id)
                next_id += 1
                continue
            client_id = rng.choice(sorted(clients))
            asked_for.append(client_id)
            if kind == "delete":
                del clients[client_id]
            elif kind == "rename":
                clients[client_id] = (
                    client_id,
                    rng.choice(WORDS) + " Ltd",
                    *clients[client_id][2:],
                )
            else:
                clients[client_id] = random_client(rng, client_id)
        fresh = ClientRows.from_tuples([clients[i] for i in asked_for if i in clients])
        view.patch(fresh, asked_for)
        rebuilt = ClientView(rows_in_name_order(clients))
        for query in QUERIES:
            assert shown_ids(view, query) == shown_ids(rebuilt, query), query
        assert view.rows.listed_count() == rebuilt.rows.listed_count()


def test_patch_touches_only_the_changed_rows_and_keeps_positions():
    clients = {i: (i, f"Client {i:03d}", "", "", 0, 0, 3, 3, i, 0, 3, 0) for i in range(1, 11)}
    view = ClientView(rows_in_name_order(clients))
    names_before = list(view.rows.names)
    renamed = (5, "Aardvark Ltd", "", "", 0, 0, 3, 3, 5, 0, 3, 0)
    changed = view.patch(ClientRows.from_tuples([renamed]), [5])
    assert changed == 1
    assert view.rows.names[4] == "Aardvark Ltd"  # same position, new value
    assert [n for i, n in enumerate(view.rows.names) if i != 4] == [
        n for i, n in enumerate(names_before) if i != 4
    ]
    assert shown_ids(view, ClientQuery())[0] == 5  # first in name order now
    assert shown_ids(view, ClientQuery(search="aardvark")) == [5]
    assert shown_ids(view, ClientQuery(search="client 005")) == []
    assert view.name_index.overlay_size == 1
    assert view.generation == 1


def test_a_client_leaving_the_scope_leaves_the_list_and_its_count():
    clients = {i: (i, f"Client {i}", "", "", 0, 0, 3, 3, 0, 0, 3, 0) for i in range(1, 4)}
    view = ClientView(rows_in_name_order(clients))
    view.patch(ClientRows.from_tuples([]), [2])  # asked for, no longer visible
    assert shown_ids(view, ClientQuery()) == [1, 3]
    assert view.rows.listed_count() == 2
    assert not view.rows.present[view.rows.position_of(2)]
    assert np.count_nonzero(view.rows.present) == 2
