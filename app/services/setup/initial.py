"""The first set-up of a new database (the wizard and `init`): names, the first year, the
股室 and the units, written together or not at all, with one audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain.errors import UserError, ValidationFailed
from app.domain.units import UnitInput, unit_problems
from app.services.common import audit
from app.services.setup import county, sections, units, years
from app.storage.database import Database
from app.storage.models import Department, FiscalYear


@dataclass(frozen=True)
class CountySetup:
    county: str
    bureau: str
    year: int
    sections: Sequence[str] = ()
    units: Sequence[UnitInput] = field(default_factory=tuple)


def is_blank(db: Database) -> bool:
    """No year and no unit yet: the set-up has not been done."""
    with db.session() as session:
        return not (
            session.scalar(select(FiscalYear.id).limit(1))
            or session.scalar(select(Department.id).limit(1))
        )


def check_setup(setup: CountySetup) -> None:
    """Everything that can be checked before a file is created: names, year, unit rows."""
    county.checked_names(setup.county, setup.bureau)
    years.checked_year(setup.year)
    for name in setup.sections:
        if name.strip():
            sections.checked_name(name)
    problems = unit_problems([u.tidy() for u in setup.units])
    if problems:
        raise ValidationFailed(problems, f"单位列表有 {len(problems)} 个问题，请修改后再完成：")


def set_up_county(db: Database, setup: CountySetup) -> units.UnitsAdded:
    check_setup(setup)
    name, bureau = county.checked_names(setup.county, setup.bureau)
    rows = [u.tidy() for u in setup.units]
    if not is_blank(db):
        raise UserError(
            "这个数据库已经有年度或单位数据，不能再做初次设置；请在“设置 → 基础信息”中修改。"
        )
    with db.transaction() as session:
        county.write_names(session, name, bureau)
        fiscal_year = years.create(session, setup.year)
        for section_name in dict.fromkeys(s.strip() for s in setup.sections if s.strip()):
            sections.create(session, section_name)
        added = units.create(session, rows, "单位列表")
        after = {
            "县（区）名称": name,
            "财政局名称": bureau,
            "年度": setup.year,
            "股室": [s.strip() for s in setup.sections if s.strip()] + list(added.new_sections),
            "单位": list(added.added),
        }
        audit.record(session, "建立本县数据库", audit.DATABASE, fiscal_year.id, name, after=after)
    return added
