"""Database tables for every entity of the product (spec section 3).

Vocabularies are stored as short strings; `vocab.py` names the allowed values.
Product accounts hang off the client by primary key (0..1 per client), so the
list query is three primary-key joins.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, false, true
from sqlmodel import Field, SQLModel


class Practice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    has_prepare: bool = True
    has_precision: bool = True
    has_solo: bool = True
    client_bundle_limit: int = 1000
    # Bumped by every write transaction, which holds the row's lock until it
    # commits: so numbers follow commit order, and a reader that saw N has
    # seen every change up to N (the live list's change feed).
    change_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # True only inside a service's transaction, which has numbered its change itself:
    # the client tables' triggers (migration 0005) then add no number of their own.
    change_numbered: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Off: support identities may not open this practice (its practice admins decide).
    support_access: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    login_name: str | None = Field(default=None, max_length=100, index=True)
    role: str = Field(max_length=20)  # practice_admin | client_admin | standard
    can_add_clients: bool = False
    active: bool = True


class SupportPerson(SQLModel, table=True):
    """A support desk identity: a member of no practice, opening one practice at a time
    (spec section 15)."""

    __tablename__ = "support_person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    login_name: str | None = Field(default=None, max_length=100, index=True)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    created_at: datetime


class Client(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("practice_id", "practice_code_key", name="uq_client_practice_code"),
        Index("ix_client_practice_sort_name", "practice_id", "sort_name"),
        Index("ix_client_practice_crn", "practice_id", "crn"),
        # Counting the list (everything but removed clients) from the index alone.
        Index("ix_client_practice_state", "practice_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id")
    name: str = Field(max_length=300)
    # Case-folded name: the default list order, served by an index so the
    # first screenful needs no full scan.
    sort_name: str = Field(max_length=300)
    practice_code: str | None = Field(default=None, max_length=20)
    # Practice codes are unique per practice compared case-insensitively.
    practice_code_key: str | None = Field(default=None, max_length=20)
    crn: str | None = Field(default=None, max_length=8)
    state: str = Field(default="active", max_length=20)  # active | deactivated | removed
    deactivated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 1


class PrepareAccount(SQLModel, table=True):
    __tablename__ = "prepare_account"

    client_id: int = Field(foreign_key="client.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(max_length=20)  # active | invited | deactivated
    costs_count: int = 0
    sales_count: int = 0
    industry: str | None = Field(default=None, max_length=100)
    integration_software: str | None = Field(default=None, max_length=40)
    integration_status: str = Field(default="unintegrated", max_length=20)
    integration_org_name: str | None = Field(default=None, max_length=300)
    integration_last_sync: datetime | None = None
    account_manager_id: int | None = Field(default=None, foreign_key="team_member.id")
    business_name: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, max_length=2)
    base_currency: str | None = Field(default=None, max_length=3)
    language: str | None = Field(default=None, max_length=10)
    registered_address: str | None = Field(default=None, sa_column=Column(Text))
    vat_number: str | None = Field(default=None, max_length=20)
    vat_cycle: str | None = Field(default=None, max_length=10)  # monthly | quarterly | annual
    first_reporting_month: int | None = None
    extract_tax: bool = False


class PrecisionAccount(SQLModel, table=True):
    __tablename__ = "precision_account"

    client_id: int = Field(foreign_key="client.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    software: str | None = Field(default=None, max_length=40)  # xero | quickbooks_online
    visibility: str = Field(default="whole_team", max_length=30)


class SoloAccount(SQLModel, table=True):
    __tablename__ = "solo_account"

    client_id: int = Field(foreign_key="client.id", primary_key=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    email: str | None = Field(default=None, max_length=320)
    crn: str | None = Field(default=None, max_length=8)
    practice_code: str | None = Field(default=None, max_length=20)
    ni_number: str | None = Field(default=None, max_length=9)
    postcode: str | None = Field(default=None, max_length=8)
    business_name: str | None = Field(default=None, max_length=300)
    business_type: str | None = Field(default=None, max_length=30)
    collection_method: str | None = Field(default=None, max_length=20)


class ClientUser(SQLModel, table=True):
    __tablename__ = "client_user"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    role: str = Field(max_length=20)  # business_admin | user_admin | standard
    active: bool = True
    is_owner: bool = False


class PracticeAccess(SQLModel, table=True):
    __tablename__ = "practice_access"
    __table_args__ = (Index("ix_practice_access_client", "client_id"),)

    team_member_id: int = Field(foreign_key="team_member.id", primary_key=True, ondelete="CASCADE")
    client_id: int = Field(foreign_key="client.id", primary_key=True, ondelete="CASCADE")
    bookkeeping: bool = False
    approval: bool = False
    data_health: bool = False
    account_manager: bool = False


class PrecisionSourceClient(SQLModel, table=True):
    __tablename__ = "precision_source_client"

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    name: str = Field(max_length=300)
    crn: str | None = Field(default=None, max_length=8)
    software: str | None = Field(default=None, max_length=40)
    import_state: str = Field(default="pending", max_length=20)
    client_id: int | None = Field(default=None, foreign_key="client.id", ondelete="SET NULL")


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_practice_seq", "practice_id", "seq"),
        # Activity: a practice's events newest first, paged by id.
        Index("ix_audit_event_practice_id", "practice_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The practice's change_seq of the transaction that wrote it (None: seed data).
    practice_id: int | None = Field(default=None, foreign_key="practice.id")
    seq: int | None = None
    at: datetime
    team_member_id: int | None = Field(default=None, foreign_key="team_member.id")
    # No foreign key: the event outlives a permanently deleted client.
    client_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=60)
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    # One per write transaction (a bulk change is one batch); None: seed data.
    batch_id: str | None = Field(default=None, max_length=32, index=True)
    # An undo's events name the batch they put back.
    undoes_batch: str | None = Field(default=None, max_length=32, index=True)
    # Written by support on behalf of the practice (team_member_id is then NULL);
    # no foreign key: the record outlives the support identity.
    support_person_id: int | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text))  # the elevation's reason


class ClientChange(SQLModel, table=True):
    """A client changed by a committed transaction numbered `seq`, whoever wrote it:
    written by triggers (migration 0005), read by the live list's change feed."""

    __tablename__ = "client_change"
    __table_args__ = (Index("ix_client_change_practice_seq", "practice_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int
    seq: int
    # No foreign key: a deleted client's change is recorded too.
    client_id: int


class SoloBusiness(SQLModel, table=True):
    """A Solo client's second and later businesses; the first is on its Solo account."""

    __tablename__ = "solo_business"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    position: int  # 2 for the second business, and so on
    business_name: str = Field(max_length=300)
    business_type: str = Field(max_length=30)  # self_employment | uk_property
    collection_method: str = Field(max_length=20)  # costs_sales | bank
