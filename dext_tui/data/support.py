"""The support desk (spec 15): support identities across practices, read-only until elevated.

A support person is a member of no practice. They resolve by the same rule as a
team member (--user, DEXT_USER, login name; team members first, so a team member
never resolves into another practice), then open one practice, which must not
have turned support access off. Opening it and each elevation are audit events
with no client (never numbered: the live list has nothing to re-read); every
change made while elevated is an ordinary audit event that names the support
person and the elevation's reason instead of a team member.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, text

from dext_tui.data.errors import NotAllowed, ServiceError
from dext_tui.data.identity import Viewer, reread_viewer
from dext_tui.data.roles import Action, require
from dext_tui.data.support_identity import ACCESS_OFF
from dext_tui.data.transactions import write_lock

DEFAULT_ELEVATION_MINUTES = 30
MAX_ELEVATION_MINUTES = 8 * 60
MAX_REASON = 500
OPENED = "support.opened"
ELEVATED = "support.elevated"
ACCESS_CHANGED = "practice.support_access"
# The events about the practice rather than a client, in Activity's words.
PRACTICE_EVENTS = {
    OPENED: "opened the practice (support)",
    ELEVATED: "elevated to change the practice (support)",
    ACCESS_CHANGED: "turned support access on or off",
}

# Who wrote an audit event, in words: a team member's name, or the support person's
# "on behalf of" the practice. Needs `audit_event e`; joins named m, s and sp.
WHO_JOINS = (
    " LEFT JOIN team_member m ON m.id = e.team_member_id"
    " LEFT JOIN support_person s ON s.id = e.support_person_id"
    " LEFT JOIN practice sp ON sp.id = e.practice_id"
)
WHO_SQL = "COALESCE(m.name, s.name || ' on behalf of ' || sp.name)"


# -- re-checked inside every write ------------------------------------------------------
def current_support_viewer(connection: Connection, viewer: Viewer, now: datetime) -> Viewer:
    """The support viewer as the database has them at `now`, inside the write: still an
    active support identity, the practice's support access still on, elevation unexpired."""
    person = connection.execute(
        text("SELECT active FROM support_person WHERE id = :id"), {"id": viewer.support_person_id}
    ).first()
    if person is None or not person.active:
        raise NotAllowed(
            f"{viewer.email} is no longer an active support identity; nothing was saved."
        )
    access = connection.execute(
        text("SELECT support_access FROM practice WHERE id = :id"), {"id": viewer.practice_id}
    ).scalar_one()
    if not access:
        raise NotAllowed(f"{viewer.practice_name}: {ACCESS_OFF}; nothing was saved.")
    if viewer.elevated_until is not None and viewer.elevated_until <= now:
        raise NotAllowed(
            f"Your elevation expired at {viewer.elevated_until:%H:%M}; nothing was saved. "
            "Elevate again to change."
        )
    return viewer


def stamp_support(connection: Connection, viewer: Viewer, batch_id: str) -> None:
    """Name the support person and their reason on the transaction's audit events (every
    service's, whichever statement wrote them)."""
    connection.execute(
        text(
            "UPDATE audit_event SET support_person_id = :person, reason = :reason "
            "WHERE batch_id = :batch"
        ),
        {"person": viewer.support_person_id, "reason": viewer.support_reason, "batch": batch_id},
    )


# -- visits and elevations ----------------------------------------------------------------
def record_visit(engine: Engine, viewer: Viewer, now: datetime, reason: str | None = None) -> None:
    """The practice opened by support: who, when, and why when a reason was given."""
    with write_lock(engine) as connection:
        current_support_viewer(connection, replace(viewer, elevated_until=None), now)
        _event(connection, viewer, now, OPENED, reason, {})


def elevate(
    engine: Engine,
    viewer: Viewer,
    reason: str,
    now: datetime,
    minutes: int = DEFAULT_ELEVATION_MINUTES,
) -> Viewer:
    """The viewer allowed to change the practice until `now + minutes`, for `reason` (a
    ticket reference or a sentence); the elevation is an audit event with its reason."""
    if not viewer.is_support:
        raise NotAllowed("Only a support identity elevates; your role's rights are your own.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError("Give a reason to elevate: a ticket reference or a sentence.")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"The reason is {len(reason)} characters long; at most {MAX_REASON}.")
    if not 1 <= minutes <= MAX_ELEVATION_MINUTES:
        raise ServiceError(f"An elevation lasts 1 to {MAX_ELEVATION_MINUTES} minutes.")
    until = now + timedelta(minutes=minutes)
    with write_lock(engine) as connection:
        current_support_viewer(connection, replace(viewer, elevated_until=None), now)
        _event(connection, viewer, now, ELEVATED, reason, {"until": until.isoformat()})
    return replace(viewer, elevated_until=until, support_reason=reason)


def _event(
    connection: Connection, viewer: Viewer, now: datetime, action: str, reason: str | None,
    after: dict,
) -> None:  # fmt: skip
    connection.execute(
        text(
            "INSERT INTO audit_event (practice_id, seq, at, team_member_id, support_person_id, "
            "client_id, action, before, after, reason) VALUES (:practice, NULL, :at, NULL, "
            ":person, NULL, :action, '{}', :after, :reason)"
        ),
        {
            "practice": viewer.practice_id,
            "at": now,
            "person": viewer.support_person_id,
            "action": action,
            "after": json.dumps(after),
            "reason": reason,
        },
    )


# -- the practice's switch ----------------------------------------------------------------
def set_support_access(engine: Engine, viewer: Viewer, on: bool, now: datetime) -> bool:
    """Turn support access to the viewer's practice on or off (its practice admins only);
    False when it already was so. Audited, without a client."""
    with write_lock(engine) as connection:
        current = reread_viewer(connection, viewer) if not viewer.is_support else None
        if current is None:
            raise NotAllowed(
                "Only the practice's own practice admins turn support access on or off."
            )
        require(current, Action.SUPPORT_ACCESS)
        was = bool(
            connection.execute(
                text("SELECT support_access FROM practice WHERE id = :id"),
                {"id": viewer.practice_id},
            ).scalar_one()
        )
        if was == on:
            return False
        connection.execute(
            text("UPDATE practice SET support_access = :on WHERE id = :id"),
            {"on": on, "id": viewer.practice_id},
        )
        connection.execute(
            text(
                "INSERT INTO audit_event (practice_id, seq, at, team_member_id, client_id, "
                "action, before, after) VALUES (:practice, NULL, :at, :member, NULL, :action, "
                ":before, :after)"
            ),
            {
                "practice": viewer.practice_id,
                "at": now,
                "member": current.team_member_id,
                "action": ACCESS_CHANGED,
                "before": f'{{"support_access": {str(was).lower()}}}',
                "after": f'{{"support_access": {str(on).lower()}}}',
            },
        )
    return True
