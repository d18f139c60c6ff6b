"""change feed: one row per announcing commit, polled by the other seats

Revision ID: connect17_change_feed
Revises: seats17_versions_locks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "connect17_change_feed"
down_revision = "seats17_versions_locks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(length=32), nullable=False),
        sa.Column("kinds", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_feed")),
    )
    with op.batch_alter_table("change_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_feed_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("change_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_feed_at"))
    op.drop_table("change_feed")
