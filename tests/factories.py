"""Small, explicit rows for tests that need exact data (the seed is for volume)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from sqlalchemy import Engine
from sqlmodel import Session

from dext_tui.data.access import Viewer, resolve_viewer
from dext_tui.data.models import (
    Client,
    Practice,
    PracticeAccess,
    PrecisionAccount,
    PrepareAccount,
    SoloAccount,
    TeamMember,
)

FIXED_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
_codes = count(1)


def add_practice(engine: Engine, name: str = "Test Practice") -> int:
    with Session(engine) as session:
        practice = Practice(name=name)
        session.add(practice)
        session.commit()
        return practice.id


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
) -> int:
    with Session(engine) as session:
        client = Client(
            practice_id=practice_id,
            name=name,
            sort_name=" ".join(name.casefold().split()),
            crn=crn,
            practice_code=code,
            practice_code_key=code.casefold() if code else None,
            state=state,
            created_at=FIXED_NOW,
            updated_at=FIXED_NOW,
        )
        session.add(client)
        session.flush()
        if prepare:
            session.add(
                PrepareAccount(
                    client_id=client.id,
                    status=prepare,
                    costs_count=costs,
                    sales_count=sales,
                    integration_status=integration,
                    integration_software=software,
                    integration_org_name=org_name,
                    integration_last_sync=FIXED_NOW if integration == "connected" else None,
                )
            )
        if precision:
            session.add(PrecisionAccount(client_id=client.id, status=precision, software="xero"))
        if solo:
            session.add(SoloAccount(client_id=client.id, status=solo))
        for viewer in granted_to or []:
            session.add(
                PracticeAccess(
                    team_member_id=viewer.team_member_id, client_id=client.id, bookkeeping=True
                )
            )
        session.commit()
        return client.id
