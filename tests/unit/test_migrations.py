"""The models and the migrations describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

from dext_tui.data import models  # noqa: F401
from dext_tui.data.database import alembic_config


def test_migrations_reach_head_and_match_models(db):
    with db.connect() as connection:
        context = MigrationContext.configure(connection)
        head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
        assert context.get_current_revision() == head
        assert compare_metadata(context, SQLModel.metadata) == []


def test_every_model_table_exists(db):
    tables = set(inspect(db).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db):
    with sqlite_db.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema_revision_constant_is_the_migrations_head(sqlite_db):
    from dext_tui.data.database import SCHEMA_REVISION

    head = ScriptDirectory.from_config(alembic_config(sqlite_db)).get_current_head()
    assert SCHEMA_REVISION == head


def test_upgrade_creates_the_schema_on_an_empty_database(tmp_path):
    from dext_tui.data.database import SCHEMA_REVISION, current_revision, open_database

    engine = open_database(str(tmp_path / "fresh.sqlite"), create=True)
    assert current_revision(engine) == SCHEMA_REVISION
    assert "client" in inspect(engine).get_table_names()


def test_an_older_database_is_upgraded_at_start(tmp_path):
    """A database left at the first migration gains what later ones add."""
    from alembic import command

    from dext_tui.data.database import SCHEMA_REVISION, current_revision, make_engine, open_database

    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    upgraded = open_database(str(path))
    assert current_revision(upgraded) == SCHEMA_REVISION
    indexes = {index["name"] for index in inspect(upgraded).get_indexes("client")}
    assert "ix_client_practice_state" in indexes


def test_the_client_change_triggers_go_with_a_downgrade_and_come_back(db):
    from alembic import command
    from sqlalchemy import text

    from dext_tui.data.database import upgrade_to_head
    from tests.factories import add_practice

    practice_id = add_practice(db)
    rename = "UPDATE practice SET name = :name WHERE id = :id"
    insert = (
        "INSERT INTO client (practice_id, name, sort_name, state, version, created_at, "
        "updated_at) VALUES (:id, :name, :name, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    command.downgrade(alembic_config(db), "0004")
    assert "client_change" not in inspect(db).get_table_names()
    with db.begin() as connection:  # no trigger is left behind to write to a missing table
        connection.execute(text(insert), {"id": practice_id, "name": "Before Ltd"})
        connection.execute(text(rename), {"id": practice_id, "name": "Renamed"})
    upgrade_to_head(db)
    with db.begin() as connection:
        connection.execute(text(insert), {"id": practice_id, "name": "After Ltd"})
        recorded = connection.execute(text("SELECT count(*) FROM client_change")).scalar_one()
    assert recorded == 1
