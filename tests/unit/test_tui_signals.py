"""The TUI stopped by a plain `kill` (SIGTERM) or by its terminal going away (SIGHUP, a
dropped SSH connection) ends as `q` ends it: the terminal is given back (the app's screen
left), the demo's temporary folder is removed, and the exit status is 143 (129). Killed
outright, it left the shell in the app's screen and the demo's folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pseudo_terminal import run_on_terminal

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
    folders_while_shown: list[Path] = []

    def stop_it(_terminal: int, app: subprocess.Popen[bytes]) -> None:
        folders_while_shown.extend(temporary.iterdir())
        app.send_signal(stop)

    run = run_on_terminal(
        [sys.executable, "-m", "dext_tui", "--demo"],
        env={**os.environ, "TMPDIR": str(temporary), "TERM": "xterm-256color"},
        shown=lambda output: SHOWN in output,
        then=stop_it,
        deadline_s=DEADLINE_S,
    )
    assert run.shown_at is not None, run.output[-800:]
    assert folders_while_shown, "the demo's folder is where TMPDIR says"
    assert run.returncode == code
    assert LEAVE_APP_SCREEN in run.output[run.shown_at :]
    assert list(temporary.iterdir()) == []
