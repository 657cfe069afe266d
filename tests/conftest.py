"""Each test gets its own temporary database: a SQLite file, and the same test
again in a PostgreSQL schema of its own when DEXT_TEST_POSTGRES_URL is set. Both start
migrated and empty, from a template each test process migrates once
(tests/database_templates.py); PostgreSQL schemas are emptied for reuse, or made, on a
thread while the tests run (_PostgresSchemas)."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel
from textual.css.stylesheet import Stylesheet

import dext_tui.data.models  # noqa: F401  (the tables, for SQLModel.metadata)
from dext_tui.data.database import make_engine, upgrade_to_head
from tests.database_templates import (
    copy_migrated_sqlite,
    copy_seeded_sqlite,
    migrate_postgres_schema,
)

# A UI test makes and drops a few hundred thousand small objects (widgets, styles,
# messages): at Python's default thresholds the cycle collector runs every 700 and
# took about a sixth of the suite's CPU. Fewer, larger collections free the same.
gc.set_threshold(50_000, 20, 100)


def _share_parsed_css() -> None:
    """Textual parses every app's CSS afresh (its parse cache lives and dies with one
    app's stylesheet), and a test process makes over a thousand apps from the same
    CSS: about a sixth of each app's start. Parsing is a pure function of the CSS,
    where it came from and the theme's variables, so its rules are shared by key."""
    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = shared_parse_rules


_share_parsed_css()

POSTGRES_URL = os.environ.get("DEXT_TEST_POSTGRES_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="DEXT_TEST_POSTGRES_URL is not set"),
    ),
]


def sqlite_engine(path: Path) -> Engine:
    """A migrated SQLite database at `path` (an existing file is migrated in place)."""
    if not path.exists():
        copy_migrated_sqlite(path)
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    return engine


def seeded_sqlite_engine(path: Path, *, clients: int, precision_pending: int, seed: int) -> Engine:
    """A new SQLite database at `path` holding `seed_practice`'s demo practice for these
    arguments (seeded once per test process, then copied)."""
    copy_seeded_sqlite(path, clients=clients, precision_pending=precision_pending, seed=seed)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database (for tests whose output must not vary by backend)."""
    engine = sqlite_engine(tmp_path / "test.sqlite")
    yield engine
    engine.dispose()


def _postgres_engine(schema: str) -> Engine:
    """An engine on `schema`. A test's commits need not wait for the disk
    (synchronous_commit off: nothing here survives a server crash anyway)."""
    assert POSTGRES_URL
    separator = "&" if "?" in POSTGRES_URL else "?"
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    return make_engine(f"{POSTGRES_URL}{separator}options={quote(options)}")


class _PostgresSchemas:
    """Migrated PostgreSQL schemas, made and cleaned on one thread of this test process.

    Making a schema and dropping it costs the server about 100 ms of CPU (catalogue
    and files for every table and index), which over the suite's PostgreSQL tests was
    a seventh of the machine's time. So a used schema is emptied for the next test
    instead: every row deleted and every sequence restarted, about 1 ms. That is done
    only when its shape is still a fresh one's (a test that renamed a table or added a
    trigger leaves a different catalogue): such a schema is dropped and a new one
    made. A failure to make one fails the test that takes it; a failure to drop one
    fails the session."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.admin = make_engine(server_url)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-schemas")
        self.upcoming: Future[str] | None = None
        self.drops: list[Future[None]] = []
        self.fresh_shape: str | None = None
        self.sequences: list[str] = []  # a fresh schema's, restarted when one is emptied

    def take(self) -> str:
        schema = self.upcoming or self.thread.submit(self._make)
        self.upcoming = None
        return schema.result()

    def give_back(self, schema: str) -> None:
        self.upcoming = self.thread.submit(self._ready_again, schema)

    def close(self) -> None:
        if self.upcoming is not None:
            schema = self.upcoming.result()
            self.drops.append(self.thread.submit(self._drop, schema))
        self.thread.shutdown(wait=True)
        self.admin.dispose()
        for dropped in self.drops:
            dropped.result()

    def _make(self) -> str:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = _postgres_engine(schema)
        try:
            migrate_postgres_schema(engine, self.server_url)
        finally:
            engine.dispose()
        if self.fresh_shape is None:
            self.fresh_shape = self._shape(schema)
            with self.admin.connect() as connection:
                self.sequences = list(
                    connection.execute(
                        text("SELECT sequencename FROM pg_sequences WHERE schemaname = :schema"),
                        {"schema": schema},
                    ).scalars()
                )
        return schema

    def _ready_again(self, schema: str) -> str:
        """`schema` emptied for another test, or a new schema if it cannot be."""
        try:
            if self._shape(schema) == self.fresh_shape:
                self._empty(schema)
                return schema
        except Exception:  # locked by a connection a test left open, say: not reused
            pass
        self.drops.append(self.thread.submit(self._drop, schema))
        return self._make()

    def _shape(self, schema: str) -> str:
        with self.admin.begin() as connection:
            # The catalogues' statistics overstate them (the suite churns them), so the
            # planner would scan pg_trigger whole rather than look up 14 tables' rows.
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            return connection.execute(
                text(_SHAPE),
                {"schema": schema, "tables": [*_TABLES_CHILDREN_FIRST, "alembic_version"]},
            ).scalar_one()

    def _empty(self, schema: str) -> None:
        deletes = ";".join(f'DELETE FROM "{table}"' for table in _TABLES_CHILDREN_FIRST)
        with self.admin.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '5s'"))
            # The change-feed triggers fire on these deletes and name tables unqualified.
            connection.execute(text(f'SET LOCAL search_path = "{schema}"'))
            connection.exec_driver_sql(deletes)
            connection.execute(
                text(
                    "SELECT setval(format('%I.%I', CAST(:schema AS text), name), 1, false) "
                    "FROM unnest(CAST(:sequences AS text[])) AS name"
                ),
                {"schema": schema, "sequences": self.sequences},
            )

    def _drop(self, schema: str) -> None:
        with self.admin.begin() as connection:
            connection.execute(text("SET LOCAL synchronous_commit = off"))  # a test's leftovers
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


# Every table but alembic_version (its revision row stays), children before parents;
# client_change last, as deleting clients adds to it.
_TABLES_CHILDREN_FIRST = [
    *(
        table.name
        for table in reversed(SQLModel.metadata.sorted_tables)
        if table.name != "client_change"
    ),
    "client_change",
]

# A schema's shape as plain text, without its name: its tables' kinds, columns,
# triggers and constraints, the functions it defines, and the revision it is
# migrated to. Each is looked up by name or oid through the catalogues' indexes: a
# scan of pg_class, which the suite's schemas churn, costs tens of milliseconds.
_SHAPE = """
WITH t AS (
  SELECT name, to_regclass(format('%I.%I', CAST(:schema AS text), name)) AS oid
    FROM unnest(CAST(:tables AS text[])) AS name
)
SELECT md5(concat_ws('|',
  (SELECT string_agg(t.name || ':' || coalesce(c.relkind::text, '-') || ':'
                     || coalesce(c.relrowsecurity::text, '-'), ',' ORDER BY t.name)
     FROM t LEFT JOIN pg_class c ON c.oid = t.oid),
  (SELECT string_agg(t.name || '.' || a.attname || ':' || a.atttypid::text || ':'
                     || a.attnotnull::text || ':' || a.atthasdef::text, ','
                     ORDER BY t.name, a.attnum)
     FROM t JOIN pg_attribute a ON a.attrelid = t.oid
    WHERE a.attnum > 0 AND NOT a.attisdropped),
  (SELECT string_agg(t.name || ':' || tg.tgname || ':' || tg.tgenabled::text || ':'
                     || md5(p.prosrc), ',' ORDER BY t.name, tg.tgname)
     FROM t JOIN pg_trigger tg ON tg.tgrelid = t.oid JOIN pg_proc p ON p.oid = tg.tgfoid),
  (SELECT string_agg(t.name || ':' || co.conname || ':' || co.contype::text, ','
                     ORDER BY t.name, co.conname)
     FROM t JOIN pg_constraint co ON co.conrelid = t.oid),
  (SELECT string_agg(f || ':' || coalesce(md5(p.prosrc), '-'), ',' ORDER BY f)
     FROM unnest(ARRAY['dext_change_seq(integer)', 'dext_record_client_changes()']) AS f
     LEFT JOIN pg_proc p ON p.oid = to_regprocedure(format('%I.', CAST(:schema AS text)) || f)),
  (xpath('/row/v/text()', query_to_xml(
     format('SELECT string_agg(version_num, '','') AS v FROM %I.alembic_version',
            CAST(:schema AS text)),
     false, true, '')))[1]::text
))
"""


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[_PostgresSchemas]:
    assert POSTGRES_URL
    schemas = _PostgresSchemas(POSTGRES_URL)
    yield schemas
    schemas.close()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database on every backend under test."""
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path / "test.sqlite")
        yield engine
        engine.dispose()
        return
    schemas: _PostgresSchemas = request.getfixturevalue("postgres_schemas")
    schema = schemas.take()
    engine = _postgres_engine(schema)
    try:
        upgrade_to_head(engine)  # a no-op at the newest revision, as at every app start
        yield engine
    finally:
        engine.dispose()
        schemas.give_back(schema)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now (modules, the test items) lives until the end: moved out
    of the cycle collector's sight so no collection walks it again."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (order otherwise kept): under xdist each then starts while
    the rest are still queued, instead of one of them alone at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
