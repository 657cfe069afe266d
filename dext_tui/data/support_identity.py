"""Support identities found (spec 15): by resolve_viewer's rule, once no team member
matched, then as a viewer of the one practice they name, unless it turned support off.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from dext_tui.data.roles import SUPPORT
from dext_tui.data.safe_text import printable
from dext_tui.data.transactions import read_snapshot
from dext_tui.data.viewer import IdentityError, Viewer

ACCESS_OFF = "this practice has turned off support access"

_PERSON = "SELECT id, name, email, login_name, active FROM support_person"


@dataclass(frozen=True)
class SupportPerson:
    id: int
    name: str
    email: str
    login_name: str | None
    active: bool


@dataclass(frozen=True)
class PracticeChoice:
    """A practice a support person may open."""

    id: int
    name: str
    clients: int
    products: tuple[str, ...]
    support_access: bool


class SupportNeedsPractice(IdentityError):
    """A support identity named no practice: the TUI's picker, or --practice headless."""

    def __init__(self, person: SupportPerson) -> None:
        super().__init__(
            f"{person.email} is a support identity: name the practice to open with "
            "--practice NAME|ID."
        )
        self.person = person


def find_support_person(
    connection: Connection, email: str | None, login: str | None = None
) -> SupportPerson | None:
    """By email (case-insensitive), else by the OS login name: resolve_viewer's rule."""
    if email:
        row = connection.execute(
            text(_PERSON + " WHERE lower(email) = :email"), {"email": email.strip().lower()}
        ).first()
    else:
        row = connection.execute(
            text(_PERSON + " WHERE login_name = :login ORDER BY id"), {"login": login}
        ).first()
    return (
        SupportPerson(row.id, row.name, row.email, row.login_name, bool(row.active))
        if row
        else None
    )


def resolve_support_viewer(
    engine: Engine, email: str | None, login: str | None, practice: str | None
) -> Viewer | None:
    """The support person as a viewer of `practice`; None when no support person matches."""
    with engine.connect() as connection:
        person = find_support_person(connection, email, login)
        if person is None:
            return None
        if not person.active:
            raise IdentityError(f"Support identity {person.email} is inactive and cannot sign in.")
        if practice is None:
            raise SupportNeedsPractice(person)
        row = _find_practice(connection, practice)
    return support_viewer(person, row)


def support_viewer(person: SupportPerson, practice: PracticeChoice) -> Viewer:
    """`person` on behalf of `practice`, read-only; refused when it turned support off."""
    if not practice.support_access:
        raise IdentityError(f"{practice.name}: {ACCESS_OFF}.")
    return Viewer(
        team_member_id=None,
        practice_id=practice.id,
        practice_name=practice.name,
        name=person.name,
        email=person.email,
        role=SUPPORT,
        can_add_clients=False,
        support_person_id=person.id,
    )


def _find_practice(connection: Connection, wanted: str) -> PracticeChoice:
    """A practice by id, else by its whole name (any case); several of that name: refused."""
    wanted = wanted.strip()
    if wanted.isascii() and wanted.isdigit():
        rows = connection.execute(text(_PRACTICES + " WHERE p.id = :id"), {"id": int(wanted)}).all()
    else:
        rows = connection.execute(
            text(_PRACTICES + " WHERE lower(p.name) = :name"), {"name": wanted.lower()}
        ).all()
    if not rows:
        raise IdentityError(f"No practice matches {printable(wanted)!r} (a practice's name or id).")
    if len(rows) > 1:
        ids = ", ".join(str(row.id) for row in rows[:10])
        raise IdentityError(
            f"{len(rows)} practices are named {printable(wanted)!r}: use the id (one of {ids})."
        )
    return _choice(rows[0], clients=0)


_PRACTICES = (
    "SELECT p.id, p.name, p.has_prepare, p.has_precision, p.has_solo, p.support_access "
    "FROM practice p"
)


def _choice(row, clients: int) -> PracticeChoice:
    products = tuple(
        name
        for name, has in (("Prepare", row.has_prepare), ("Precision", row.has_precision),
                          ("Solo", row.has_solo))
        if has
    )  # fmt: skip
    return PracticeChoice(row.id, row.name, clients, products, bool(row.support_access))


def practice_choices(engine: Engine) -> list[PracticeChoice]:
    """Every practice with its number of clients (not removed), for the picker."""
    with read_snapshot(engine) as connection:
        counts = dict(
            connection.execute(
                text(
                    "SELECT practice_id, COUNT(*) FROM client WHERE state <> 'removed' "
                    "GROUP BY practice_id"
                )
            ).all()
        )
        rows = connection.execute(text(_PRACTICES + " ORDER BY p.name, p.id")).all()
    return [_choice(row, counts.get(row.id, 0)) for row in rows]
