"""Loading many rows without garbage-collector pauses.

Reading a million rows creates millions of objects, and each full collection
walks all of them while holding the interpreter lock: 100-200 ms stalls of the
UI thread, over and over. None of these objects form cycles, so collection is
paused while they are made. After the first load they are moved out of the
collector's sight for good (gc.freeze), once per process: later loads (a
Reload) replace them, and reference counting frees the old ones either way.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = 0  # blocks inside collector_paused() right now, across threads
_state = {"enable_after": True}  # whether the collector was on when the first pause began
_frozen = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block (nesting and threads allowed)."""
    global _pauses
    with _pause_lock:
        if _pauses == 0:
            was_enabled = gc.isenabled()
            gc.disable()
            _state["enable_after"] = was_enabled
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _state["enable_after"]:
                gc.enable()


def freeze_loaded_objects() -> None:
    """Move every object alive now out of the collector's sight, the first time only."""
    global _frozen
    with _pause_lock:
        if not _frozen:
            gc.freeze()
            _frozen = True
