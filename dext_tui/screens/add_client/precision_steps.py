"""Precision's steps: the organisation in its accounting software, then who sees it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from dext_tui.data.services.new_client import AddClientChoices
from dext_tui.data.vocab import PRECISION_SOFTWARE_LABELS, PRECISION_VISIBILITY_LABELS
from dext_tui.screens.add_client.form import WizardStep, pick_list, shown, text_input
from dext_tui.widgets.toggles import SelectionList


class PrecisionOrganisationStep(WizardStep):
    TITLE = "Organisation"
    FIELDS = ("software", "name", "crn")

    def __init__(self) -> None:
        super().__init__("precision")

    def compose(self) -> ComposeResult:
        yield self.row("software", "Accounting software", pick_list(PRECISION_SOFTWARE_LABELS))
        yield self.row("name", "Organisation name", text_input("as in the accounting software"))
        yield self.row("crn", "CRN", text_input("optional, e.g. 01234567"))
        yield Static(
            "The organisation's name becomes the client's name on the list.", classes="step-note"
        )

    def values(self) -> dict[str, Any]:
        return {
            "software": self.chosen("software") or "",
            "name": self.text("name"),
            "crn": self.text("crn"),
        }

    def has_input(self) -> bool:
        return super().has_input() or self.chosen("software") is not None

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        return [
            ("Accounting software", shown(values["software"], PRECISION_SOFTWARE_LABELS)),
            ("Organisation name", shown(values["name"])),
            ("CRN", shown(values["crn"])),
        ]


class PrecisionTeamStep(WizardStep):
    TITLE = "Visibility and account managers"
    FIELDS = ("visibility", "account_managers")

    def __init__(self) -> None:
        super().__init__("precision")
        self.choices: AddClientChoices | None = None

    def compose(self) -> ComposeResult:
        yield self.row(
            "visibility",
            "Visibility",
            pick_list(PRECISION_VISIBILITY_LABELS, blank=False, value="whole_team"),
        )
        yield Static("", id="precision-team-note", classes="step-intro")
        yield self.row(
            "account_managers", "Account managers", SelectionList[int](compact=True), tall=True
        )

    def show_choices(self, choices: AddClientChoices) -> None:
        self.choices = choices
        managers = self.field("account_managers")
        assert isinstance(managers, SelectionList)
        managers.clear_options()
        note = self.query_one("#precision-team-note", Static)
        if choices.why_no_team_choice:
            note.update(
                choices.why_no_team_choice + " You will have access to the client yourself."
            )
            managers.disabled = True
            self.show_field("account_managers", False)
            return
        note.update(
            "Space ticks a colleague; a standard colleague is given data-health access too."
        )
        managers.add_options([(c.label, c.team_member_id) for c in choices.colleagues])
        if managers.option_count:
            managers.highlighted = 0

    def values(self) -> dict[str, Any]:
        return {
            "visibility": self.chosen("visibility") or "whole_team",
            "account_managers": self.ticked("account_managers"),
        }

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        labels = (
            {c.team_member_id: c.label for c in self.choices.colleagues} if self.choices else {}
        )
        managers = ", ".join(labels.get(i, str(i)) for i in values["account_managers"])
        return [
            ("Visibility", shown(values["visibility"], PRECISION_VISIBILITY_LABELS)),
            ("Account managers", shown(managers)),
        ]
