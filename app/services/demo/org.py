"""The demo county's organisation: settings, fiscal years, 股室 and 预算单位."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.demo.plan import Rows
from app.services.demo.vocab import County, DepartmentSpec
from app.services.setup.county import mark_demo, write_names
from app.storage.models import Department, FiscalYear, Section


def write_settings(session: Session, county: County) -> None:
    """Name the county and its bureau, and mark the database as the demo (shown in the
    title bar and on every report)."""
    write_names(session, county.name, county.bureau)
    mark_demo(session)


def fiscal_year_ids(session: Session, rows: Rows, years: list[int]) -> dict[int, int]:
    """Ids of the demo years, reusing empty FiscalYear rows the user may already have."""
    existing = dict(
        session.execute(
            select(FiscalYear.year, FiscalYear.id).where(FiscalYear.year.in_(years))
        ).all()
    )
    ids = {}
    for year in years:
        if year in existing:
            ids[year] = existing[year]
            continue
        ids[year] = rows.new_id(FiscalYear)
        rows.add(FiscalYear, {"id": ids[year], "year": year, "note": "示例数据"})
    return ids


def add_sections(rows: Rows, county: County) -> dict[str, int]:
    ids = {}
    for order, spec in enumerate(county.sections, start=1):
        ids[spec.name] = rows.new_id(Section)
        rows.add(
            Section,
            {"id": ids[spec.name], "code": spec.code, "name": spec.name, "sort_order": order},
        )
    return ids


def add_departments(
    rows: Rows, departments: list[DepartmentSpec], section_ids: dict[str, int]
) -> dict[str, int]:
    """Departments in file order, so a 主管部门 is inserted before its units."""
    ids: dict[str, int] = {}
    for spec in departments:
        ids[spec.code] = rows.new_id(Department)
        rows.add(
            Department,
            {
                "id": ids[spec.code],
                "code": spec.code,
                "name": spec.name,
                "parent_id": ids[spec.parent] if spec.parent else None,
                "section_id": section_ids[spec.section],
                "is_active": True,
            },
        )
    return ids
