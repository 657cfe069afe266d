"""support desk: support identities, a practice's support switch, on-behalf-of audit

A support person is no member of any practice: a table of their own. A practice
may turn support access off. An audit event written by support names the support
person (team_member_id is NULL) and the reason they gave when elevating; visits
and elevations are events of their own with no client.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "support_person",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False, unique=True),
        sa.Column("login_name", sa.String(length=100), nullable=True, index=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    # In place (no batch copy): a SQLite batch would copy practice, which the
    # clients' foreign keys refuse (as 0005 found).
    op.add_column(
        "practice",
        sa.Column("support_access", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("audit_event", sa.Column("support_person_id", sa.Integer(), nullable=True))
    op.add_column("audit_event", sa.Column("reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place, as upgrade added them (SQLite 3.35+ drops a plain column).
    op.execute("ALTER TABLE audit_event DROP COLUMN reason")
    op.execute("ALTER TABLE audit_event DROP COLUMN support_person_id")
    op.execute("ALTER TABLE practice DROP COLUMN support_access")
    op.drop_table("support_person")
