"""Changes to a client as a whole: create, edit its particulars, and its lifecycle (spec 5).

Each function takes the engine, the viewer and, for an existing client, the
`version` the viewer last read; it returns a ChangeResult or raises a
ServiceError whose message says why nothing was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from dext_tui.data.errors import (
    InvalidInput,
    NotAllowed,
)
from dext_tui.data.models import (
    AuditEvent,
    Client,
    ClientUser,
    Practice,
    PracticeAccess,
    PrecisionSourceClient,
)
from dext_tui.data.roles import Action, refusal, require
from dext_tui.data.services.access_grants import grant_access
from dext_tui.data.services.client_changes import (
    ACCOUNT_MODELS,
    changing_any_client,
    changing_client,
    check_version,
    commit_change,
    load_client_in_scope,
    product_statuses,
    stale,
    update_account,
)
from dext_tui.data.services.practice_codes import practice_code_clash
from dext_tui.data.services.writing import (
    ChangeResult,
    Clock,
    Writer,
    as_datetime,
    utc_now,
    writing,
)
from dext_tui.data.subscription import products_of
from dext_tui.data.validation import (
    ValidationError,
    normalize_client_name,
    normalize_crn,
    normalize_practice_code,
    practice_code_key,
    sort_key,
)
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS, PRODUCT_STATUSES, PRODUCTS

REACTIVATION_WAIT = timedelta(days=120)


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()  # a field the caller leaves as it is


# -- reading inside the transaction ---------------------------------------------
def _last_event_before(connection: Connection, client_id: int, action: str) -> dict:
    audit = AuditEvent.__table__
    before = connection.execute(
        select(audit.c.before)
        .where(audit.c.client_id == client_id, audit.c.action == action)
        .order_by(audit.c.id.desc())
        .limit(1)
    ).scalar()
    try:
        return json.loads(before) if before else {}
    except ValueError:
        return {}


def _code_in_use(code: str) -> ValidationError:
    return ValidationError(
        "practice_code", f"Practice code {code} is already used by another client"
    )


def _validate(fields: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    """Normalise every given field; all errors at once, each naming its field."""
    normalisers = {
        "name": normalize_client_name,
        "practice_code": normalize_practice_code,
        "crn": normalize_crn,
    }
    values, errors = {}, []
    for name, value in fields.items():
        if value is UNCHANGED:
            continue
        try:
            values[name] = normalisers[name](value)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise InvalidInput(errors)
    return values


# -- the services ------------------------------------------------------------------
def update_client(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    name: Any = UNCHANGED,
    practice_code: Any = UNCHANGED,
    crn: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Edit a client's name, practice code or CRN (only the fields given)."""
    values = _validate({"name": name, "practice_code": practice_code, "crn": crn})
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        changed = {key: value for key, value in values.items() if getattr(client, key) != value}
        if not changed:
            return writer.result()
        code = changed.get("practice_code")
        clash = practice_code_clash(writer.connection, writer.viewer, code, client.id)
        if clash:
            raise InvalidInput([clash])
        columns = dict(changed)
        if "name" in changed:
            columns["sort_name"] = sort_key(changed["name"])
        if "practice_code" in changed:
            columns["practice_code_key"] = practice_code_key(changed["practice_code"])
        before = {key: getattr(client, key) for key in changed}
        try:
            commit_change(writer, client, "client.updated", before, changed, columns)
        except IntegrityError:  # the unique index caught a code taken meanwhile
            raise InvalidInput([_code_in_use(code or "")]) from None
        return writer.result()


def check_products(products: Mapping[str, str]) -> None:
    """Each product named once, with the status a new account may start in."""
    if not products:
        raise InvalidInput([ValidationError("products", "Choose at least one product")])
    for product, status in products.items():
        if product not in PRODUCTS or status not in ("active", "invited"):
            raise InvalidInput(
                [ValidationError("products", f"{product}: status must be active or invited")]
            )


def refusal_to_add(connection: Connection, viewer: Viewer, products: Iterable[str]) -> str | None:
    """Why `viewer` may not add a client in `products` now (their right to add clients,
    the subscription, the client bundle); None when they may."""
    reason = refusal(viewer, Action.ADD_CLIENT)
    if reason:
        return reason
    subscribed = products_of(connection, viewer.practice_id)
    for product in products:
        if product not in subscribed:
            return f"The practice's subscription does not include {PRODUCT_LABELS[product]}."
    practice, client = Practice.__table__, Client.__table__
    limit = connection.execute(
        select(practice.c.client_bundle_limit).where(practice.c.id == viewer.practice_id)
    ).scalar_one()
    active = connection.execute(
        select(func.count())
        .select_from(client)
        .where(client.c.practice_id == viewer.practice_id, client.c.state == "active")
    ).scalar_one()
    if active >= limit:
        return (
            f"The client bundle is full ({active:,} of {limit:,} "
            "active clients): deactivate or remove a client, or raise the limit."
        )
    return None


def insert_client(writer: Writer, values: Mapping[str, Any], products: Mapping[str, str]) -> int:
    """The client row and an account per product, in the open transaction, after the
    checks every new client passes; a standard user is given access to it. Returns its
    id; the caller adds the rest and records the audit event."""
    refusal = refusal_to_add(writer.connection, writer.viewer, products)
    if refusal:
        raise NotAllowed(refusal)
    code = values.get("practice_code")
    clash = practice_code_clash(writer.connection, writer.viewer, code, 0)
    if clash:
        raise InvalidInput([clash])
    # Raw SQL: through Core, SQLite's DateTime would store `now` without its UTC offset,
    # unlike the client rows written before (the same holds for the other raw writes of
    # timestamps in the services).
    client_id = writer.connection.execute(
        text(
            "INSERT INTO client (practice_id, name, sort_name, practice_code, "
            "practice_code_key, crn, state, created_at, updated_at, version) VALUES "
            "(:practice_id, :name, :sort_name, :code, :code_key, :crn, 'active', "
            ":now, :now, 1) "
            "RETURNING id"
        ),
        {
            "practice_id": writer.viewer.practice_id,
            "name": values["name"],
            "sort_name": sort_key(values["name"]),
            "code": code,
            "code_key": practice_code_key(code),
            "crn": values.get("crn"),
            "now": writer.now,
        },
    ).scalar_one()
    for product, status in products.items():
        # Through the model's table, so its column defaults fill the rest.
        writer.connection.execute(
            ACCOUNT_MODELS[product].__table__.insert().values(client_id=client_id, status=status)
        )
    if not writer.viewer.sees_all_clients:  # a standard user keeps sight of their client
        grant_access(writer, writer.viewer.team_member_id, [client_id], {"bookkeeping": True})
    return client_id


def create_client(
    engine: Engine,
    viewer: Viewer,
    *,
    name: str,
    products: Mapping[str, str],
    practice_code: str | None = None,
    crn: str | None = None,
    clock: Clock = utc_now,
) -> ChangeResult:
    """A new client with an account (status `active` or `invited`) in each product given."""
    values = _validate({"name": name, "practice_code": practice_code, "crn": crn})
    check_products(products)
    with writing(engine, viewer, clock) as writer:
        client_id = insert_client(writer, values, products)
        after = {**values, "products": dict(products)}
        writer.record(client_id, "client.created", {}, after, 1)
        return writer.result()


def _set_product_statuses(writer: Writer, client_id: int, statuses: Mapping[str, str]) -> None:
    for product, status in statuses.items():
        assert status in PRODUCT_STATUSES
        update_account(writer, product, client_id, {"status": status})


@dataclass(frozen=True)
class Blocked:
    """Why a lifecycle change does not apply to one client now."""

    reason: str  # short, for a bulk preview's group: "already deactivated"
    message: str  # the sentence a one-by-one change is refused with
    skip: bool = False  # nothing to do (already so), rather than a rule refusing it


# The lifecycle rules, per client, over its stored `name`, `state` and
# `deactivated_at`: one-by-one changes and bulk changes both ask them.
def deactivate_blocked(client: Any, now: datetime) -> Blocked | None:
    if client.state == "active":
        return None
    skip = client.state == "deactivated"
    reason = "already deactivated" if skip else "removed: restore it first"
    return Blocked(reason, f"{client.name} is {client.state}, not active.", skip)


def reactivate_blocked(client: Any, now: datetime) -> Blocked | None:
    if client.state != "deactivated":
        skip = client.state == "active"
        reason = "already active" if skip else "removed: restore it first"
        return Blocked(reason, f"{client.name} is {client.state}, not deactivated.", skip)
    deactivated_at = as_datetime(client.deactivated_at)
    if deactivated_at and now < reactivation_date(deactivated_at):
        opens = reactivation_date(deactivated_at)
        return Blocked(
            f"reactivation waits until {opens.day} {opens:%B %Y}",
            f"{client.name} can be reactivated from {opens:%d %B %Y}, 120 days after it was "
            f"deactivated on {deactivated_at:%d %B %Y}.",
        )
    return None


def remove_blocked(client: Any, now: datetime) -> Blocked | None:
    if client.state == "removed":
        return Blocked("already removed", f"{client.name} is already removed.", skip=True)
    return None


def restore_blocked(client: Any, now: datetime) -> Blocked | None:
    if client.state != "removed":
        return Blocked("not removed", f"{client.name} is not removed.", skip=True)
    return None


def _refuse_if(blocked: Blocked | None) -> None:
    if blocked:
        raise NotAllowed(blocked.message)


def deactivate_client(
    engine: Engine, viewer: Viewer, client_id: int, *, version: int, clock: Clock = utc_now
) -> ChangeResult:
    """Suspend the client and every product account; data kept; reactivation after 120 days."""
    with changing_any_client(engine, viewer, client_id, version, clock, Action.DEACTIVATE) as (
        writer,
        client,
    ):
        _refuse_if(deactivate_blocked(client, writer.now))
        products = product_statuses(writer.connection, client.id)
        _set_product_statuses(writer, client.id, dict.fromkeys(products, "deactivated"))
        commit_change(
            writer,
            client,
            "client.deactivated",
            {"state": "active", "products": products},
            {"state": "deactivated", "products": dict.fromkeys(products, "deactivated")},
            {"state": "deactivated", "deactivated_at": writer.now},
        )
        return writer.result()


def reactivation_date(deactivated_at: datetime) -> datetime:
    return deactivated_at + REACTIVATION_WAIT


def reactivate_client(
    engine: Engine, viewer: Viewer, client_id: int, *, version: int, clock: Clock = utc_now
) -> ChangeResult:
    """Back to active, each product as it was, once 120 days have passed since deactivation."""
    with changing_any_client(engine, viewer, client_id, version, clock, Action.REACTIVATE) as (
        writer,
        client,
    ):
        _refuse_if(reactivate_blocked(client, writer.now))
        before_products = product_statuses(writer.connection, client.id)
        remembered = _last_event_before(writer.connection, client.id, "client.deactivated")
        earlier = remembered.get("products", {})
        products = {p: earlier.get(p, "active") for p in before_products}
        _set_product_statuses(writer, client.id, products)
        commit_change(
            writer,
            client,
            "client.reactivated",
            {"state": "deactivated", "products": before_products},
            {"state": "active", "products": products},
            {"state": "active", "deactivated_at": None},
        )
        return writer.result()


def remove_client(
    engine: Engine, viewer: Viewer, client_id: int, *, version: int, clock: Clock = utc_now
) -> ChangeResult:
    """Off the list; data kept; a practice admin can restore it from the Removed filter."""
    with changing_any_client(engine, viewer, client_id, version, clock, Action.REMOVE) as (
        writer,
        client,
    ):
        _refuse_if(remove_blocked(client, writer.now))
        commit_change(
            writer,
            client,
            "client.removed",
            {"state": client.state},
            {"state": "removed"},
            {"state": "removed"},
        )
        return writer.result()


def restore_client(
    engine: Engine, viewer: Viewer, client_id: int, *, version: int, clock: Clock = utc_now
) -> ChangeResult:
    """A removed client back on the list, in the state it was removed from (practice admins)."""
    with writing(engine, viewer, clock) as writer:
        # The role first: only practice admins see removed clients at all.
        require(writer.viewer, Action.RESTORE)
        client = load_client_in_scope(writer.connection, writer.viewer, client_id)
        check_version(writer.connection, client, version)
        _refuse_if(restore_blocked(client, writer.now))
        state = _last_event_before(writer.connection, client.id, "client.removed").get(
            "state", "active"
        )
        state = state if state in ("active", "deactivated") else "active"
        commit_change(
            writer,
            client,
            "client.restored",
            {"state": "removed"},
            {"state": state},
            {"state": state},
        )
        return writer.result()


def delete_client(
    engine: Engine, viewer: Viewer, client_id: int, *, version: int, clock: Clock = utc_now
) -> ChangeResult:
    """Gone for good (accounts and access with it); only with no client users. The audit stays."""
    with changing_any_client(engine, viewer, client_id, version, clock, Action.DELETE) as (
        writer,
        client,
    ):
        users = writer.connection.execute(
            select(func.count()).where(ClientUser.__table__.c.client_id == client.id)
        ).scalar_one()
        if users:
            raise NotAllowed(
                f"{client.name} has {users} client user(s); only a client with none can be "
                "deleted. Remove it instead."
            )
        before = {"name": client.name, "practice_code": client.practice_code, "crn": client.crn}
        sources = PrecisionSourceClient.__table__
        writer.connection.execute(
            update(sources).where(sources.c.client_id == client.id).values(client_id=None)
        )
        for model in (*ACCOUNT_MODELS.values(), PracticeAccess):
            table = model.__table__
            writer.connection.execute(delete(table).where(table.c.client_id == client.id))
        table = Client.__table__
        deleted = writer.connection.execute(
            delete(table).where(table.c.id == client.id, table.c.version == client.version)
        )
        if deleted.rowcount != 1:
            raise stale(writer.connection, client)
        writer.record(client.id, "client.deleted", before, {}, None)
        return writer.result()
