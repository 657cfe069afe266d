"""Bulk loading without garbage-collector pauses.

Reading a million rows creates millions of objects, and each full collection
walks all of them while holding the interpreter lock: 100-200 ms stalls of the
UI thread, over and over. None of these objects form cycles, so collection is
paused while they are made, and afterwards they are moved out of the
collector's sight for good (gc.freeze) so later collections stay short.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
