"""Only regular files are read or written: a FIFO, socket, device or folder is refused
before it is opened, so nothing hangs on a pipe no one writes to and no export is
renamed over /dev/full."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotARegularFile(OSError):
    """The path names something other than a regular file; `strerror` says what."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file", str(path))


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def check_regular(path: str | os.PathLike[str]) -> None:
    """NotARegularFile unless `path` is a regular file (FileNotFoundError if missing)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path, _kind(mode))


def open_regular_for_reading(path: str | os.PathLike[str]) -> BinaryIO:
    """`path` opened for reading, refused unless it is a regular file. Opened without
    blocking and checked again on the open descriptor: a FIFO put in its place
    between the look and the open is refused too, never waited on."""
    check_regular(path)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(path, _kind(mode))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def check_write_target(path: str | os.PathLike[str]) -> None:
    """NotARegularFile unless `path` is a regular file or missing in an existing folder
    (FileNotFoundError if its folder is missing)."""
    path = Path(path)
    try:
        check_regular(path)
    except FileNotFoundError:
        folder = path.parent if str(path.parent) else Path(".")
        mode = os.stat(folder).st_mode
        if not stat.S_ISDIR(mode):
            raise NotARegularFile(folder, _kind(mode)) from None
