"""rule set per fiscal year, stored in the database

Revision ID: rules12_year_rules
Revises: 0001
Create Date: 2026-12-04

Each existing year gets the text of the rule file the database used until now (the file
chosen in 设置 → 规则集, else the shipped default), so its scores, grades and lamps stay as
they were. A chosen file that cannot be read falls back to the shipped default.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from app.paths import default_rules_path

revision = "rules12_year_rules"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "year_rules",
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("rules_toml", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["year_id"], ["fiscal_years.id"]),
        sa.PrimaryKeyConstraint("year_id"),
    )
    bind = op.get_bind()
    years = bind.execute(sa.text("SELECT id FROM fiscal_years")).scalars().all()
    if not years:
        return
    text = _rules_in_use(bind)
    for year_id in years:
        bind.execute(
            sa.text("INSERT INTO year_rules (year_id, rules_toml) VALUES (:y, :t)"),
            {"y": year_id, "t": text},
        )
    bind.execute(sa.text("DELETE FROM settings WHERE key = 'rules.path'"))


def _rules_in_use(bind: sa.engine.Connection) -> str:
    chosen = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'rules.path'")).scalar()
    if chosen:
        try:
            return Path(chosen).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # the file moved or broke: the shipped rules are what was scored last
    return default_rules_path().read_text(encoding="utf-8")


def downgrade() -> None:
    op.drop_table("year_rules")
