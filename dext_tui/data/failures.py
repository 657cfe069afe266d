"""A failure said in one line a user can act on: the one place an exception becomes a sentence.

Screens, the headless commands, opening the database and the crash handler all
say a failure through `plain_reason`, and every password is hidden by one rule.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import SQLAlchemyError

from dext_tui.data.safe_text import printable

# `://user:` up to the last `@`: the password, found even where the text is not a valid
# URL, and whole even when it holds an `@` itself; and a password given as a query parameter.
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:).*@", re.DOTALL)
_PASSWORD_IN_QUERY = re.compile(r"([?&]password=)[^&]*", re.IGNORECASE)
_SQLALCHEMY_FOOTER = "(Background on this error"


def hide_passwords(text: str, secret: str | None = None) -> str:
    """`text` with any password in a URL (and `secret`, when known) as `***`."""
    text = _PASSWORD_IN_QUERY.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1***@", text))
    return text.replace(secret, "***") if secret else text


def plain_reason(error: BaseException, *, secret: str | None = None) -> str:
    """The first line of what went wrong, without SQL, parameters or passwords (`secret`
    too, such as the password of the URL being opened), made printable."""
    cause = getattr(error, "orig", None) if isinstance(error, SQLAlchemyError) else None
    message = str(cause or error)
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    line = lines[0] if lines else type(cause or error).__name__
    if isinstance(error, SQLAlchemyError):  # SQLAlchemy's footer is a link, not a reason
        line = line.split(_SQLALCHEMY_FOOTER)[0].strip() or type(error).__name__
    return printable(hide_passwords(line, secret))
