"""Which rows are live, and which year is meant: the one owner of both rules.

Projects and goals moved to the 回收站 keep their rows with `deleted_at` set; every read
path (lists, scores, samples, lamps, reports, exports) shows only live ones, so every
service query on those tables states which rows it means here: `only(...)` live ones,
`with_bin(...)` binned ones too (unique codes, the import's view of what exists), `get`
one row by id. Departments have no 回收站 (they stay while any
year refers to them), so they are always live. tests/unit/test_live_scan.py fails on a
service query that bypasses this module.

A fiscal year is asked for by its number (2024); `year_id`/`fiscal_year` turn it into the
row, `in_year` into a criterion on a table's `year_id`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.storage.models import FiscalYear, Goal, Project

BINNED = (Project, Goal)  # the tables whose rows can be in the 回收站
T = TypeVar("T", Project, Goal)


def only(*models: type[Project] | type[Goal]) -> tuple[ColumnElement[bool], ...]:
    """Criteria keeping the rows of `models` that are not in the 回收站."""
    return tuple(model.deleted_at.is_(None) for model in models)


def or_missing(model: type[Project] | type[Goal]) -> ColumnElement[bool]:
    """For an outer join: no row joined (a department-wide record), or a live one."""
    return or_(model.id.is_(None), model.deleted_at.is_(None))


def with_bin(*_models: type[Project] | type[Goal]) -> tuple[ColumnElement[bool], ...]:
    """No criterion: this query deliberately sees rows in the 回收站 too."""
    return ()


def in_bin(row: Project | Goal) -> bool:
    return row.deleted_at is not None


def get(session: Session, model: type[T], row_id: int) -> T | None:
    """The row with this id, or None when there is none or it is in the 回收站."""
    row = session.get(model, row_id)
    return row if row is not None and not in_bin(row) else None


def year_id(session: Session, year: int) -> int | None:
    return session.scalar(select(FiscalYear.id).where(FiscalYear.year == year))


def require_year_id(session: Session, year: int) -> int:
    found = year_id(session, year)
    if found is None:
        raise UserError(f"数据库中没有{year}年度的数据，请检查年度。")
    return found


def fiscal_year(session: Session, year: int) -> FiscalYear | None:
    return session.scalar(select(FiscalYear).where(FiscalYear.year == year))


def year_number(session: Session, fiscal_year_id: int) -> int:
    return session.get_one(FiscalYear, fiscal_year_id).year


def in_year(model: Any, year: int) -> ColumnElement[bool]:
    """`model.year_id` (any table with one) is the fiscal year numbered `year`."""
    wanted = select(FiscalYear.id).where(FiscalYear.year == year).scalar_subquery()
    criterion: ColumnElement[bool] = model.year_id == wanted
    return criterion


def year_at_most(year: int) -> ColumnElement[bool]:
    """FiscalYear rows up to and including `year` (the latest earlier setting still holds)."""
    criterion: ColumnElement[bool] = FiscalYear.year <= year
    return criterion


def year_before(year: int) -> ColumnElement[bool]:
    criterion: ColumnElement[bool] = FiscalYear.year < year
    return criterion


def year_after(year: int) -> ColumnElement[bool]:
    criterion: ColumnElement[bool] = FiscalYear.year > year
    return criterion


def in_years(model: Any, years: list[int]) -> ColumnElement[bool]:
    ids = select(FiscalYear.id).where(FiscalYear.year.in_(years))
    criterion: ColumnElement[bool] = model.year_id.in_(ids)
    return criterion


def years_by_id(session: Session, years: Iterable[int]) -> dict[int, int]:
    """Fiscal year id → year number, for those of `years` the database has."""
    stmt = select(FiscalYear.id, FiscalYear.year).where(FiscalYear.year.in_(list(years)))
    return {row.id: row.year for row in session.execute(stmt)}
