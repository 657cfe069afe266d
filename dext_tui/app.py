"""DextApp: opens the database, identifies the user, shows the client list."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

from rich.text import Text
from sqlalchemy import Engine
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from dext_tui.commands import HelpRequested, format_keys, offered
from dext_tui.data.database import DatabaseUnavailable, open_database
from dext_tui.data.identity import IdentityError, Viewer, resolve_viewer
from dext_tui.data.safe_text import clipped, printable
from dext_tui.data.services.writing import utc_now
from dext_tui.data.support_identity import SupportNeedsPractice, SupportPerson
from dext_tui.fatal import report_fatal_error
from dext_tui.key_gate import KeyGate, ReplayKey
from dext_tui.screens.dialogs.help import HelpScreen
from dext_tui.screens.dialogs.refusal import RefusalScreen
from dext_tui.screens.list.client_list import ClientListScreen

TERMINATED = 143  # 128 + SIGTERM, as the shell reports it
HUNG_UP = 129  # 128 + SIGHUP: the terminal went away (an SSH connection dropped)
NOTIFICATION_LIMIT = 400  # characters: about eight lines of a toast
NOTIFICATION_TITLE_LIMIT = 60  # one line


class DextApp(App[None]):
    """With no arguments (as `textual run` starts it) it uses DEXT_DATABASE_URL and DEXT_USER."""

    CSS_PATH = "styles.tcss"
    TITLE = "Dext Client List"
    ENABLE_COMMAND_PALETTE = True
    # Focus moves as the key arrives: typed fast, or in one packet over SSH, what
    # follows a tab lands in the next field, not in the one the tab left.
    BINDINGS = [
        Binding("tab", "focus_next", "Next field", show=False, priority=True, system=True),
        Binding(
            "shift+tab", "focus_previous", "Previous field", show=False, priority=True, system=True
        ),
    ]

    def __init__(
        self,
        engine: Engine | None = None,
        viewer: Viewer | None = None,
        *,
        support_person: SupportPerson | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`support_person` (with no viewer): a support identity, who starts on the
        practice picker. `clock`: what elevation's countdown reads (tests inject one)."""
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.support_person = support_person
        self.clock = clock
        self.key_gate = KeyGate(self)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed ahead of a screen wait for it (key_gate.py)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self.key_gate.admit(event):
                return
        await super().on_event(event)

    async def on_replay_key(self, _message: ReplayKey) -> None:
        event = self.key_gate.next_held()
        if event is not None:
            await super().on_event(event)

    def on_mount(self) -> None:
        if not self.is_headless:
            # A plain `kill`, or the terminal going away (a dropped SSH connection), ends
            # the app as q does: the terminal is given back as it was (not left in the
            # app's screen and raw mode) and the demo's folder removed.
            with contextlib.suppress(NotImplementedError):  # Windows' loops have no signals
                loop = asyncio.get_running_loop()
                loop.add_signal_handler(signal.SIGTERM, self.exit, None, TERMINATED)
                loop.add_signal_handler(signal.SIGHUP, self.exit, None, HUNG_UP)
        try:
            if self.engine is None:
                self.engine = open_database(None)
            if self.viewer is None and self.support_person is None:
                self.viewer = resolve_viewer(self.engine)
        except SupportNeedsPractice as needs:
            self.support_person = needs.person
        except (IdentityError, DatabaseUnavailable) as refusal:
            self.push_screen(RefusalScreen(str(refusal)))
            return
        if self.viewer is None and self.support_person is not None:
            from dext_tui.screens.support.picker import PracticePickerScreen

            self.push_screen(
                PracticePickerScreen(self.engine, self.support_person, self.clock, ClientListScreen)
            )
            return
        assert self.viewer is not None
        self.push_screen(ClientListScreen(self.engine, self.viewer))

    def on_help_requested(self, message: HelpRequested) -> None:
        self.push_screen(HelpScreen(message.screen))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, ours and library widgets' alike, as plain printable text:
        they carry client names and database reasons, which may hold square brackets
        ("[bold]Acme[/] Ltd" is a name) or control characters; cut so a 10,000-character
        name cannot fill the screen."""
        super().notify(
            clipped(message, NOTIFICATION_LIMIT),
            title=clipped(title, NOTIFICATION_TITLE_LIMIT),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def validate_title(self, title: object) -> str:
        """The app's title and sub-title as any stored text: printable (a Header, a
        screenshot or textual-serve's page may show them)."""
        return printable(super().validate_title(title))

    def validate_sub_title(self, sub_title: object) -> str:
        return printable(super().validate_sub_title(sub_title))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's own commands first, then Textual's (theme, keys, screenshot, quit)."""
        for command in getattr(screen, "COMMANDS_LIST", ()):
            if command.in_palette and offered(screen, command):
                yield SystemCommand(
                    command.label,
                    f"{command.help}  ({format_keys(command.keys)})",
                    partial(screen.run_action, command.action),
                )
        yield from super().get_system_commands(screen)

    def _fatal_error(self) -> None:
        """An error nothing else caught: one line on the terminal (details in a log
        file, since Textual's own traceback prints local variables, passwords
        included), then exit with code 1."""
        self.bell()
        # Text, not str: never read as markup (it wraps to the terminal's width).
        self._exit_renderables.append(Text(printable(report_fatal_error(self._exception))))
        self._close_messages_no_wait()
