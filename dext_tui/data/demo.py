"""A fresh demo practice for `dext-tui --demo`: no set-up, nothing left behind."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from dext_tui.data.database import make_engine, upgrade_to_head
from dext_tui.data.seed import seed_practice

DEMO_CLIENTS = 500
DEMO_PRECISION_PENDING = 30
DEMO_SEED = 2026


def create_demo_database(directory: Path) -> Engine:
    """Seed a demo practice into a new SQLite file inside `directory`."""
    engine = make_engine(f"sqlite:///{directory / 'demo.sqlite'}")
    upgrade_to_head(engine)
    seed_practice(
        engine, clients=DEMO_CLIENTS, precision_pending=DEMO_PRECISION_PENDING, seed=DEMO_SEED
    )
    return engine
