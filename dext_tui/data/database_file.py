"""Whether a SQLite engine still writes to the file at its path.

A SQLite connection holds its file open: deleted, replaced or moved under a
running app, the file goes on taking writes that no one will ever read at
that path. So the file's identity (device and inode) is taken when the engine
first connects, and a write checks it before it commits.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from sqlalchemy import Engine, event

_opened: weakref.WeakKeyDictionary[Engine, tuple[Path, tuple[int, int]]] = (
    weakref.WeakKeyDictionary()
)


class DatabaseFileChanged(Exception):
    """The file at the engine's path is not the one it opened (deleted, replaced, moved)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"The database file {path} was deleted, replaced or moved")
        self.path = path


def changed_file(engine: Engine) -> Path | None:
    """The engine's path if the file there is no longer the one it opened, else None."""
    opened = _opened.get(engine)
    if opened is None:
        return None  # PostgreSQL, in memory, or not connected yet
    path, identity = opened
    return path if _identity(path) != identity else None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def watch_file(engine: Engine, path: Path) -> None:
    """Remember which file `path` is when `engine` first connects to it."""

    def _remember(_dbapi_connection: object, _record: object) -> None:
        if engine not in _opened and (identity := _identity(path)) is not None:
            _opened[engine] = (path, identity)

    event.listen(engine, "connect", _remember)


def check_same_file(engine: Engine) -> None:
    """DatabaseFileChanged if the engine's file is no longer the one at its path."""
    if (path := changed_file(engine)) is not None:
        raise DatabaseFileChanged(path)
