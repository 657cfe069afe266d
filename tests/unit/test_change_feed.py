"""The change feed hears every writer: a client inserted, renamed or deleted by plain SQL
(past the services) is reported like a service's change, and a transaction that began
earlier but commits later is never skipped."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.change_feed import changes_since, current_change_seq
from tests.factories import add_client, add_member, add_practice
from tests.unit.test_client_services import second_engine


@pytest.fixture
def practice(db: Engine) -> dict:
    practice_id = add_practice(db)
    admin = add_member(db, practice_id, "admin@example.com")
    other_practice = add_practice(db, "Other Practice")
    add_member(db, other_practice, "other@example.com")
    return {
        "db": db,
        "admin": admin,
        "other_practice": other_practice,
        "thames": add_client(db, practice_id, "Thames Water Ltd"),
        "acme": add_client(db, practice_id, "Acme Ltd"),
    }


def plain_sql(engine: Engine, statement: str, **values) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), values)


def news(practice: dict, seen: int) -> tuple[int, ...]:
    changes = changes_since(practice["db"], practice["admin"], seen)
    assert changes.seq > seen and not changes.everything
    return changes.client_ids


def test_a_client_inserted_by_plain_sql_is_reported(practice):
    db, admin = practice["db"], practice["admin"]
    seen = current_change_seq(db, admin.practice_id)
    plain_sql(
        db,
        "INSERT INTO client (practice_id, name, sort_name, state, version, created_at, "
        "updated_at) VALUES (:p, 'Scripted Ltd', 'scripted ltd', 'active', 1, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        p=admin.practice_id,
    )
    with db.connect() as connection:
        new_id = connection.execute(text("SELECT id FROM client WHERE name = 'Scripted Ltd'"))
        new_id = new_id.scalar_one()
    assert news(practice, seen) == (new_id,)


def test_a_rename_and_a_product_count_by_plain_sql_are_reported(practice):
    db, admin = practice["db"], practice["admin"]
    seen = current_change_seq(db, admin.practice_id)
    plain_sql(
        db, "UPDATE client SET name = 'Thames Renamed Ltd' WHERE id = :id", id=practice["thames"]
    )
    assert news(practice, seen) == (practice["thames"],)
    seen = current_change_seq(db, admin.practice_id)
    plain_sql(
        db, "UPDATE prepare_account SET costs_count = 7 WHERE client_id = :id", id=practice["acme"]
    )
    assert news(practice, seen) == (practice["acme"],)


def test_a_client_deleted_by_plain_sql_is_reported(practice):
    db, admin = practice["db"], practice["admin"]
    seen = current_change_seq(db, admin.practice_id)
    # Its accounts and access go with it (ON DELETE CASCADE).
    plain_sql(db, "DELETE FROM client WHERE id = :id", id=practice["acme"])
    assert news(practice, seen) == (practice["acme"],)


def test_a_bulk_statement_reports_each_client_once_and_nothing_of_other_practices(practice):
    db, admin = practice["db"], practice["admin"]
    outsider = add_client(db, practice["other_practice"], "Elsewhere Ltd")
    seen = current_change_seq(db, admin.practice_id)
    plain_sql(db, "UPDATE prepare_account SET sales_count = sales_count + 1")
    assert news(practice, seen) == tuple(sorted((practice["thames"], practice["acme"])))
    assert outsider not in changes_since(db, admin, 0).client_ids


def test_a_transaction_that_commits_late_is_never_skipped(practice):
    db, admin = practice["db"], practice["admin"]
    other = second_engine(db)
    seen = current_change_seq(db, admin.practice_id)
    try:
        with db.connect() as late:
            late_transaction = late.begin()  # begins first ...
            late.execute(text("SELECT 1"))
            # ... while another writer changes a client and commits.
            plain_sql(other, "UPDATE client SET name = 'Early' WHERE id = :id", id=practice["acme"])
            first = changes_since(db, admin, seen)
            assert first.client_ids == (practice["acme"],)
            late.execute(
                text("UPDATE client SET name = 'Late' WHERE id = :id"), {"id": practice["thames"]}
            )
            # Not committed yet: nothing to report, and the number has not moved.
            assert changes_since(db, admin, first.seq).client_ids == ()
            late_transaction.commit()
        # The list saw the early change's number; the late one still comes after it.
        assert news(practice, first.seq) == (practice["thames"],)
    finally:
        other.dispose()
