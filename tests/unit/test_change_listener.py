"""PostgreSQL wakes the live list the moment a client change commits, whoever wrote it;
where it cannot (SQLite, a server that refuses), nothing fails: the poll carries on."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.change_listener import ChangeListener
from dext_tui.data.database import make_engine
from tests.factories import add_client, add_member, add_practice

WAIT = 30  # seconds: only a broken listener waits this long


@pytest.fixture
def practice(db: Engine) -> dict:
    practice_id = add_practice(db)
    add_member(db, practice_id, "admin@example.com")
    return {"db": db, "id": practice_id, "client": add_client(db, practice_id, "Thames Ltd")}


def test_sqlite_has_no_listener_and_needs_none(sqlite_db):
    assert ChangeListener.start_for(sqlite_db, 1, lambda: None) is None


def test_a_rename_by_plain_sql_wakes_the_listener_of_its_practice_only(practice):
    db = practice["db"]
    if db.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    woken, elsewhere = threading.Event(), threading.Event()
    listener = ChangeListener.start_for(db, practice["id"], woken.set)
    other = ChangeListener.start_for(db, practice["id"] + 1000, elsewhere.set)
    try:
        assert listener.listening.wait(WAIT) and other.listening.wait(WAIT)
        with db.begin() as connection:
            connection.execute(
                text("UPDATE client SET name = 'Thames Renamed Ltd' WHERE id = :id"),
                {"id": practice["client"]},
            )
        assert woken.wait(WAIT)
        assert not elsewhere.is_set()
    finally:
        listener.stop()
        other.stop()
    assert not listener._thread.is_alive()


def test_a_listener_that_cannot_connect_stops_quietly(practice):
    db = practice["db"]
    if db.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    nowhere = make_engine(db.url.set(host="127.0.0.1", port=1))
    listener = ChangeListener.start_for(nowhere, practice["id"], lambda: None)
    listener._thread.join(WAIT)
    assert not listener._thread.is_alive() and not listener.listening.is_set()
