"""Precision System Settings (spec section 7): connected software, visibility, account managers.

The account managers are the colleagues whose practice access to the client has
the account-manager toggle on (the Practice Access pages show the same toggle);
the page sets them as a whole. Choosing account managers is changing practice
access, so only practice admins and client admins may, and only a practice
admin may make a practice admin one. An account manager must be an active
colleague who can see the client: an admin (by role), or a colleague already
granted access; no one is given access as a side effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, Row, or_, select

from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.models import PracticeAccess, TeamMember
from dext_tui.data.roles import (
    Action,
    may_change_access_of,
    refusal,
    require,
    roles_that_may,
    sees_every_client,
)
from dext_tui.data.services import fields
from dext_tui.data.services.access_grants import (
    access_row,
    colleagues,
    set_access_toggles,
    turn_on_access,
    unavailable,
)
from dext_tui.data.services.client_changes import (
    changing_client,
    commit_change,
    product_account,
    read_client,
    update_account,
)
from dext_tui.data.services.clients import UNCHANGED
from dext_tui.data.services.practice_access import Colleague, member_label
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now
from dext_tui.data.validation import ValidationError
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRECISION_SOFTWARE_LABELS, PRECISION_VISIBILITY_LABELS


@dataclass(frozen=True)
class PrecisionSettings:
    """What the Precision System Settings page shows; `version` is the client's."""

    client_id: int
    client_name: str
    version: int
    status: str
    software: str | None
    visibility: str
    account_managers: tuple[Colleague, ...]
    candidates: tuple[Colleague, ...]  # who could be an account manager (incl. those who are)
    why_not: str | None  # why the viewer may not choose account managers; None when they may

    @property
    def can_change_account_managers(self) -> bool:
        return self.why_not is None


def _managers(connection: Connection, client_id: int) -> dict[int, Colleague]:
    access, member = PracticeAccess.__table__, TeamMember.__table__
    rows = connection.execute(
        select(member.c.id, member.c.name, member.c.email)
        .join_from(access, member, member.c.id == access.c.team_member_id)
        .where(access.c.client_id == client_id, access.c.account_manager)
    ).all()
    return {row.id: Colleague(*row) for row in rows}


def _sorted(colleagues: Iterable[Colleague]) -> tuple[Colleague, ...]:
    return tuple(sorted(colleagues, key=lambda c: (c.name.casefold(), c.email, c.team_member_id)))


def load_precision_settings(engine: Engine, viewer: Viewer, client_id: int) -> PrecisionSettings:
    """The client's Precision settings; ClientNotFound out of scope, NotAllowed without one."""

    def read(connection: Connection, client: Row) -> PrecisionSettings:
        account = product_account(connection, client, "precision", "software, visibility")
        access, member = PracticeAccess.__table__, TeamMember.__table__
        has_access = (
            select(access.c.team_member_id)
            .where(access.c.team_member_id == member.c.id, access.c.client_id == client.id)
            .exists()
        )
        candidates = connection.execute(
            select(member.c.id, member.c.name, member.c.email).where(
                member.c.practice_id == viewer.practice_id,
                member.c.active,
                or_(member.c.role.in_(roles_that_may(Action.SEE_ALL_CLIENTS)), has_access),
            )
        ).all()
        return PrecisionSettings(
            client_id=client.id,
            client_name=client.name,
            version=client.version,
            status=account.status,
            software=account.software,
            visibility=account.visibility,
            account_managers=_sorted(_managers(connection, client.id).values()),
            candidates=_sorted(Colleague(*row) for row in candidates),
            why_not=refusal(viewer, Action.PRACTICE_ACCESS),
        )

    return read_client(engine, viewer, client_id, read)


def _member_ids(value: Any, field: str = "account_managers") -> frozenset[int]:
    """A collection of team member ids (the page's chosen colleagues)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(
            field, f"Account managers must be a list of colleagues, not {value!r}"
        )
    ids = list(value)
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise ValidationError(field, "Account managers must be colleagues (team member ids)")
    return frozenset(ids)


def _check_new_managers(writer: Writer, client: Row, added: frozenset[int]) -> dict[int, Row]:
    """Each colleague to make an account manager, as stored; every problem at once."""
    rows = colleagues(writer, added)
    problems = []
    for member_id in sorted(added):
        member = rows.get(member_id)
        if problem := unavailable(member, member_id):
            problems.append(problem)
        elif (
            not sees_every_client(member.role) and access_row(writer, member.id, client.id) is None
        ):
            problems.append(f"{member.name} has no access to {client.name}: grant it first")
    if problems:
        raise InvalidInput(
            [ValidationError("account_managers", f"Account managers: {'; '.join(problems)}")]
        )
    for member in rows.values():
        if not may_change_access_of(writer.viewer, member.role):
            raise NotAllowed(
                f"Only a practice admin can make a practice admin an account manager "
                f"({member.name})."
            )
    return rows


def _set_managers(
    writer: Writer, client: Row, current: dict[int, Colleague], wanted: frozenset[int]
) -> dict[int, Colleague]:
    """Turn the toggle on and off so that exactly `wanted` manage the client; the new set."""
    require(writer.viewer, Action.PRACTICE_ACCESS)
    added = wanted - set(current)
    new_rows = _check_new_managers(writer, client, added)
    for member_id in set(current) - wanted:
        if not may_change_access_of(writer.viewer, _role(writer, member_id)):
            raise NotAllowed(
                "Only a practice admin can change a practice admin's access "
                f"({current[member_id].name})."
            )
        set_access_toggles(writer, member_id, client.id, {"account_manager": False})
    for member_id in added:  # an admin, by role, gets a row for the toggle alone
        turn_on_access(writer, member_id, client.id, {"account_manager": True})
    kept = {key: value for key, value in current.items() if key in wanted}
    return kept | {key: Colleague(key, row.name, row.email) for key, row in new_rows.items()}


def _role(writer: Writer, member_id: int) -> str:
    member = TeamMember.__table__
    return writer.connection.execute(
        select(member.c.role).where(member.c.id == member_id)
    ).scalar_one()


def _labels(colleagues: Iterable[Colleague]) -> list[str]:
    return [member_label(c.name, c.email) for c in _sorted(colleagues)]


def update_precision_settings(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    software: Any = UNCHANGED,
    visibility: Any = UNCHANGED,
    account_managers: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Change the settings given (`account_managers`: the whole set of team member ids);
    one `precision.settings_updated` event with what changed, if anything did."""
    values = fields.collect(
        {
            "software": (
                software,
                partial(
                    fields.choice,
                    field="software",
                    label="Connected software",
                    allowed=PRECISION_SOFTWARE_LABELS,
                ),
            ),
            "visibility": (
                visibility,
                partial(
                    fields.choice,
                    field="visibility",
                    label="Visibility",
                    allowed=PRECISION_VISIBILITY_LABELS,
                    required=True,
                ),
            ),
            "account_managers": (account_managers, _member_ids),
        },
        UNCHANGED,
    )
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        account = product_account(writer.connection, client, "precision", "software, visibility")
        changed = {
            name: values[name]
            for name in ("software", "visibility")
            if name in values and getattr(account, name) != values[name]
        }
        before = {name: getattr(account, name) for name in changed}
        after = dict(changed)
        if changed:
            update_account(writer, "precision", client.id, changed)
        if "account_managers" in values:
            current = _managers(writer.connection, client.id)
            if set(current) != values["account_managers"]:
                managers = _set_managers(writer, client, current, values["account_managers"])
                before["account_managers"] = _labels(current.values())
                after["account_managers"] = _labels(managers.values())
        if not after:
            return writer.result()
        commit_change(writer, client, "precision.settings_updated", before, after)
        return writer.result()
