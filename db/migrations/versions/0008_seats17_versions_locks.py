"""Several seats: a version on every record edited in a form, job locks, one sample per year

Revision ID: seats17_versions_locks
Revises: monitor16_department_monitoring
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "seats17_versions_locks"
down_revision = "monitor16_department_monitoring"
branch_labels = None
depends_on = None

# Goals have carried a version since core11_goal_version.
VERSIONED_TABLES = (
    "sections",
    "departments",
    "pre_assessments",
    "policy_assessments",
    "monitoring_entries",
    "monitoring_department_entries",
    "self_evaluations",
    "reviews",
    "key_evaluations",
    "rectification_items",
    "disclosure_records",
)

# Two draws stored for one year (possible before this revision, from two seats at once): keep
# the latest, unless an earlier one already holds reviews (then the upgrade stops and says so).
_UNREVIEWED_OLDER_DRAWS = """
DELETE FROM spot_check_batches
WHERE id NOT IN (SELECT max(id) FROM spot_check_batches GROUP BY year_id)
  AND NOT EXISTS (
    SELECT 1 FROM spot_check_samples s JOIN reviews r ON r.sample_id = s.id
    WHERE s.batch_id = spot_check_batches.id)
"""


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
    op.create_table(
        "job_locks",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("host", sa.String(length=100), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("job", "year", name=op.f("pk_job_locks")),
    )
    op.execute(_UNREVIEWED_OLDER_DRAWS)
    with op.batch_alter_table("spot_check_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spot_check_batches_year_id"))
        batch_op.create_index(batch_op.f("ix_spot_check_batches_year_id"), ["year_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("spot_check_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spot_check_batches_year_id"))
        batch_op.create_index(batch_op.f("ix_spot_check_batches_year_id"), ["year_id"])
    op.drop_table("job_locks")
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
