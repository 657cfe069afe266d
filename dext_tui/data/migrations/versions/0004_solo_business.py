"""solo_business: a Solo client's further businesses ("add another business")

The Solo account's own business columns stay the client's first business;
each further one is a row here, in the order it was added.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solo_business",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("business_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("business_type", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("collection_method", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("solo_business", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solo_business_client_id"), ["client_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("solo_business", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solo_business_client_id"))
    op.drop_table("solo_business")
