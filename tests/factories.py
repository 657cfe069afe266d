"""Small, explicit rows for tests that need exact data (the seed is for volume)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from dext_tui.data.identity import Viewer, resolve_viewer
from dext_tui.data.models import Client, Practice, PrepareAccount, TeamMember
from dext_tui.data.services.clients import create_client, deactivate_client, remove_client
from dext_tui.data.transactions import use_explicit_sqlite_transactions

FIXED_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
_codes = count(1)


def add_practice(engine: Engine, name: str = "Test Practice") -> int:
    with Session(engine) as session:
        practice = Practice(name=name)
        session.add(practice)
        session.commit()
        return practice.id


def add_team(engine: Engine) -> dict:
    """A practice with a practice admin, a client admin and a standard user, made in that
    order (the services' tests build their clients on it)."""
    practice_id = add_practice(engine)
    return {
        "practice_id": practice_id,
        "admin": add_member(engine, practice_id, "admin@example.com"),
        "colleague": add_member(engine, practice_id, "colleague@example.com", "client_admin"),
        "standard": add_member(engine, practice_id, "std@example.com", "standard"),
    }


def add_member(
    engine: Engine,
    practice_id: int,
    email: str,
    role: str = "practice_admin",
    *,
    login_name: str | None = None,
    active: bool = True,
) -> Viewer:
    with Session(engine) as session:
        session.add(
            TeamMember(
                practice_id=practice_id,
                name=email.split("@")[0].title(),
                email=email,
                login_name=login_name,
                role=role,
                active=active,
            )
        )
        session.commit()
    if not active:
        return None  # type: ignore[return-value]
    return resolve_viewer(engine, email)


def _practice_admin(engine: Engine, practice_id: int) -> Viewer:
    with engine.connect() as connection:
        email = connection.execute(
            text(
                "SELECT email FROM team_member WHERE practice_id = :p "
                "AND role = 'practice_admin' AND active ORDER BY id"
            ),
            {"p": practice_id},
        ).scalar()
    assert email, "add a practice admin first: clients are made through the services"
    return resolve_viewer(engine, email)


def add_client(
    engine: Engine,
    practice_id: int,
    name: str,
    *,
    crn: str | None = None,
    code: str | None = None,
    state: str = "active",
    prepare: str | None = "active",
    precision: str | None = None,
    solo: str | None = None,
    costs: int = 0,
    sales: int = 0,
    integration: str = "unintegrated",
    software: str | None = None,
    org_name: str | None = None,
    granted_to: list[Viewer] | None = None,
    acting_as: Viewer | None = None,
) -> int:
    """A client made as staff make one: through the services (create, then deactivate
    or remove), so it has its version and audit trail. What the client list never
    writes itself (item counts and the integration, which Prepare reports; a single
    product's own status) and practice access (no service yet) are set directly."""
    actor = acting_as or _practice_admin(engine, practice_id)
    statuses = {"prepare": prepare, "precision": precision, "solo": solo}
    created = create_client(
        engine,
        actor,
        name=name,
        crn=crn,
        practice_code=code,
        products={p: s if s == "invited" else "active" for p, s in statuses.items() if s},
        clock=lambda: FIXED_NOW,
    )
    (client_id,) = created.client_ids
    if state == "deactivated":
        deactivate_client(engine, actor, client_id, version=1, clock=lambda: FIXED_NOW)
    elif state == "removed":
        remove_client(engine, actor, client_id, version=1, clock=lambda: FIXED_NOW)
    _set_product_data(
        engine,
        client_id,
        statuses=statuses,
        costs=costs,
        sales=sales,
        integration=integration,
        software=software,
        org_name=org_name,
        granted_to=granted_to,
    )
    return client_id


def add_stored_client(
    engine: Engine,
    practice_id: int,
    name: str,
    *,
    code: str | None = None,
    prepare: str | None = "active",
    costs: int = 0,
) -> int:
    """A client row as another tool may have stored it, past every rule (a name with
    terminal escape codes, say): for tests that the app shows such data safely."""
    with Session(engine) as session:
        client = Client(
            practice_id=practice_id,
            name=name,
            sort_name=" ".join(name.casefold().split()),
            practice_code=code,
            practice_code_key=code.casefold() if code else None,
            created_at=FIXED_NOW,
            updated_at=FIXED_NOW,
        )
        session.add(client)
        session.flush()
        if prepare:
            session.add(PrepareAccount(client_id=client.id, status=prepare, costs_count=costs))
        session.commit()
        return client.id


def add_stored_clients(engine: Engine, practice_id: int, names: list[str]) -> None:
    """Many plain active Prepare clients stored in one transaction, as `add_stored_client`
    stores one: for tests that need volume, not each client's history (a thousand
    through the services cost ~20 s on PostgreSQL)."""
    with Session(engine) as session:
        clients = [
            Client(
                practice_id=practice_id,
                name=name,
                sort_name=" ".join(name.casefold().split()),
                created_at=FIXED_NOW,
                updated_at=FIXED_NOW,
            )
            for name in names
        ]
        session.add_all(clients)
        session.flush()
        session.add_all(PrepareAccount(client_id=c.id, status="active") for c in clients)
        session.commit()


def _set_product_data(
    engine: Engine,
    client_id: int,
    *,
    statuses: dict[str, str | None],
    costs: int,
    sales: int,
    integration: str,
    software: str | None,
    org_name: str | None,
    granted_to: list[Viewer] | None,
) -> None:
    with engine.begin() as connection:
        for product, status in statuses.items():
            if status:
                connection.execute(
                    text(f"UPDATE {product}_account SET status = :s WHERE client_id = :id"),
                    {"s": status, "id": client_id},
                )
        if statuses["prepare"]:
            connection.execute(
                text(
                    "UPDATE prepare_account SET costs_count = :costs, sales_count = :sales, "
                    "integration_status = :integration, integration_software = :software, "
                    "integration_org_name = :org, integration_last_sync = :sync "
                    "WHERE client_id = :id"
                ),
                {
                    "costs": costs,
                    "sales": sales,
                    "integration": integration,
                    "software": software,
                    "org": org_name,
                    "sync": FIXED_NOW if integration == "connected" else None,
                    "id": client_id,
                },
            )
        if statuses["precision"]:
            connection.execute(
                text("UPDATE precision_account SET software = 'xero' WHERE client_id = :id"),
                {"id": client_id},
            )
        for viewer in granted_to or []:
            connection.execute(
                text(
                    "INSERT INTO practice_access (team_member_id, client_id, bookkeeping, "
                    "approval, data_health, account_manager) VALUES (:m, :c, :t, :f, :f, :f)"
                ),
                {"m": viewer.team_member_id, "c": client_id, "t": True, "f": False},
            )


# --- reading back what the services wrote ---------------------------------------------


def clock(at: datetime = FIXED_NOW):
    """A clock for the services that always says `at`."""
    return lambda: at


def second_engine(engine: Engine) -> Engine:
    """Another person's own connection pool on the same database."""
    if engine.dialect.name != "sqlite":
        return create_engine(engine.url)
    other = create_engine(engine.url, connect_args={"check_same_thread": False})
    use_explicit_sqlite_transactions(other)
    return other


def version(engine: Engine, client_id: int) -> int:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT version FROM client WHERE id = :id"), {"id": client_id}
        ).scalar_one()


def audit(engine: Engine, client_id: int, *, since_created: bool = True) -> list:
    """The client's audit events; by default those after the factory created it."""
    skip = "AND action <> 'client.created' " if since_created else ""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT action, team_member_id, before, after, at, seq FROM audit_event "
                f"WHERE client_id = :id {skip}ORDER BY id"
            ),
            {"id": client_id},
        ).all()
