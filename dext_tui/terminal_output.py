"""What the headless commands print: every line through the one safe-text rule.

Their messages name clients, files and database reasons; a name stored by
another tool may carry an escape sequence (an OSC 52 clipboard write, a colour
change) that must reach a terminal, a CI log or a pipe as visible text.
"""

from __future__ import annotations

import click

from dext_tui.data.safe_text import printable_lines


def say(text: str) -> None:
    """One message on stdout."""
    click.echo(printable_lines(text))


def warn(text: str) -> None:
    """One message on stderr."""
    click.echo(printable_lines(text), err=True)
