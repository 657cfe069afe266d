"""The Manage menu: what can be done to one client, grouped by product (spec section 7)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen
from dext_tui.data import roles
from dext_tui.data.client_record import ClientRecord
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.dialogs.picker import Entry, Picker, entry_commands, entry_prompt
from dext_tui.widgets.safe_text import printable


@dataclass(frozen=True)
class ManageAction:
    id: str
    key: str  # picks it from the menu: the same key for every client
    product: str | None  # None: the client as a whole
    label: str
    help: str
    role_action: roles.Action = roles.Action.EDIT_DETAILS  # what the role table must allow

    def entry(self) -> Entry:
        where = f"{PRODUCT_LABELS[self.product]} " if self.product else ""
        return Entry(self.id, self.key, f"{where}{self.label}", f"{where}{self.label}: {self.help}")


MANAGE_ACTIONS = (
    ManageAction("edit", "1", None, "Edit", "Name, practice code, CRN; deactivate, remove, delete"),
    ManageAction(
        "history",
        "2",
        None,
        "History",
        "Every change to this client, newest first",
        roles.Action.HISTORY,
    ),
    ManageAction(
        "prepare.access",
        "3",
        "prepare",
        "Practice Access",
        "Which colleagues see it",
        roles.Action.PRACTICE_ACCESS,
    ),
    ManageAction("prepare.users", "4", "prepare", "Manage Users", "The client's own users"),
    ManageAction("prepare.settings", "5", "prepare", "System Settings", "Business, tax, VAT"),
    ManageAction(
        "precision.access",
        "6",
        "precision",
        "Practice Access",
        "Which colleagues see it",
        roles.Action.PRACTICE_ACCESS,
    ),
    ManageAction("precision.settings", "7", "precision", "System Settings", "Software, visibility"),
    ManageAction("solo.edit", "8", "solo", "Edit", "CRN, practice code, NI number, postcode"),
)
GROUP_TITLES = {None: "Client", **PRODUCT_LABELS}


def actions_for(record: ClientRecord, viewer: Viewer) -> list[ManageAction]:
    """Only the products the client has (spec section 7), none for a removed client (its
    pages would refuse every save: restore it from Edit first), and what the viewer's
    role allows (spec section 6: Practice Access is not offered to standard users); for
    support not yet elevated, the writes too, to be shown disabled (spec 15)."""
    removed = record.state == "removed"
    return [
        a
        for a in MANAGE_ACTIONS
        if (a.product is None or (record.has(a.product) and not removed))
        and (
            roles.may(viewer, a.role_action)
            or roles.refusal(viewer, a.role_action) == roles.READ_ONLY
        )
    ]


class ManageOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Actions"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted page", in_palette=False),
    )


class ManageMenuScreen(Picker, CommandScreen, ModalScreen[str | None]):
    """Returns the chosen action's id, or None; it always acts on `record.id`."""

    COMMANDS_LIST = (
        *entry_commands((action.entry() for action in MANAGE_ACTIONS), "Page"),
        Command("dismiss(None)", "escape", "Back", "Back to the list"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Manage"
    OPTIONS = ManageOptions
    DIALOG_ID = "manage-dialog"
    OPTIONS_ID = "manage-options"
    TITLE_ID = "manage-title"

    def __init__(self, record: ClientRecord, viewer: Viewer, highlight: str = "edit") -> None:
        super().__init__()
        self.record = record
        self.viewer = viewer
        self.start_on = highlight  # the page last opened, when coming back from it

    def picker_title(self) -> Content:
        record = self.record
        title = f"Manage {printable(record.name)}"
        title += f" · CRN {record.crn}" if record.crn else " · no CRN"
        if record.state != "active":
            title += f" · {record.state.title()}"
        return Content(title)

    def picker_options(self) -> list[Option]:
        options: list[Option] = []
        group: object = "none yet"
        for action in actions_for(self.record, self.viewer):
            if action.product != group:
                group = action.product
                options.append(Option(Content.styled(GROUP_TITLES[group], "bold"), disabled=True))
            refused = roles.refusal(self.viewer, action.role_action)
            options.append(
                Option(
                    entry_prompt(action.key, f"{action.label}  — {refused or action.help}"),
                    id=action.id,
                    disabled=refused is not None,
                )
            )
        return options

    def first_highlighted(self, options: OptionList) -> int:
        ids = [option.id for option in options.options if not option.disabled]
        start = self.start_on if self.start_on in ids else ("edit" if "edit" in ids else ids[0])
        return options.get_option_index(start)
