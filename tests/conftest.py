"""Each test gets its own temporary database: a SQLite file, and the same test
again in a fresh PostgreSQL schema when DEXT_TEST_POSTGRES_URL is set. Both start
migrated, from a template each test process migrates once (tests/database_templates.py);
PostgreSQL schemas are made one test ahead on a thread (_PostgresSchemas)."""

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
    assert POSTGRES_URL
    separator = "&" if "?" in POSTGRES_URL else "?"
    return make_engine(f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}")


class _PostgresSchemas:
    """Migrated PostgreSQL schemas, each made while the test before it runs: one thread
    of this test process creates and migrates the next test's schema, and drops each
    used one, so a test waits for neither (the server does that work while the test
    waits on its app). A failure to make one fails the test that takes it; a failure
    to drop one fails the session."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.admin = make_engine(server_url)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-schemas")
        self.upcoming: Future[str] | None = None
        self.drops: list[Future[None]] = []

    def take(self) -> str:
        schema = self.upcoming or self.thread.submit(self._make)
        self.upcoming = self.thread.submit(self._make)  # the next test's
        return schema.result()

    def give_back(self, schema: str) -> None:
        self.drops.append(self.thread.submit(self._drop, schema))

    def close(self) -> None:
        if self.upcoming is not None:
            self.give_back(self.upcoming.result())
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
        return schema

    def _drop(self, schema: str) -> None:
        with self.admin.begin() as connection:
            connection.execute(text("SET LOCAL synchronous_commit = off"))  # a test's leftovers
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


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
