"""Identity and scope: standard users never learn an unassigned client exists."""

import pytest

from dext_tui.data.client_rows import (
    count_clients,
    load_all_rows,
    load_client_detail,
    load_first_rows,
)
from dext_tui.data.identity import IdentityError, resolve_viewer
from tests.factories import add_client, add_member, add_practice


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com", "practice_admin", login_name="alice")
    client_admin = add_member(db, practice_id, "ca@example.com", "client_admin")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    shared = add_client(db, practice_id, "Shared Client Ltd", granted_to=[standard])
    hidden = add_client(db, practice_id, "Hidden Client Ltd")
    removed = add_client(db, practice_id, "Removed Client Ltd", state="removed")
    return {
        "db": db,
        "admin": admin,
        "client_admin": client_admin,
        "standard": standard,
        "shared": shared,
        "hidden": hidden,
        "removed": removed,
    }


def test_identity_by_email_is_case_insensitive(practice):
    assert resolve_viewer(practice["db"], "ADMIN@example.com").role == "practice_admin"


def test_identity_from_dext_user(practice, monkeypatch):
    monkeypatch.setenv("DEXT_USER", "std@example.com")
    assert resolve_viewer(practice["db"]).role == "standard"


def test_identity_from_os_login_name(practice, monkeypatch):
    monkeypatch.delenv("DEXT_USER", raising=False)
    monkeypatch.setattr("dext_tui.data.identity.os_login_name", lambda: "alice")
    assert resolve_viewer(practice["db"]).email == "admin@example.com"


def test_unknown_identity_is_refused(practice, monkeypatch):
    monkeypatch.delenv("DEXT_USER", raising=False)
    with pytest.raises(IdentityError, match="nobody@example.com"):
        resolve_viewer(practice["db"], "nobody@example.com")
    monkeypatch.setattr("dext_tui.data.identity.os_login_name", lambda: "mallory")
    with pytest.raises(IdentityError, match="mallory"):
        resolve_viewer(practice["db"])


def test_inactive_member_is_refused(practice):
    db = practice["db"]
    add_member(db, 1, "gone@example.com", "standard", active=False)
    with pytest.raises(IdentityError, match="inactive"):
        resolve_viewer(db, "gone@example.com")


def test_standard_user_sees_only_granted_clients(practice):
    db, standard = practice["db"], practice["standard"]
    assert load_all_rows(db, standard).names == ["Shared Client Ltd"]
    assert count_clients(db, standard) == 1
    assert load_first_rows(db, standard, 10).names == ["Shared Client Ltd"]
    assert load_client_detail(db, standard, practice["hidden"]) is None
    assert load_client_detail(db, standard, practice["shared"]).name == "Shared Client Ltd"


def test_client_admin_sees_all_but_removed(practice):
    rows = load_all_rows(practice["db"], practice["client_admin"])
    assert rows.names == ["Hidden Client Ltd", "Shared Client Ltd"]
    assert load_client_detail(practice["db"], practice["client_admin"], practice["removed"]) is None


def test_practice_admin_also_loads_removed_clients(practice):
    db, admin = practice["db"], practice["admin"]
    assert load_all_rows(db, admin).names == [
        "Hidden Client Ltd",
        "Removed Client Ltd",
        "Shared Client Ltd",
    ]
    # ... but they are not on the list itself: the count and first page leave them out.
    assert count_clients(db, admin) == 2
    assert "Removed Client Ltd" not in load_first_rows(db, admin, 10).names


def test_rows_carry_statuses_counts_and_integration(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "a@example.com")
    add_client(
        db,
        practice_id,
        "Full Client",
        crn="01234567",
        code="FC1",
        prepare="invited",
        precision="active",
        solo="deactivated",
        costs=12,
        sales=34,
        integration="connected",
        software="xero",
        org_name="Full Client Org",
    )
    add_client(db, practice_id, "Solo Only", prepare=None, solo="active")
    rows = load_all_rows(db, admin)
    assert rows.names == ["Full Client", "Solo Only"]
    assert rows.crns == ["01234567", ""]
    assert rows.codes == ["FC1", ""]
    assert list(rows.prepare) == [1, 3]  # invited, not set up
    assert list(rows.precision) == [0, 3]
    assert list(rows.solo) == [2, 0]
    assert list(rows.costs) == [12, 0] and list(rows.sales) == [34, 0]
    assert list(rows.integration) == [0, 3]  # connected, unintegrated
    detail = load_client_detail(db, admin, int(rows.ids[0]))
    assert detail.integration_org_name == "Full Client Org"
    assert detail.integration_last_sync.year == 2026


def test_first_matches_by_name_crn_or_code_prefix_within_scope(db):
    from dext_tui.data.client_rows import load_first_matches

    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "a@example.com")
    standard = add_member(db, practice_id, "s@example.com", "standard")
    add_client(
        db, practice_id, "Thames Water Ltd", crn="01234567", code="TW-1", granted_to=[standard]
    )
    add_client(db, practice_id, "Thameside 100% Ltd", crn="SC765432", code="side_1")
    add_client(db, practice_id, "Other Ltd", code="THX")
    add_client(db, practice_id, "Thanet Gone Ltd", state="removed")

    def names(viewer, search):
        return load_first_matches(db, viewer, search, 10, total=0).names

    assert names(admin, "tham") == ["Thames Water Ltd", "Thameside 100% Ltd"]
    assert names(admin, "  THAMES  water") == ["Thames Water Ltd"]
    assert names(admin, "0123") == ["Thames Water Ltd"]
    assert names(admin, "sc76") == ["Thameside 100% Ltd"]
    assert names(admin, "th") == ["Other Ltd", "Thames Water Ltd", "Thameside 100% Ltd"]
    assert names(admin, "side_") == ["Thameside 100% Ltd"]
    assert names(admin, "thameside 100%") == ["Thameside 100% Ltd"]
    assert names(admin, "%") == []  # wildcards are text, not patterns
    assert names(standard, "tham") == ["Thames Water Ltd"]
