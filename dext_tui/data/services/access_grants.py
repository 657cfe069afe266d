"""Practice access rows, written in one place: a colleague's access to clients and its toggles.

A row means the colleague works on the client (a standard user sees it through
the row); its toggles say how. Every service that gives access — Add Client, the
Precision import, the Practice Access pages, account managers — writes it here,
through the PracticeAccess table, so a toggle not given is off everywhere alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Row, delete, insert, select, update

from dext_tui.data.models import PracticeAccess, TeamMember
from dext_tui.data.services.writing import Writer
from dext_tui.data.vocab import ACCESS_TOGGLES

_access = PracticeAccess.__table__


def access_row(writer: Writer, member_id: int, client_id: int) -> Row | None:
    """The colleague's toggles on the client, or None when they have no access row."""
    return writer.connection.execute(
        select(*(_access.c[name] for name in ACCESS_TOGGLES)).where(
            _access.c.team_member_id == member_id, _access.c.client_id == client_id
        )
    ).first()


def grant_access(
    writer: Writer, member_id: int, client_ids: Iterable[int], toggles: Mapping[str, bool]
) -> None:
    """Give the colleague an access row on each client: `toggles` on, the others off."""
    values = dict.fromkeys(ACCESS_TOGGLES, False) | dict(toggles)
    rows = [{"team_member_id": member_id, "client_id": i, **values} for i in client_ids]
    if rows:
        writer.connection.execute(insert(_access), rows)


def set_access_toggles(
    writer: Writer, member_id: int, client_id: int, toggles: Mapping[str, bool]
) -> None:
    """Set some toggles of an existing access row."""
    writer.connection.execute(
        update(_access)
        .where(_access.c.team_member_id == member_id, _access.c.client_id == client_id)
        .values(**toggles)
    )


def turn_on_access(
    writer: Writer, member_id: int, client_id: int, toggles: Mapping[str, bool]
) -> None:
    """Set `toggles` for the colleague, giving them an access row first if they have none."""
    if access_row(writer, member_id, client_id) is None:
        grant_access(writer, member_id, [client_id], toggles)
    else:
        set_access_toggles(writer, member_id, client_id, toggles)


def colleagues(writer: Writer, ids: Iterable[int]) -> dict[int, Row]:
    """The practice's team members among `ids` (id, name, email, role, active), read by id;
    an id of no colleague of this practice is absent."""
    member = TeamMember.__table__.c
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = writer.connection.execute(
        select(member.id, member.name, member.email, member.role, member.active).where(
            member.practice_id == writer.viewer.practice_id, member.id.in_(wanted)
        )
    )
    return {row.id: row for row in rows}


def unavailable(member: Row | None, member_id: int) -> str | None:
    """Why colleague `member_id` cannot be given access now; None when they can."""
    if member is None:
        return f"no colleague {member_id} in this practice"
    if not member.active:
        return f"{member.name} is no longer an active team member"
    return None


def grant_access_many(
    writer: Writer, grants: Iterable[tuple[int, int, Mapping[str, bool]]]
) -> None:
    """Access rows for many (colleague, client, toggles) at once, each as `grant_access`
    writes one: the toggles given on, the others off; one multi-row statement."""
    rows = [
        {
            "team_member_id": member_id,
            "client_id": client_id,
            **dict.fromkeys(ACCESS_TOGGLES, False),
            **dict(toggles),
        }
        for member_id, client_id, toggles in grants
    ]
    if rows:
        writer.connection.execute(insert(_access), rows)


def revoke_access_many(writer: Writer, member_id: int, client_ids: Iterable[int]) -> None:
    """The colleague's access rows on `client_ids` deleted, a few statements in all."""
    ids = list(client_ids)
    for start in range(0, len(ids), 5_000):
        writer.connection.execute(
            delete(_access).where(
                _access.c.team_member_id == member_id,
                _access.c.client_id.in_(ids[start : start + 5_000]),
            )
        )
