"""Who is using the app, and which clients they may see (spec section 6)."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from dext_tui.data.models import Practice, TeamMember


class IdentityError(Exception):
    """The user could not be identified as an active team member: refuse, never default."""


@dataclass(frozen=True)
class Viewer:
    team_member_id: int
    practice_id: int
    practice_name: str
    name: str
    email: str
    role: str
    can_add_clients: bool

    @property
    def sees_all_clients(self) -> bool:
        """Standard users see only the clients practice access grants them."""
        return self.role != "standard"

    @property
    def sees_removed_clients(self) -> bool:
        """Removed clients stay visible to practice admins only (spec section 5)."""
        return self.role == "practice_admin"


def os_login_name() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return None


def resolve_viewer(engine: Engine, email: str | None = None) -> Viewer:
    """`email` (from --user), else DEXT_USER, else the OS login name."""
    email = email or os.environ.get("DEXT_USER") or None
    with Session(engine) as session:
        if email:
            member = session.exec(
                select(TeamMember).where(func.lower(TeamMember.email) == email.strip().lower())
            ).first()
            asked_for = f"user {email!r}"
        else:
            login = os_login_name()
            member = (
                session.exec(select(TeamMember).where(TeamMember.login_name == login)).first()
                if login
                else None
            )
            asked_for = f"login name {login!r}"
        if member is None:
            raise IdentityError(
                f"No team member matches {asked_for}. Use --user EMAIL or set DEXT_USER "
                "to the email of a team member of this practice."
            )
        if not member.active:
            raise IdentityError(f"Team member {member.email} is inactive and cannot sign in.")
        practice = session.get(Practice, member.practice_id)
        return Viewer(
            team_member_id=member.id,
            practice_id=member.practice_id,
            practice_name=practice.name if practice else "",
            name=member.name,
            email=member.email,
            role=member.role,
            can_add_clients=member.can_add_clients or member.role != "standard",
        )
