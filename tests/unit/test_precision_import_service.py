"""The Precision import service: what it offers, what it writes, and what it refuses."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.services import precision_import as service
from dext_tui.data.services.precision_import import (
    LATER,
    LINK,
    NEW,
    ImportChoice,
    apply_import,
    default_choices,
    load_import,
)
from tests.factories import FIXED_NOW, add_client, add_member, add_practice


def add_source(engine, practice_id, name, *, crn=None, software="xero", state="pending") -> int:
    with engine.begin() as connection:
        return connection.execute(
            text(
                "INSERT INTO precision_source_client (practice_id, name, crn, software, "
                "import_state) VALUES (:p, :n, :c, :s, :st) RETURNING id"
            ),
            {"p": practice_id, "n": name, "c": crn, "s": software, "st": state},
        ).scalar_one()


def snapshot(engine) -> dict:
    """Everything an import may touch, to compare before and after a refusal."""
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in (
                "client",
                "precision_account",
                "prepare_account",
                "practice_access",
                "precision_source_client",
                "audit_event",
            )
        } | {"seq": connection.execute(text("SELECT change_seq FROM practice")).scalar_one()}


def source_states(engine) -> dict[str, tuple[str, int | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT name, import_state, client_id FROM precision_source_client")
        ).all()
    return {row.name: (row.import_state, row.client_id) for row in rows}


def apply(engine, viewer, *choices):
    return apply_import(engine, viewer, list(choices), clock=lambda: FIXED_NOW)


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    acme = add_client(db, practice_id, "Acme Widgets Ltd", crn="01234567", granted_to=[standard])
    thames = add_client(db, practice_id, "Thames Water Limited")
    linked = add_client(db, practice_id, "Already Linked Ltd", precision="active")
    sleepy = add_client(db, practice_id, "Sleepy Ltd", state="deactivated", prepare="deactivated")
    solo = add_client(db, practice_id, "Solo Only", prepare=None, solo="active")
    sources = {
        "acme": add_source(db, practice_id, "ACME WIDGETS LIMITED", crn="1234567"),
        "thames": add_source(db, practice_id, "Thames Water Ltd.", software="quickbooks_online"),
        "linked": add_source(db, practice_id, "Already Linked Ltd"),
        "new": add_source(db, practice_id, "Brand New Bakery Ltd", crn="SC123456"),
        "later": add_source(db, practice_id, "Maybe Later Ltd", state="set_up_later"),
        "done": add_source(db, practice_id, "Imported Before Ltd", state="imported"),
    }
    return {
        "db": db,
        "practice_id": practice_id,
        "admin": admin,
        "standard": standard,
        "clients": {
            "acme": acme,
            "thames": thames,
            "linked": linked,
            "sleepy": sleepy,
            "solo": solo,
        },
        "sources": sources,
    }


def test_load_lists_waiting_rows_and_eligible_clients_with_proposals(practice):
    data = load_import(practice["db"], practice["admin"])
    assert data.sources.names == [
        "ACME WIDGETS LIMITED",
        "Already Linked Ltd",
        "Brand New Bakery Ltd",
        "Maybe Later Ltd",
        "Thames Water Ltd.",
    ]
    assert data.sources.states[3] == "set_up_later"
    clients = practice["clients"]
    # Prepare clients only, active, without a Precision account.
    assert data.candidates.ids.tolist() == [clients["acme"], clients["thames"]]
    labels = [(p.client_id, p.label) if p else None for p in data.proposals]
    assert labels == [
        (clients["acme"], "CRN match"),
        None,  # its namesake already has a Precision account: never a candidate
        None,
        None,
        (clients["thames"], "name 100%"),
    ]
    actions = [choice.action for choice in default_choices(data)]
    assert actions == [LINK, LATER, LATER, LATER, LINK]


def test_a_standard_user_is_offered_only_the_clients_shared_with_them(practice):
    data = load_import(practice["db"], practice["standard"])
    assert data.candidates.ids.tolist() == [practice["clients"]["acme"]]
    assert data.proposals[-1] is None  # Thames Water is not theirs to see


def test_link_new_and_later_in_one_import(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    result = apply(
        db,
        practice["admin"],
        ImportChoice(sources["thames"], LINK, clients["thames"]),
        ImportChoice(sources["new"], NEW),
        ImportChoice(sources["acme"], LATER),
        ImportChoice(sources["later"], LATER),
    )
    with db.connect() as connection:
        new_id = connection.execute(
            text("SELECT id FROM client WHERE name = 'Brand New Bakery Ltd'")
        ).scalar_one()
        accounts = dict(
            connection.execute(
                text("SELECT client_id, status || '/' || software FROM precision_account")
            ).all()
        )
        new_client = connection.execute(
            text("SELECT crn, state, version FROM client WHERE id = :id"), {"id": new_id}
        ).one()
        has_prepare = connection.execute(
            text("SELECT COUNT(*) FROM prepare_account WHERE client_id = :id"), {"id": new_id}
        ).scalar_one()
        thames_version = connection.execute(
            text("SELECT version FROM client WHERE id = :id"), {"id": clients["thames"]}
        ).scalar_one()
        events = connection.execute(
            text("SELECT client_id, action, seq FROM audit_event WHERE seq IS NOT NULL ORDER BY id")
        ).all()
        seq = connection.execute(text("SELECT change_seq FROM practice")).scalar_one()
    assert accounts[clients["thames"]] == "active/quickbooks_online"
    assert accounts[new_id] == "active/xero"
    assert tuple(new_client) == ("SC123456", "active", 1)
    assert has_prepare == 0  # Prepare not set up
    assert thames_version == 2  # the link is a change to the client: lists re-read it
    states = source_states(db)
    assert states["Thames Water Ltd."] == ("linked", clients["thames"])
    assert states["Brand New Bakery Ltd"] == ("imported", new_id)
    assert states["ACME WIDGETS LIMITED"] == ("set_up_later", None)
    assert states["Maybe Later Ltd"] == ("set_up_later", None)
    mine = [(e.client_id, e.action) for e in events if e.seq == seq]
    # One event per affected client; set-up-later rows change no client.
    assert sorted(mine) == sorted(
        [(clients["thames"], "precision.linked"), (new_id, "precision.imported")]
    )
    assert set(result.client_ids) == {clients["thames"], new_id}
    assert result.version_of(clients["thames"]) == 2
    # Next time: only the set-up-later and untouched rows are waiting.
    data = load_import(db, practice["admin"])
    assert data.sources.names == ["ACME WIDGETS LIMITED", "Already Linked Ltd", "Maybe Later Ltd"]
    assert clients["thames"] not in data.candidates.ids.tolist()


def test_a_standard_user_keeps_sight_of_the_clients_they_import(practice):
    db = practice["db"]
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = TRUE WHERE role = 'standard'")
        )
    standard = resolve_viewer(db, "std@example.com")
    result = apply(db, standard, ImportChoice(practice["sources"]["new"], NEW))
    (new_id,) = result.client_ids
    with db.connect() as connection:
        access = connection.execute(
            text(
                "SELECT data_health FROM practice_access "
                "WHERE client_id = :c AND team_member_id = :m"
            ),
            {"c": new_id, "m": standard.team_member_id},
        ).scalar_one()
    assert access


def test_a_standard_user_without_the_right_to_add_may_link_but_not_import_new(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="does not allow importing Precision clients as new"):
        apply(
            db,
            practice["standard"],
            ImportChoice(sources["acme"], LINK, clients["acme"]),
            ImportChoice(sources["new"], NEW),
        )
    assert snapshot(db) == before
    apply(db, practice["standard"], ImportChoice(sources["acme"], LINK, clients["acme"]))
    assert source_states(db)["ACME WIDGETS LIMITED"] == ("linked", clients["acme"])


def test_a_standard_user_cannot_link_a_client_not_shared_with_them(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="not shared with you"):
        apply(db, practice["standard"], ImportChoice(sources["thames"], LINK, clients["thames"]))
    assert snapshot(db) == before


def test_importing_the_same_rows_twice_is_refused_whole(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    # Both people opened the screen; the first imports.
    apply(db, practice["admin"], ImportChoice(sources["new"], NEW))
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="Someone else imported “Brand New Bakery Ltd”"):
        apply(
            db,
            practice["admin"],
            ImportChoice(sources["thames"], LINK, clients["thames"]),
            ImportChoice(sources["new"], NEW),
        )
    assert snapshot(db) == before


def test_linking_a_client_that_meanwhile_got_precision_is_refused(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    apply(db, practice["admin"], ImportChoice(sources["thames"], LINK, clients["thames"]))
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="got a Precision account"):
        apply(db, practice["admin"], ImportChoice(sources["acme"], LINK, clients["thames"]))
    assert snapshot(db) == before


@pytest.mark.parametrize("client", ["sleepy", "solo", "linked"])
def test_only_active_prepare_clients_without_precision_can_be_linked(practice, client):
    db = practice["db"]
    before = snapshot(db)
    with pytest.raises(NotAllowed):
        apply(
            db,
            practice["admin"],
            ImportChoice(practice["sources"]["acme"], LINK, practice["clients"][client]),
        )
    assert snapshot(db) == before


def test_two_rows_may_not_link_the_same_client(practice):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    with pytest.raises(InvalidInput, match="same Prepare client"):
        apply(
            db,
            practice["admin"],
            ImportChoice(sources["acme"], LINK, clients["acme"]),
            ImportChoice(sources["thames"], LINK, clients["acme"]),
        )


def test_the_client_bundle_limit_counts_every_new_client(practice):
    db, sources = practice["db"], practice["sources"]
    with db.begin() as connection:
        active = connection.execute(
            text("SELECT COUNT(*) FROM client WHERE state = 'active'")
        ).scalar_one()
        connection.execute(text("UPDATE practice SET client_bundle_limit = :n"), {"n": active + 1})
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="room for 1 more"):
        apply(
            db,
            practice["admin"],
            ImportChoice(sources["new"], NEW),
            ImportChoice(sources["later"], NEW),
        )
    assert snapshot(db) == before
    apply(db, practice["admin"], ImportChoice(sources["new"], NEW))


def test_a_source_name_that_breaks_the_name_rules_is_refused_whole(practice):
    db = practice["db"]
    bad = add_source(db, practice["practice_id"], "Bad\x1b[31m Ltd")
    before = snapshot(db)
    with pytest.raises(InvalidInput, match="control characters"):
        apply(
            db,
            practice["admin"],
            ImportChoice(practice["sources"]["new"], NEW),
            ImportChoice(bad, NEW),
        )
    assert snapshot(db) == before


def test_a_failure_in_the_middle_leaves_the_database_unchanged(practice, monkeypatch):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    before = snapshot(db)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    # After the new clients, accounts and links are written, before the sources are marked.
    monkeypatch.setattr(service, "_mark_sources", broken)
    with pytest.raises(RuntimeError):
        apply(
            db,
            practice["admin"],
            ImportChoice(sources["thames"], LINK, clients["thames"]),
            ImportChoice(sources["new"], NEW),
            ImportChoice(sources["acme"], LATER),
        )
    assert snapshot(db) == before


def test_set_up_later_alone_writes_no_audit_event(practice):
    db = practice["db"]
    before = snapshot(db)
    result = apply(db, practice["admin"], ImportChoice(practice["sources"]["acme"], LATER))
    after = snapshot(db)
    assert after["audit_event"] == before["audit_event"]
    assert result.client_ids == ()
    assert source_states(db)["ACME WIDGETS LIMITED"] == ("set_up_later", None)


@pytest.mark.parametrize("action", [NEW, LINK])
def test_two_people_importing_the_same_rows_at_once_import_them_once(practice, action):
    db, sources, clients = practice["db"], practice["sources"], practice["clients"]
    if action == NEW:
        choices = [ImportChoice(sources["new"], NEW)]
    else:
        choices = [ImportChoice(sources["thames"], LINK, clients["thames"])]
    start = threading.Barrier(2)
    outcomes: list = []

    def import_now() -> None:
        start.wait()
        try:
            outcomes.append(apply(db, practice["admin"], *choices))
        except NotAllowed as refusal:
            outcomes.append(refusal)

    threads = [threading.Thread(target=import_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ChangeResult", "NotAllowed"]
    with db.connect() as connection:
        bakeries = connection.execute(
            text("SELECT COUNT(*) FROM client WHERE name = 'Brand New Bakery Ltd'")
        ).scalar_one()
        thames_accounts = connection.execute(
            text("SELECT COUNT(*) FROM precision_account WHERE client_id = :id"),
            {"id": clients["thames"]},
        ).scalar_one()
    assert (bakeries, thames_accounts) == ((1, 0) if action == NEW else (0, 1))
