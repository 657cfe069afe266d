"""`dext-tui serve`: the same app in a browser, through textual-serve.

Each browser session starts its own `dext-tui` process. The database and the
identity chosen here reach it through the environment (DEXT_DATABASE_URL,
DEXT_USER), not its command line, so a password in the URL never shows in `ps`;
every session then follows the terminal's identity rules. It listens on loopback
unless told otherwise: textual-serve has no login of its own, so anything wider
belongs behind an authenticating proxy (README).
"""

from __future__ import annotations

import os
import shlex
import sys

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000


def session_command() -> str:
    """The shell command each browser session runs: this very installation's TUI."""
    return f"{shlex.quote(sys.executable)} -m dext_tui"


def serve(
    database_url: str, user: str | None, host: str = LOOPBACK, port: int = DEFAULT_PORT
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    from textual_serve.server import Server  # only this command needs the web server

    os.environ["DEXT_DATABASE_URL"] = database_url
    if user:
        os.environ["DEXT_USER"] = user
    Server(session_command(), host=host, port=port, title="Dext Client List").serve()
