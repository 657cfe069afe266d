"""`dext-tui serve`: the app in a browser, on loopback, as the identity it was given."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.error
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


def served_url(process: subprocess.Popen) -> str:
    """The URL `serve` prints once it listens (its first line), the token in it."""
    line = process.stdout.readline()
    assert line.startswith("Serving dext-tui at http://"), (line, process.communicate())
    return line.split(" at ", 1)[1].split()[0]


def get(url: str, cookie: str | None = None) -> tuple[int, str, str]:
    """Status, body and Set-Cookie header of a GET (a 403 is an answer, not an error)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), response.headers["Set-Cookie"] or ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), ""


async def first_screen(port: int, cookie: str | None = None, query: str = "") -> str:
    """What a browser session is sent first: the app's own screen."""
    received = ""
    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30{query}"
    headers = {"Cookie": cookie} if cookie else {}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, headers=headers) as websocket,
    ):
        deadline = time.monotonic() + 120  # a guard against waiting forever on a busy machine
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
        url = served_url(process)
        status, page, cookie = get(url)
        assert status == 200 and "textual" in page.lower()
        screen = asyncio.run(first_screen(port, cookie.split(";")[0]))
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
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert out == ""  # no banner before the error
    (line,) = err.splitlines()
    assert f"Cannot serve on 127.0.0.1:{port}" in line and "in use" in line


# -- only whoever holds the link -------------------------------------------------------
async def websocket_status(port: int, cookie: str | None = None, query: str = "") -> int:
    """The HTTP status the websocket handshake gets (101: a session started)."""
    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24{query}"
    headers = {"Cookie": cookie} if cookie else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as websocket:
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_only_a_browser_holding_the_token_gets_in(demo_db):
    port = free_port()
    process = start_serving(demo_db, port, "--user", DEMO_ADMIN_EMAIL)
    try:
        url = served_url(process)
        token = url.split("token=", 1)[1]
        base = f"http://127.0.0.1:{port}"
        assert get(f"{base}/")[0] == 403
        assert get(f"{base}/?token=wrong-{token}")[0] == 403
        assert get(f"{base}/", cookie=f"dext-tui-token-{port}=wrong")[0] == 403
        assert get(f"{base}/static/js/textual.js")[0] == 403
        assert asyncio.run(websocket_status(port)) == 403
        assert asyncio.run(websocket_status(port, query="&token=wrong")) == 403
        status, body, set_cookie = get(url)
        assert status == 200 and "textual" in body.lower()
        assert set_cookie.startswith(f"dext-tui-token-{port}={token};") and "HttpOnly" in set_cookie
        cookie = set_cookie.split(";")[0]
        assert get(f"{base}/", cookie=cookie)[0] == 200  # the cookie alone, as a browser
        assert asyncio.run(websocket_status(port, cookie=cookie)) == 101
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_token_file_gives_a_fixed_secret(demo_db, tmp_path: Path):
    secret = "a-fixed-secret-of-some-length"
    (tmp_path / "token").write_text(secret + "\n")
    port = free_port()
    process = start_serving(
        demo_db, port, "--user", DEMO_ADMIN_EMAIL, "--token-file", str(tmp_path / "token")
    )
    try:
        assert served_url(process) == f"http://127.0.0.1:{port}/?token={secret}"
        assert get(f"http://127.0.0.1:{port}/?token={secret}")[0] == 200
        assert get(f"http://127.0.0.1:{port}/?token=other")[0] == 403
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (("--host", "0.0.0.0", "--no-token"), "--no-token is allowed only on loopback"),
        (("--token-file", "/dev/null"), "not a regular file"),
        (("--token-file", "missing-token-file"), "cannot be read"),
    ],
)
def test_serving_without_a_usable_token_is_refused_before_listening(demo_db, extra, said):
    process = start_serving(demo_db, free_port(), "--user", DEMO_ADMIN_EMAIL, *extra)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and out == ""
    (line,) = err.splitlines()
    assert said in line


def test_no_token_on_loopback_lets_any_local_browser_in(demo_db):
    port = free_port()
    process = start_serving(demo_db, port, "--user", DEMO_ADMIN_EMAIL, "--no-token")
    try:
        assert served_url(process) == f"http://127.0.0.1:{port}/"
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_listening_beyond_loopback_warns_and_still_needs_the_token(demo_db):
    port = free_port()
    process = start_serving(demo_db, port, "--user", DEMO_ADMIN_EMAIL, "--host", "0.0.0.0")
    try:
        served_url(process)
        assert get(f"http://127.0.0.1:{port}/")[0] == 403
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert "Warning: listening on 0.0.0.0: every address of this machine" in err
