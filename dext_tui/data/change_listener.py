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

import os
import selectors
import threading
from collections.abc import Callable

from sqlalchemy import Engine

CHANNEL = "dext_client_change"
# How long stop() waits for the thread to close its connection.
STOP_WAIT_SECONDS = 2.0


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
