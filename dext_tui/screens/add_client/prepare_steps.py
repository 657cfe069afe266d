"""Prepare's steps: the client, then who works on it and its first user."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Select, Static

from dext_tui.data.services.new_client import CONNECT_CHOICES, AddClientChoices
from dext_tui.screens.add_client.form import WizardStep, pick_list, shown, text_input
from dext_tui.widgets.toggles import Checkbox, SelectionList


class PrepareClientStep(WizardStep):
    TITLE = "Client details"
    FIELDS = ("name", "practice_code", "crn", "industry", "connect")

    def __init__(self) -> None:
        super().__init__("prepare")

    def compose(self) -> ComposeResult:
        yield self.row("name", "Client name", text_input("e.g. Riverside Bakery Ltd"))
        yield self.row("practice_code", "Practice code", text_input("optional, e.g. RB-001"))
        yield self.row("crn", "CRN", text_input("optional, e.g. 01234567"))
        yield self.row("industry", "Industry", text_input("optional"))
        yield self.row(
            "connect",
            "Connect software",
            pick_list(CONNECT_CHOICES, blank=False, value="later"),
        )
        yield Static(
            "Xero and Sage can be connected now (the client authorises it in Dext); "
            "other software later.",
            classes="step-note",
        )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.text("name"),
            "practice_code": self.text("practice_code"),
            "crn": self.text("crn"),
            "industry": self.text("industry"),
            "connect": self.chosen("connect") or "later",
        }

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        return [
            ("Client name", shown(values["name"])),
            ("Practice code", shown(values["practice_code"])),
            ("CRN", shown(values["crn"])),
            ("Industry", shown(values["industry"])),
            ("Connect software", shown(values["connect"], CONNECT_CHOICES)),
        ]


class PrepareTeamStep(WizardStep):
    TITLE = "Team and first user"
    FIELDS = ("colleagues", "account_manager", "invite_name", "invite_email")

    def __init__(self, choices: AddClientChoices | None = None) -> None:
        super().__init__("prepare")
        self.choices = choices

    def compose(self) -> ComposeResult:
        yield Static("", id="prepare-team-note", classes="step-intro")
        yield self.row(
            "colleagues", "Colleagues (space)", SelectionList[int](compact=True), tall=True
        )
        yield self.row("account_manager", "Account manager", pick_list({}))
        yield self.row(
            "invite", "First user", Checkbox("Invite the client's first user now", compact=True)
        )
        yield self.row("invite_name", "User's name", text_input())
        yield self.row("invite_email", "User's email", text_input("name@example.com"))

    def on_mount(self) -> None:
        self._show_invite(False)

    def show_choices(self, choices: AddClientChoices) -> None:
        """Colleagues who can be given access (standard ones: admins see every client),
        and everyone for account manager; none when the viewer may not choose."""
        self.choices = choices
        note = self.query_one("#prepare-team-note", Static)
        colleagues = self.field("colleagues")
        manager = self.field("account_manager")
        assert isinstance(colleagues, SelectionList) and isinstance(manager, Select)
        colleagues.clear_options()
        if choices.why_no_team_choice:
            note.update(
                choices.why_no_team_choice + " You will have access to the client yourself."
            )
            colleagues.disabled = manager.disabled = True
            self.show_field("colleagues", False)
            self.show_field("account_manager", False)
            manager.set_options([])
            return
        note.update(
            "Admins see every client by their role; choose the colleagues who also get access."
        )
        colleagues.add_options(
            [(c.label, c.team_member_id) for c in choices.colleagues if not c.by_role]
        )
        if colleagues.option_count:
            colleagues.highlighted = 0
        manager.set_options([(c.label, c.team_member_id) for c in choices.colleagues])

    @on(Checkbox.Changed)
    def invite_changed(self, event: Checkbox.Changed) -> None:
        self._show_invite(event.value)

    def _show_invite(self, invite: bool) -> None:
        for field in ("invite_name", "invite_email"):
            self.show_field(field, invite)

    def inviting(self) -> bool:
        box = self.field("invite")
        assert isinstance(box, Checkbox)
        return box.value

    def values(self) -> dict[str, Any]:
        return {
            "colleagues": self.ticked("colleagues"),
            "account_manager": self.chosen("account_manager"),
            "invite": self.inviting(),
            "invite_name": self.text("invite_name") if self.inviting() else "",
            "invite_email": self.text("invite_email") if self.inviting() else "",
        }

    def has_input(self) -> bool:
        return super().has_input() or self.chosen("account_manager") is not None or self.inviting()

    def _label(self, member_id: int | None) -> str:
        for colleague in self.choices.colleagues if self.choices else ():
            if colleague.team_member_id == member_id:
                return colleague.label
        return "—"

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        colleagues = ", ".join(self._label(i) for i in values["colleagues"]) or "—"
        invited = (
            f"{values['invite_name']} <{values['invite_email']}> (invited now)"
            if self.inviting()
            else "Not now"
        )
        return [
            ("Colleagues", shown(colleagues)),
            ("Account manager", shown(self._label(values["account_manager"]))),
            ("First user", shown(invited)),
        ]
