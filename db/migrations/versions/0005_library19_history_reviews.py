"""library history reviews: the bureau's keep / merge / reject of indicators from history

Revision ID: library19_history_reviews
Revises: keyeval16_bureau_work
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "library19_history_reviews"
down_revision = "keyeval16_bureau_work"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_history_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("level2", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("library_indicator_id", sa.Integer(), nullable=True),
        sa.Column("evidence_json", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_indicator_id"],
            ["library_indicators.id"],
            name=op.f("fk_library_history_reviews_library_indicator_id_library_indicators"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_history_reviews")),
        sa.UniqueConstraint(
            "field", "level2", "key", name=op.f("uq_library_history_reviews_field_level2_key")
        ),
    )
    with op.batch_alter_table("library_history_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_library_history_reviews_library_indicator_id"),
            ["library_indicator_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("library_history_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_history_reviews_library_indicator_id"))
    op.drop_table("library_history_reviews")
