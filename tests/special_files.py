"""Special files for tests: a FIFO, a socket, a character device (as root), a folder."""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")
KINDS = ("fifo", "socket", "device", "folder")


@contextmanager
def special_file(kind: str, path: Path) -> Iterator[Path]:
    """`path` made into a special file of `kind` for the block."""
    if kind == "fifo":
        os.mkfifo(path)
        yield path
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as listening:
            listening.bind(str(path))
            yield path
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # as /dev/full
        yield path
    else:
        path.mkdir()
        yield path


def unchanged_kind(path: Path, kind: str) -> bool:
    mode = os.lstat(path).st_mode
    test = {"fifo": stat.S_ISFIFO, "socket": stat.S_ISSOCK, "device": stat.S_ISCHR}
    return test.get(kind, stat.S_ISDIR)(mode)


def without_hanging(call: Callable[[], T]) -> T:
    """`call()`'s outcome, failing the test instead of hanging if it blocks (on a FIFO no
    one writes to): a guard against a hang, not a measure of speed."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(("value", call()))
        except BaseException as error:  # handed to the test below
            outcome.append(("error", error))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    if not outcome:
        pytest.fail("blocked: it opened a special file and waited on it")
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value
