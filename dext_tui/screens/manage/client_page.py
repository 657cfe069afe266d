"""What the Manage pages that list a client's people share: read the page in a worker,
show it, save one change in a worker and say what came of it (then read it again).

A plain mixin for a ModalScreen (no screen of its own for the command checks):
the page says how it reads (`read_page`) and shows (`show_page`) its rows and
where it says things (`STATUS_ID`); everything else is written once here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Engine
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from dext_tui.data.client_record import ClientRecord
from dext_tui.data.errors import ServiceError
from dext_tui.data.viewer import Viewer
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.safe_text import printable

DID_NOT_WORK = OnFailure("That did not work: {reason}. Try again.")


class ClientPage(ReportsWorkerFailures):
    STATUS_ID: ClassVar[str]  # the Static the page says things in
    engine: Engine
    viewer: Viewer
    record: ClientRecord
    # Provided by the Screen the page is mixed into.
    post_message: Callable[[Message], bool]
    query_one: Callable[..., Any]

    @dataclass
    class Loaded(Message):
        page: Any

    @dataclass
    class Said(Message):
        text: str
        reload: bool = True

    def read_page(self) -> Any:
        """The page's rows, read from the database (in a worker thread)."""
        raise NotImplementedError

    def show_page(self, page: Any) -> None:
        """Show what `read_page` read."""
        raise NotImplementedError

    # Loading and saving share one group: a save then its reload, never both at once.
    @background(DID_NOT_WORK, group="client-page", exclusive=True)
    def load(self) -> None:
        try:
            page = self.read_page()
        except ServiceError as error:
            self.post_message(self.Said(error.message, reload=False))
            return
        self.post_message(self.Loaded(page))

    @background(DID_NOT_WORK, group="client-page", exclusive=True)
    def save(self, service_call: Callable[..., Any], version: int, values: dict[str, Any]) -> None:
        """`service_call` on this client at `version` with `values`; says what came of it."""
        try:
            service_call(self.engine, self.viewer, self.record.id, version=version, **values)
        except ServiceError as error:
            self.post_message(self.Said(error.message))
            return
        self.post_message(self.Said("Saved."))

    # Keys typed with the one that opened the page (one burst: `m 4 a Ann`) wait for its
    # rows: until then the page has nothing for them to act on (Add needs the list).
    _holding_keys = False

    def on_mount(self) -> None:
        hold_keys(self.app)  # type: ignore[attr-defined]
        self._holding_keys = True

    def on_unmount(self) -> None:
        self._stop_holding_keys()

    def _stop_holding_keys(self) -> None:
        if self._holding_keys:
            self._holding_keys = False
            release_keys(self.app)  # type: ignore[attr-defined]

    def show_failure(self, text: str) -> None:
        self._stop_holding_keys()
        self.say(text)

    def say(self, text: str) -> None:
        self.query_one(f"#{self.STATUS_ID}", Static).update(Content(printable(text)))

    def on_client_page_loaded(self, message: Loaded) -> None:
        self.show_page(message.page)
        self._stop_holding_keys()

    def on_client_page_said(self, message: Said) -> None:
        self._stop_holding_keys()
        self.say(message.text)
        if message.reload:
            self.load()
