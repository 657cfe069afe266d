"""A page that edits one client's fields through a service: the shape every product page
with plain fields shares (Solo Edit, and the settings pages as they come).

The page reads its values in a worker, shows each stored value with control
characters made visible, sends only the fields the user changed, shows each
refusal next to its field, and on a stale save says who changed the client and
keeps what was typed (ctrl+r loads their version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.access import Viewer
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.errors import ServiceError
from dext_tui.data.failures import plain_reason
from dext_tui.screens.manage.form_feedback import leave, show_refusal
from dext_tui.widgets.safe_text import printable

FORM_COMMANDS = (
    Command("save", "ctrl+s,f2", "Save", "Save the changed fields"),
    Command("reload", "ctrl+r", "Reload", "Load the values as they are now (replaces typing)"),
    Command("back", "escape", "Back", "Back to the Manage menu (asks first if you typed)"),
    HELP,
)


class FieldFormScreen(CommandScreen, ModalScreen[None]):
    """Subclasses name their fields, how to read them and how to save them."""

    COMMANDS_LIST = FORM_COMMANDS
    BINDING_GROUP_TITLE = "Form"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()  # (field, label)
    CHOICES: ClassVar[dict[str, list[tuple[str, Any]]]] = {}  # pick-list fields: (label, value)
    MULTILINE: ClassVar[frozenset[str]] = frozenset()  # text fields of several lines
    TITLE_TEXT: ClassVar[str] = "Edit"
    load_values: ClassVar[Callable[..., Any]]  # (engine, viewer, client_id) -> details
    save_values: ClassVar[Callable[..., Any]]  # (engine, viewer, id, version=, **fields)

    @dataclass
    class Loaded(Message):
        details: Any

    @dataclass
    class Saved(Message):
        changed: bool

    @dataclass
    class Refused(Message):
        error: ServiceError

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.record = record
        self.details: Any = None

    def compose(self) -> ComposeResult:
        title = f"{self.TITLE_TEXT} · {printable(self.record.name)}"
        with Vertical(classes="dialog form-dialog"):
            yield Label(Content(title), classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                for field, label in self.FIELDS:
                    tall = " form-row-tall" if field in self.MULTILINE else ""
                    with Horizontal(classes="form-row" + tall):
                        yield Label(label, classes="form-label")
                        yield self._editor(field)
                    yield Static("", id=f"form-{field}-error", classes="form-error")
                yield Static("Loading…", id="form-status", classes="form-status")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Save", id="form-save", variant="primary", compact=True)
            yield Label(hint_line(FORM_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        self.action_reload()

    def _editor(self, field: str) -> Widget:
        widget_id = f"form-{field}"
        if field in self.CHOICES:
            return Select(
                self.CHOICES[field], id=widget_id, prompt="—", compact=True, disabled=True
            )
        if field in self.MULTILINE:
            return TextArea(id=widget_id, disabled=True, soft_wrap=True, show_line_numbers=False)
        return Input(id=widget_id, compact=True, disabled=True)

    # -- values ------------------------------------------------------------------
    def _stored(self, field: str) -> Any:
        return getattr(self.details, field, None) if self.details else None

    def _shown(self, field: str) -> Any:
        """A stored value as its field shows it: text with control characters made
        visible (a newline stays one in a field of several lines), a pick as is."""
        value = self._stored(field)
        if field in self.CHOICES:
            return value
        if field in self.MULTILINE:
            return "\n".join(printable(line) for line in (value or "").split("\n"))
        return printable(value or "")

    def _value(self, field: str) -> Any:
        widget = self.query_one(f"#form-{field}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _set_value(self, field: str) -> None:
        widget = self.query_one(f"#form-{field}")
        shown = self._shown(field)
        if isinstance(widget, Select):
            known = [value for _label, value in self.CHOICES[field]]
            if shown is not None and shown not in known:  # stored outside the list: kept
                widget.set_options([*self.CHOICES[field], (printable(str(shown)), shown)])
            widget.value = Select.NULL if shown is None else shown
        elif isinstance(widget, TextArea):
            widget.load_text(shown)
        else:
            assert isinstance(widget, Input)
            widget.value = shown
        widget.disabled = False

    def _changed(self) -> dict[str, Any]:
        if self.details is None:
            return {}
        values = {field: self._value(field) for field, _label in self.FIELDS}
        return {field: value for field, value in values.items() if value != self._shown(field)}

    def _say(self, text: str) -> None:
        self.query_one("#form-status", Static).update(Content(printable(text)))

    def _clear_errors(self) -> None:
        for field, _label in self.FIELDS:
            self.query_one(f"#form-{field}-error", Static).update("")
        self._say("")

    # -- reading -------------------------------------------------------------------
    def action_reload(self) -> None:
        self.load(self.record.id)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def load(self, client_id: int) -> None:
        try:
            details = type(self).load_values(self.engine, self.viewer, client_id)
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Loaded(details))

    def on_field_form_screen_loaded(self, message: Loaded) -> None:
        self.details = message.details
        self._clear_errors()
        for field, _label in self.FIELDS:
            self._set_value(field)
        self.set_focus(self.query_one(f"#form-{self.FIELDS[0][0]}"))

    # -- saving --------------------------------------------------------------------
    def action_save(self) -> None:
        if self.details is None:
            return
        changed = self._changed()
        self._clear_errors()
        if not changed:
            self._say("Nothing to save: no field was changed.")
            return
        self._say("Saving…")
        self.save(self.record.id, self.details.version, changed)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def save(self, client_id: int, version: int, changed: dict[str, Any]) -> None:
        try:
            result = type(self).save_values(
                self.engine, self.viewer, client_id, version=version, **changed
            )
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Saved(bool(result.changes)))

    def on_field_form_screen_saved(self, message: Saved) -> None:
        done = "saved" if message.changed else "nothing changed"
        self.app.notify(f"{self.record.name}: {done}.", title=self.TITLE_TEXT)
        self.dismiss(None)

    def on_field_form_screen_refused(self, message: Refused) -> None:
        show_refusal(self, message.error, "form", self._say)

    # -- leaving -------------------------------------------------------------------
    def action_back(self) -> None:
        leave(self, bool(self._changed()))

    @on(Button.Pressed, "#form-save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def field_submitted(self) -> None:
        self.action_save()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._say(f"That did not work: {plain_reason(event.worker.error)}. Try again.")
