"""Edit a client as a whole: name, practice code, CRN, and its lifecycle (spec sections 5, 7).

Every change goes through the services in a worker: bad input is shown next to
its field, a stale save says who changed the client and keeps what was typed,
and each destructive action is confirmed first, saying exactly what happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dext_tui.commands import HELP, Command, CommandScreen, offered_hint_line
from dext_tui.data import roles
from dext_tui.data.client_record import ClientRecord, load_client_record
from dext_tui.data.errors import ServiceError, StaleVersion
from dext_tui.data.services import clients as services
from dext_tui.data.services.client_products import set_client_products
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS, PRODUCTS
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.manage.form_feedback import leave, saved_text, show_refusal
from dext_tui.screens.manage.stale_merge import merge_message, merge_stale, stale_who
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.toggles import Checkbox

FIELDS = (("name", "Client name"), ("practice_code", "Practice code"), ("crn", "CRN"))

EDIT_COMMANDS = (
    Command("save", "ctrl+s,f2", "Save", "Save the name, practice code and CRN"),
    Command("reload", "ctrl+r", "Reload", "Load the client as it is now (replaces what you typed)"),
    Command(
        "take_theirs",
        "ctrl+t",
        "Theirs",
        "In a field you and a colleague both changed: take their value",
    ),
    Command("back", "escape", "Back", "Back to the list (asks first if you typed changes)"),
    HELP,
)

# Saving, reloading and the lifecycle changes share one group: one at a time.
NOT_SAVED = OnFailure("Nothing was saved: {reason}. Try again.")


@dataclass(frozen=True)
class Lifecycle:
    """A lifecycle action: its button, its key, the service, and what to say after."""

    id: str
    label: str
    service: Callable[..., ChangeResult]
    done: str  # "{name} was removed."
    role_action: roles.Action  # the row of the role table that allows it
    keys: str  # function keys: the name field keeps every ctrl key its editing uses

    def command(self) -> Command:
        # Priority: the key works whichever field or button has the focus.
        return Command(
            self.id,
            self.keys,
            self.label.split()[0],  # "Delete": the hint line fits 80 columns
            f"{self.label} this client (asks first)",
            priority=True,
        )


LIFECYCLE = {
    "deactivate": Lifecycle(
        "deactivate",
        "Deactivate",
        services.deactivate_client,
        "deactivated",
        roles.Action.DEACTIVATE,
        "f3",
    ),
    "reactivate": Lifecycle(
        "reactivate",
        "Reactivate",
        services.reactivate_client,
        "reactivated",
        roles.Action.REACTIVATE,
        "f4",
    ),
    "remove": Lifecycle(
        "remove", "Remove", services.remove_client, "removed", roles.Action.REMOVE, "f6"
    ),
    "restore": Lifecycle(
        "restore", "Restore", services.restore_client, "restored", roles.Action.RESTORE, "f7"
    ),
    "delete": Lifecycle(
        "delete",
        "Delete permanently",
        services.delete_client,
        "deleted",
        roles.Action.DELETE,
        "f8",
    ),
}
LIFECYCLE_COMMANDS = tuple(action.command() for action in LIFECYCLE.values())


def lifecycle_for_state(record: ClientRecord) -> list[str]:
    """What can be done to a client in its state (spec section 5)."""
    if record.state == "removed":
        return ["restore", "delete"]
    first = "deactivate" if record.state == "active" else "reactivate"
    return [first, "remove", "delete"]


def lifecycle_choices(record: ClientRecord, viewer: Viewer) -> list[str]:
    """What this viewer may do to the client in its state (spec sections 5, 6)."""
    return [a for a in lifecycle_for_state(record) if roles.may(viewer, LIFECYCLE[a].role_action)]


def role_limits(record: ClientRecord, viewer: Viewer) -> str:
    """The one line naming what the page does not offer this viewer's role, or ''."""
    withheld = [] if roles.may(viewer, roles.Action.TURN_PRODUCTS) else ["Active in"]
    withheld += [
        LIFECYCLE[a].label
        for a in lifecycle_for_state(record)
        if a not in lifecycle_choices(record, viewer)
    ]
    if not withheld:
        return ""
    return (
        f"{', '.join(withheld)} — your role ({roles.role_label(viewer.role)}) does not "
        "allow this: ask a practice admin."
    )


def consequences(action: str, record: ClientRecord, now: datetime) -> str:
    name = record.name
    if action == "deactivate":
        date = services.reactivation_date(now)
        return (
            f"{name} will be suspended: its product accounts become deactivated and nothing "
            f"new is processed. Its data is kept. It can be reactivated from {date:%d %B %Y}."
        )
    if action == "reactivate":
        return f"{name} becomes active again, each product as it was before deactivation."
    if action == "remove":
        return (
            f"{name} will leave the client list. Its data is kept, and a practice admin can "
            "restore it from the list's Removed filter."
        )
    if action == "restore":
        return f"{name} comes back on the client list, in the state it was removed from."
    return (
        f"{name}, its product accounts, settings and practice access will be deleted "
        "permanently. This cannot be undone. Its history is kept."
    )


DELETED = "deleted"  # what the page returns once the client is gone: back to the list


class EditClientScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[str | None]):
    """Edits client `record.id` only, whatever the list does meanwhile."""

    COMMANDS_LIST = (*EDIT_COMMANDS[:2], *LIFECYCLE_COMMANDS, *EDIT_COMMANDS[2:])
    BINDING_GROUP_TITLE = "Edit client"
    AUTO_FOCUS = "#edit-name"

    @dataclass
    class Saved(Message):
        result: ChangeResult
        done: str  # what to tell the user
        outcome: str | None = None  # DELETED: the list, not the Manage menu, comes next
        name: str | None = None  # the client's name after the save, when it changed

    @dataclass
    class Refused(Message):
        error: ServiceError

    @dataclass
    class Reloaded(Message):
        record: ClientRecord | None
        stale: StaleVersion | None = None  # reloaded to merge a save refused as stale

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.record = record
        self.conflicts: dict[str, str] = {}  # field -> their value, after a stale save

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-dialog", classes="dialog"):
            yield Label(self._title(), classes="dialog-title", id="edit-title")
            # Not a focus stop of its own: every action has a key, and the fields tab.
            with VerticalScroll(id="edit-body", can_focus=False):
                for field, label in FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(label, classes="form-label")
                        yield Input(id=f"edit-{field}", compact=True)
                    yield Static("", id=f"edit-{field}-error", classes="form-error")
                with Horizontal(classes="form-row", id="edit-products"):
                    yield Label("Active in", classes="form-label")
                    for product in PRODUCTS:
                        yield Checkbox(PRODUCT_LABELS[product], id=f"edit-product-{product}")
                yield Static("", id="edit-products-error", classes="form-error")
                yield Static("", id="edit-role-limits")
                yield Static("", id="edit-state")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Save", id="edit-save", variant="primary", compact=True)
                with Horizontal(classes="dialog-buttons", id="edit-lifecycle"):
                    for action in LIFECYCLE.values():
                        variant = "error" if action.id in ("delete", "remove") else "default"
                        yield Button(
                            action.label, id=f"edit-{action.id}", variant=variant, compact=True
                        )
            # Outside the scrolled body: a refusal or result is seen at 80x24 without scrolling.
            yield Static("", id="edit-status", classes="form-status")
            yield Label("", classes="dialog-hint", id="edit-hint")

    def on_mount(self) -> None:
        self._show(self.record)

    def _title(self) -> Content:
        return Content(f"Edit {printable(self.record.name)}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the lifecycle actions the client's state and the viewer's role allow are
        offered (footer, help, palette and hint line follow); save only while editable."""
        if action in LIFECYCLE:
            return action in lifecycle_choices(self.record, self.viewer)
        if action == "save":
            return self.record.state != "removed"
        if action == "take_theirs":
            return bool(self.conflicts)
        return True

    def _refresh_keys(self) -> None:
        """The hint line and the bindings say what is offered now."""
        self.query_one("#edit-hint", Label).update(offered_hint_line(self))
        self.refresh_bindings()

    # -- showing --------------------------------------------------------------
    def _show(self, record: ClientRecord) -> None:
        self.record = record
        self.conflicts = {}
        self.query_one("#edit-title", Label).update(self._title())
        for field, _label in FIELDS:
            self.query_one(f"#edit-{field}", Input).value = self._shown(field)
        for product in PRODUCTS:
            box = self.query_one(f"#edit-product-{product}", Checkbox)
            box.value = record.products.get(product) in ("active", "invited")
        self._show_state()

    def _shown(self, field: str) -> str:
        """A stored value as the field shows it: control characters made visible."""
        return printable(getattr(self.record, field) or "")

    def _show_state(self) -> None:
        record = self.record
        state = {"active": "Active", "removed": "Removed"}.get(record.state, "Deactivated")
        if record.state == "deactivated" and record.deactivated_at:
            again = services.reactivation_date(record.deactivated_at)
            state += f" since {record.deactivated_at:%d %b %Y}; reactivation from {again:%d %b %Y}"
        products = ", ".join(f"{p.title()} {s}" for p, s in record.products.items()) or "none"
        self.query_one("#edit-state", Static).update(
            Content(f"State: {state} · Products: {products}")
        )
        choices = lifecycle_choices(record, self.viewer)
        for action in LIFECYCLE:
            self.query_one(f"#edit-{action}", Button).display = action in choices
        editable = record.state != "removed"
        for field, _label in FIELDS:
            self.query_one(f"#edit-{field}", Input).disabled = not editable
        may_turn = roles.may(self.viewer, roles.Action.TURN_PRODUCTS)
        for product in PRODUCTS:  # products change with the lifecycle unless active
            box = self.query_one(f"#edit-product-{product}", Checkbox)
            box.disabled = record.state != "active" or not may_turn
        limits_text = role_limits(record, self.viewer)
        limits = self.query_one("#edit-role-limits", Static)
        limits.update(Content(limits_text))
        limits.display = bool(limits_text)
        self.query_one("#edit-save", Button).display = editable
        self._refresh_keys()
        if not editable and (self.focused is None or self.focused.disabled):
            # A removed client: the focus starts on what can be done to it.
            buttons = [self.query_one(f"#edit-{a}", Button) for a in choices]
            if buttons:
                self.set_focus(buttons[0])

    def show_failure(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        self.query_one("#edit-status", Static).update(Content(printable(text)))

    def _clear_errors(self) -> None:
        for field, _label in FIELDS:
            self.query_one(f"#edit-{field}-error", Static).update("")
        self.query_one("#edit-products-error", Static).update("")
        self._say("")

    def _typed(self) -> dict[str, str]:
        """The fields the user changed (only those are sent: a stored value shown with
        its control characters made visible is not rewritten unless edited)."""
        typed = {field: self.query_one(f"#edit-{field}", Input).value for field, _ in FIELDS}
        return {field: value for field, value in typed.items() if value != self._shown(field)}

    def _products_wanted(self) -> dict[str, bool]:
        """The products whose box now differs from the client's: product -> active."""
        wanted = {}
        for product in PRODUCTS:
            ticked = self.query_one(f"#edit-product-{product}", Checkbox).value
            if ticked != (self.record.products.get(product) in ("active", "invited")):
                wanted[product] = ticked
        return wanted

    def _unsaved(self) -> bool:
        return bool(self._typed()) or bool(self._products_wanted())

    # -- saving -------------------------------------------------------------------
    def action_save(self) -> None:
        if self.record.state == "removed":
            return
        self._clear_errors()
        self.conflicts = {}
        self._refresh_keys()
        self._say("Saving…")
        self.save(self.record.id, self.record.version, self._typed(), self._products_wanted())

    @background(NOT_SAVED, group="edit", exclusive=True)
    def save(
        self, client_id: int, version: int, typed: dict[str, str], products: dict[str, bool]
    ) -> None:
        try:
            result = services.update_client(
                self.engine, self.viewer, client_id, version=version, **typed
            )
            if products:
                version = result.version_of(client_id) or version
                result = set_client_products(
                    self.engine, self.viewer, client_id, version=version, active_in=products
                )
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        done = "saved" if result.changes or typed else "unchanged: nothing to save"
        self.post_message(self.Saved(result, done, name=typed.get("name")))

    def on_edit_client_screen_saved(self, message: Saved) -> None:
        name = message.name or self.record.name  # after a rename, the new name
        self.app.notify(saved_text(f"{name}: {message.done}.", message.result), title="Edit client")
        self.dismiss(message.outcome)

    def on_edit_client_screen_refused(self, message: Refused) -> None:
        if isinstance(message.error, StaleVersion):
            self._say("Someone saved this client first: reading their version…")
            self.reload_record(self.record.id, message.error)
            return
        show_refusal(self, message.error, "edit", self._say)

    # -- reloading -----------------------------------------------------------------
    def action_reload(self) -> None:
        self._clear_errors()
        self.reload_record(self.record.id)

    @background(NOT_SAVED, group="edit", exclusive=True)
    def reload_record(self, client_id: int, stale: StaleVersion | None = None) -> None:
        record = load_client_record(self.engine, self.viewer, client_id)
        self.post_message(self.Reloaded(record, stale))

    def on_edit_client_screen_reloaded(self, message: Reloaded) -> None:
        if message.record is None:
            self._say("This client no longer exists or is not shared with you.")
            return
        if message.stale is not None:
            self._merge(message.record, message.stale)
            return
        self._show(message.record)
        self._say("Loaded the client as it is now.")

    def _field_values(self) -> tuple[dict[str, object], dict[str, object]]:
        """(what the page showed, what it holds now) for every field and product box."""
        shown: dict[str, object] = {f: self._shown(f) for f, _label in FIELDS}
        held: dict[str, object] = {
            f: self.query_one(f"#edit-{f}", Input).value for f, _label in FIELDS
        }
        for product in PRODUCTS:
            shown[product] = self.record.products.get(product) in ("active", "invited")
            held[product] = self.query_one(f"#edit-product-{product}", Checkbox).value
        return shown, held

    def _merge(self, fresh: ClientRecord, stale: StaleVersion) -> None:
        """Their version underneath, what the user typed on top: only a field both
        changed is left to choose (theirs shown under it)."""
        base, mine = self._field_values()
        self._show(fresh)
        _shown, theirs = self._field_values()
        merge = merge_stale(base, mine, theirs)
        for field, _label in FIELDS:
            self.query_one(f"#edit-{field}", Input).value = str(merge.values[field])
        for product in PRODUCTS:
            box = self.query_one(f"#edit-product-{product}", Checkbox)
            box.value = bool(merge.values[product])
        self.conflicts = {f: str(theirs) for f, theirs in merge.conflicts.items()}
        for field, theirs_value in self.conflicts.items():
            self.query_one(f"#edit-{field}-error", Static).update(
                Content(f"Theirs: {theirs_value}")
            )
        self._refresh_keys()
        labels = {**dict(FIELDS), **PRODUCT_LABELS}
        self._say(merge_message(stale_who(stale), merge, labels))

    def action_take_theirs(self) -> None:
        field = (self.focused.id or "").removeprefix("edit-") if self.focused else ""
        if field not in self.conflicts:
            self._say("Put the cursor in a field marked Theirs, then ctrl+t takes it.")
            return
        self.query_one(f"#edit-{field}", Input).value = self.conflicts.pop(field)
        self.query_one(f"#edit-{field}-error", Static).update("")
        self._refresh_keys()

    # -- lifecycle ------------------------------------------------------------------
    @on(Button.Pressed, "#edit-lifecycle Button")
    def lifecycle_pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self._ask_lifecycle(event.button.id.removeprefix("edit-"))

    def action_deactivate(self) -> None:
        self._ask_lifecycle("deactivate")

    def action_reactivate(self) -> None:
        self._ask_lifecycle("reactivate")

    def action_remove(self) -> None:
        self._ask_lifecycle("remove")

    def action_restore(self) -> None:
        self._ask_lifecycle("restore")

    def action_delete(self) -> None:
        self._ask_lifecycle("delete")

    def _ask_lifecycle(self, action_id: str) -> None:
        if action_id not in lifecycle_choices(self.record, self.viewer):
            return
        action = LIFECYCLE[action_id]
        record = self.record
        self.app.push_screen(
            ConfirmScreen(
                f"{action.label} {record.name}?",
                consequences(action.id, record, services.utc_now()),
                action.label,
                type_to_confirm=record.name if action.id == "delete" else "",
            ),
            lambda confirmed: self._run_lifecycle(action, confirmed),
        )

    def _run_lifecycle(self, action: Lifecycle, confirmed: bool | None) -> None:
        if confirmed:
            self._say(f"{action.label}…")
            self.change_lifecycle(action, self.record.id, self.record.version)

    @background(NOT_SAVED, group="edit", exclusive=True)
    def change_lifecycle(self, action: Lifecycle, client_id: int, version: int) -> None:
        try:
            result = action.service(self.engine, self.viewer, client_id, version=version)
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(
            self.Saved(result, action.done, DELETED if action.id == "delete" else None)
        )

    # -- leaving -------------------------------------------------------------------
    def action_back(self) -> None:
        leave(self, self._unsaved())

    @on(Button.Pressed, "#edit-save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def field_submitted(self) -> None:
        self.action_save()
