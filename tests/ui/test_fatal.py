"""An error nothing caught ends the app with one plain line and exit code 1, never a
traceback on the terminal; the traceback goes to a log file."""

from __future__ import annotations

from dext_tui import fatal
from dext_tui.app import DextApp
from dext_tui.screens.list.client_list import ClientListScreen


def test_an_unexpected_error_is_one_line_and_exit_1(small_practice, monkeypatch, capsys, tmp_path):
    log = tmp_path / "logs" / "crash.log"
    monkeypatch.setattr(fatal, "crash_log_path", lambda: log)

    def broken_mount(self) -> None:
        raise RuntimeError("[bold]the database[/] said postgresql://u:SECRET@host/db is gone")

    monkeypatch.setattr(ClientListScreen, "on_mount", broken_mount)
    app = DextApp(small_practice["db"], small_practice["admin"])
    app.run(headless=True, size=(80, 24))
    assert app.return_code == 1
    # Wrapped to the terminal's width, perhaps inside the log's path (long under xdist):
    # compared without the whitespace.
    shown = "".join(capsys.readouterr().err.split())
    assert shown == "".join(
        (
            "dext-tui stopped after an unexpected error: [bold]the database[/] said "
            f"postgresql://u:***@host/db is gone. Details: {log}"
        ).split()
    )
    assert "Traceback" in log.read_text()
