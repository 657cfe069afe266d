"""The demo practice's colleagues, one of each role, and their rows."""

from __future__ import annotations

from dataclasses import dataclass

from dext_tui.data.seed.words import PRACTICE_ID, Row

DEMO_ADMIN_EMAIL = "admin@demo-practice.example"


@dataclass(frozen=True)
class TeamMemberSpec:
    """A colleague of the demo practice; `access_share` is the part of all
    clients a standard user is granted."""

    name: str
    login_name: str
    role: str
    email: str = ""
    can_add_clients: bool = False
    active: bool = True
    access_share: float = 0.0

    def email_address(self) -> str:
        return self.email or f"{self.login_name}@demo-practice.example"


DEMO_TEAM = (
    TeamMemberSpec("Sam Harbour", "demo", "practice_admin", email=DEMO_ADMIN_EMAIL),
    TeamMemberSpec("Olivia Vale", "ovale", "practice_admin"),
    TeamMemberSpec("Rajesh Kumar", "rkumar", "client_admin"),
    TeamMemberSpec("Fiona MacLeod", "fmacleod", "client_admin"),
    TeamMemberSpec("Tom Okafor", "tokafor", "standard", can_add_clients=True, access_share=0.10),
    TeamMemberSpec("Aisling Byrne", "abyrne", "standard", can_add_clients=True, access_share=0.08),
    TeamMemberSpec("Megan Lloyd", "mlloyd", "standard", access_share=0.07),
    TeamMemberSpec("Wojciech Nowak", "wnowak", "standard", access_share=0.06),
    TeamMemberSpec("Grace Adeyemi", "gadeyemi", "standard", access_share=0.05),
    TeamMemberSpec("Harry Fenwick", "hfenwick", "standard", active=False, access_share=0.05),
)


def team_rows() -> list[Row]:
    return [
        {
            "id": member_id,
            "practice_id": PRACTICE_ID,
            "name": spec.name,
            "email": spec.email_address(),
            "login_name": spec.login_name,
            "role": spec.role,
            "can_add_clients": spec.can_add_clients,
            "active": spec.active,
        }
        for member_id, spec in enumerate(DEMO_TEAM, start=1)
    ]
