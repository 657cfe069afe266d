"""The bulk load reads every table as of one moment, so writes by others while it runs
can never tear it (spec section 12: several people work on one practice at once)."""

from __future__ import annotations

import threading

import numpy as np
from sqlalchemy import text

from dext_tui.data.client_rows import NOT_SET_UP, load_all_rows
from dext_tui.data.database import make_engine
from dext_tui.data.services.clients import create_client
from dext_tui.data.transactions import read_snapshot
from tests.factories import add_client, add_member, add_practice


def count(connection) -> int:
    return connection.execute(text("SELECT COUNT(*) FROM client")).scalar_one()


def test_a_read_snapshot_does_not_see_what_commits_during_it(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    add_client(db, practice_id, "First Ltd")
    other = make_engine(db.url.render_as_string(hide_password=False))
    try:
        with read_snapshot(db) as connection:
            before = count(connection)
            create_client(other, admin, name="Second Ltd", products={"prepare": "active"})
            during = count(connection)
        with read_snapshot(db) as connection:
            after = count(connection)
    finally:
        other.dispose()
    assert (before, during, after) == (1, 1, 2)


def test_loading_while_another_session_writes_is_always_whole(db):
    """Clients and accounts added between the load's table reads once broke the
    stitching (IndexError); each load must now hold matching rows only."""
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    for i in range(30):
        add_client(db, practice_id, f"Seed Client {i}", solo="active")
    other = make_engine(db.url.render_as_string(hide_password=False))
    stop = threading.Event()
    written = []

    def keep_writing() -> None:
        while not stop.is_set():
            create_client(
                other,
                admin,
                name=f"Written Meanwhile {len(written)}",
                products={"prepare": "active", "solo": "invited"},
            )
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        loads = [load_all_rows(db, admin) for _ in range(15)]
    finally:
        stop.set()
        writer.join()
        other.dispose()
    assert len(written) > 0
    for rows in loads:
        # Every client loaded has its Prepare account: none was cut in half.
        assert len(rows) >= 30
        assert np.all(rows.prepare != NOT_SET_UP)
        assert np.all(rows.solo != NOT_SET_UP)
