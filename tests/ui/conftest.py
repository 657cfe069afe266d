from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from dext_tui.app import DextApp
from tests.factories import add_client, add_member, add_practice, add_stored_client


async def settle(pilot) -> None:
    """Let every worker finish and every posted message land."""
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # superseded by a newer exclusive worker: fine
            pass
        except WorkerFailed:  # the app turns it into a message; tests assert on that
            pass
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Put `text` into the focused Input at its cursor, as typing it would, in one step:
    for tests where typing is not the subject (a key press costs ~0.1 s). A field that
    may refuse characters on the way (restrict, max_length), or one that is not an
    Input, gets the keys one by one as before."""
    field = pilot.app.focused
    if not isinstance(field, Input) or field.restrict or field.max_length:
        await pilot.press(*text)
        return
    await pilot.pause()
    if field.selection.is_empty:
        field.insert_text_at_cursor(text)
    else:  # as a printable key does: typing replaces the selection
        field.replace(text, *field.selection)
    await pilot.pause()


async def search(pilot, words: str) -> None:
    """Type `words` into the list's search box and go to the results, as a user would."""
    await pilot.press("slash")
    await type_text(pilot, words)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def small_practice(db):
    """Five clients with known names, codes and statuses, and a standard user with two."""
    practice_id = add_practice(db, "Harbour & Vale [bold]Accountants[/]")
    admin = add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    add_client(
        db,
        practice_id,
        "Thames Water Ltd",
        crn="01234567",
        code="TW1",
        costs=120,
        integration="connected",
        software="xero",
        org_name="Thames Water",
        granted_to=[standard],
    )
    add_client(
        db,
        practice_id,
        "[bold]Acme[/] Ltd",
        crn="SC123456",
        code="ACME",
        costs=5,
        precision="active",
        granted_to=[standard],
    )
    # Stored by another tool past the name rules: the list must show it safely.
    add_stored_client(
        db, practice_id, "Esc \x1b[31mRed\x1b[0m Ltd", code="ESC", prepare="invited", costs=900
    )
    add_client(db, practice_id, "Solo Trader", prepare=None, solo="active")
    add_client(db, practice_id, "Sleepy Ltd", state="deactivated", prepare="deactivated")
    return {"db": db, "admin": admin, "standard": standard}


@pytest.fixture
def admin_app(small_practice) -> DextApp:
    return DextApp(small_practice["db"], small_practice["admin"])
