"""The steps between the Bulk menu and a colleague action's preview: pick the colleague
(the picker dialog), then, to grant access, the permissions to turn on (spec 14)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, hint_line
from dext_tui.data.services.practice_access import Colleague
from dext_tui.data.vocab import ACCESS_TOGGLE_LABELS, ACCESS_TOGGLES
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.dialogs.picker import Picker
from dext_tui.widgets.safe_text import printable

COLLEAGUE_TITLES = {
    "grant-access": "Grant practice access to",
    "revoke-access": "Revoke the practice access of",
    "set-account-manager": "Make Prepare account manager",
}


class ColleagueOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Colleague list"
    COMMANDS_LIST = (
        Command("select", "enter", "Choose", "Choose the highlighted colleague", in_palette=False),
    )


class BulkColleagueScreen(Picker, CommandScreen, ModalScreen[str | None]):
    """Dismissed with the chosen colleague's team member id (as text), or None."""

    COMMANDS_LIST = (Command("dismiss(None)", "escape", "Back", "Back to the Bulk menu"), HELP)
    BINDING_GROUP_TITLE = "Choose a colleague"
    OPTIONS = ColleagueOptions
    DIALOG_ID = "bulk-colleague-dialog"
    OPTIONS_ID = "bulk-colleague-options"
    DEFAULT_CSS = """
    #bulk-colleague-dialog { width: 70; }
    #bulk-colleague-options { height: auto; max-height: 14; }
    """

    def __init__(self, action: str, colleagues: Iterable[Colleague]) -> None:
        super().__init__()
        self.action = action
        self.colleagues = tuple(colleagues)

    def picker_title(self) -> Content:
        return Content(COLLEAGUE_TITLES.get(self.action, "Choose a colleague"))

    def picker_options(self) -> list[Option]:
        return [
            Option(Content(printable(colleague.label)), id=str(colleague.team_member_id))
            for colleague in self.colleagues
        ]


class ToggleOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Permissions"
    COMMANDS_LIST = (
        Command("select", "enter", "Preview", "Preview granting with these", in_palette=False),
    )


class AccessTogglesScreen(CommandScreen, ModalScreen[tuple[tuple[str, bool], ...] | None]):
    """The permissions a bulk grant turns on (the others off); dismissed with them, or None.
    Each shows [x] or [ ]: readable without colour."""

    COMMANDS_LIST = (
        Command("toggle", "space", "Toggle", "Switch the highlighted permission on or off"),
        Command("done", "ctrl+s,f2", "Preview", "Preview granting with these permissions"),
        Command("dismiss(None)", "escape", "Back", "Back to the Bulk menu"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Permissions to grant"
    DEFAULT_CSS = """
    #bulk-toggles-dialog { width: 60; }
    #bulk-toggles { height: auto; }
    """

    def __init__(self, colleague_name: str) -> None:
        super().__init__()
        self.colleague_name = colleague_name
        # As one client's Practice Access grants by default: bookkeeping on.
        self.values = {name: name == "bookkeeping" for name in ACCESS_TOGGLES}

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-toggles-dialog", classes="dialog"):
            title = f"Grant {printable(self.colleague_name)} access with"
            yield Label(Content(title), classes="dialog-title")
            yield ToggleOptions(
                *(Option(self._prompt(name), id=name) for name in ACCESS_TOGGLES),
                id="bulk-toggles",
            )
            yield Label(hint_line(self.COMMANDS_LIST), classes="dialog-hint")

    def _prompt(self, name: str) -> Content:
        mark = "[x]" if self.values[name] else "[ ]"
        return Content(f"{mark} {ACCESS_TOGGLE_LABELS[name]}")

    def action_toggle(self) -> None:
        options = self.query_one(ToggleOptions)
        if options.highlighted is None:
            return
        name = ACCESS_TOGGLES[options.highlighted]
        self.values[name] = not self.values[name]
        options.replace_option_prompt(name, self._prompt(name))

    def action_done(self) -> None:
        self.dismiss(tuple(self.values.items()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_done()
