"""Alembic environment: runs against the engine the app hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from dext_tui.data import models  # noqa: F401  (registers the tables)

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from dext_tui.data.database import database_url, make_engine

    engine = make_engine(database_url(config.get_main_option("sqlalchemy.url")))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
