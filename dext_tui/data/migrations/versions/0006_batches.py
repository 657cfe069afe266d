"""batches: audit events grouped by batch, undo links, Activity paging

Every write transaction stamps its audit events with one batch id, so a bulk
change and its undo are each one unit; `undoes_batch` links an undo to the
batch it puts back. Activity reads a practice's events newest first by
(practice_id, id).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("undoes_batch", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_audit_event_batch_id", ["batch_id"], unique=False)
        batch_op.create_index("ix_audit_event_undoes_batch", ["undoes_batch"], unique=False)
        batch_op.create_index("ix_audit_event_practice_id", ["practice_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_practice_id")
        batch_op.drop_index("ix_audit_event_undoes_batch")
        batch_op.drop_index("ix_audit_event_batch_id")
        batch_op.drop_column("undoes_batch")
        batch_op.drop_column("batch_id")
