"""Where the database is: --db path or URL, DEXT_DATABASE_URL, else the user data dir."""

from pathlib import Path

from dext_tui.data.database import database_url, default_database_url, make_engine


def test_a_path_becomes_an_absolute_sqlite_url(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert database_url("clients.sqlite") == f"sqlite:///{tmp_path / 'clients.sqlite'}"


def test_a_url_is_taken_as_it_is():
    url = "postgresql://someone@db.example/practice"
    assert database_url(url) == url


def test_environment_variable_wins_over_the_default(monkeypatch):
    monkeypatch.setenv("DEXT_DATABASE_URL", "sqlite:////srv/dext/shared.sqlite")
    assert database_url(None) == "sqlite:////srv/dext/shared.sqlite"


def test_default_is_a_file_in_the_user_data_directory(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DEXT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = default_database_url()
    assert url == f"sqlite:///{tmp_path / 'dext-tui' / 'dext.sqlite'}"
    assert (tmp_path / "dext-tui").is_dir()


def test_plain_postgresql_urls_use_psycopg_3():
    engine = make_engine("postgresql://someone@localhost/practice")
    assert engine.dialect.driver == "psycopg"
