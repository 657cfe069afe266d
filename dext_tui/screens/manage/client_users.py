"""Manage Users (Prepare): the client's own users. Add, edit, change role, deactivate;
the owner is protected and there is always exactly one (spec section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from dext_tui.commands import HELP, Command, CommandScreen, hint_line, offered_hint_line
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.errors import InvalidInput, ServiceError
from dext_tui.data.services import client_users as service
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import CLIENT_USER_ROLE_LABELS
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.manage.client_page import ClientPage
from dext_tui.screens.manage.cursor_table import CursorTable
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.safe_text import printable

USERS_COMMANDS = (
    Command("add", "a", "Add", "Add a user to the client"),
    Command("edit", "e", "Edit", "Edit the highlighted user (enter too): name, email, role"),
    Command("switch_active", "d", "(De)activate", "Deactivate or reactivate the highlighted user"),
    Command("dismiss(None)", "escape", "Back", "Back to the Manage menu"),
    HELP,
)
USER_FORM_COMMANDS = (
    Command("save", "ctrl+s,f2", "Save", "Save this user"),
    Command("dismiss(False)", "escape", "Cancel", "Go back, saving nothing"),
    HELP,
)
ROLE_CHOICES = [(label, role) for role, label in CLIENT_USER_ROLE_LABELS.items()]


class UserFormScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[bool]):
    """Adds a user (`user` None) or edits one; True once saved."""

    COMMANDS_LIST = USER_FORM_COMMANDS
    BINDING_GROUP_TITLE = "User"
    AUTO_FOCUS = "#user-name"

    @dataclass
    class Refused(Message):
        error: ServiceError

    def __init__(
        self, engine, viewer: Viewer, client_id: int, version: int, user, first_user: bool = False
    ) -> None:
        super().__init__()
        self.engine, self.viewer = engine, viewer
        self.client_id, self.version, self.user = client_id, version, user
        self.first_user = first_user  # adding the client's first user: its owner

    def compose(self) -> ComposeResult:
        user = self.user
        with Vertical(classes="dialog"):
            yield Label("Edit user" if user else "Add a user", classes="dialog-title")
            for field, label in (("name", "Name"), ("email", "Email")):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    value = printable(getattr(user, field)) if user else ""
                    yield Input(value, id=f"user-{field}", compact=True)
                yield Static("", id=f"user-{field}-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label("Role", classes="form-label")
                yield Select(
                    ROLE_CHOICES,
                    value=user.role if user else service.role_for_new_user(self.first_user),
                    allow_blank=False,
                    id="user-role",
                    compact=True,
                    disabled=bool(user and user.is_owner),
                )
            yield Static("", id="user-role-error", classes="form-error")
            yield Static("", id="user-status", classes="form-status")
            yield Label(hint_line(USER_FORM_COMMANDS), classes="dialog-hint")

    def action_save(self) -> None:
        values = {
            "name": self.query_one("#user-name", Input).value,
            "email": self.query_one("#user-email", Input).value,
            "role": self.query_one("#user-role", Select).value,
        }
        self.save(values)

    @background(OnFailure("Not saved: {reason}"), group="user", exclusive=True)
    def save(self, values: dict[str, Any]) -> None:
        engine, viewer, client_id = self.engine, self.viewer, self.client_id
        try:
            if self.user is None:
                service.add_client_user(engine, viewer, client_id, version=self.version, **values)
            else:
                version = self.version
                changed = {
                    k: values[k]
                    for k in ("name", "email")
                    if values[k] != printable(getattr(self.user, k))
                }
                if changed:
                    result = service.update_client_user(
                        engine, viewer, client_id, version=version, user_id=self.user.id, **changed
                    )
                    version = result.version_of(client_id) or version
                if values["role"] != self.user.role:
                    service.change_client_user_role(
                        engine,
                        viewer,
                        client_id,
                        version=version,
                        user_id=self.user.id,
                        role=values["role"],
                    )
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.app.call_from_thread(self.dismiss, True)

    def on_user_form_screen_refused(self, message: Refused) -> None:
        error = message.error
        for field in ("name", "email", "role"):
            self.query_one(f"#user-{field}-error", Static).update("")
        if isinstance(error, InvalidInput):
            for problem in error.errors:
                found = self.query(f"#user-{problem.field}-error")
                if found:
                    found.first(Static).update(Content(problem.message))
            text = "Nothing was saved: each field in question says what it needs."
        else:
            text = error.message
        self.query_one("#user-status", Static).update(Content(printable(text)))

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def show_failure(self, text: str) -> None:
        self.query_one("#user-status", Static).update(Content(text))


class ClientUsersScreen(ClientPage, CommandScreen, ModalScreen[None]):
    COMMANDS_LIST = USERS_COMMANDS
    BINDING_GROUP_TITLE = "Manage users"
    STATUS_ID = "users-status"

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine, self.viewer, self.record = engine, viewer, record
        self.users: service.ClientUsers | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog access-dialog"):
            title = f"Prepare · Manage Users · {printable(self.record.name)}"
            yield Label(Content(title), classes="dialog-title")
            yield CursorTable(id="users-table", cursor_type="row", zebra_stripes=True)
            yield Static("Loading…", id="users-status", classes="form-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add user (a)", id="users-add", compact=True)
            yield Label(offered_hint_line(self), id="users-hint", classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and (De)activate act on the highlighted user: not offered with none."""
        if action in ("edit", "switch_active"):
            return self._highlighted() is not None
        return True

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Name", "Email", "Role", "Owner", "State")
        self.load()

    def read_page(self) -> service.ClientUsers:
        return service.load_client_users(self.engine, self.viewer, self.record.id)

    def show_page(self, page: service.ClientUsers) -> None:
        self.users = page
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for user in self.users.users:
            table.add_row(
                printable(user.name),
                printable(user.email),
                CLIENT_USER_ROLE_LABELS.get(user.role, user.role),
                "Owner" if user.is_owner else "",
                "Active" if user.active else "Deactivated",
                key=str(user.id),
            )
        if self.users.users:
            table.move_cursor(row=min(row, len(self.users.users) - 1))
            self.say("")
        else:
            self.say("No users yet: press a to add the first (they become the owner).")
        self.query_one("#users-hint", Label).update(offered_hint_line(self))
        self.refresh_bindings()

    def _highlighted(self):
        if not self.users or not self.users.users:
            return None
        return self.users.users[self.query_one(DataTable).cursor_row]

    def _form(self, user) -> None:
        if self.users is None:
            return
        first = not self.users.users
        form = UserFormScreen(
            self.engine, self.viewer, self.record.id, self.users.version, user, first_user=first
        )
        self.app.push_screen(form, lambda saved: self.load() if saved else None)

    def action_add(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        user = self._highlighted()
        if user is not None:
            self._form(user)

    @on(Button.Pressed, "#users-add")
    def add_pressed(self) -> None:
        self.action_add()

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_switch_active(self) -> None:
        user = self._highlighted()
        if user is None or self.users is None:
            return
        if user.is_owner:
            self.say(f"{user.name} is the owner and cannot be deactivated.")
            return
        if not user.active:
            self.change(service.reactivate_client_user, user.id)
            return
        self.app.push_screen(
            ConfirmScreen(
                f"Deactivate {user.name}?",
                f"{user.name} will no longer be able to sign in to {self.record.name}'s "
                "Prepare account. Their details are kept; you can reactivate them.",
                "Deactivate",
            ),
            lambda yes: self.change(service.deactivate_client_user, user.id) if yes else None,
        )

    def change(self, service_call, user_id: int) -> None:
        assert self.users is not None
        self.save(service_call, self.users.version, {"user_id": user_id})
