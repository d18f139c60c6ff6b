"""Fiscal years: a new year starts empty, or rolled forward from the year before
(services.rollover: continuing projects and goals become drafts)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.common.rollover import roll_forward
from app.services.common.year_rules import freeze_rules
from app.storage.database import Database
from app.storage.models import FiscalYear

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class YearAdded:
    year: int
    rolled_from: int | None
    projects_copied: int


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间：{year}")
    return year


def create(session: Session, year: int) -> FiscalYear:
    """An empty year (not audited here: callers do)."""
    checked_year(year)
    if live.year_id(session, year) is not None:
        raise UserError(f"{year} 年度已经存在。")
    fiscal_year = FiscalYear(year=year)
    session.add(fiscal_year)
    session.flush()
    freeze_rules(session, fiscal_year)  # the new year keeps its own copy of the rules
    return fiscal_year


def add_year(db: Database, year: int, rules: RuleSet, roll_forward_from_last: bool) -> YearAdded:
    """Open `year`: empty, or with year - 1's continuing projects and goals as drafts."""
    if not roll_forward_from_last:
        with db.transaction() as session:
            fiscal_year = create(session, year)
            audit.record(
                session,
                "新建年度",
                audit.YEAR,
                fiscal_year.id,
                f"{year} 年度",
                after={"年度": year, "方式": "空白年度"},
            )
        return YearAdded(year, None, 0)
    checked_year(year)
    with db.session() as session:
        if live.year_id(session, year) is not None:
            raise UserError(f"{year} 年度已经存在。")
        if live.year_id(session, year - 1) is None:
            raise UserError(f"没有 {year - 1} 年度，无法结转；请新建空白年度。")
    result = roll_forward(db, year - 1, rules)  # audited there (年度结转)
    return YearAdded(year, year - 1, len(result.copied))
