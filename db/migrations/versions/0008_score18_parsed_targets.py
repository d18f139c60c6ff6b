"""self-evaluation rows keep their stated target parsed (comparator, number, unit, text)

Revision ID: score18_parsed_targets
Revises: connect17_change_feed
Create Date: 2026-12-04

Scoring a year used to parse every row's 年度指标值 text; the parse is now stored when the
row is saved. Existing rows are parsed here, with the same parser the import uses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.domain.indicator_values import parse_indicator_value

revision = "score18_parsed_targets"
down_revision = "connect17_change_feed"
branch_labels = None
depends_on = None

_COLUMNS = ("stated_comparator", "stated_number", "stated_unit", "stated_text")


def upgrade() -> None:
    with op.batch_alter_table("self_evaluation_indicators", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stated_comparator", sa.String(length=4), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("stated_number", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("stated_unit", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("stated_text", sa.String(length=200), nullable=False, server_default="")
        )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, stated_target FROM self_evaluation_indicators")).all()
    updates = []
    for row_id, stated in rows:
        parsed = parse_indicator_value(stated)
        number = None if parsed.number is None else format(parsed.number, "f")
        comparator = parsed.comparator.value if parsed.comparator else ""
        updates.append(
            {"i": row_id, "c": comparator, "n": number, "u": parsed.unit, "t": parsed.text}
        )
    if updates:
        bind.execute(
            sa.text(
                "UPDATE self_evaluation_indicators SET stated_comparator = :c, "
                "stated_number = :n, stated_unit = :u, stated_text = :t WHERE id = :i"
            ),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("self_evaluation_indicators", schema=None) as batch_op:
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
