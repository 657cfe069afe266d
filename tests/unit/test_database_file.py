"""A database that goes away under a running app: nothing is reported saved that is
not in the file at its path (SQLite), and a dropped connection says nothing was saved
(PostgreSQL)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dext_tui.data.change_feed import changes_since
from dext_tui.data.database import make_engine, open_database, upgrade_to_head
from dext_tui.data.database_file import DatabaseFileChanged
from dext_tui.data.errors import DatabaseFileReplaced
from dext_tui.data.services.clients import update_client
from dext_tui.data.services.writing import writing
from tests.conftest import POSTGRES_URL
from tests.factories import add_client, add_member, add_practice


def _practice(engine: Engine):
    practice_id = add_practice(engine)
    viewer = add_member(engine, practice_id, "admin@example.com")
    return viewer, add_client(engine, practice_id, "Original Ltd")


def _remove_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _stored_name(path: Path) -> str | None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT name FROM client")).scalar()
    finally:
        engine.dispose()


def test_an_edit_after_the_file_was_deleted_is_refused(sqlite_db: Engine, tmp_path: Path):
    viewer, client_id = _practice(sqlite_db)
    _remove_file(tmp_path / "test.sqlite")
    with pytest.raises(DatabaseFileReplaced, match="nothing was saved"):
        update_client(sqlite_db, viewer, client_id, version=1, name="Edited Ltd")


def test_an_edit_after_the_file_was_replaced_leaves_the_new_file_alone(
    sqlite_db: Engine, tmp_path: Path
):
    viewer, client_id = _practice(sqlite_db)
    path = tmp_path / "test.sqlite"
    with sqlite_db.connect() as connection:  # the pool's connection stays on the old file
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(path, tmp_path / "copy.sqlite")
    os.replace(tmp_path / "copy.sqlite", path)
    with pytest.raises(DatabaseFileReplaced, match=str(path)):
        update_client(sqlite_db, viewer, client_id, version=1, name="Edited Ltd")
    assert _stored_name(path) == "Original Ltd"


def test_an_edit_on_the_same_file_is_saved(sqlite_db: Engine, tmp_path: Path):
    viewer, client_id = _practice(sqlite_db)
    update_client(sqlite_db, viewer, client_id, version=1, name="Edited Ltd")
    assert _stored_name(tmp_path / "test.sqlite") == "Edited Ltd"


def test_the_live_check_notices_a_moved_file(sqlite_db: Engine, tmp_path: Path):
    viewer, _client_id = _practice(sqlite_db)
    changes_since(sqlite_db, viewer, 0)  # fine while the file is there
    os.rename(tmp_path / "test.sqlite", tmp_path / "moved.sqlite")
    with pytest.raises(DatabaseFileChanged, match="deleted, replaced or moved"):
        changes_since(sqlite_db, viewer, 0)


def test_an_engine_from_open_database_watches_its_file(tmp_path: Path):
    path = tmp_path / "opened.sqlite"
    seeded = make_engine(f"sqlite:///{path}")
    upgrade_to_head(seeded)
    viewer, client_id = _practice(seeded)
    seeded.dispose()
    engine = open_database(str(path))
    try:
        _remove_file(path)
        with pytest.raises(DatabaseFileReplaced):
            update_client(engine, viewer, client_id, version=1, name="Edited Ltd")
    finally:
        engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="DEXT_TEST_POSTGRES_URL is not set")
def test_a_dropped_postgresql_connection_during_a_save_writes_nothing(db: Engine):
    if db.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    viewer, client_id = _practice(db)
    admin = make_engine(POSTGRES_URL)
    try:
        with pytest.raises(DBAPIError):  # the screens say "Nothing was saved: <its reason>"
            with writing(db, viewer) as writer:
                writer.connection.execute(
                    text("UPDATE client SET name = 'Edited Ltd' WHERE id = :id"),
                    {"id": client_id},
                )
                pid = writer.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
                with admin.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    with db.connect() as connection:
        name = connection.execute(
            text("SELECT name FROM client WHERE id = :id"), {"id": client_id}
        ).scalar()
    assert name == "Original Ltd"
