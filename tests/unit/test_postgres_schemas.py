"""The PostgreSQL schemas the tests run in: a used one comes back empty, with its ids
starting again at 1, unless the test changed its shape, when a new one is made."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import POSTGRES_URL, _postgres_engine, _PostgresSchemas
from tests.factories import add_client, add_member, add_practice

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="DEXT_TEST_POSTGRES_URL is not set")


@pytest.fixture
def schemas():
    assert POSTGRES_URL
    pool = _PostgresSchemas(POSTGRES_URL)
    yield pool
    pool.close()


def use(schemas: _PostgresSchemas, change: str | None = None) -> str:
    """Take a schema, write to it (and run `change`), give it back; its name."""
    schema = schemas.take()
    engine = _postgres_engine(schema)
    practice_id = add_practice(engine, "Harbour")
    add_member(engine, practice_id, "admin@example.com")
    add_client(engine, practice_id, "Thames Water Ltd", code="TW1")
    if change:
        with engine.begin() as connection:
            connection.execute(text(change))
    engine.dispose()
    schemas.give_back(schema)
    return schema


def test_a_used_schema_comes_back_empty_and_numbering_from_one(schemas):
    first = use(schemas)
    again = schemas.take()
    assert again == first
    engine = _postgres_engine(again)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in ("practice", "team_member", "client", "audit_event", "client_change")
        }
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert counts == dict.fromkeys(counts, 0)
    assert revision is not None
    assert add_practice(engine, "Vale") == 1
    engine.dispose()
    schemas.give_back(again)


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE practice RENAME TO old_practice",
        "ALTER TABLE client ADD COLUMN extra integer",
        "ALTER TABLE client DISABLE TRIGGER USER",
        "UPDATE alembic_version SET version_num = 'older'",
    ],
)
def test_a_schema_whose_shape_a_test_changed_is_replaced(schemas, change):
    changed = use(schemas, change)
    fresh = schemas.take()
    assert fresh != changed
    engine = _postgres_engine(fresh)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM practice")).scalar_one() == 0
    engine.dispose()
    schemas.give_back(fresh)
