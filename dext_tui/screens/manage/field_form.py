"""A page that edits one client's fields through a service: the shape every product page
with plain fields shares (Solo Edit, and the settings pages as they come).

The page reads its values in a worker, shows each stored value with control
characters made visible, sends only the fields the user changed, shows each
refusal next to its field, and on a stale save says who changed the client and
merges field by field (stale_merge.py): their changes loaded, what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from dext_tui.commands import HELP, Command, CommandScreen, hint_line, offered_hint_line
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.errors import ServiceError, StaleVersion
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.viewer import Viewer
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.manage.form_feedback import leave, saved_text, show_refusal
from dext_tui.screens.manage.stale_merge import merge_message, merge_stale, stale_who
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.body_scroll import BodyScroll
from dext_tui.widgets.safe_text import printable

FORM_COMMANDS = (
    Command("save", "ctrl+s,f2", "Save", "Save the changed fields"),
    Command("reload", "ctrl+r", "Reload", "Load the values as they are now (replaces typing)"),
    Command(
        "take_theirs",
        "ctrl+t",
        "Theirs",
        "In a field you and a colleague both changed: take their value",
    ),
    Command("back", "escape", "Back", "Back to the Manage menu (asks first if you typed)"),
    HELP,
)

# Reading and saving share one group: one at a time.
DID_NOT_WORK = OnFailure("That did not work: {reason}. Try again.")


class FieldFormScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[None]):
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
        stale: StaleVersion | None = None  # read again to merge a save refused as stale

    @dataclass
    class Saved(Message):
        result: ChangeResult

    @dataclass
    class Refused(Message):
        error: ServiceError

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.record = record
        self.details: Any = None
        self.conflicts: dict[str, Any] = {}  # field -> their value, after a stale save

    def compose(self) -> ComposeResult:
        title = f"{self.TITLE_TEXT} · {printable(self.record.name)}"
        with Vertical(classes="dialog form-dialog"):
            yield Label(Content(title), classes="dialog-title")
            with BodyScroll(classes="form-body"):
                for field, label in self.FIELDS:
                    tall = " form-row-tall" if field in self.MULTILINE else ""
                    with Horizontal(classes="form-row" + tall):
                        yield Label(label, classes="form-label")
                        yield self._editor(field)
                    yield Static("", id=f"form-{field}-error", classes="form-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Save", id="form-save", variant="primary", compact=True)
            # Outside the scrolled body: a refusal or result is seen at 80x24 without scrolling.
            yield Static("Loading…", id="form-status", classes="form-status")
            yield Label(hint_line(FORM_COMMANDS), classes="dialog-hint", id="form-hint")

    def on_mount(self) -> None:
        hold_keys(self.app)  # typing goes to the first field once it is loaded and focused
        self.action_reload()
        self._refresh_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_theirs":
            return bool(self.conflicts)
        return True

    def _refresh_keys(self) -> None:
        """The hint line and the bindings say what is offered now."""
        self.query_one("#form-hint", Label).update(offered_hint_line(self))
        self.refresh_bindings()

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
        self._put(field, self._shown(field))

    def _put(self, field: str, shown: Any) -> None:
        widget = self.query_one(f"#form-{field}")
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

    def show_failure(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        self.query_one("#form-status", Static).update(Content(printable(text)))

    def _clear_errors(self) -> None:
        for field, _label in self.FIELDS:
            self.query_one(f"#form-{field}-error", Static).update("")
        self._say("")

    # -- reading -------------------------------------------------------------------
    def action_reload(self) -> None:
        self.load(self.record.id)

    @background(DID_NOT_WORK, group="form", exclusive=True)
    def load(self, client_id: int, stale: StaleVersion | None = None) -> None:
        try:
            details = type(self).load_values(self.engine, self.viewer, client_id)
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Loaded(details, stale))

    def on_field_form_screen_loaded(self, message: Loaded) -> None:
        self._release_first_load()
        if message.stale is not None and self.details is not None:
            self._merge(message.details, message.stale)
            return
        self.details = message.details
        self._clear_errors()
        self.conflicts = {}
        self._refresh_keys()
        for field, _label in self.FIELDS:
            self._set_value(field)
        self.set_focus(self.query_one(f"#form-{self.FIELDS[0][0]}"))

    def _merge(self, fresh: Any, stale: StaleVersion) -> None:
        """Their version underneath, what the user typed on top: only a field both
        changed is left to choose (theirs shown under it)."""
        base = {field: self._shown(field) for field, _label in self.FIELDS}
        mine = {field: self._value(field) for field, _label in self.FIELDS}
        self.details = fresh
        theirs = {field: self._shown(field) for field, _label in self.FIELDS}
        merge = merge_stale(base, mine, theirs)
        for field, _label in self.FIELDS:
            self._put(field, merge.values[field])
        self.conflicts = dict(merge.conflicts)
        for field, value in self.conflicts.items():
            self.query_one(f"#form-{field}-error", Static).update(
                Content(f"Theirs: {self._label_of(field, value)}")
            )
        self._refresh_keys()
        self._say(merge_message(stale_who(stale), merge, dict(self.FIELDS)))

    def _label_of(self, field: str, value: Any) -> str:
        """A value as the user reads it: a pick's label, text with newlines as spaces."""
        if value is None:
            return "—"
        for label, choice in self.CHOICES.get(field, ()):
            if choice == value:
                return label
        return printable(str(value).replace("\n", " "))

    def action_take_theirs(self) -> None:
        field = (self.focused.id or "").removeprefix("form-") if self.focused else ""
        if field not in self.conflicts:
            self._say("Put the cursor in a field marked Theirs, then ctrl+t takes it.")
            return
        self._put(field, self.conflicts.pop(field))
        self.query_one(f"#form-{field}-error", Static).update("")
        self._refresh_keys()

    # -- saving --------------------------------------------------------------------
    def action_save(self) -> None:
        if self.details is None:
            return
        changed = self._changed()
        self._clear_errors()
        self.conflicts = {}
        self._refresh_keys()
        if not changed:
            self._say("Nothing to save: no field was changed.")
            return
        self._say("Saving…")
        self.save(self.record.id, self.details.version, changed)

    @background(DID_NOT_WORK, group="form", exclusive=True)
    def save(self, client_id: int, version: int, changed: dict[str, Any]) -> None:
        try:
            result = type(self).save_values(
                self.engine, self.viewer, client_id, version=version, **changed
            )
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Saved(result))

    def on_field_form_screen_saved(self, message: Saved) -> None:
        done = "saved" if message.result.changes else "nothing changed"
        self.app.notify(
            saved_text(f"{self.record.name}: {done}.", message.result), title=self.TITLE_TEXT
        )
        self.dismiss(None)

    def _release_first_load(self) -> None:
        if self.details is None:
            release_keys(self.app)

    def on_field_form_screen_refused(self, message: Refused) -> None:
        self._release_first_load()
        if isinstance(message.error, StaleVersion):
            self._say("Someone saved this client first: reading their version…")
            self.load(self.record.id, message.error)
            return
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
