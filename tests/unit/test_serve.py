"""`dext-tui serve`: the app in a browser, on loopback, as the identity it was given."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from dext_tui.data.seed import DEMO_ADMIN_EMAIL, seed_practice
from tests.conftest import sqlite_engine

pytestmark = pytest.mark.slow  # each starts a web server and its app in new processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "serve.sqlite"
    engine = sqlite_engine(path)
    seed_practice(engine, clients=40, precision_pending=0, seed=3)
    engine.dispose()
    return path


def start_serving(db: Path, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dext_tui", "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_page(port: int, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                assert response.status == 200
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not answer within 30 s")


async def first_screen(port: int) -> str:
    """What a browser session is sent first: the app's own screen."""
    received = ""
    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as websocket:
        deadline = time.monotonic() + 30
        while "Showing" not in received and time.monotonic() < deadline:
            try:
                message = await websocket.receive(timeout=5)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data.decode(errors="replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                received += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return received


def test_serve_answers_on_loopback_and_each_session_runs_the_app_as_the_user(demo_db):
    port = free_port()
    process = start_serving(demo_db, port, "--user", DEMO_ADMIN_EMAIL)
    try:
        page = wait_for_page(port, process)
        assert "textual" in page.lower()
        screen = asyncio.run(first_screen(port))
        assert "Dext Client List" in screen
        assert "Showing" in screen  # the list itself, not a refusal
        with pytest.raises(OSError):  # not on any other address of this machine
            address = socket.gethostbyname(socket.gethostname())
            if address.startswith("127."):
                raise OSError("no other address to try")
            socket.create_connection((address, port), timeout=1).close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_refuses_an_unknown_identity_before_listening(demo_db):
    process = start_serving(demo_db, free_port(), "--user", "nobody@example.com")
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "No team member matches" in err


def test_serve_says_in_one_line_when_its_port_is_taken(demo_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serving(demo_db, port, "--user", DEMO_ADMIN_EMAIL)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "Traceback" not in err
    assert f"Cannot serve on 127.0.0.1:{port}" in err and "in use" in err
