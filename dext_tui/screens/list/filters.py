"""Narrow the client list by product status, integration, client state or missing code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.client_query import ClientFilters
from dext_tui.data.vocab import (
    CLIENT_STATE_LABELS,
    INTEGRATION_STATUS_LABELS,
    INTEGRATION_STATUSES,
    PRODUCT_STATUS_LABELS,
    PRODUCT_STATUSES,
)

_PRODUCT_CHOICES = [
    ("Not set up" if status == "not_set_up" else PRODUCT_STATUS_LABELS[status], status)
    for status in PRODUCT_STATUSES
]
_INTEGRATION_CHOICES = [(INTEGRATION_STATUS_LABELS[s], s) for s in INTEGRATION_STATUSES]

FILTERS_COMMANDS = (
    Command("apply", "ctrl+s,f2", "Apply", "Show only the clients that match these filters"),
    Command("reset", "ctrl+r", "Clear all", "Clear every field here (apply to show every client)"),
    Command("dismiss(None)", "escape", "Back", "Go back to the list, changing nothing"),
    Command(
        "app.focus_next",
        "tab",
        "Next",
        "Go to the next field",
        show_in_footer=False,
        in_palette=False,
    ),
    Command(
        "app.focus_previous",
        "shift+tab",
        "Previous",
        "Go to the previous field",
        show_in_footer=False,
        in_palette=False,
    ),
    HELP,
)


class FiltersScreen(CommandScreen, ModalScreen[ClientFilters | None]):
    """Returns the new filters, or None when dismissed without applying."""

    COMMANDS_LIST = FILTERS_COMMANDS
    BINDING_GROUP_TITLE = "Filters"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, filters: ClientFilters, can_see_removed: bool) -> None:
        super().__init__()
        self.filters = filters
        self.can_see_removed = can_see_removed

    def _select(self, field: str, choices: list[tuple[str, str]], prompt: str) -> Select:
        return Select(
            choices,
            prompt=prompt,
            value=getattr(self.filters, field) or Select.NULL,
            id=f"filter-{field}",
            compact=True,
        )

    def compose(self) -> ComposeResult:
        states = [("Active", "active"), ("Deactivated", "deactivated")]
        if self.can_see_removed:
            states.append((CLIENT_STATE_LABELS["removed"], "removed"))
        # The whole dialog scrolls, so every field and button is reachable on a small terminal.
        with VerticalScroll(id="filters-dialog", classes="dialog", can_focus=False):
            yield Label("Filter clients", classes="dialog-title")
            for field, label in (
                ("prepare", "Prepare"),
                ("precision", "Precision"),
                ("solo", "Solo"),
            ):
                with Horizontal(classes="filter-row"):
                    yield Label(label, classes="filter-label")
                    yield self._select(field, _PRODUCT_CHOICES, "Any status")
            with Horizontal(classes="filter-row"):
                yield Label("Integration", classes="filter-label")
                yield self._select("integration", _INTEGRATION_CHOICES, "Any")
            with Horizontal(classes="filter-row"):
                yield Label("Client state", classes="filter-label")
                yield self._select("state", states, "Active and deactivated")
            with Horizontal(classes="filter-row"):
                yield Label("Practice code", classes="filter-label")
                yield Select(
                    [("Missing", "missing")],
                    prompt="Any",
                    value="missing" if self.filters.no_practice_code else Select.NULL,
                    id="filter-code",
                    compact=True,
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", id="apply", variant="primary", compact=True)
                yield Button("Clear all", id="reset", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label(hint_line(self.COMMANDS_LIST), classes="dialog-hint")

    def _value(self, field: str) -> str | None:
        value = self.query_one(f"#filter-{field}", Select).value
        return None if value is Select.NULL else str(value)

    def chosen_filters(self) -> ClientFilters:
        return ClientFilters(
            prepare=self._value("prepare"),
            precision=self._value("precision"),
            solo=self._value("solo"),
            integration=self._value("integration"),
            state=self._value("state"),
            no_practice_code=self._value("code") == "missing",
        )

    def action_apply(self) -> None:
        self.dismiss(self.chosen_filters())

    def action_reset(self) -> None:
        """Clear the fields only: the dialog stays open, so the next keys still act here."""
        for select in self.query(Select):
            select.clear()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "reset":
            self.action_reset()
        else:
            self.dismiss(None)
