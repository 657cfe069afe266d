"""Waking the live list the moment a client change commits.

PostgreSQL: the triggers of migration 0005 (and the services, for the changes they
number themselves) send `NOTIFY dext_client_change, '<practice id>'` when a
transaction changes a practice's clients (delivered at its commit). A thread with
its own connection LISTENs and calls `wake` for the viewer's practice, so the list
checks the change feed at once instead of at its next poll.

SQLite has no NOTIFY, but every commit in WAL mode writes to the `-wal` file (and
a checkpoint to the database file): a thread looks at both files' size and time
WATCH_SECONDS apart (two stat calls, no query) and wakes the list when they
differ, whichever process wrote.

Nothing depends on either: where they cannot work (a PgBouncer in transaction
pooling; the connection lost; a database in memory) the list's poll still brings
every change, so any failure here stops the thread quietly.
"""

from __future__ import annotations

import os
import selectors
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

CHANNEL = "dext_client_change"
# How long stop() waits for the thread to close its connection.
STOP_WAIT_SECONDS = 2.0
# How often a SQLite file's watcher looks at it (two stat calls): a commit is on screen
# within about this long, for ~0.05% of a core.
WATCH_SECONDS = 0.25


class ChangeListener:
    def __init__(self, engine: Engine, practice_id: int, wake: Callable[[], None]) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._practice = str(practice_id)
        self._wake = wake
        self._stopping = threading.Event()
        # The thread sleeps until the server sends something or stop() writes here:
        # no waking up to look (a timeout of 0.25 s cost ~0.3% of a core while idle).
        self._stop_read, self._stop_write = os.pipe()
        self._pipe_closed = False
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set once LISTEN has been accepted

    @classmethod
    def start_for(
        cls, engine: Engine, practice_id: int, wake: Callable[[], None]
    ) -> ChangeListener | FileWatcher | None:
        """A started listener: LISTEN on PostgreSQL, a file watcher on a SQLite file;
        None for a database in memory (nothing else can write to it)."""
        if engine.dialect.name == "sqlite":
            return FileWatcher.start_for(engine, wake)
        if engine.dialect.name != "postgresql":
            return None
        listener = cls(engine, practice_id, wake)
        listener._thread = threading.Thread(
            target=listener._run, name="dext-change-listener", daemon=True
        )
        listener._thread.start()
        return listener

    def stop(self) -> None:
        """Stop the thread and close its connection (only here is the pipe closed,
        so a write never lands on a descriptor number reused meanwhile)."""
        if self._pipe_closed:
            return
        self._stopping.set()
        os.write(self._stop_write, b"x")
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=STOP_WAIT_SECONDS)
        if self._thread is None or not self._thread.is_alive():
            os.close(self._stop_read)
            os.close(self._stop_write)
            self._pipe_closed = True

    def _run(self) -> None:
        try:
            self._listen()
        except Exception:  # noqa: BLE001 - the poll carries every change without us
            return

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            with selectors.DefaultSelector() as waiting:
                waiting.register(connection.fileno(), selectors.EVENT_READ, "server")
                waiting.register(self._stop_read, selectors.EVENT_READ, "stop")
                while not self._stopping.is_set():
                    ready = {key.data for key, _events in waiting.select()}
                    if "stop" in ready:
                        return
                    # What has arrived, without waiting (a lost connection raises here).
                    for notice in connection.notifies(timeout=0):
                        if notice.payload == self._practice:
                            self._wake()


class FileWatcher:
    """Wakes the list when a SQLite database's files change (a commit by anyone)."""

    def __init__(self, path: Path, wake: Callable[[], None]) -> None:
        self._paths = (path, path.with_name(path.name + "-wal"))
        self._wake = wake
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set once the files' first look is taken

    @classmethod
    def start_for(cls, engine: Engine, wake: Callable[[], None]) -> FileWatcher | None:
        from dext_tui.data.database import sqlite_file

        path = sqlite_file(engine.url)
        if path is None:
            return None
        watcher = cls(path, wake)
        watcher._thread = threading.Thread(
            target=watcher._run, name="dext-file-watcher", daemon=True
        )
        watcher._thread.start()
        return watcher

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=STOP_WAIT_SECONDS)

    def _look(self) -> tuple:
        looks = []
        for path in self._paths:
            try:
                status = os.stat(path)
            except OSError:
                looks.append(None)  # no write-ahead log right now
            else:
                looks.append((status.st_ino, status.st_size, status.st_mtime_ns))
        return tuple(looks)

    def _run(self) -> None:
        seen = self._look()
        self.listening.set()
        while not self._stopping.wait(WATCH_SECONDS):
            now = self._look()
            if now != seen:
                seen = now
                self._wake()
