"""`?` help: every key of the screen it was opened from, grouped by where it applies."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from dext_tui.commands import Command, CommandScreen, KeyGroup, hint_line, key_groups
from dext_tui.widgets.body_scroll import BodyScroll

HELP_COMMANDS = (
    Command(
        "dismiss(None)", "escape,question_mark,q", "Close", "Close this help", in_palette=False
    ),
    Command("scroll_down", "j", "Down", "Scroll down", show_in_footer=False, in_palette=False),
    Command("scroll_up", "k", "Up", "Scroll up", show_in_footer=False, in_palette=False),
)


class HelpScreen(CommandScreen, ModalScreen[None]):
    """Read from the other screen's live bindings (and its widgets'), so it cannot drift."""

    COMMANDS_LIST = HELP_COMMANDS
    BINDING_GROUP_TITLE = "Help"

    def __init__(self, source: Screen) -> None:
        super().__init__()
        # Read now, while `source` is the active screen with its own focus.
        self.groups: list[KeyGroup] = key_groups(source)

    def compose(self) -> ComposeResult:
        width = max((len(row.keys) for group in self.groups for row in group.rows), default=0)
        parts: list[str | tuple[str, str]] = []
        for group in self.groups:
            if parts:
                parts.append("\n\n")
            parts.append((group.title, "bold"))
            for row in group.rows:
                parts.append(f"\n{row.keys:<{width + 2}}{row.description}")
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            with BodyScroll(id="help-body"):
                yield Static(Content.assemble(*parts), id="help-keys")
            yield Label(hint_line(self.COMMANDS_LIST), classes="dialog-hint")

    def action_scroll_down(self) -> None:
        self.query_one(BodyScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(BodyScroll).scroll_up()
