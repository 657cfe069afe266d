"""Manage Users (spec sections 3, 7): the people of the client's own business, in Prepare.

Each has a name, an email (one user per address within a client, compared
ignoring case), a role (business admin, user admin, standard) and is active or
not. A client has exactly one owner once it has users: the first user added
becomes the owner, as a business admin, and the owner can be neither
deactivated nor given another role (users are never deleted, so the owner
always stays). Any viewer who may see the client may manage its users.

Audit events carry the user as `user` ("Name <email>", as it was before and
after the change) beside the fields that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from dext_tui.data.errors import InvalidInput, NotAllowed, ServiceError
from dext_tui.data.models import ClientUser
from dext_tui.data.services import fields
from dext_tui.data.services.client_changes import (
    changing_client,
    commit_change,
    product_account,
    read_client,
)
from dext_tui.data.services.clients import UNCHANGED
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now
from dext_tui.data.validation import ValidationError
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import CLIENT_USER_ROLE_LABELS

NAME_MAX_LENGTH = 200
OWNER_ROLE = "business_admin"


def role_for_new_user(first_user: bool) -> str:
    """The role a new user starts with: the first user becomes the owner, a business admin."""
    return OWNER_ROLE if first_user else "standard"


class ClientUserNotFound(ServiceError):
    """The user is not (or no longer) one of this client's users."""

    def __init__(self, user_id: int) -> None:
        super().__init__("That user is not a user of this client; nothing was changed.")
        self.user_id = user_id


@dataclass(frozen=True)
class ClientUserEntry:
    id: int
    name: str
    email: str
    role: str
    active: bool
    is_owner: bool

    @property
    def label(self) -> str:
        return _label(self.name, self.email)


@dataclass(frozen=True)
class ClientUsers:
    client_id: int
    client_name: str
    version: int  # the client's, to save against
    users: tuple[ClientUserEntry, ...]  # the owner first, then by name

    @property
    def owner(self) -> ClientUserEntry | None:
        return next((user for user in self.users if user.is_owner), None)


def _label(name: str, email: str) -> str:
    return f"{name} <{email}>"


_USERS = ClientUser.__table__
_USER_COLUMNS = (
    _USERS.c.id,
    _USERS.c.name,
    _USERS.c.email,
    _USERS.c.role,
    _USERS.c.active,
    _USERS.c.is_owner,
)


def _entry(row: Row) -> ClientUserEntry:
    return ClientUserEntry(
        row.id, row.name, row.email, row.role, bool(row.active), bool(row.is_owner)
    )


def load_client_users(engine: Engine, viewer: Viewer, client_id: int) -> ClientUsers:
    """The client's users; ClientNotFound out of scope, NotAllowed without Prepare."""

    def read(connection: Connection, client: Row) -> ClientUsers:
        product_account(connection, client, "prepare", "client_id")
        rows = connection.execute(
            select(*_USER_COLUMNS).where(_USERS.c.client_id == client.id)
        ).all()
        users = sorted(
            (_entry(row) for row in rows),
            key=lambda u: (not u.is_owner, u.name.casefold(), u.email.casefold(), u.id),
        )
        return ClientUsers(client.id, client.name, client.version, tuple(users))

    return read_client(engine, viewer, client_id, read)


# -- rules ------------------------------------------------------------------------------
_RULES = {
    "name": partial(
        fields.text_line, field="name", label="Name", max_length=NAME_MAX_LENGTH, required=True
    ),
    "email": fields.email,
    "role": partial(
        fields.choice, field="role", label="Role", allowed=CLIENT_USER_ROLE_LABELS, required=True
    ),
}


def _validate(given: dict[str, Any]) -> dict[str, Any]:
    return fields.collect({name: (value, _RULES[name]) for name, value in given.items()}, UNCHANGED)


def _user(writer: Writer, client: Row, user_id: int) -> Row:
    product_account(writer.connection, client, "prepare", "client_id")
    row = writer.connection.execute(
        select(*_USER_COLUMNS).where(_USERS.c.id == user_id, _USERS.c.client_id == client.id)
    ).first()
    if row is None:
        raise ClientUserNotFound(user_id)
    return row


def _check_email_free(writer: Writer, client: Row, email: str, user_id: int) -> None:
    holder = writer.connection.execute(
        select(_USERS.c.name).where(
            _USERS.c.client_id == client.id,
            func.lower(_USERS.c.email) == email.lower(),
            _USERS.c.id != user_id,
        )
    ).scalar()
    if holder is not None:
        raise InvalidInput(
            [
                ValidationError(
                    "email", f"{email} is already the email of {holder}, a user of {client.name}"
                )
            ]
        )


def _set_user(writer: Writer, user_id: int, columns: dict[str, Any]) -> None:
    writer.connection.execute(update(_USERS).where(_USERS.c.id == user_id).values(**columns))


def _refuse_for_owner(user: Row, client: Row, what: str) -> None:
    if user.is_owner:
        raise NotAllowed(
            f"{user.name} is the owner of {client.name}: the owner cannot be {what}. "
            "A client always has exactly one owner."
        )


# -- the services ---------------------------------------------------------------------
def add_client_user(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    name: str,
    email: str,
    role: str,
    clock: Clock = utc_now,
) -> ChangeResult:
    """A new active user; the client's first user becomes its owner (a business admin)."""
    values = _validate({"name": name, "email": email, "role": role})
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        product_account(writer.connection, client, "prepare", "client_id")
        _check_email_free(writer, client, values["email"], 0)
        has_users = writer.connection.execute(
            select(_USERS.c.id).where(_USERS.c.client_id == client.id).limit(1)
        ).first()
        owner = has_users is None
        if owner and values["role"] != OWNER_ROLE:
            raise InvalidInput(
                [
                    ValidationError(
                        "role",
                        f"The first user of {client.name} becomes its owner, who must be a "
                        f"{CLIENT_USER_ROLE_LABELS[OWNER_ROLE].lower()}",
                    )
                ]
            )
        writer.connection.execute(
            insert(_USERS).values(**values, client_id=client.id, active=True, is_owner=owner)
        )
        label = _label(values["name"], values["email"])
        commit_change(
            writer, client, "client_user.added", {}, {"user": label, **values, "owner": owner}
        )
        return writer.result()


def update_client_user(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    user_id: int,
    name: Any = UNCHANGED,
    email: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Correct a user's name or email (the owner's too)."""
    values = _validate({"name": name, "email": email})
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        user = _user(writer, client, user_id)
        changed = {key: value for key, value in values.items() if getattr(user, key) != value}
        if not changed:
            return writer.result()
        if "email" in changed:
            _check_email_free(writer, client, changed["email"], user.id)
        _set_user(writer, user.id, changed)
        after_label = _label(changed.get("name", user.name), changed.get("email", user.email))
        commit_change(
            writer,
            client,
            "client_user.updated",
            {"user": _label(user.name, user.email), **{key: getattr(user, key) for key in changed}},
            {"user": after_label, **changed},
        )
        return writer.result()


def change_client_user_role(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    user_id: int,
    role: str,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Give a user another role; never the owner."""
    values = _validate({"role": role})
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        user = _user(writer, client, user_id)
        if user.role == values["role"]:
            return writer.result()
        _refuse_for_owner(user, client, "given another role")
        _set_user(writer, user.id, values)
        label = _label(user.name, user.email)
        commit_change(
            writer,
            client,
            "client_user.role_changed",
            {"user": label, "role": user.role},
            {"user": label, "role": values["role"]},
        )
        return writer.result()


def _set_active(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    version: int,
    user_id: int,
    active: bool,
    clock: Clock,
) -> ChangeResult:
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        user = _user(writer, client, user_id)
        if bool(user.active) == active:
            return writer.result()
        if not active:
            _refuse_for_owner(user, client, "deactivated")
        _set_user(writer, user.id, {"active": active})
        label = _label(user.name, user.email)
        commit_change(
            writer,
            client,
            "client_user.reactivated" if active else "client_user.deactivated",
            {"user": label, "active": not active},
            {"user": label, "active": active},
        )
        return writer.result()


def deactivate_client_user(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    user_id: int,
    clock: Clock = utc_now,
) -> ChangeResult:
    """The user can no longer sign in to the client's Prepare; never the owner."""
    return _set_active(engine, viewer, client_id, version, user_id, False, clock)


def reactivate_client_user(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    user_id: int,
    clock: Clock = utc_now,
) -> ChangeResult:
    return _set_active(engine, viewer, client_id, version, user_id, True, clock)
