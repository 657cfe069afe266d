"""What every editing page says back: a save (offering undo when it can be undone), a
refusal next to its fields, and a prompt before typed changes are thrown away. One
place, so the pages cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from dext_tui.data.errors import InvalidInput, ServiceError, StaleVersion
from dext_tui.data.services.undo import undoable
from dext_tui.data.services.writing import ChangeResult
from dext_tui.screens.dialogs.confirm import ConfirmScreen

# The list's undo key (screens/list: Command "undo"), offered after a change it can undo.
UNDO_OFFER = "z on the list undoes it."


def saved_text(done: str, result: ChangeResult) -> str:
    """A save's notification: `done`, then the undo offer when the undo key would put
    back exactly this change (data/services/undo.py's `undoable`)."""
    return f"{done} {UNDO_OFFER}" if undoable(result.changes) else done


def show_refusal(
    page: Screen, error: ServiceError, prefix: str, say: Callable[[str], None]
) -> None:
    """Each bad field's rule under it (`#{prefix}-{field}-error`), focus on the first
    that can take it; a stale save says who and when; anything else, its message."""
    if isinstance(error, InvalidInput):
        say("Nothing was saved: each field in question says what it needs.")
        first = None
        for problem in error.errors:
            target = page.query(f"#{prefix}-{problem.field}-error")
            if target:
                target.first(Static).update(Content(problem.message))
                first = first or problem.field
        editor = page.query(f"#{prefix}-{first}") if first else None
        if editor and editor.first().focusable:
            page.set_focus(editor.first())
    elif isinstance(error, StaleVersion):
        say(error.message + " Press ctrl+r to load their version.")
    else:
        say(error.message)


def leave(page: Screen, unsaved: bool) -> None:
    """Close `page`, asking first when what was typed there would be lost."""
    if not unsaved:
        page.dismiss(None)
        return
    page.app.push_screen(
        ConfirmScreen(
            "Discard your changes?",
            "What you typed on this page has not been saved and will be lost.",
            "Discard",
        ),
        lambda discard: page.dismiss(None) if discard else None,
    )
