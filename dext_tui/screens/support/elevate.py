"""The elevation dialog (spec 15): a reason (a ticket reference or a sentence), required,
then 30 minutes in which support may change the practice as a client admin would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.errors import ServiceError
from dext_tui.data.identity import Viewer
from dext_tui.data.support import DEFAULT_ELEVATION_MINUTES, MAX_REASON, elevate
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.safe_text import printable

ELEVATE_COMMANDS = (
    Command("elevate", "enter", "Elevate", "Elevate for 30 minutes, with this reason"),
    Command("dismiss(None)", "escape", "Cancel", "Stay read-only"),
    HELP,
)


def _idle(screen: ElevateScreen) -> None:
    screen.busy = False


NOT_ELEVATED = OnFailure(
    "Could not elevate: {reason}. Nothing was saved; enter tries again.", reset=_idle
)


def reason_problem(reason: str) -> str | None:
    """What is wrong with a reason as typed, or None (the service checks it again)."""
    words = " ".join(reason.split())
    if not words:
        return "A reason is needed: a ticket reference or a sentence."
    if len(words) > MAX_REASON:
        return f"The reason is {len(words)} characters long; at most {MAX_REASON}."
    return None


class ElevateScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[Viewer | None]):
    """Dismissed with the elevated viewer, or None (still read-only)."""

    COMMANDS_LIST = ELEVATE_COMMANDS
    BINDING_GROUP_TITLE = "Elevate"
    AUTO_FOCUS = "#elevate-reason"
    DEFAULT_CSS = """
    #elevate-dialog { width: 70; }
    #elevate-problem { height: 1; width: 100%; }
    """

    @dataclass
    class Done(Message):
        viewer: Viewer | None
        refusal: str = ""

    def __init__(self, engine: Engine, viewer: Viewer, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.clock = clock
        self.busy = False

    def compose(self) -> ComposeResult:
        practice = printable(self.viewer.practice_name)
        with Vertical(id="elevate-dialog", classes="dialog"):
            yield Label(Content(f"Elevate to change {practice}"), classes="dialog-title")
            yield Static(
                Content(
                    f"For {DEFAULT_ELEVATION_MINUTES} minutes you may change this practice as a "
                    "client admin would (never delete permanently, never change practice "
                    f"admins). Every change is recorded as by {printable(self.viewer.name)} on "
                    f"behalf of {practice}, with this reason."
                ),
                id="elevate-explained",
            )
            yield Label("Reason (ticket reference or a sentence):")
            yield Input(
                placeholder="e.g. ABC-123", id="elevate-reason", compact=True, max_length=MAX_REASON
            )
            yield OneLine("", id="elevate-problem")
            yield Label(hint_line(ELEVATE_COMMANDS), classes="dialog-hint")

    @on(Input.Submitted, "#elevate-reason")
    def action_elevate(self) -> None:
        if self.busy:
            return
        reason = self.query_one("#elevate-reason", Input).value
        problem = reason_problem(reason)
        if problem:
            self.query_one("#elevate-problem", OneLine).say(problem)
            return
        self.busy = True
        self.query_one("#elevate-problem", OneLine).say("Elevating…")
        hold_keys(self.app)  # what is typed meanwhile goes to the list, not the reason
        self.save(reason)

    @background(NOT_ELEVATED, group="elevate", exclusive=True)
    def save(self, reason: str) -> None:
        try:
            self.post_message(self.Done(elevate(self.engine, self.viewer, reason, self.clock())))
        except ServiceError as refusal:
            self.post_message(self.Done(None, refusal.message))
        except BaseException:
            self.app.call_from_thread(release_keys, self.app)
            raise

    def on_elevate_screen_done(self, message: Done) -> None:
        self.busy = False
        release_keys(self.app)
        if message.viewer is None:
            self.query_one("#elevate-problem", OneLine).say(message.refusal)
        else:
            self.dismiss(message.viewer)

    def show_failure(self, text: str) -> None:
        self.query_one("#elevate-problem", OneLine).say(text)
