"""部门整体 monitoring (entries and indicators per round); policy ex-ante assessments

Revision ID: monitor16_department_monitoring
Revises: rules12_year_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "monitor16_department_monitoring"
down_revision = "rules12_year_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_department_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("basic_initial", sa.BigInteger(), nullable=False),
        sa.Column("basic_adjusted", sa.BigInteger(), nullable=False),
        sa.Column("basic_spent", sa.BigInteger(), nullable=False),
        sa.Column("project_initial", sa.BigInteger(), nullable=False),
        sa.Column("project_adjusted", sa.BigInteger(), nullable=False),
        sa.Column("project_spent", sa.BigInteger(), nullable=False),
        sa.Column("conclusion", sa.String(length=10), nullable=False),
        sa.Column("conclusion_note", sa.Text(), nullable=False),
        sa.Column("budget_deviation_category", sa.String(length=10), nullable=False),
        sa.Column("budget_deviation_reason", sa.Text(), nullable=False),
        sa.Column("budget_corrective_action", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_monitoring_department_entries_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["monitoring_rounds.id"],
            name=op.f("fk_monitoring_department_entries_round_id_monitoring_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_department_entries")),
        sa.UniqueConstraint(
            "round_id", "goal_id", name=op.f("uq_monitoring_department_entries_round_id_goal_id")
        ),
    )
    with op.batch_alter_table("monitoring_department_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_department_entries_goal_id"), ["goal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_department_entries_round_id"), ["round_id"], unique=False
        )
    op.create_table(
        "monitoring_department_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("current_value", sa.String(length=40), nullable=True),
        sa.Column("current_text", sa.String(length=200), nullable=False),
        sa.Column("likelihood", sa.String(length=10), nullable=False),
        sa.Column("expected_value", sa.String(length=40), nullable=True),
        sa.Column("deviation_category", sa.String(length=10), nullable=False),
        sa.Column("deviation_reason", sa.Text(), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["monitoring_department_entries.id"],
            name=op.f("fk_monitoring_department_indicators_entry_id_monitoring_department_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_monitoring_department_indicators_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_department_indicators")),
        sa.UniqueConstraint(
            "entry_id",
            "indicator_id",
            name=op.f("uq_monitoring_department_indicators_entry_id_indicator_id"),
        ),
    )
    with op.batch_alter_table("monitoring_department_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_department_indicators_entry_id"), ["entry_id"], unique=False
        )
    op.create_table(
        "policy_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("necessity", sa.String(length=10), nullable=False),
        sa.Column("economy", sa.String(length=10), nullable=False),
        sa.Column("goal_reasonableness", sa.String(length=10), nullable=False),
        sa.Column("feasibility", sa.String(length=10), nullable=False),
        sa.Column("compliance", sa.String(length=10), nullable=False),
        sa.Column("conclusion", sa.String(length=10), nullable=False),
        sa.Column("requested_amount", sa.BigInteger(), nullable=False),
        sa.Column("approved_amount", sa.BigInteger(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("assessor", sa.String(length=60), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_policy_assessments_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["year_id"],
            ["fiscal_years.id"],
            name=op.f("fk_policy_assessments_year_id_fiscal_years"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_assessments")),
    )
    with op.batch_alter_table("policy_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_assessments_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_policy_assessments_year_id"), ["year_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("policy_assessments")
    op.drop_table("monitoring_department_indicators")
    op.drop_table("monitoring_department_entries")
