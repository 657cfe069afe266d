"""Support identities kept (spec 15): added, deactivated, listed by a headless command.

Whoever may open the database manages them, as `seed` does: the database's own
access is the boundary. An email already a team member's is refused, so one
address never names two identities (team members resolve first).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text

from dext_tui.data.errors import ServiceError
from dext_tui.data.support_identity import SupportPerson, find_support_person
from dext_tui.data.transactions import read_snapshot, write_lock


def add_support_person(
    engine: Engine, name: str, email: str, login_name: str | None, now: datetime
) -> SupportPerson:
    name, email = " ".join(name.split()), email.strip()
    login_name = (login_name or "").strip() or None
    if not name or len(name) > 200:
        raise ServiceError("A support person needs a name of 1 to 200 characters.")
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise ServiceError(f"{email!r} is not an email address.")
    with write_lock(engine) as connection:
        for table, who in (("team_member", "a team member"), ("support_person", "support")):
            taken = connection.execute(
                text(f"SELECT 1 FROM {table} WHERE lower(email) = :email"),
                {"email": email.lower()},
            ).first()
            if taken:
                raise ServiceError(f"{email} is already {who}'s email; nothing was added.")
        connection.execute(
            text(
                "INSERT INTO support_person (name, email, login_name, active, created_at) "
                "VALUES (:name, :email, :login, :active, :now)"
            ),
            {"name": name, "email": email, "login": login_name, "active": True, "now": now},
        )
        person = find_support_person(connection, email)
    assert person is not None
    return person


def deactivate_support_person(engine: Engine, email: str) -> bool:
    """False when they already were inactive; refused when no support person has `email`."""
    with write_lock(engine) as connection:
        person = find_support_person(connection, email) if email.strip() else None
        if person is None:
            raise ServiceError(f"No support identity has the email {email!r}.")
        if not person.active:
            return False
        connection.execute(
            text("UPDATE support_person SET active = :off WHERE id = :id"),
            {"off": False, "id": person.id},
        )
    return True


def support_people(engine: Engine) -> list[SupportPerson]:
    with read_snapshot(engine) as connection:
        rows = connection.execute(
            text("SELECT id, name, email, login_name, active FROM support_person ORDER BY email")
        ).all()
    return [SupportPerson(r.id, r.name, r.email, r.login_name, bool(r.active)) for r in rows]
