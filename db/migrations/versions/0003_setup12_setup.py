"""setup12: 股室 can be retired; a demo database says so in its settings

Revision ID: setup12_setup
Revises: core11_goal_version
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "setup12_setup"
down_revision = "core11_goal_version"
branch_labels = None
depends_on = None

DEMO_COUNTY = "示例县"  # the name the demo builder gives its county (resources/demo)


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite and PostgreSQL both take it): a batch copy of the table
    # would rewrite its constraints in an order that varies from run to run.
    op.add_column(
        "sections", sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    # Demo databases built before the flag existed are recognised by the demo's county name.
    op.execute(
        "INSERT INTO settings (key, value) SELECT 'database.demo', '1' FROM settings "
        f"WHERE key = 'county.name' AND value = '{DEMO_COUNTY}'"
    )


def downgrade() -> None:
    op.execute("DELETE FROM settings WHERE key = 'database.demo'")
    with op.batch_alter_table("sections") as batch:
        batch.drop_column("is_active")
