"""The demo practice: deterministic, complete (every status, role and match kind) and valid."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, Table, func, select

from dext_tui.data import seed as seed_module
from dext_tui.data.database import make_engine, upgrade_to_head
from dext_tui.data.models import (
    AuditEvent,
    Client,
    ClientUser,
    Practice,
    PracticeAccess,
    PrecisionAccount,
    PrecisionSourceClient,
    PrepareAccount,
    SoloAccount,
    TeamMember,
)
from dext_tui.data.seed import (
    DEMO_ADMIN_EMAIL,
    FIXED_NOW,
    SeedSummary,
    name_variant,
    seed_practice,
)
from dext_tui.data.validation import (
    normalize_client_name,
    normalize_crn,
    normalize_ni_number,
    normalize_postcode,
    normalize_practice_code,
    practice_code_key,
    sort_key,
)
from dext_tui.data.vocab import (
    CLIENT_STATES,
    CLIENT_USER_ROLES,
    INTEGRATION_SOFTWARE,
    INTEGRATION_STATUSES,
    PRECISION_SOFTWARE,
    PRECISION_VISIBILITY,
    PRODUCT_STATUSES,
    ROLES,
    SOLO_BUSINESS_TYPES,
    SOLO_COLLECTION_METHODS,
    VAT_CYCLES,
)

CLIENTS = 400
PENDING = 30
ALL_TABLES: tuple[Table, ...] = tuple(
    model.__table__
    for model in (
        Practice,
        TeamMember,
        Client,
        PrepareAccount,
        PrecisionAccount,
        SoloAccount,
        ClientUser,
        PracticeAccess,
        PrecisionSourceClient,
    )
)


def _migrated_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    return engine


def _seeded(path: Path, clients: int, pending: int, seed: int) -> Engine:
    engine = _migrated_engine(path)
    seed_practice(engine, clients, precision_pending=pending, seed=seed)
    return engine


def _all_rows(engine: Engine, table: Table) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _seeded(tmp_path_factory.mktemp("demo") / "demo.sqlite", CLIENTS, PENDING, seed=7)
    yield engine
    engine.dispose()


def _product_status(status_by_client: dict[int, str], client_ids: list[int]) -> dict[int, str]:
    return {client_id: status_by_client.get(client_id, "not_set_up") for client_id in client_ids}


def _statuses(engine: Engine) -> dict[int, tuple[str, str, str]]:
    """client id -> (prepare, precision, solo) status, `not_set_up` when there is no row."""
    with engine.connect() as conn:
        client_ids = list(conn.execute(select(Client.id)).scalars())
        per_product = [
            dict(conn.execute(select(model.client_id, model.status)).all())
            for model in (PrepareAccount, PrecisionAccount, SoloAccount)
        ]
    prepare, precision, solo = (_product_status(rows, client_ids) for rows in per_product)
    return {cid: (prepare[cid], precision[cid], solo[cid]) for cid in client_ids}


def _match_key(name: str) -> str:
    """The import matcher's idea of "the same name" (spec section 8)."""
    folded = name.casefold().replace("&", " and ")
    folded = re.sub(r"[^\w\s]", " ", folded)
    words = ["ltd" if word == "limited" else word for word in folded.split()]
    return " ".join(words)


# -- determinism and counts ---------------------------------------------------------


def test_same_seed_gives_identical_data(tmp_path: Path) -> None:
    first = _seeded(tmp_path / "a.sqlite", 150, 12, seed=3)
    second = _seeded(tmp_path / "b.sqlite", 150, 12, seed=3)
    for table in ALL_TABLES:
        assert _all_rows(first, table) == _all_rows(second, table), table.name


def test_different_seed_gives_different_clients(tmp_path: Path) -> None:
    first = _seeded(tmp_path / "a.sqlite", 150, 0, seed=3)
    second = _seeded(tmp_path / "b.sqlite", 150, 0, seed=4)
    assert _all_rows(first, Client.__table__) != _all_rows(second, Client.__table__)


def test_summary_and_counts(tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "t.sqlite")
    summary = seed_practice(engine, 120, precision_pending=9)
    assert summary == SeedSummary(practice_id=1, clients=120, precision_pending=9, team_members=10)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Client)).scalar_one() == 120
        pending = conn.execute(select(func.count()).select_from(PrecisionSourceClient))
        assert pending.scalar_one() == 9
        assert conn.execute(select(func.count()).select_from(TeamMember)).scalar_one() == 10
        practice = conn.execute(select(Practice)).one()
    assert practice.name == seed_module.DEMO_PRACTICE_NAME
    assert practice.client_bundle_limit > 120


def test_refuses_a_database_that_already_has_a_practice(tmp_path: Path) -> None:
    engine = _seeded(tmp_path / "t.sqlite", 20, 0, seed=1)
    with pytest.raises(ValueError, match="already"):
        seed_practice(engine, 20)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Client)).scalar_one() == 20


def test_zero_clients_still_makes_a_practice_and_unmatched_sources(tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "t.sqlite")
    summary = seed_practice(engine, 0, precision_pending=3)
    assert summary.clients == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PrecisionSourceClient)).scalar() == 3


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    engine = _migrated_engine(tmp_path / "t.sqlite")
    with pytest.raises(ValueError, match="timezone"):
        seed_practice(engine, 5, now=datetime(2026, 1, 1))


def test_audit_event_records_the_seed(demo: Engine) -> None:
    with demo.connect() as conn:
        events = conn.execute(select(AuditEvent)).all()
    assert [event.action for event in events] == ["seed"]
    assert events[0].at == FIXED_NOW
    assert '"clients": 400' in events[0].after


# -- clients and product accounts ---------------------------------------------------


def test_every_product_status_mix_is_present(demo: Engine) -> None:
    mixes = set(_statuses(demo).values())
    expected = {
        (prepare, precision, solo)
        for prepare in PRODUCT_STATUSES
        for precision in PRODUCT_STATUSES
        for solo in PRODUCT_STATUSES
    } - {("not_set_up",) * 3}
    assert mixes == expected


def test_every_client_has_at_least_one_product(demo: Engine) -> None:
    assert all(mix != ("not_set_up",) * 3 for mix in _statuses(demo).values())


def test_client_states_and_deactivation(demo: Engine) -> None:
    statuses = _statuses(demo)
    with demo.connect() as conn:
        clients = conn.execute(select(Client)).all()
    states = Counter(client.state for client in clients)
    assert set(states) == set(CLIENT_STATES)
    assert states["active"] > states["deactivated"] > 0
    for client in clients:
        if client.state == "deactivated":
            assert client.deactivated_at is not None
            assert client.created_at <= client.deactivated_at <= FIXED_NOW
            assert set(statuses[client.id]) <= {"deactivated", "not_set_up"}
        else:
            assert client.deactivated_at is None


def test_timestamps_are_utc_and_ordered(demo: Engine) -> None:
    with demo.connect() as conn:
        clients = conn.execute(select(Client)).all()
        syncs = conn.execute(select(PrepareAccount.integration_last_sync)).scalars().all()
    for client in clients:
        assert client.created_at.tzinfo == UTC
        assert client.created_at <= client.updated_at <= FIXED_NOW
        assert client.version >= 1
    assert all(sync.tzinfo == UTC and sync <= FIXED_NOW for sync in syncs if sync is not None)


def test_identifiers_are_valid_and_normalised(demo: Engine) -> None:
    with demo.connect() as conn:
        clients = conn.execute(select(Client)).all()
        solo_accounts = conn.execute(select(SoloAccount)).all()
        source_crns = conn.execute(select(PrecisionSourceClient.crn)).scalars().all()
    for client in clients:
        assert normalize_client_name(client.name) == client.name
        assert client.sort_name == sort_key(client.name)
        assert normalize_crn(client.crn) == client.crn
        assert normalize_practice_code(client.practice_code) == client.practice_code
        assert client.practice_code_key == practice_code_key(client.practice_code)
    for account in solo_accounts:
        assert normalize_ni_number(account.ni_number) == account.ni_number is not None
        assert normalize_postcode(account.postcode) == account.postcode is not None
        assert account.business_type in SOLO_BUSINESS_TYPES
        assert account.collection_method in SOLO_COLLECTION_METHODS
        assert account.email and "@" in account.email
    assert all(normalize_crn(crn) == crn for crn in source_crns)


def test_crns_and_practice_codes_are_unique(demo: Engine) -> None:
    with demo.connect() as conn:
        crns = conn.execute(select(Client.crn).where(Client.crn.is_not(None))).scalars().all()
        keys = conn.execute(select(Client.practice_code_key)).scalars().all()
    assert len(crns) == len(set(crns))
    codes = [key for key in keys if key is not None]
    assert len(codes) == len(set(codes))
    assert 0.05 < keys.count(None) / len(keys) < 0.30


def test_crn_shapes_are_varied(demo: Engine) -> None:
    with demo.connect() as conn:
        crns = conn.execute(select(Client.crn)).scalars().all()
    assert sum(crn is None for crn in crns) > 0
    assert sum(crn is not None and crn.isdigit() for crn in crns) > len(crns) / 2
    prefixes = {crn[:2] for crn in crns if crn is not None and not crn.isdigit()}
    assert {"SC", "OC"} <= prefixes


def test_names_are_varied_and_include_hard_cases(tmp_path: Path) -> None:
    engine = _seeded(tmp_path / "t.sqlite", 3_000, 0, seed=11)
    with engine.connect() as conn:
        names = conn.execute(select(Client.name)).scalars().all()
    assert len(set(names)) > 0.9 * len(names)
    assert any("'" in name for name in names)
    assert any("&" in name for name in names)
    assert any(not name.isascii() for name in names)
    assert any(name.endswith(" Limited") for name in names)
    assert any(name.endswith(" LLP") for name in names)
    assert any(len(name.split()) == 2 and name.isascii() for name in names)  # "Priya Patel"
    for hard_case in ("@Home Lettings Ltd", "1st Choice Plumbing Ltd", "Café Lumière Ltd"):
        assert names.count(hard_case) <= 1  # each once, or they fill the first screen


def test_prepare_accounts(demo: Engine) -> None:
    with demo.connect() as conn:
        accounts = conn.execute(select(PrepareAccount)).all()
        names = dict(conn.execute(select(Client.id, Client.name)).all())
    by_status = Counter(account.integration_status for account in accounts)
    assert set(by_status) == set(INTEGRATION_STATUSES)
    for account in accounts:
        integration = account.integration_status
        if integration == "unintegrated":
            assert account.integration_software is None
            assert account.integration_org_name is None
            assert account.integration_last_sync is None
        else:
            assert account.integration_software in INTEGRATION_SOFTWARE
            assert account.integration_last_sync is not None
        if integration in ("connected", "expired"):
            assert account.integration_org_name == names[account.client_id]
        if integration == "mismatch":
            assert account.integration_org_name not in (None, names[account.client_id])
        if account.status == "invited":
            assert integration == "unintegrated"
            assert account.costs_count == account.sales_count == 0
        if account.vat_number is not None:
            assert account.vat_cycle in VAT_CYCLES
            assert 1 <= account.first_reporting_month <= 12
    costs = sorted(account.costs_count for account in accounts)
    assert costs[len(costs) // 2] < 300 < costs[-1]
    assert Counter(account.country for account in accounts).most_common(1)[0][0] == "GB"
    assert Counter(account.base_currency for account in accounts).most_common(1)[0][0] == "GBP"
    assert any(account.vat_number for account in accounts)
    assert any(account.industry for account in accounts)


def test_precision_accounts(demo: Engine) -> None:
    with demo.connect() as conn:
        accounts = conn.execute(select(PrecisionAccount)).all()
    assert {account.software for account in accounts} == set(PRECISION_SOFTWARE)
    assert {account.visibility for account in accounts} == set(PRECISION_VISIBILITY)


def test_solo_accounts_copy_the_clients_identifiers(demo: Engine) -> None:
    with demo.connect() as conn:
        pairs = conn.execute(
            select(
                SoloAccount.crn, Client.crn, SoloAccount.practice_code, Client.practice_code
            ).join(Client, Client.id == SoloAccount.client_id)
        ).all()
    assert pairs
    for solo_crn, client_crn, solo_code, client_code in pairs:
        assert solo_crn == client_crn
        assert solo_code == client_code


# -- team, access and client users --------------------------------------------------


def test_every_role_is_present(demo: Engine) -> None:
    with demo.connect() as conn:
        members = conn.execute(select(TeamMember)).all()
    assert {member.role for member in members} == set(ROLES)
    admin = next(member for member in members if member.email == DEMO_ADMIN_EMAIL)
    assert (admin.role, admin.login_name, admin.active) == ("practice_admin", "demo", True)
    assert sum(member.role == "client_admin" for member in members) >= 2
    standard = [member for member in members if member.role == "standard"]
    assert {member.can_add_clients for member in standard} == {True, False}
    assert [member.active for member in standard].count(False) == 1
    assert not any(member.can_add_clients for member in members if member.role != "standard")


def test_standard_users_see_a_share_of_clients(demo: Engine) -> None:
    with demo.connect() as conn:
        roles = dict(conn.execute(select(TeamMember.id, TeamMember.role)).all())
        grants = conn.execute(select(PracticeAccess)).all()
    per_member = Counter(grant.team_member_id for grant in grants)
    assert {roles[member_id] for member_id in per_member} == {"standard"}
    assert len(per_member) == sum(role == "standard" for role in roles.values())
    assert all(0.01 * CLIENTS <= count <= 0.2 * CLIENTS for count in per_member.values())
    assert any(grant.account_manager for grant in grants)
    assert any(grant.bookkeeping for grant in grants)
    assert any(grant.data_health for grant in grants)


def test_prepare_account_managers_can_see_their_clients(demo: Engine) -> None:
    with demo.connect() as conn:
        roles = dict(conn.execute(select(TeamMember.id, TeamMember.role)).all())
        grants = {
            (grant.team_member_id, grant.client_id): grant
            for grant in conn.execute(select(PracticeAccess)).all()
        }
        managed = conn.execute(
            select(PrepareAccount.client_id, PrepareAccount.account_manager_id).where(
                PrepareAccount.account_manager_id.is_not(None)
            )
        ).all()
    assert managed
    for client_id, manager_id in managed:
        if roles[manager_id] == "standard":
            assert grants[(manager_id, client_id)].account_manager


def test_client_users_have_exactly_one_owner(demo: Engine) -> None:
    with demo.connect() as conn:
        users = conn.execute(select(ClientUser)).all()
        prepare_ids = set(conn.execute(select(PrepareAccount.client_id)).scalars())
    by_client: dict[int, list] = {}
    for user in users:
        by_client.setdefault(user.client_id, []).append(user)
    assert by_client
    for client_id, client_users in by_client.items():
        assert client_id in prepare_ids
        owners = [user for user in client_users if user.is_owner]
        assert len(owners) == 1
        assert owners[0].role == "business_admin" and owners[0].active
        assert len(client_users) <= 4
    assert {user.role for user in users} == set(CLIENT_USER_ROLES)
    assert len(by_client) < len(prepare_ids)  # many clients have no users: deletable


# -- Precision source clients --------------------------------------------------------


def test_precision_sources_cover_every_kind_of_match(demo: Engine) -> None:
    statuses = _statuses(demo)
    with demo.connect() as conn:
        sources = conn.execute(select(PrecisionSourceClient)).all()
        clients = conn.execute(select(Client.id, Client.name, Client.crn)).all()
    client_by_crn = {client.crn: client for client in clients if client.crn}
    clients_by_key: dict[str, list] = {}
    for client in clients:
        clients_by_key.setdefault(_match_key(client.name), []).append(client)

    def importable(client_id: int) -> bool:
        prepare, precision, _solo = statuses[client_id]
        return prepare != "not_set_up" and precision == "not_set_up"

    kinds: Counter[str] = Counter()
    crn_targets: list[int] = []
    for source in sources:
        assert (source.import_state, source.practice_id, source.client_id) == ("pending", 1, None)
        assert source.software in PRECISION_SOFTWARE
        same_name = clients_by_key.get(_match_key(source.name), [])
        if source.crn in client_by_crn:
            kinds["crn"] += 1
            crn_targets.append(client_by_crn[source.crn].id)
            assert importable(client_by_crn[source.crn].id)
        elif same_name:
            kinds["name"] += 1
            assert len(same_name) == 1, source.name
            assert importable(same_name[0].id)
            assert source.name != same_name[0].name
        else:
            kinds["none"] += 1
    assert kinds == {"crn": 10, "name": 10, "none": 10}
    assert len(crn_targets) == len(set(crn_targets))


def test_name_variants_differ_but_normalise_the_same() -> None:
    rng = random.Random(5)
    for name in ["Ashgrove Plumbing Ltd", "Elmstead & Sons Limited", "Yewtree & Patel Ltd"]:
        for _ in range(20):
            variant = name_variant(rng, name)
            assert variant != name
            assert _match_key(variant) == _match_key(name)


def test_distinctive_words_never_appear_in_ordinary_names() -> None:
    ordinary = {
        word.casefold()
        for words in (
            seed_module.SURNAMES,
            seed_module.FIRST_NAMES,
            seed_module.PLACES,
            seed_module.TRADES,
            seed_module.ADJECTIVES,
            seed_module.NOUNS,
            seed_module.BUSINESS_WORDS,
            seed_module.SPECIAL_COMPANY_NAMES,
        )
        for phrase in words
        for word in phrase.split()
    }
    distinctive = {word.casefold() for word in seed_module.DISTINCTIVE_STEMS}
    unmatched = {
        word.casefold() for word in seed_module.UNMATCHED_STEMS + seed_module.UNMATCHED_NOUNS
    }
    assert not distinctive & ordinary
    assert not unmatched & ordinary
    assert not unmatched & distinctive


def test_every_postcode_area_in_the_word_list_is_valid() -> None:
    for outward in seed_module.POSTCODE_OUTWARDS:
        assert normalize_postcode(f"{outward}1AB") == f"{outward} 1AB"


# -- PostgreSQL ---------------------------------------------------------------------


def test_seed_leaves_id_sequences_usable(db: Engine) -> None:
    """On PostgreSQL the seed's explicit ids must not leave the sequences behind."""
    seed_practice(db, 60, precision_pending=6)
    with db.begin() as conn:
        new_id = conn.execute(
            Client.__table__.insert().returning(Client.id),
            {
                "practice_id": 1,
                "name": "Added After Seeding Ltd",
                "sort_name": "added after seeding ltd",
                "state": "active",
                "created_at": FIXED_NOW,
                "updated_at": FIXED_NOW,
                "version": 1,
            },
        ).scalar_one()
        member_id = conn.execute(
            TeamMember.__table__.insert().returning(TeamMember.id),
            {
                "practice_id": 1,
                "name": "New Colleague",
                "email": "new@demo-practice.example",
                "role": "standard",
                "can_add_clients": False,
                "active": True,
            },
        ).scalar_one()
    assert new_id == 61
    assert member_id == len(seed_module.DEMO_TEAM) + 1
    with db.connect() as conn:
        created = conn.execute(select(Client.created_at).where(Client.id == 1)).scalar_one()
    assert created.tzinfo is not None
