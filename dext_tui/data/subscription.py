"""The practice's subscription: which products it has (spec section 3)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCTS


def products_of(connection: Connection, practice_id: int) -> tuple[str, ...]:
    """The products in the practice's subscription, in the usual order."""
    row = connection.execute(
        text("SELECT has_prepare, has_precision, has_solo FROM practice WHERE id = :id"),
        {"id": practice_id},
    ).one()
    return tuple(product for product, has in zip(PRODUCTS, row, strict=True) if has)


def subscribed_products(engine: Engine, viewer: Viewer) -> tuple[str, ...]:
    """The products in the viewer's practice's subscription."""
    with engine.connect() as connection:
        return products_of(connection, viewer.practice_id)
