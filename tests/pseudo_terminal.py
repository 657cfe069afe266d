"""A program run on a pseudo-terminal (80x24) the way a user's terminal runs it: its
output read as it comes, one act of the test's once the screen shows what it waits for,
then run until the program exits (or is killed at the deadline)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TerminalRun:
    returncode: int | None  # None: still running at the deadline, and killed
    output: bytes
    shown_at: int | None  # where in `output` the awaited screen had arrived; None: never


def run_on_terminal(
    argv: list[str],
    *,
    env: dict[str, str],
    shown: Callable[[bytes], bool],
    then: Callable[[int, subprocess.Popen[bytes]], None],
    deadline_s: float,
    cwd: Path | None = None,
) -> TerminalRun:
    """Run `argv`; once `shown(output)` holds, `then(terminal_fd, process)` (a key
    written to the terminal, a signal sent to the process) once."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=terminal, stdout=terminal, stderr=terminal,
        start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    shown_at: int | None = None
    deadline = time.monotonic() + deadline_s
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([controller], [], [], 0.1)
            if readable:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the terminal closed: every process on it has ended
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
            if shown_at is None and shown(output):
                shown_at = len(output)
                then(controller, process)
        else:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return TerminalRun(None, output, shown_at)
        return TerminalRun(process.wait(timeout=deadline_s), output, shown_at)
    finally:
        os.close(controller)
