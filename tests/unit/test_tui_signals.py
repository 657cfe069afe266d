"""The TUI stopped by a plain `kill` (SIGTERM) or by its terminal going away (SIGHUP, a
dropped SSH connection) ends as `q` ends it: the terminal is given back (the app's screen
left), the demo's temporary folder is removed, and the exit status is 143 (129). Killed
outright, it left the shell in the app's screen and the demo's folder behind."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

SHOWN = b"Showing"  # the status line under the client list
LEAVE_APP_SCREEN = b"\x1b[?1049l"  # back to the shell's own screen
DEADLINE_S = 90  # a hang guard only: the demo shows its list in a few seconds


@pytest.mark.slow  # a real app in a pseudo-terminal, seeding its demo practice
@pytest.mark.parametrize(("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_stop_signal_gives_the_terminal_back_and_removes_the_demo_folder(
    tmp_path: Path, stop: int, code: int
):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "TERM": "xterm-256color"}
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-m", "dext_tui", "--demo"],
        stdin=terminal, stdout=terminal, stderr=terminal, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    shown_at: int | None = None
    deadline = time.monotonic() + DEADLINE_S
    try:
        while time.monotonic() < deadline:
            readable, _, _ = select.select([controller], [], [], 0.1)
            if readable:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the terminal closed: the app has ended
                    break
                if not chunk:
                    break
                output += chunk
            elif app.poll() is not None:
                break
            if shown_at is None and SHOWN in output:
                assert list(temporary.iterdir()), "the demo's folder is where TMPDIR says"
                shown_at = len(output)
                app.send_signal(stop)
        else:
            os.killpg(app.pid, signal.SIGKILL)
            pytest.fail(f"running after {DEADLINE_S} s")
        returncode = app.wait(timeout=DEADLINE_S)
    finally:
        os.close(controller)
    assert shown_at is not None, output[-800:]
    assert returncode == code
    assert LEAVE_APP_SCREEN in output[shown_at:]
    assert list(temporary.iterdir()) == []
