"""Where the database is (--db path or URL, DEXT_DATABASE_URL, else the user data dir),
passwords never shown, and only creating makes a database, whole or not at all."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from dext_tui.data.database import (
    SCHEMA_REVISION,
    DatabaseUnavailable,
    creating_database,
    current_revision,
    database_url,
    default_database_path,
    default_database_url,
    make_engine,
    open_database,
    shown_url,
    upgrade_to_head,
)
from dext_tui.data.seed import seed_practice


def test_a_path_becomes_an_absolute_sqlite_url(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert database_url("clients.sqlite") == f"sqlite:///{tmp_path / 'clients.sqlite'}"


def test_a_url_is_taken_as_it_is():
    url = "postgresql://someone@db.example/practice"
    assert database_url(url) == url


def test_environment_variable_wins_over_the_default(monkeypatch):
    monkeypatch.setenv("DEXT_DATABASE_URL", "sqlite:////srv/dext/shared.sqlite")
    assert database_url(None) == "sqlite:////srv/dext/shared.sqlite"


def test_environment_variable_may_be_a_path_too(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEXT_DATABASE_URL", "shared.sqlite")
    assert database_url(None) == f"sqlite:///{tmp_path / 'shared.sqlite'}"


def test_default_is_a_file_in_the_user_data_directory(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_database_url()
    assert url == f"sqlite:///{tmp_path / 'dext-tui' / 'dext.sqlite'}"


def test_plain_postgresql_urls_use_psycopg_3():
    engine = make_engine("postgresql://someone@localhost/practice")
    assert engine.dialect.driver == "psycopg"


def test_the_default_location_is_not_created_by_naming_it(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_database_path() == tmp_path / "dext-tui" / "dext.sqlite"
    database_url(None)
    assert list(tmp_path.iterdir()) == []


# --- passwords never shown -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://someone:hunter2@db.example/practice",
            "postgresql://someone:***@db.example/practice",
        ),
        ("postgres ql://someone:hunter2@db.example/x", "postgres ql://someone:***@db.example/x"),
        (
            "postgresql://someone:hunter2@db.example:abc/x",
            "postgresql://someone:***@db.example:abc/x",
        ),
        ("postgresql://someone:hun@ter2@db.example/x", "postgresql://someone:***@db.example/x"),
        ("postgresql://:hunter2@db.example/x", "postgresql://:***@db.example/x"),
        ("postgresql://someone@db.example/x", "postgresql://someone@db.example/x"),
        ("sqlite:////srv/dext/a:b.sqlite", "sqlite:////srv/dext/a:b.sqlite"),
        (
            "postgresql://someone@db.example/x?password=hunter2",
            "postgresql://someone@db.example/x?password=***",
        ),
        (
            "postgresql:///x?sslmode=require&PassWord=hunter2&a=b",
            "postgresql:///x?sslmode=require&PassWord=***&a=b",
        ),
    ],
)
def test_shown_urls_hide_the_password_parsable_or_not(url: str, shown: str):
    assert shown_url(url) == shown


# --- only creating makes a database ----------------------------------------------------


def test_opening_a_missing_file_creates_nothing(tmp_path: Path):
    with pytest.raises(DatabaseUnavailable, match="No database at"):
        open_database(str(tmp_path / "x.sqlite"))
    assert list(tmp_path.iterdir()) == []
    engine = open_database(str(tmp_path / "x.sqlite"), create=True)
    assert current_revision(engine) == SCHEMA_REVISION
    engine.dispose()


def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(tmp_path: Path):
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()
    before = other.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="holds no dext-tui database"):
        open_database(str(other))
    assert other.read_bytes() == before  # not even switched to WAL
    assert [path.name for path in tmp_path.iterdir()] == ["other.sqlite"]


# --- creating_database: the whole file or none -------------------------------------------


def _clients(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM client")).scalar_one()


def test_a_created_file_appears_only_when_complete(tmp_path: Path):
    target = tmp_path / "new.sqlite"
    with creating_database(str(target)) as engine:
        assert not target.exists()
        seed_practice(engine, clients=3)
    assert [path.name for path in tmp_path.iterdir()] == ["new.sqlite"]
    opened = open_database(str(target))
    assert _clients(opened) == 3
    opened.dispose()


@pytest.mark.parametrize("stop", [RuntimeError("failed"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_creation_leaves_no_file(stop: BaseException, tmp_path: Path):
    with pytest.raises(type(stop)), creating_database(str(tmp_path / "new.sqlite")) as engine:
        seed_practice(engine, clients=3)
        raise stop
    assert list(tmp_path.iterdir()) == []


def test_a_name_taken_while_creating_is_left_to_its_owner(tmp_path: Path):
    target = tmp_path / "new.sqlite"
    with (
        pytest.raises(DatabaseUnavailable, match="appeared while seeding"),
        creating_database(str(target)) as engine,
    ):
        seed_practice(engine, clients=3)
        target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert [path.name for path in tmp_path.iterdir()] == ["new.sqlite"]


def test_creating_into_an_existing_database_uses_it_in_place(tmp_path: Path):
    target = tmp_path / "empty.sqlite"
    upgrade_to_head(make_engine(f"sqlite:///{target}"))
    with creating_database(str(target)) as engine:
        seed_practice(engine, clients=2)
        assert _clients(engine) == 2
    opened = open_database(str(target))
    assert _clients(opened) == 2
    opened.dispose()
