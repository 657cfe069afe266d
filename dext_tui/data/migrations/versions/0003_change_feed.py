"""change feed: practice.change_seq and audit events numbered by it

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("change_seq", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_audit_event_practice_id_practice", "practice", ["practice_id"], ["id"]
        )
        batch_op.create_index("ix_audit_event_practice_seq", ["practice_id", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_practice_seq")
        batch_op.drop_constraint("fk_audit_event_practice_id_practice", type_="foreignkey")
        batch_op.drop_column("seq")
        batch_op.drop_column("practice_id")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("change_seq")
