"""Practice Access (Prepare and Precision): which colleagues work on the client, with
which permissions. Admins are listed as having access by role (spec section 6)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.services import practice_access as service
from dext_tui.data.viewer import Viewer
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.manage.client_page import ClientPage
from dext_tui.screens.manage.cursor_table import CursorTable
from dext_tui.widgets.safe_text import printable

TOGGLES = (
    ("bookkeeping", "Bookkeeping"),
    ("approval", "Approval"),
    ("data_health", "Data health"),
    ("account_manager", "Acct manager"),
)
FIRST_TOGGLE_COLUMN = 2  # after Colleague and Role
ACCESS_COMMANDS = (
    Command("toggle", "space", "Toggle", "Switch the highlighted permission on or off"),
    Command("add", "a", "Add", "Give a colleague access to this client"),
    Command("remove", "x,delete", "Remove", "Take the highlighted colleague's access away"),
    Command("dismiss(None)", "escape", "Back", "Back to the Manage menu"),
    HELP,
)


class PickColleagueScreen(CommandScreen, ModalScreen[int | None]):
    COMMANDS_LIST = (Command("dismiss(None)", "escape", "Back", "Add no one"), HELP)
    BINDING_GROUP_TITLE = "Add a colleague"

    def __init__(self, colleagues: tuple[service.Colleague, ...]) -> None:
        super().__init__()
        self.colleagues = colleagues

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Give access to", classes="dialog-title")
            yield CursorOptions(
                *(Option(printable(c.label), id=str(c.team_member_id)) for c in self.colleagues),
                id="pick-colleague",
            )
            yield Label(hint_line(self.COMMANDS_LIST), classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class PracticeAccessScreen(ClientPage, CommandScreen, ModalScreen[None]):
    COMMANDS_LIST = ACCESS_COMMANDS
    BINDING_GROUP_TITLE = "Practice access"
    TITLE_TEXT = "Practice Access"
    STATUS_ID = "access-status"

    def __init__(self, engine, viewer: Viewer, record: ClientRecord) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.record = record
        self.page: service.PracticeAccessPage | None = None
        self.just_added: int | None = None  # the colleague `a` added: the cursor goes there

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog access-dialog"):
            title = f"{self.TITLE_TEXT} · {printable(self.record.name)}"
            yield Label(Content(title), classes="dialog-title")
            yield CursorTable(id="access-table", cursor_type="cell", zebra_stripes=True)
            yield Static("Loading…", id="access-status", classes="form-status")
            yield Label(hint_line(ACCESS_COMMANDS), classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A viewer whose role may not change access is not offered the keys that do
        (the page says why); the footer and help follow."""
        if action in ("toggle", "add", "remove") and self.page and not self.page.can_change:
            return False
        return True

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Colleague", "Role", *(label for _f, label in TOGGLES))
        self.load()

    def read_page(self) -> service.PracticeAccessPage:
        return service.load_practice_access(self.engine, self.viewer, self.record.id)

    def show_page(self, page: service.PracticeAccessPage) -> None:
        self.page = page
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        for colleague in page.colleagues:
            cells = [printable(colleague.name), colleague.role.replace("_", " ")]
            for field, _label in TOGGLES:
                if colleague.by_role and field != "account_manager":
                    cells.append("by role")
                else:
                    cells.append("✓ on" if getattr(colleague, field) else "· off")
            table.add_row(*cells, key=str(colleague.team_member_id))
        if page.colleagues:
            table.cursor_coordinate = table.validate_cursor_coordinate(self._place(cursor))
        self.say(page.why_not or "")
        self.refresh_bindings()

    def _place(self, cursor: Coordinate) -> Coordinate:
        """Where the cursor goes after a (re)load: on a colleague just added, else where it
        was; always on a permission, where space does something."""
        assert self.page is not None
        row = cursor.row
        ids = [c.team_member_id for c in self.page.colleagues]
        if self.just_added in ids:
            row = ids.index(self.just_added)
            self.just_added = None
        return Coordinate(row, max(cursor.column, FIRST_TOGGLE_COLUMN))

    # -- changes ------------------------------------------------------------------
    def _highlighted(self) -> tuple[service.ColleagueAccess, str | None] | None:
        if self.page is None or not self.page.colleagues:
            return None
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        field = TOGGLES[column - FIRST_TOGGLE_COLUMN][0] if column >= FIRST_TOGGLE_COLUMN else None
        return self.page.colleagues[row], field

    def action_toggle(self) -> None:
        found = self._highlighted()
        if found is None or self.page is None:
            return
        colleague, field = found
        if field is None:
            self.say("Move to a permission column (← →) to switch it.")
            return
        if colleague.by_role and field != "account_manager":
            self.say(f"{colleague.name} sees every client by role: nothing to switch.")
            return
        value = not getattr(colleague, field)
        self.change(
            service.set_practice_access, team_member_id=colleague.team_member_id, **{field: value}
        )

    def action_add(self) -> None:
        if self.page is None:
            return
        if not self.page.can_change:
            self.say(self.page.why_not or "")
            return
        if not self.page.assignable:
            self.say("Every active colleague already has access.")
            return
        self.app.push_screen(PickColleagueScreen(self.page.assignable), self._add_picked)

    def _add_picked(self, member_id: int | None) -> None:
        if member_id:
            self.just_added = member_id
            self.change(service.grant_practice_access, team_member_id=member_id)

    def action_remove(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        colleague, _field = found
        if colleague.by_role:
            self.say(f"{colleague.name} sees every client by role; there is no access to remove.")
            return
        self.app.push_screen(
            ConfirmScreen(
                f"Remove {colleague.name}'s access?",
                f"{colleague.name} will no longer see {self.record.name} or work on it. "
                "Nothing else changes; you can give access again later.",
                "Remove access",
            ),
            lambda yes: (
                self.change(service.remove_practice_access, team_member_id=colleague.team_member_id)
                if yes
                else None
            ),
        )

    def change(self, service_call, **values: Any) -> None:
        if self.page is None:
            return
        self.say("Saving…")
        self.save(service_call, self.page.version, values)


class PrecisionAccessScreen(PracticeAccessScreen):
    COMMANDS_LIST = ACCESS_COMMANDS
    BINDING_GROUP_TITLE = "Precision practice access"
    TITLE_TEXT = "Precision · Practice Access"


class PrepareAccessScreen(PracticeAccessScreen):
    COMMANDS_LIST = ACCESS_COMMANDS
    BINDING_GROUP_TITLE = "Prepare practice access"
    TITLE_TEXT = "Prepare · Practice Access"
