"""`dext-tui serve`: the same app in a browser, through textual-serve, for whoever holds
its link.

Each browser session starts its own `dext-tui` process. The database and the
identity chosen here reach it through the environment (DEXT_DATABASE_URL,
DEXT_USER), not its command line, so a password in the URL never shows in `ps`;
every session then follows the terminal's identity rules.

textual-serve has no login of its own, so, as Jupyter does, the server makes a
random token at start (or reads a fixed one from a file) and prints the URL that
carries it. A request without the token, in the URL or in the cookie set on its
first use, gets 403 before any handler runs: no page, no websocket, no session.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
import secrets
import shlex
import signal
import sys
from collections.abc import Callable
from typing import Any

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_PARAMETER = "token"
FORBIDDEN = (
    "403 Forbidden: this dext-tui server lets in only whoever holds its link. "
    "Open the URL it printed when it started (it carries ?token=...)."
)


def session_command(practice: str | None = None, reason: str | None = None) -> str:
    """The shell command each browser session runs: this very installation's TUI (for a
    support identity, on `practice`, each session's visit recorded with `reason`)."""
    command = f"{shlex.quote(sys.executable)} -m dext_tui"
    if practice is not None:
        command += f" --practice {shlex.quote(practice)}"
    if reason is not None:
        command += f" --reason {shlex.quote(reason)}"
    return command


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve anywhere


def new_token() -> str:
    return secrets.token_urlsafe(32)


class TokenFileRefused(Exception):
    """The --token-file cannot give a token; the message says why, in one line."""


MIN_TOKEN_CHARS = 16


def read_token_file(path: str | os.PathLike[str]) -> str:
    """The fixed secret in `path` (its first line, spaces trimmed), refused unless it is
    a regular file holding at least MIN_TOKEN_CHARS characters."""
    from dext_tui.data.regular_files import NotARegularFile, open_regular_for_reading

    try:
        with open_regular_for_reading(path) as handle:
            data = handle.read(4096)
    except NotARegularFile as error:
        raise TokenFileRefused(f"{path} cannot be read: {error.strerror}.") from None
    except OSError as error:
        raise TokenFileRefused(f"{path} cannot be read: {error.strerror or error}.") from None
    lines = data.decode("utf-8", errors="replace").strip().splitlines()
    token = lines[0].strip() if lines else ""
    if len(token) < MIN_TOKEN_CHARS or not token.isascii() or not token.isprintable():
        raise TokenFileRefused(
            f"{path} must hold a token of at least {MIN_TOKEN_CHARS} printable ASCII "
            "characters on its first line."
        )
    return token


def cookie_name(port: int) -> str:
    """One cookie per port: browsers share cookies between a host's ports."""
    return f"dext-tui-token-{port}"


def page_url(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    query = f"/?{TOKEN_PARAMETER}={token}" if token else "/"
    return f"http://{shown}:{port}{query}"


def token_check(token: str | None, cookie: str) -> Any:
    """aiohttp middleware: 403 unless the request carries `token` in its query or
    cookie (compared in constant time); a token from the query sets the cookie, so
    the page's websocket, scripts and downloads carry it too."""
    from aiohttp import web

    expected = (token or "").encode()

    def holds(given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), expected)

    @web.middleware
    async def check(request: web.Request, handler: Callable) -> web.StreamResponse:
        if token is None:
            return await handler(request)
        from_query = holds(request.query.get(TOKEN_PARAMETER))
        if not from_query and not holds(request.cookies.get(cookie)):
            raise web.HTTPForbidden(text=FORBIDDEN)
        response = await handler(request)
        if from_query and not response.prepared:
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
        return response

    return check


def serve(
    database_url: str,
    user: str | None,
    host: str = LOOPBACK,
    port: int = DEFAULT_PORT,
    *,
    token: str | None,
    announce: Callable[[str], None] = print,
    practice: str | None = None,
    reason: str | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM). `announce` gets the page's URL once
    the port is bound (nothing is said before: a taken port is only its error).
    `token` None: no token (the caller allows that on loopback only)."""
    from aiohttp import web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.server import Server  # only this command needs the web server

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(token_check(token, cookie_name(port)))
            return app

        async def on_startup(self, app: web.Application) -> None:
            """textual-serve's banner left out: it would show before a bind error."""

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)

            def request_exit() -> None:
                raise GracefulExit()

            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, request_exit)
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *_args: announce(page_url(host, port, token)),
            )

    os.environ["DEXT_DATABASE_URL"] = database_url
    if user:
        os.environ["DEXT_USER"] = user
    GuardedServer(
        session_command(practice, reason), host=host, port=port, title="Dext Client List"
    ).serve()
