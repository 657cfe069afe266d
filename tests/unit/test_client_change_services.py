"""The shared step of every Manage page's change: the client's version bumped under a guard."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dext_tui.data.errors import StaleVersion
from dext_tui.data.services.client_changes import commit_change, load_client_in_scope
from dext_tui.data.services.writing import writing
from tests.factories import add_client, add_member, add_practice, audit, clock


def test_a_version_moved_under_the_change_refuses_it_and_writes_no_event(db):
    """The guard for writers that skip the practice's change lock (another tool, say)."""
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    client_id = add_client(db, practice_id, "Thames Water Ltd")
    with pytest.raises(StaleVersion), writing(db, admin, clock()) as writer:
        client = load_client_in_scope(writer.connection, writer.viewer, client_id)
        writer.connection.execute(
            text("UPDATE client SET version = version + 1 WHERE id = :id"), {"id": client_id}
        )
        commit_change(writer, client, "solo.updated", {"crn": None}, {"crn": "12345678"})
    assert audit(db, client_id) == []


def test_a_change_bumps_the_version_once_and_sets_the_clients_own_columns(db):
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    client_id = add_client(db, practice_id, "Thames Water Ltd", code="TW1")
    with writing(db, admin, clock()) as writer:
        client = load_client_in_scope(writer.connection, writer.viewer, client_id)
        commit_change(
            writer,
            client,
            "prepare.settings_updated",
            {"practice_code": "TW1"},
            {"practice_code": "TW2"},
            {"practice_code": "TW2", "practice_code_key": "tw2"},
        )
    with db.connect() as connection:
        row = connection.execute(
            text("SELECT practice_code, practice_code_key, version FROM client WHERE id = :id"),
            {"id": client_id},
        ).one()
    assert tuple(row) == ("TW2", "tw2", 2)
    assert [event.action for event in audit(db, client_id)] == ["prepare.settings_updated"]
