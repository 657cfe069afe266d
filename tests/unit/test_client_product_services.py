"""Which products a client is active in: on, off (data kept), the subscription and the
last product respected, stale pages refused, one audit event."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dext_tui.data.errors import InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services.client_products import set_client_products
from tests.factories import add_client, add_member, add_practice


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    client_id = add_client(
        db, practice_id, "Thames Water Ltd", prepare="active", solo="deactivated", costs=12
    )
    return db, admin, client_id


def statuses(db, client_id: int) -> dict[str, str]:
    found = {}
    with db.connect() as connection:
        for product in ("prepare", "precision", "solo"):
            status = connection.execute(
                text(f"SELECT status FROM {product}_account WHERE client_id = :id"),
                {"id": client_id},
            ).scalar()
            if status:
                found[product] = status
    return found


def test_turning_products_on_and_off_keeps_the_data(practice):
    db, admin, client_id = practice
    result = set_client_products(
        db, admin, client_id, version=1, active_in={"solo": True, "prepare": False}
    )
    assert statuses(db, client_id) == {"prepare": "deactivated", "solo": "active"}
    (change,) = result.changes
    assert change.action == "client.products_changed"
    assert change.before == {"products": {"prepare": "active", "solo": "deactivated"}}
    set_client_products(db, admin, client_id, version=2, active_in={"prepare": True})
    assert statuses(db, client_id)["prepare"] == "active"
    with db.connect() as connection:
        costs = connection.execute(
            text("SELECT costs_count FROM prepare_account WHERE client_id = :id"), {"id": client_id}
        ).scalar()
        after = connection.execute(
            text("SELECT after FROM audit_event WHERE client_id = :id ORDER BY id DESC"),
            {"id": client_id},
        ).scalar()
    assert costs == 12  # the account came back with its data
    assert json.loads(after) == {"products": {"prepare": "active"}}


def test_the_last_product_cannot_be_turned_off(practice):
    db, admin, client_id = practice
    with pytest.raises(InvalidInput) as refused:
        set_client_products(db, admin, client_id, version=1, active_in={"prepare": False})
    assert refused.value.for_field("products").message == (
        "A client must stay active in at least one product"
    )
    assert statuses(db, client_id) == {"prepare": "active", "solo": "deactivated"}


def test_a_product_outside_the_subscription_is_refused(practice):
    db, admin, client_id = practice
    with db.begin() as connection:
        connection.execute(text("UPDATE practice SET has_solo = false"))
    with pytest.raises(NotAllowed) as refused:
        set_client_products(db, admin, client_id, version=1, active_in={"solo": True})
    assert "does not include Solo" in refused.value.message
    assert statuses(db, client_id) == {"prepare": "active", "solo": "deactivated"}


def test_a_product_never_set_up_is_refused_with_where_to_set_it_up(practice):
    """Edit would make an account without what the product needs (issue 15, item 9)."""
    db, admin, client_id = practice
    with pytest.raises(NotAllowed) as refused:
        set_client_products(db, admin, client_id, version=1, active_in={"precision": True})
    assert refused.value.message == (
        "Thames Water Ltd is not set up in Precision and Edit cannot set it up: it needs "
        "its software and organisation: link it with Import Precision Clients."
    )
    assert "precision" not in statuses(db, client_id)


def test_a_stale_page_is_refused(practice):
    db, admin, client_id = practice
    set_client_products(db, admin, client_id, version=1, active_in={"solo": True})
    with pytest.raises(StaleVersion):
        set_client_products(db, admin, client_id, version=1, active_in={"solo": False})
    assert statuses(db, client_id)["solo"] == "active"
