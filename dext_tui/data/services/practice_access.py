"""Practice Access (spec sections 6, 7): which colleagues work on a client, and how.

Practice admins and client admins see every client by their role; a standard
user sees a client only through a practice access row, which also carries the
toggles: bookkeeping access and approval permission (Prepare), data-health
access (Precision), and account manager. The Prepare and Precision pages show
the same rows. Only practice admins and client admins change access, and only
a practice admin changes a practice admin's (a client admin cannot manage
practice admins). Every change is one audit event naming the client, so a
standard user whose access is removed sees the client leave their list.

Audit events carry the colleague as `team_member` ("Name <email>") in both
`before` and `after`: it says whose access changed, beside the toggles that did.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, delete, or_, select

from dext_tui.data.errors import NotAllowed
from dext_tui.data.models import PracticeAccess, TeamMember
from dext_tui.data.roles import (
    Action,
    may_change_access_of,
    refusal,
    roles_that_may,
    sees_every_client,
)
from dext_tui.data.services import fields
from dext_tui.data.services.access_grants import access_row, grant_access, set_access_toggles
from dext_tui.data.services.client_changes import changing_client, commit_change, read_client
from dext_tui.data.services.clients import UNCHANGED
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import ACCESS_TOGGLE_LABELS, ACCESS_TOGGLES, ROLE_LABELS

_ROLE_ORDER = {"practice_admin": 0, "client_admin": 1, "standard": 2}


@dataclass(frozen=True)
class ColleagueAccess:
    """One colleague's access to the client, as the Practice Access page lists it."""

    team_member_id: int
    name: str
    email: str
    role: str
    active: bool
    by_role: bool  # an admin: sees every client whatever the toggles say
    granted: bool  # has a practice access row for this client
    bookkeeping: bool
    approval: bool
    data_health: bool
    account_manager: bool
    changeable: bool  # the viewer may change this colleague's access

    @property
    def label(self) -> str:
        return member_label(self.name, self.email)


@dataclass(frozen=True)
class Colleague:
    team_member_id: int
    name: str
    email: str

    @property
    def label(self) -> str:
        return member_label(self.name, self.email)


@dataclass(frozen=True)
class PracticeAccessPage:
    client_id: int
    client_name: str
    version: int  # the client's, to save against
    colleagues: tuple[ColleagueAccess, ...]  # admins (by role), then colleagues granted access
    assignable: tuple[Colleague, ...]  # active standard colleagues who could be granted access
    why_not: str | None  # why the viewer may not change access; None when they may

    @property
    def can_change(self) -> bool:
        return self.why_not is None


def member_label(name: str, email: str) -> str:
    return f"{name} <{email}>"


def _bools(row: Row) -> dict[str, bool]:
    return {toggle: bool(getattr(row, toggle)) for toggle in ACCESS_TOGGLES}


def access_rows(connection: Connection, practice_id: int, client_id: int) -> list[Row]:
    """Every admin of the practice (active) and every colleague with a row for the client,
    with their toggles (NULL where they have no row)."""
    member, access = TeamMember.__table__, PracticeAccess.__table__
    query = (
        select(
            member.c.id,
            member.c.name,
            member.c.email,
            member.c.role,
            member.c.active,
            access.c.team_member_id.label("granted"),
            *(access.c[toggle] for toggle in ACCESS_TOGGLES),
        )
        .select_from(
            member.outerjoin(
                access,
                and_(access.c.team_member_id == member.c.id, access.c.client_id == client_id),
            )
        )
        .where(
            member.c.practice_id == practice_id,
            or_(
                access.c.team_member_id.is_not(None),
                and_(member.c.active, member.c.role.in_(roles_that_may(Action.SEE_ALL_CLIENTS))),
            ),
        )
    )
    return list(connection.execute(query))


def load_practice_access(engine: Engine, viewer: Viewer, client_id: int) -> PracticeAccessPage:
    """Who works on the client and with which toggles; ClientNotFound out of scope."""

    def read(connection: Connection, client: Row) -> PracticeAccessPage:
        colleagues = [
            ColleagueAccess(
                team_member_id=row.id,
                name=row.name,
                email=row.email,
                role=row.role,
                active=bool(row.active),
                by_role=sees_every_client(row.role),
                granted=row.granted is not None,
                **_bools(row),
                changeable=may_change_access_of(viewer, row.role),
            )
            for row in access_rows(connection, viewer.practice_id, client.id)
        ]
        colleagues.sort(key=lambda c: (_ROLE_ORDER.get(c.role, 3), c.name.casefold(), c.email))
        member, access = TeamMember.__table__, PracticeAccess.__table__
        has_access = (
            select(access.c.team_member_id)
            .where(access.c.team_member_id == member.c.id, access.c.client_id == client.id)
            .exists()
        )
        assignable = connection.execute(
            select(member.c.id, member.c.name, member.c.email).where(
                member.c.practice_id == viewer.practice_id,
                member.c.active,
                member.c.role == "standard",
                ~has_access,
            )
        ).all()
        return PracticeAccessPage(
            client_id=client.id,
            client_name=client.name,
            version=client.version,
            colleagues=tuple(colleagues),
            assignable=tuple(
                sorted(
                    (Colleague(*row) for row in assignable),
                    key=lambda c: (c.name.casefold(), c.email),
                )
            ),
            why_not=refusal(viewer, Action.PRACTICE_ACCESS),
        )

    return read_client(engine, viewer, client_id, read)


# -- changing access ------------------------------------------------------------------
def _toggle_values(given: dict[str, Any]) -> dict[str, bool]:
    return fields.collect(
        {
            name: (
                value,
                partial(fields.on_off, field=name, label=ACCESS_TOGGLE_LABELS[name]),
            )
            for name, value in given.items()
        },
        UNCHANGED,
    )


def _member(writer: Writer, team_member_id: int) -> Row:
    """The colleague whose access changes: of this practice, and the viewer may change it."""
    table = TeamMember.__table__
    member = writer.connection.execute(
        select(table.c.id, table.c.name, table.c.email, table.c.role, table.c.active).where(
            table.c.id == team_member_id, table.c.practice_id == writer.viewer.practice_id
        )
    ).first()
    if member is None:
        raise NotAllowed("That colleague is not a team member of this practice; nothing changed.")
    if not may_change_access_of(writer.viewer, member.role):
        raise NotAllowed(
            f"Only a practice admin can change a practice admin's access ({member.name})."
        )
    return member


def _require_active(member: Row) -> None:
    if not member.active:
        raise NotAllowed(f"{member.name} is no longer an active team member.")


def grant_practice_access(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    team_member_id: int,
    bookkeeping: Any = True,
    approval: Any = False,
    data_health: Any = False,
    account_manager: Any = False,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Let a standard colleague see and work on the client, with the toggles given."""
    toggles = _toggle_values(
        {
            "bookkeeping": bookkeeping,
            "approval": approval,
            "data_health": data_health,
            "account_manager": account_manager,
        }
    )
    with changing_client(engine, viewer, client_id, version, clock, Action.PRACTICE_ACCESS) as (
        writer,
        client,
    ):
        member = _member(writer, team_member_id)
        _require_active(member)
        if sees_every_client(member.role):
            raise NotAllowed(
                f"{member.name} is a {ROLE_LABELS[member.role].lower()} and sees every client "
                "by role; change their toggles instead."
            )
        if access_row(writer, member.id, client.id) is not None:
            raise NotAllowed(f"{member.name} already has access to {client.name}.")
        grant_access(writer, member.id, [client.id], toggles)
        label = member_label(member.name, member.email)
        commit_change(
            writer,
            client,
            "practice_access.granted",
            {"team_member": label, "access": False},
            {"team_member": label, "access": True, **toggles},
        )
        return writer.result()


def set_practice_access(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    team_member_id: int,
    bookkeeping: Any = UNCHANGED,
    approval: Any = UNCHANGED,
    data_health: Any = UNCHANGED,
    account_manager: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Change a colleague's toggles (those given). A standard colleague must have access
    already; an admin, who has it by role, gets a row for their toggles."""
    toggles = _toggle_values(
        {
            "bookkeeping": bookkeeping,
            "approval": approval,
            "data_health": data_health,
            "account_manager": account_manager,
        }
    )
    with changing_client(engine, viewer, client_id, version, clock, Action.PRACTICE_ACCESS) as (
        writer,
        client,
    ):
        member = _member(writer, team_member_id)
        _require_active(member)
        row = access_row(writer, member.id, client.id)
        if row is None and not sees_every_client(member.role):
            raise NotAllowed(f"{member.name} has no access to {client.name}: grant it first.")
        stored = _bools(row) if row is not None else dict.fromkeys(ACCESS_TOGGLES, False)
        changed = {name: value for name, value in toggles.items() if stored[name] != value}
        if not changed:
            return writer.result()
        if row is None:
            grant_access(writer, member.id, [client.id], {**stored, **changed})
        else:
            set_access_toggles(writer, member.id, client.id, changed)
        label = member_label(member.name, member.email)
        commit_change(
            writer,
            client,
            "practice_access.updated",
            {"team_member": label, **{name: stored[name] for name in changed}},
            {"team_member": label, **changed},
        )
        return writer.result()


def remove_practice_access(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    team_member_id: int,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Take a colleague's access away (a standard colleague no longer sees the client;
    an admin keeps seeing it by role, without toggles)."""
    with changing_client(engine, viewer, client_id, version, clock, Action.PRACTICE_ACCESS) as (
        writer,
        client,
    ):
        member = _member(writer, team_member_id)
        row = access_row(writer, member.id, client.id)
        if row is None:
            raise NotAllowed(f"{member.name} has no access to {client.name} to remove.")
        access = PracticeAccess.__table__
        writer.connection.execute(
            delete(access).where(
                access.c.team_member_id == member.id, access.c.client_id == client.id
            )
        )
        label = member_label(member.name, member.email)
        commit_change(
            writer,
            client,
            "practice_access.removed",
            {"team_member": label, "access": True, **_bools(row)},
            {"team_member": label, "access": False},
        )
        return writer.result()
