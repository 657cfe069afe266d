"""The real app in a pseudo-terminal, its output read as fast as it comes: shared by
terminal_bytes.py (bytes and settle per key) and live_list.py (cold start)."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import threading
import time

SGR = re.compile(rb"\x1b\[[0-9;:]*m")  # a colour change
FIRST_BYTE_TIMEOUT = 10.0


class Terminal:
    """The app's output side of a pseudo-terminal, read as fast as it comes."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return  # the app has exited
            if not data:
                return
            with self.lock:
                self.chunks.append((time.perf_counter(), data))

    def mark(self) -> int:
        with self.lock:
            return len(self.chunks)

    def since(self, mark: int) -> list[tuple[float, bytes]]:
        with self.lock:
            return self.chunks[mark:]

    def output(self) -> bytes:
        with self.lock:
            return b"".join(data for _when, data in self.chunks)

    def wait_quiet(self, quiet: float, timeout: float = 30.0) -> None:
        """Until nothing has come for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                last = self.chunks[-1][0] if self.chunks else 0.0
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(quiet / 4)

    def wait_for_output(self, mark: int, timeout: float) -> None:
        """Until something has come since `mark` (every key measured draws something)."""
        deadline = time.perf_counter() + timeout
        while self.mark() == mark and time.perf_counter() < deadline:
            time.sleep(0.001)

    def press(self, key: bytes, quiet: float) -> tuple[int, float, int, bytes]:
        """Send `key`; the bytes written in answer, the settle time in ms, the
        bytes of those that are colour changes and the bytes themselves."""
        self.wait_quiet(quiet)
        mark = self.mark()
        sent = time.perf_counter()
        os.write(self.master, key)
        self.wait_for_output(mark, FIRST_BYTE_TIMEOUT)
        self.wait_quiet(quiet)
        chunks = self.since(mark)
        data = b"".join(chunk for _when, chunk in chunks)
        settle = (chunks[-1][0] - sent) * 1000 if chunks else 0.0
        return len(data), settle, sum(len(match) for match in SGR.findall(data)), data


def start_app(url: str, user: str, width: int, height: int) -> tuple[subprocess.Popen, Terminal]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "TEXTUAL_ANIMATIONS": "none",
        "COLUMNS": str(width),
        "LINES": str(height),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dext_tui", "--db", url, "--user", user],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return process, Terminal(master)
