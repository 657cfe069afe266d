"""`?` help: every key of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from dext_tui.commands import Command, format_keys


class HelpScreen(ModalScreen[None]):
    """Built from the screen's own commands and bindings, so it cannot drift from them."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close"),
        Binding("j", "scroll_down", show=False),
        Binding("k", "scroll_up", show=False),
    ]

    def __init__(self, commands: Iterable[Command], table_bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.commands = tuple(commands)
        self.table_bindings = tuple(table_bindings)

    def compose(self) -> ComposeResult:
        rows = [(format_keys(command.keys), command.help) for command in self.commands]
        rows.append(("esc", "In the search box: clear it and go back to the list"))
        rows.append(("enter / down", "In the search box: go to the results"))
        rows += [(format_keys(binding.key), binding.description) for binding in self.table_bindings]
        width = max(len(keys) for keys, _ in rows) + 2
        text = "\n".join(f"{keys:<{width}}{description}" for keys, description in rows)
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label("Keys on the client list", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Content(text), id="help-keys")
            yield Label("esc close", classes="dialog-hint")

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
