"""The practice's subscription: which products it has (spec section 3)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from dext_tui.data.access import Viewer
from dext_tui.data.vocab import PRODUCTS


def subscribed_products(engine: Engine, viewer: Viewer) -> tuple[str, ...]:
    """The products in the viewer's practice's subscription, in the usual order."""
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT has_prepare, has_precision, has_solo FROM practice WHERE id = :id"),
            {"id": viewer.practice_id},
        ).one()
    return tuple(product for product, has in zip(PRODUCTS, row, strict=True) if has)
