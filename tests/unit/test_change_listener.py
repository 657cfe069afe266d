"""PostgreSQL wakes the live list the moment a client change commits, whoever wrote it;
where it cannot (SQLite, a server that refuses), nothing fails: the poll carries on."""

from __future__ import annotations

import random
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


def test_a_sqlite_database_in_memory_has_no_listener_and_needs_none():
    memory = make_engine("sqlite://")
    assert ChangeListener.start_for(memory, 1, lambda: None) is None


def test_a_sqlite_files_watcher_wakes_on_another_writers_commit_only(sqlite_db):
    """SQLite has no NOTIFY: its files are watched instead, so a commit by another
    process (here another engine) wakes the list at once, not at the next poll;
    nothing else wakes it (reading does not)."""
    practice_id = add_practice(sqlite_db)
    add_member(sqlite_db, practice_id, "admin@example.com")
    client_id = add_client(sqlite_db, practice_id, "Thames Ltd")
    other = make_engine(sqlite_db.url)
    woken = threading.Event()
    watcher = ChangeListener.start_for(sqlite_db, practice_id, woken.set)
    try:
        assert watcher.listening.wait(WAIT)
        with sqlite_db.connect() as connection:  # a read changes nothing
            connection.execute(text("SELECT name FROM client")).all()
        threading.Event().wait(0.5)  # several looks at the files
        assert not woken.is_set()
        with other.begin() as connection:
            connection.execute(
                text("UPDATE client SET name = 'Thames Renamed Ltd' WHERE id = :id"),
                {"id": client_id},
            )
        assert woken.wait(WAIT)
    finally:
        watcher.stop()
        other.dispose()
    assert not watcher._thread.is_alive()


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


def test_a_rename_through_the_services_wakes_the_listener_too(db):
    """A service numbers its change itself, so the triggers do not NOTIFY for it:
    the service does (issue 16: another dext-tui's change on screen within 200 ms).
    The practice gets an id no other test's has: NOTIFY reaches every schema of
    the database, and parallel tests' practices are all number 1."""
    if db.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    from sqlmodel import Session

    from dext_tui.data.identity import resolve_viewer
    from dext_tui.data.models import Practice
    from dext_tui.data.services.clients import update_client
    from tests.factories import version

    practice_id = random.randrange(10**8, 2 * 10**9)
    with Session(db) as session:
        session.add(Practice(id=practice_id, name="Listening Practice"))
        session.commit()
    add_member(db, practice_id, "admin@example.com")
    client_id = add_client(db, practice_id, "Thames Ltd")
    woken = threading.Event()
    listener = ChangeListener.start_for(db, practice_id, woken.set)
    try:
        assert listener.listening.wait(WAIT)
        viewer = resolve_viewer(db, "admin@example.com")
        update_client(db, viewer, client_id, version=version(db, client_id), name="Thames Two")
        assert woken.wait(WAIT)
    finally:
        listener.stop()


def test_an_idle_listener_sleeps_until_the_server_or_stop_wakes_it(practice, monkeypatch):
    """No looking up every so often while nothing happens (idle CPU, issue 16): the
    thread asks the connection for notifications only when the server has sent one
    (NOTIFY reaches every schema of the test database, so parallel tests' changes
    may come: each look finds something), and stop() still ends it at once."""
    db = practice["db"]
    if db.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    import psycopg

    empty_looks = []
    notifies = psycopg.Connection.notifies

    def counted(self, **options):
        found = 0
        for notice in notifies(self, **options):
            found += 1
            yield notice
        if not found:
            empty_looks.append(options)

    monkeypatch.setattr(psycopg.Connection, "notifies", counted)
    listener = ChangeListener.start_for(db, random.randrange(10**8, 2 * 10**9), lambda: None)
    assert listener.listening.wait(WAIT)
    threading.Event().wait(1.0)  # a stretch of nothing happening
    listener.stop()
    assert empty_looks == []
    assert not listener._thread.is_alive()
