"""The Bulk menu: what can be done to the marked clients at once (spec 14)."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.data.errors import ServiceError
from dext_tui.data.identity import Viewer
from dext_tui.data.services.bulk_actions import BulkRequest
from dext_tui.data.services.practice_access import Colleague
from dext_tui.screens.bulk.bulk_colleague import AccessTogglesScreen, BulkColleagueScreen
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background

# (choice, label, what it does); the choice is a BulkAction's value, or "export"
BULK_CHOICES = (
    ("deactivate", "Deactivate", "every product of each client"),
    ("reactivate", "Reactivate", "deactivated 120 days ago or more"),
    ("remove", "Remove", "off the list; a practice admin can restore"),
    ("restore", "Restore", "removed clients back onto the list"),
    ("grant-access", "Grant access", "give a colleague practice access"),
    ("revoke-access", "Revoke access", "take a colleague's access away"),
    ("set-account-manager", "Account manager", "set the Prepare account manager"),
    ("export", "Export", "the marked clients as a CSV file"),
)
KEYS = "drmogkae"  # each choice's key, in BULK_CHOICES order
COLLEAGUE_CHOICES = ("grant-access", "revoke-access", "set-account-manager")
# The failure dialog; its Retry (r) reads them again for the same action.
COLLEAGUES_UNREAD = OnFailure(
    "Could not read the colleagues",
    retry=lambda screen: screen.read_colleagues(screen.colleague_action),
)


def bulk_title(action: str | BulkRequest, count: int) -> str:
    """The preview's title: 'Deactivate 38 marked clients'."""
    name = str(action.action if isinstance(action, BulkRequest) else action)
    doing = {
        "grant-access": "Grant access to",
        "revoke-access": "Revoke access to",
        "set-account-manager": "Set the Prepare account manager of",
    }.get(name, name.capitalize())
    return f"{doing} {count:,} marked client{'' if count == 1 else 's'}"


class BulkOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Bulk actions"
    COMMANDS_LIST = (
        Command("select", "enter", "Preview", "Preview the highlighted action", in_palette=False),
    )


class BulkMenuScreen(ReportsWorkerFailures, CommandScreen, ModalScreen["str | BulkRequest | None"]):
    """Dismissed with the chosen action ("deactivate", …, "export"), a BulkRequest naming
    the colleague (and permissions) for the colleague actions, or None."""

    DEFAULT_CSS = """
    #bulk-options { height: auto; }
    """

    COMMANDS_LIST = (
        Command("dismiss('deactivate')", "d", "Deactivate", "Preview deactivating them"),
        Command("dismiss('reactivate')", "r", "Reactivate", "Preview reactivating them"),
        Command("dismiss('remove')", "m", "Remove", "Preview removing them"),
        Command("dismiss('restore')", "o", "Restore", "Preview restoring them"),
        Command(
            "colleague('grant-access')",
            "g",
            "Grant access",
            "Give a colleague practice access to them, with its permissions",
        ),
        Command(
            "colleague('revoke-access')",
            "k",
            "Revoke access",
            "Take a colleague's practice access to them away",
        ),
        Command(
            "colleague('set-account-manager')",
            "a",
            "Account manager",
            "Make a colleague their Prepare account manager",
        ),
        Command("dismiss('export')", "e", "Export", "Export the marked clients as CSV"),
        Command("dismiss(None)", "escape", "Back", "Back to the list"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Bulk actions"

    def __init__(
        self, marked: int, engine: Engine | None = None, viewer: Viewer | None = None
    ) -> None:
        super().__init__()
        self.marked = marked
        self.engine = engine  # to read the colleagues the colleague actions offer
        self.viewer = viewer
        self.colleague_action = ""  # the colleague action being prepared

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-dialog", classes="dialog"):
            noun = "client" if self.marked == 1 else "clients"
            yield Label(Content(f"Bulk: {self.marked:,} marked {noun}"), classes="dialog-title")
            yield BulkOptions(
                *(
                    Option(Content(f"{label} ({key})  — {text}"), id=choice)
                    for (choice, label, text), key in zip(BULK_CHOICES, KEYS, strict=True)
                ),
                id="bulk-options",
            )
            yield Label(
                "Each shows a preview first; nothing changes until you apply it.",
                classes="dialog-hint",
            )
            yield Label(
                hint_line(BulkOptions.COMMANDS_LIST, self.COMMANDS_LIST[-2:-1]),
                classes="dialog-hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in COLLEAGUE_CHOICES:
            self.action_colleague(event.option.id)
        else:
            self.dismiss(event.option.id)

    # -- the colleague actions: pick the colleague, then (to grant) the permissions ------
    def action_colleague(self, action: str) -> None:
        if self.engine is None or self.viewer is None:
            return
        self.colleague_action = action
        self.read_colleagues(action)

    @background(COLLEAGUES_UNREAD, group="colleagues", exclusive=True)
    def read_colleagues(self, action: str) -> None:
        from dext_tui.data.services.bulk_actions import bulk_colleagues

        assert self.engine is not None and self.viewer is not None
        try:
            found = bulk_colleagues(self.engine, self.viewer, action)
        except ServiceError as refusal:
            self.app.call_from_thread(self._refused, refusal.message)
            return
        self.app.call_from_thread(self._pick_colleague, action, found)

    def _refused(self, reason: str) -> None:
        self.notify(reason, title="Bulk actions", severity="warning")

    def _pick_colleague(self, action: str, found: list[Colleague]) -> None:
        if not found:
            self._refused("No colleague to choose for this action.")
            return
        names = {str(colleague.team_member_id): colleague.name for colleague in found}

        def chosen(member: str | None) -> None:
            if member is None:
                return
            request = BulkRequest.of(action, int(member))
            if action != "grant-access":
                self.dismiss(request)
                return

            def toggled(toggles: tuple[tuple[str, bool], ...] | None) -> None:
                if toggles is not None:
                    self.dismiss(BulkRequest.of(action, int(member), dict(toggles)))

            self.app.push_screen(AccessTogglesScreen(names[member]), toggled)

        self.app.push_screen(BulkColleagueScreen(action, found), chosen)
