"""Which products a client is active in (Edit, spec section 7).

Turning a product on brings a deactivated account back; turning it off deactivates
the account, keeping its data, so turning it on again later restores it. A product
the client was never set up in is refused with where to set it up: an account made
here would lack what the product needs (Solo: email, NI number, postcode, a business;
Precision: software and organisation), and no invitation would go out. A product
outside the practice's subscription cannot be turned on, and a deactivated or removed
client's products are changed through its lifecycle instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine

from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.roles import Action
from dext_tui.data.services.client_changes import (
    changing_any_client,
    commit_change,
    product_statuses,
    update_account,
)
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now
from dext_tui.data.subscription import products_of
from dext_tui.data.validation import ValidationError
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS, PRODUCTS

# Where a product the client does not have yet is set up, with what it needs.
SET_UP_ELSEWHERE = {
    "prepare": "it needs an industry, software and users: Add Client's Prepare steps set it up",
    "precision": "it needs its software and organisation: link it with Import Precision Clients",
    "solo": "it needs an email, NI number, postcode and a business: Add Client's Solo steps set "
    "it up",
}


def set_client_products(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    active_in: Mapping[str, bool],
    clock: Clock = utc_now,
) -> ChangeResult:
    """`active_in`: product -> whether the client should be active in it (others untouched)."""
    unknown = [product for product in active_in if product not in PRODUCTS]
    if unknown:
        raise InvalidInput([ValidationError("products", f"Unknown product: {unknown[0]}")])
    with changing_any_client(engine, viewer, client_id, version, clock, Action.TURN_PRODUCTS) as (
        writer,
        client,
    ):
        if client.state != "active":
            raise NotAllowed(
                f"{client.name} is {client.state}: reactivate or restore it before "
                "changing its products."
            )
        before = product_statuses(writer.connection, client.id)
        after = _statuses_wanted(before, active_in)
        if after == before:
            return writer.result()
        _check_switches(writer, client, before, after)
        for product, status in after.items():
            if status != before.get(product):
                update_account(writer, product, client.id, {"status": status})
        changed = [p for p in after if after[p] != before.get(p)]
        commit_change(
            writer,
            client,
            "client.products_changed",
            {"products": {p: before.get(p, "not_set_up") for p in changed}},
            {"products": {p: after[p] for p in changed}},
        )
        return writer.result()


def _statuses_wanted(before: dict[str, str], active_in: Mapping[str, bool]) -> dict[str, str]:
    """Each product's status once turned on (active) or off (deactivated) as asked."""
    after = dict(before)
    for product, wanted in active_in.items():
        has = before.get(product) in ("active", "invited")
        if wanted and not has:
            after[product] = "active"
        elif not wanted and has:
            after[product] = "deactivated"
    return after


def _check_switches(
    writer: Writer, client: Any, before: dict[str, str], after: dict[str, str]
) -> None:
    """Refused unless the client stays in a product, and each product turned on is in the
    subscription and set up already."""
    if not any(status in ("active", "invited") for status in after.values()):
        raise InvalidInput(
            [ValidationError("products", "A client must stay active in at least one product")]
        )
    subscribed = products_of(writer.connection, writer.viewer.practice_id)
    for product, status in after.items():
        if status == before.get(product):
            continue
        if status == "active" and product not in subscribed:
            raise NotAllowed(
                f"The practice's subscription does not include {PRODUCT_LABELS[product]}."
            )
        if product not in before:
            raise NotAllowed(
                f"{client.name} is not set up in {PRODUCT_LABELS[product]} and Edit cannot "
                f"set it up: {SET_UP_ELSEWHERE[product]}."
            )
