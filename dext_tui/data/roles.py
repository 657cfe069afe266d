"""The role table of spec section 6: what each role may do, in one place.

Services call `require` inside their write transaction, on the viewer re-read
there, so a role lowered while a screen is open is honoured at the next write.
Screens call `may` and `refusal` on the viewer the app holds, to hide or disable
what the service would refuse. Which clients a standard user acts on is the
scope's business (data/scope.py); this table says what each role may do at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from dext_tui.data.errors import NotAllowed
from dext_tui.data.vocab import ROLE_LABELS


class Viewer(Protocol):
    """What the table reads of whoever acts (data/viewer.py's Viewer has it). Said here
    rather than imported, because the Viewer asks this table for its own properties."""

    @property
    def role(self) -> str: ...
    @property
    def can_add_clients(self) -> bool: ...
    @property
    def elevated_until(self) -> datetime | None: ...


PRACTICE_ADMIN = "practice_admin"
CLIENT_ADMIN = "client_admin"
STANDARD = "standard"
ADMINS = frozenset({PRACTICE_ADMIN, CLIENT_ADMIN})
# A support person on behalf of a practice (spec 15): reads as a client admin does;
# writes only while elevated, then as a client admin, never deleting permanently.
SUPPORT = "support"
READ_ONLY = "read-only: elevate to change"


class Action(StrEnum):
    SEE_ALL_CLIENTS = "see_all_clients"  # without a practice access grant
    SEE_REMOVED = "see_removed"  # removed clients, under the Removed filter (spec 5)
    EXPORT = "export"
    HISTORY = "history"
    EDIT_DETAILS = "edit_details"  # name, code, CRN; System Settings; Solo Edit; Manage Users
    TURN_PRODUCTS = "turn_products"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    REMOVE = "remove"
    RESTORE = "restore"
    DELETE = "delete"
    PRACTICE_ACCESS = "practice_access"
    ADD_CLIENT = "add_client"
    IMPORT_AS_NEW = "import_as_new"
    LINK_PRECISION = "link_precision"
    UPLOAD_CODES = "upload_codes"
    BULK = "bulk"  # and each bulk change is also checked as its one-by-one action
    ACTIVITY = "activity"
    SUPPORT_ACCESS = "support_access"  # turning support desk access to the practice on or off


@dataclass(frozen=True)
class Rule:
    doing: str  # what the refusal says is not allowed ("deactivating clients")
    roles: frozenset[str]  # the roles that may
    with_add_right: bool = False  # standard users with `can_add_clients` may too


_EVERYONE = frozenset({PRACTICE_ADMIN, CLIENT_ADMIN, STANDARD})
_PRACTICE_ADMINS = frozenset({PRACTICE_ADMIN})

# Every role acts only on the clients in its scope: standard users on granted ones.
TABLE: dict[Action, Rule] = {
    Action.SEE_ALL_CLIENTS: Rule("seeing clients not shared with you", ADMINS),
    Action.SEE_REMOVED: Rule("seeing removed clients", _PRACTICE_ADMINS),
    Action.EXPORT: Rule("exporting the client list", _EVERYONE),
    Action.HISTORY: Rule("reading a client's history", _EVERYONE),
    Action.EDIT_DETAILS: Rule("editing clients", _EVERYONE),
    Action.TURN_PRODUCTS: Rule("turning a client's products on or off", ADMINS),
    Action.DEACTIVATE: Rule("deactivating clients", ADMINS),
    Action.REACTIVATE: Rule("reactivating clients", ADMINS),
    Action.REMOVE: Rule("removing clients", ADMINS),
    Action.RESTORE: Rule("restoring removed clients", _PRACTICE_ADMINS),
    Action.DELETE: Rule("deleting clients permanently", _PRACTICE_ADMINS),
    Action.PRACTICE_ACCESS: Rule("changing practice access", ADMINS),
    Action.ADD_CLIENT: Rule("adding clients", ADMINS, with_add_right=True),
    Action.IMPORT_AS_NEW: Rule(
        "importing Precision clients as new clients", ADMINS, with_add_right=True
    ),
    Action.LINK_PRECISION: Rule("linking Precision clients", _EVERYONE),
    Action.UPLOAD_CODES: Rule("uploading practice codes", _EVERYONE),
    Action.BULK: Rule("bulk actions", ADMINS),
    Action.ACTIVITY: Rule("reading the practice's activity log", ADMINS),
    Action.SUPPORT_ACCESS: Rule("turning support access on or off", _PRACTICE_ADMINS),
}

# What support may do without elevating, and what it may never do.
SUPPORT_READS = frozenset({Action.SEE_ALL_CLIENTS, Action.EXPORT, Action.HISTORY, Action.ACTIVITY})
NEVER_FOR_SUPPORT = frozenset({Action.DELETE, Action.RESTORE, Action.SUPPORT_ACCESS})


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def role_may(role: str, action: Action, *, can_add_clients: bool = False) -> bool:
    rule = TABLE[action]
    return role in rule.roles or (rule.with_add_right and role == STANDARD and can_add_clients)


def may(viewer: Viewer, action: Action) -> bool:
    if viewer.role == SUPPORT:
        return _support_may(viewer, action)
    return role_may(viewer.role, action, can_add_clients=viewer.can_add_clients)


def _support_may(viewer: Viewer, action: Action) -> bool:
    """Elevation's expiry is the write transaction's to check, on its own clock."""
    if action in SUPPORT_READS:
        return True
    elevated = viewer.elevated_until is not None
    return elevated and action not in NEVER_FOR_SUPPORT and role_may(CLIENT_ADMIN, action)


def sees_every_client(role: str) -> bool:
    """An admin sees every client by role: practice access is not theirs to be given."""
    return role_may(role, Action.SEE_ALL_CLIENTS)


def sql_roles(action: Action) -> str:
    """The roles that may do `action` as an SQL list, `('a', 'b')`: for queries that pick
    team members by role (the table's constants, never user input)."""
    return "(" + ", ".join(f"'{role}'" for role in sorted(TABLE[action].roles)) + ")"


def roles_that_may(action: Action) -> tuple[str, ...]:
    """The roles that may do `action`, for queries that pick team members by role."""
    return tuple(sorted(TABLE[action].roles))


def who_may(action: Action) -> str:
    """'practice admins and client admins', from the table."""
    rule = TABLE[action]
    who = [f"{role_label(role).lower()}s" for role in ROLE_LABELS if role in rule.roles]
    if rule.with_add_right:
        who.append("standard users allowed to add clients")
    if len(who) == 1:
        return f"only {who[0]}"
    return ", ".join(who[:-1]) + " and " + who[-1]


def refusal(viewer: Viewer, action: Action) -> str | None:
    """Why the viewer's role may not do `action`, naming the rule; None when it may."""
    if may(viewer, action):
        return None
    if viewer.role == SUPPORT:
        if viewer.elevated_until is None:
            return READ_ONLY
        return (
            f"Support does not allow {TABLE[action].doing}, even elevated: {who_may(action)} may."
        )
    return (
        f"Your role ({role_label(viewer.role)}) does not allow {TABLE[action].doing}: "
        f"{who_may(action)} may."
    )


def require(viewer: Viewer, action: Action) -> None:
    """NotAllowed, naming the rule, unless the viewer's role may do `action`."""
    reason = refusal(viewer, action)
    if reason:
        raise NotAllowed(reason)


# Practice Access, "client admins yes, but not for practice admins" (spec section 6).
def may_change_access_of(viewer: Viewer, member_role: str) -> bool:
    return access_refusal_for(viewer, member_role) is None


def access_refusal_for(viewer: Viewer, member_role: str) -> str | None:
    """Why the viewer may not change the access of a colleague with `member_role`."""
    reason = refusal(viewer, Action.PRACTICE_ACCESS)
    if reason or member_role != PRACTICE_ADMIN or viewer.role == PRACTICE_ADMIN:
        return reason
    return (
        f"Your role ({role_label(viewer.role)}) does not allow changing a practice admin's "
        "access: only practice admins may."
    )
