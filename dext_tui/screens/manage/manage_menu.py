"""The Manage menu: what can be done to one client, grouped by product (spec section 7)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.data import roles
from dext_tui.data.access import Viewer
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.vocab import PRODUCT_LABELS
from dext_tui.widgets.safe_text import printable


@dataclass(frozen=True)
class ManageAction:
    id: str
    product: str | None  # None: the client as a whole
    label: str
    help: str
    role_action: roles.Action = roles.Action.EDIT_DETAILS  # what the role table must allow


MANAGE_ACTIONS = (
    ManageAction("edit", None, "Edit", "Name, practice code, CRN; deactivate, remove, delete"),
    ManageAction(
        "history",
        None,
        "History",
        "Every change to this client, newest first",
        roles.Action.HISTORY,
    ),
    ManageAction(
        "prepare.access",
        "prepare",
        "Practice Access",
        "Which colleagues see it",
        roles.Action.PRACTICE_ACCESS,
    ),
    ManageAction("prepare.users", "prepare", "Manage Users", "The client's own users"),
    ManageAction("prepare.settings", "prepare", "System Settings", "Business, tax, VAT"),
    ManageAction(
        "precision.access",
        "precision",
        "Practice Access",
        "Which colleagues see it",
        roles.Action.PRACTICE_ACCESS,
    ),
    ManageAction("precision.settings", "precision", "System Settings", "Software, visibility"),
    ManageAction("solo.edit", "solo", "Edit", "CRN, practice code, NI number, postcode"),
)
GROUP_TITLES = {None: "Client", **PRODUCT_LABELS}


def actions_for(record: ClientRecord, viewer: Viewer) -> list[ManageAction]:
    """Only the products the client has (spec section 7), and what the viewer's role
    allows (spec section 6: Practice Access is not offered to standard users); for support
    not yet elevated, the writes too, to be shown disabled (spec 15)."""
    return [
        a
        for a in MANAGE_ACTIONS
        if (a.product is None or record.has(a.product))
        and (
            roles.may(viewer, a.role_action)
            or roles.refusal(viewer, a.role_action) == roles.READ_ONLY
        )
    ]


class ManageOptions(CommandBindings, OptionList):
    BINDING_GROUP_TITLE = "Actions"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted page", in_palette=False),
    )


class ManageMenuScreen(CommandScreen, ModalScreen[str | None]):
    """Returns the chosen action's id, or None; it always acts on `record.id`."""

    COMMANDS_LIST = (
        Command("dismiss(None)", "escape", "Back", "Back to the list"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Manage"

    def __init__(self, record: ClientRecord, viewer: Viewer, highlight: str = "edit") -> None:
        super().__init__()
        self.record = record
        self.viewer = viewer
        self.start_on = highlight  # the page last opened, when coming back from it

    def compose(self) -> ComposeResult:
        record = self.record
        title = f"Manage {printable(record.name)}"
        title += f" · CRN {record.crn}" if record.crn else " · no CRN"
        if record.state != "active":
            title += f" · {record.state.title()}"
        options: list[Option] = []
        group: object = "none yet"
        for action in actions_for(record, self.viewer):
            if action.product != group:
                group = action.product
                options.append(Option(Content.styled(GROUP_TITLES[group], "bold"), disabled=True))
            refused = roles.refusal(self.viewer, action.role_action)
            options.append(
                Option(
                    f"  {action.label}  — {refused or action.help}",
                    id=action.id,
                    disabled=refused is not None,
                )
            )
        with Vertical(id="manage-dialog", classes="dialog"):
            yield Label(Content(title), classes="dialog-title", id="manage-title")
            yield ManageOptions(*options, id="manage-options")
            yield Label(
                hint_line(ManageOptions.COMMANDS_LIST, self.COMMANDS_LIST), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        options = self.query_one(ManageOptions)
        ids = [option.id for option in options.options if not option.disabled]
        options.highlighted = options.get_option_index(
            self.start_on if self.start_on in ids else ("edit" if "edit" in ids else ids[0])
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
