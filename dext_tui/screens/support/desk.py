"""The client list as the support desk sees it (spec 15): a line saying read-only or
elevated (with its countdown and reason), the keys to elevate and to pick another
practice, and leaving the practice when it turns support access off.

A part of ClientListScreen (a mixin, as product_views.py is); it does nothing for a team
member, and its keys are hidden from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Button

from dext_tui.commands import Command
from dext_tui.data import roles
from dext_tui.data.identity import Viewer
from dext_tui.data.services.writing import utc_now
from dext_tui.data.support_identity import SupportPerson
from dext_tui.screens.worker_failures import OnFailure, background
from dext_tui.widgets.one_line import OneLine
from dext_tui.widgets.safe_text import printable

# Checked again at the next tick by itself: said on the list's status line, not interrupting.
SUPPORT_CHECK_FAILED = OnFailure(
    "{reason} (retrying)", show=lambda screen, text: screen._show_live_problem(text)
)

ACCESS_CHECK_SECONDS = 2.0  # how often an open practice asks whether support may still see it

SUPPORT_COMMANDS = (
    Command(
        "elevate",
        "e",
        "Elevate",
        "Support: elevate for 30 minutes, giving a reason",
    ),
    Command(
        "switch_practice",
        "o",
        "Practices",
        "Support: leave this practice and pick another",
    ),
)
SUPPORT_ACTIONS = frozenset(command.action for command in SUPPORT_COMMANDS)
# The list's buttons that write, disabled (with the reason) while support is read-only.
WRITE_BUTTONS = {
    "#add-client-button": roles.Action.ADD_CLIENT,
    "#import-button": roles.Action.LINK_PRECISION,
}


class SupportLine(OneLine):
    DEFAULT_CSS = """
    SupportLine { height: 1; width: 100%; padding: 0 1; background: $panel; }
    SupportLine.-elevated { background: $warning-muted; }
    """


def countdown(until: datetime, now: datetime) -> str:
    left = max(0, int((until - now).total_seconds()))
    return f"{left // 60:02d}:{left % 60:02d}"


class SupportDesk(MessagePump):
    """The client list's support desk part (ClientListScreen is the Screen it works on)."""

    # Set by the client list.
    engine: Engine
    viewer: Viewer
    leaving = False  # on the way back to the picker: nothing more to do here

    @dataclass
    class SupportLost(Message):
        """Support may no longer see the practice (`reason` says why)."""

        reason: str

    def support_clock(self) -> datetime:
        return self.clock_source()()

    def clock_source(self) -> Callable[[], datetime]:
        """The app's clock (tests inject one; the services re-check on their own), itself:
        the dialogs and the next picker call it from their workers, and this screen may be
        gone by then."""
        return getattr(self.app, "clock", utc_now)

    def start_support_desk(self) -> None:
        if not self.viewer.is_support:
            return
        self.mount(SupportLine(id="support-line"), after="#top-bar")
        self.set_support_viewer(self.viewer)
        self.set_interval(1.0, self.tick_support)
        self.set_interval(ACCESS_CHECK_SECONDS, self.check_support_access)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The support desk's keys exist for support only (hidden from team members)."""
        if action in SUPPORT_ACTIONS:
            return self.viewer.is_support
        return super().check_action(action, parameters)

    # -- the line and its countdown -------------------------------------------------
    def support_words(self) -> str:
        viewer = self.viewer
        until = viewer.elevated_until
        if until is None:
            return f"SUPPORT · {roles.READ_ONLY} (e) · other practice (o)"
        reason = printable(viewer.support_reason or "")
        left = countdown(until, self.support_clock())
        return f"SUPPORT · elevated {left} — {reason} · until {until:%H:%M} · other practice (o)"

    def show_support_line(self) -> None:
        lines = self.query(SupportLine)
        if lines:
            line = lines.first()
            line.say(self.support_words())
            line.set_class(self.viewer.elevated_until is not None, "-elevated")

    def tick_support(self) -> None:
        """Once a second: the countdown (only that line is drawn again), and the end of
        the elevation when it is due."""
        until = self.viewer.elevated_until
        if until is not None and until <= self.support_clock():
            self.set_support_viewer(replace(self.viewer, elevated_until=None, support_reason=None))
            self.notify(
                f"Your elevation ended at {until:%H:%M}: read-only again. Press e to elevate.",
                title="Support",
                severity="warning",
                timeout=30,
            )
        self.show_support_line()

    def set_support_viewer(self, viewer: Viewer) -> None:
        """The viewer elevated, or back to read-only: the list's offered actions follow."""
        self.viewer = viewer
        for button, action in WRITE_BUTTONS.items():
            shown = self.query_one(button, Button)
            shown.disabled = not roles.may(viewer, action)
            shown.tooltip = roles.refusal(viewer, action)
        self.refresh_bindings()
        self.show_support_line()

    # -- keys ------------------------------------------------------------------------
    def action_elevate(self) -> None:
        from dext_tui.screens.support.elevate import ElevateScreen

        self.app.push_screen(
            ElevateScreen(self.engine, self.viewer, self.clock_source()),
            self._elevated,
        )

    def _elevated(self, viewer: Viewer | None) -> None:
        if viewer is not None:
            self.set_support_viewer(viewer)
            self.notify(
                f"Elevated until {viewer.elevated_until:%H:%M}: changes are recorded on behalf "
                "of the practice, with your reason.",
                title="Support",
            )

    def action_switch_practice(self) -> None:
        self.leave_practice("")

    def leave_practice(self, notice: str) -> None:
        """Back to a new picker: nothing of this practice stays (this screen and every
        dialog over it are closed, with their marks, search and selection)."""
        from dext_tui.screens.support.picker import PracticePickerScreen

        if self.leaving:  # said twice (two polls, or a poll and a key): once is enough
            return
        self.leaving = True
        app = self.app
        while app.screen is not self and len(app.screen_stack) > 1:
            app.pop_screen()
        viewer = self.viewer
        person = SupportPerson(viewer.support_person_id or 0, viewer.name, viewer.email, None, True)
        app.switch_screen(
            PracticePickerScreen(self.engine, person, self.clock_source(), type(self), notice)
        )

    # -- support access turned off meanwhile -------------------------------------------
    def check_support_access(self) -> None:
        if not self.leaving and not any(
            w.group == "support" and w.is_running for w in self.workers
        ):
            self.read_support_access()

    @background(SUPPORT_CHECK_FAILED, group="support", exclusive=True)
    def read_support_access(self) -> None:
        # Here, not at the top: practice_picker brings the name search (rapidfuzz), which
        # the first screen of a team member never needs (tests/unit/test_start_up_imports.py).
        from dext_tui.data.practice_picker import support_refusal

        reason = support_refusal(self.engine, self.viewer)
        if reason is not None:
            self.post_message(self.SupportLost(reason))

    def on_support_desk_support_lost(self, message: SupportLost) -> None:
        text = f"Left the practice: {message.reason}."
        self.notify(text, title="Support", severity="warning", timeout=30)
        self.leave_practice(text)
