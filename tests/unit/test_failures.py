"""The one sentence a failure is said in: first line, no SQL, no password, printable."""

from __future__ import annotations

from sqlalchemy.exc import InvalidRequestError, OperationalError

from dext_tui.data.failures import hide_passwords, plain_reason


def test_the_database_drivers_first_line_is_said_without_the_sql():
    error = OperationalError("SELECT secret FROM t", {}, Exception("database is locked\nmore"))
    assert plain_reason(error) == "database is locked"


def test_sqlalchemys_background_link_is_left_out():
    error = InvalidRequestError("This transaction is inactive", code="8s2b")
    assert "Background on this error" in str(error)  # the link SQLAlchemy appends
    assert plain_reason(error) == "This transaction is inactive"


def test_passwords_are_hidden_in_urls_in_queries_and_when_known():
    error = Exception("\n  could not connect to postgresql://ann:p@ss w0rd@db/x?password=q1  \n")
    assert plain_reason(error) == "could not connect to postgresql://ann:***@db/x?password=***"
    assert plain_reason(Exception("auth failed for hunter22"), secret="hunter22") == (
        "auth failed for ***"
    )
    assert hide_passwords("postgresql://ann@db/x") == "postgresql://ann@db/x"


def test_control_characters_are_made_visible_and_an_empty_message_is_named():
    assert "\x1b" not in plain_reason(Exception("bad \x1b[31mred"))
    assert plain_reason(KeyError()) == "KeyError"
