"""The last resort: an error nothing caught is logged to a file and said in one line."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from dext_tui.data.failures import plain_reason
from dext_tui.data.safe_text import printable, printable_lines

APP_NAME = "dext-tui"


def crash_log_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "crash.log"


def report_fatal_error(error: BaseException | None) -> str:
    """Log `error` with its traceback; return the line to show the user."""
    reason = plain_reason(error) if error else "unknown error"
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
            # The log is read in a terminal too: a name in an error's text stays visible data.
            details = "".join(traceback.format_exception(error)) if error else "no exception\n"
            log.write(printable_lines(details))
        where = f" Details: {printable(str(path))}"
    except OSError:
        where = ""
    return f"dext-tui stopped after an unexpected error: {reason}.{where}"
