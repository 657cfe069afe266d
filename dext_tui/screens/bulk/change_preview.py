"""The preview of a bulk change or an undo: what will change, what is skipped or refused
and why, in words; applied only on the user's key, in a worker (spec 14).

The write checks the preview again under the lock: when clients moved meanwhile it
writes nothing and hands back the new preview, which is shown here in place of the
old one, never applied blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.errors import ServiceError
from dext_tui.data.failures import plain_reason
from dext_tui.data.services.bulk_actions import StaleBatch
from dext_tui.data.services.writing import ChangeResult
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.safe_text import printable

PREVIEW_COMMANDS = (
    Command("apply", "ctrl+s,f2", "Apply", "Write these changes in one step"),
    Command("dismiss(None)", "escape", "Back", "Back out, changing nothing"),
    HELP,
)

# Said under the preview: a refusal in its own words, any other failure as plain_reason.
NOT_WRITTEN = OnFailure(
    "Nothing was written: {reason}",
    reason=lambda error: str(error) if isinstance(error, ServiceError) else plain_reason(error),
)


def will_change(preview: Any) -> tuple[int, ...]:
    """The clients a BulkPreview or an UndoPreview would write."""
    return getattr(preview, "will_change", None) or getattr(preview, "will_undo", ())


class ChangePreviewScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[ChangeResult | None]):
    """Dismissed with what was written, or None when the user backed out."""

    COMMANDS_LIST = PREVIEW_COMMANDS
    BINDING_GROUP_TITLE = "Preview"
    DEFAULT_CSS = """
    #preview-dialog { width: 72; max-height: 90%; }
    #preview-lines { height: auto; max-height: 12; }
    #preview-note { color: $warning; }
    """

    @dataclass
    class Applied(Message):
        result: ChangeResult

    @dataclass
    class Stale(Message):
        preview: Any

    def __init__(self, title: str, preview: Any, apply: Callable[[Any], ChangeResult]) -> None:
        super().__init__()
        self.title_text = title
        self.preview = preview
        self.apply_preview = apply  # called in a worker with the preview shown

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog", classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(id="preview-lines", can_focus=False):
                yield Static(id="preview-text")
            yield Static("", id="preview-note")
            yield Label(hint_line(PREVIEW_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        self._show(self.preview)

    def _show(self, preview: Any, note: str = "") -> None:
        self.preview = preview
        lines = list(preview.lines())
        if not will_change(preview):
            lines.append("Nothing to change: Apply does nothing.")
        elif getattr(preview, "refused", None):
            lines.append("The refused clients are left as they are.")
        # A colleague's name is stored text: said printably, one line at a time.
        self.query_one("#preview-text", Static).update(
            Content("\n".join(printable(line) for line in lines))
        )
        self.query_one("#preview-note", Static).update(Content(note))

    def action_apply(self) -> None:
        if not will_change(self.preview):
            self.notify("Nothing to change.", title="Preview")
            return
        if any(worker.group == "apply" and worker.is_running for worker in self.workers):
            return  # already writing
        self.query_one("#preview-note", Static).update(Content("Applying…"))
        self.write(self.preview)

    @background(NOT_WRITTEN, group="apply", exclusive=True)
    def write(self, preview: Any) -> None:
        try:
            result = self.apply_preview(preview)
        except StaleBatch as stale:
            self.post_message(self.Stale(stale.preview))
            return
        self.post_message(self.Applied(result))

    def on_change_preview_screen_stale(self, message: Stale) -> None:
        self._show(
            message.preview,
            "Some clients changed since this preview was made; nothing was written. "
            "This is the preview now: apply again to write it.",
        )

    def on_change_preview_screen_applied(self, message: Applied) -> None:
        self.dismiss(message.result)

    def show_failure(self, text: str) -> None:
        self.query_one("#preview-note", Static).update(Content(text))
