"""Typed-ahead keys land where they belong: the app hands on the next key only once the
screen has finished with the last one.

A terminal delivers a burst (a fast typist, one SSH packet) all at once, and Textual
hands each key to whatever has the focus as it arrives: keys typed behind one that
opens a screen reach the screen being left (the Manage menu's `enter enter Z q`
lost its `Z` and quit the app with the `q`). The gate holds a key while the current
screen's widgets still have messages to handle, or while a screen is being opened
after a background read (`hold` … `release`), and replays the held keys in order once
all is still; the new screen has then focused its field. Keys typed at a human pace
meet a still screen and pass at once, as before.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass

from textual import events
from textual.app import App
from textual.message import Message

# A screen that never comes to rest (or a hold never released) must not swallow
# typing: after this long the held keys go on as Textual would have sent them.
GIVE_UP_SECONDS = 3.0


@dataclass
class ReplayKey(Message):
    """The app's turn to hand on the oldest held key."""


class KeyGate:
    def __init__(self, app: App) -> None:
        self.app = app
        self.held: deque[events.Key] = deque()
        self.holds = 0  # screens being opened after a background read
        self.held_since = 0.0
        self.waiting: asyncio.Task[None] | None = None

    def hold(self) -> None:
        """A screen is about to open once a background read is done: keep the keys."""
        self.holds += 1
        self.held_since = time.monotonic()

    def release(self) -> None:
        """The screen is pushed (or will not be): the held keys follow once it is still."""
        self.holds = max(0, self.holds - 1)

    def admit(self, event: events.Key) -> bool:
        """Whether `event` goes on now; otherwise it is kept, in order, for later."""
        if not self.held and self._still():
            return True
        if not self.held:
            self.held_since = time.monotonic()
        self.held.append(event)
        self._wait()
        return False

    def next_held(self) -> events.Key | None:
        """The oldest held key, if the screen is still (or has taken too long)."""
        if not self.held:
            return None
        if not self._still() and not self._gave_up():
            self._wait()
            return None
        event = self.held.popleft()
        self.held_since = time.monotonic()
        if self.held:
            self._wait()
        return event

    def _gave_up(self) -> bool:
        return time.monotonic() - self.held_since > GIVE_UP_SECONDS

    def _still(self) -> bool:
        if self.holds:
            if not self._gave_up():
                return False
            self.holds = 0
        try:
            nodes = list(self.app.screen.walk_children(with_self=True))
        except Exception:  # no screen yet: nothing to wait for
            return True
        # Textual has no public "idle" for a widget: its queue (and the message it peeked
        # at) is what the Pilot's own waiting reads too. A handler runs without yielding,
        # so an empty queue means the widget has done with the last key.
        return all(node._message_queue.empty() and node._pending_message is None for node in nodes)

    def _wait(self) -> None:
        if self.waiting is None or self.waiting.done():
            self.waiting = asyncio.create_task(self._when_still())

    async def _when_still(self) -> None:
        while self.held and not self._still() and not self._gave_up():
            await asyncio.sleep(0.005)
        if self.held:
            self.app.post_message(ReplayKey())


def hold_keys(app: App) -> None:
    """Call as a background read starts whose screen (or field) should get what is
    typed meanwhile; `release_keys` once it is shown, or will not be."""
    gate = getattr(app, "key_gate", None)
    if gate is not None:
        gate.hold()


def release_keys(app: App) -> None:
    gate = getattr(app, "key_gate", None)
    if gate is not None:
        gate.release()
