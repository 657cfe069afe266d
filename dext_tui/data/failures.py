"""A failure of the database or of stored data, said in one line a user can act on."""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from dext_tui.data.safe_text import printable

_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def plain_reason(error: BaseException) -> str:
    """The first line of what went wrong, without SQL, parameters or passwords."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    if not text:
        text = type(cause).__name__
    if isinstance(error, SQLAlchemyError) and "(Background on this error" in text:
        text = text.split("(Background on this error")[0].strip()
    return printable(_PASSWORD_IN_URL.sub(r"\1***@", text))
