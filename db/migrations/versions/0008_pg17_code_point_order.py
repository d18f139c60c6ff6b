"""PostgreSQL: text columns compare in code point order (collation "C"), as SQLite's BINARY

A server's default collation (zh_CN.UTF-8, say) would sort names and codes differently
from the SQLite file; with "C" every ORDER BY gives the same order on both backends.
SQLite: nothing to do.

Revision ID: pg17_code_point_order
Revises: monitor16_department_monitoring
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "pg17_code_point_order"
down_revision = "monitor16_department_monitoring"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = """
SELECT c.table_name, c.column_name, c.data_type, c.character_maximum_length
FROM information_schema.columns c
WHERE c.table_schema = current_schema() AND c.data_type IN ('character varying', 'text')
  AND c.table_name <> 'alembic_version'
ORDER BY c.table_name, c.ordinal_position
"""


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")


def _collate(collation: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, column, data_type, length in bind.execute(sa.text(_TEXT_COLUMNS)).all():
        kind = f"varchar({length})" if data_type == "character varying" and length else data_type
        op.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {kind} COLLATE "{collation}"'
        )
