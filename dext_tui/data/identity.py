"""Who is using the app: found at start-up (team member or support person) and re-read at
each write (spec section 6). The Viewer itself lives in viewer.py; which clients they may
see, in scope.py; the practice access grants they may change, in services/access_grants.py."""

from __future__ import annotations

import os
from dataclasses import replace

from sqlalchemy import Connection, Engine, text

from dext_tui.data.support_identity import resolve_support_viewer
from dext_tui.data.viewer import IdentityError, Viewer, os_login_name

__all__ = ["IdentityError", "Viewer", "os_login_name", "reread_viewer", "resolve_viewer"]

# Plain SQL: the start-up path stays clear of the ORM (import time and memory).
_MEMBER = """
SELECT m.id, m.practice_id, p.name, m.name, m.email, m.role, m.can_add_clients, m.active
FROM team_member m JOIN practice p ON p.id = m.practice_id
"""


def resolve_viewer(engine: Engine, email: str | None = None, practice: str | None = None) -> Viewer:
    """`email` (from --user), else DEXT_USER, else the OS login name: a team member, else a
    support person, who then needs `practice` (NAME or ID). A team member never gains
    sight of another practice: `practice` naming another one is refused."""
    email = email or os.environ.get("DEXT_USER") or None
    login = None if email else os_login_name()
    with engine.connect() as connection:
        if email:
            asked_for = f"user {email!r}"
            row = connection.execute(
                text(_MEMBER + " WHERE lower(m.email) = :email"), {"email": email.strip().lower()}
            ).first()
        else:
            asked_for = f"login name {login!r}"
            row = connection.execute(
                text(_MEMBER + " WHERE m.login_name = :login ORDER BY m.id"), {"login": login}
            ).first()
    if row is None:
        if (support := resolve_support_viewer(engine, email, login, practice)) is not None:
            return support
        with engine.connect() as connection:
            if connection.execute(text("SELECT COUNT(*) FROM team_member")).scalar() == 0:
                raise IdentityError(
                    "This database has no practice yet. Try `dext-tui --demo`, or create a demo "
                    "practice with `dext-tui seed --clients 500 --db PATH`."
                )
        raise IdentityError(
            f"No team member matches {asked_for}. Use --user EMAIL or set DEXT_USER "
            "to the email of a team member of this practice."
        )
    member_id, practice_id, practice_name, name, member_email, role, can_add, active = row
    if not active:
        raise IdentityError(f"Team member {member_email} is inactive and cannot sign in.")
    if practice is not None and practice.strip().casefold() not in (
        str(practice_id),
        practice_name.casefold(),
    ):
        raise IdentityError(
            f"{member_email} is a team member of {practice_name} and sees only that practice; "
            "--practice is for support identities."
        )
    return Viewer(
        team_member_id=member_id,
        practice_id=practice_id,
        practice_name=practice_name,
        name=name,
        email=member_email,
        role=role,
        can_add_clients=bool(can_add),
    )


def reread_viewer(connection: Connection, viewer: Viewer) -> Viewer | None:
    """The viewer with their role and right to add clients as stored now (a role changed
    since the app started applies); None once they are no longer an active team member.
    A support viewer is re-checked by data/support.py instead."""
    row = connection.execute(
        text("SELECT role, can_add_clients, active FROM team_member WHERE id = :id"),
        {"id": viewer.team_member_id},
    ).first()
    if row is None or not row.active:
        return None
    return replace(viewer, role=row.role, can_add_clients=bool(row.can_add_clients))
