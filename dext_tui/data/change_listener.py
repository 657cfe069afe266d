"""Waking the live list the moment a client change commits, on PostgreSQL.

The triggers of migration 0005 send `NOTIFY dext_client_change, '<practice id>'`
when a transaction changes a practice's clients (delivered at its commit). A
thread with its own connection LISTENs and calls `wake` for the viewer's
practice, so the list checks the change feed at once instead of at its next
poll. Nothing depends on it: where LISTEN cannot work (SQLite; a PgBouncer in
transaction pooling; the connection lost) the list's poll still brings every
change, so any failure here stops the thread quietly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine

CHANNEL = "dext_client_change"
# How often the thread looks up from waiting to see whether it should stop.
STOP_CHECK_SECONDS = 0.25


class ChangeListener:
    def __init__(self, engine: Engine, practice_id: int, wake: Callable[[], None]) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._practice = str(practice_id)
        self._wake = wake
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set once LISTEN has been accepted

    @classmethod
    def start_for(
        cls, engine: Engine, practice_id: int, wake: Callable[[], None]
    ) -> ChangeListener | None:
        """A started listener, or None where the database has no LISTEN (SQLite)."""
        if engine.dialect.name != "postgresql":
            return None
        listener = cls(engine, practice_id, wake)
        listener._thread = threading.Thread(
            target=listener._run, name="dext-change-listener", daemon=True
        )
        listener._thread.start()
        return listener

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * STOP_CHECK_SECONDS)

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
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=STOP_CHECK_SECONDS):
                    if notice.payload == self._practice:
                        self._wake()
                    if self._stopping.is_set():
                        break
