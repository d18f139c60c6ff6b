"""rule set and annual report wording per fiscal year, stored in the database

Revision ID: rules12_year_rules
Revises: library19_history_reviews
Create Date: 2026-12-04

Each existing year gets the text of the rule file the database used until now (the file
chosen in 设置 → 规则集, else the shipped default), so its scores, grades and lamps stay as
they were. A chosen file that cannot be read falls back to the shipped default. The report
wording a clerk had edited in the data folder becomes each existing year's wording; without
one, years print the shipped wording.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from app.paths import data_dir, default_rules_path

revision = "rules12_year_rules"
down_revision = "library19_history_reviews"
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
    op.create_table(
        "year_wording",
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("annual_report_toml", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["year_id"], ["fiscal_years.id"]),
        sa.PrimaryKeyConstraint("year_id"),
    )
    bind = op.get_bind()
    years = bind.execute(sa.text("SELECT id FROM fiscal_years")).scalars().all()
    if years:
        _fill(bind, "year_rules", "rules_toml", years, _rules_in_use(bind))
        wording = _edited_wording()
        if wording is not None:
            _fill(bind, "year_wording", "annual_report_toml", years, wording)
    bind.execute(sa.text("DELETE FROM settings WHERE key = 'rules.path'"))


def _fill(bind: sa.engine.Connection, table: str, column: str, years: list[int], text: str) -> None:
    for year_id in years:
        bind.execute(
            sa.text(f"INSERT INTO {table} (year_id, {column}) VALUES (:y, :t)"),
            {"y": year_id, "t": text},
        )


def _edited_wording() -> str | None:
    try:
        return (data_dir() / "reports" / "annual_report.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # none edited: the shipped wording, as before


def _rules_in_use(bind: sa.engine.Connection) -> str:
    chosen = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'rules.path'")).scalar()
    if chosen:
        try:
            return Path(chosen).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # the file moved or broke: the shipped rules are what was scored last
    return default_rules_path().read_text(encoding="utf-8")


def downgrade() -> None:
    op.drop_table("year_wording")
    op.drop_table("year_rules")
