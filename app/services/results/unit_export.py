"""Per-unit results for the budget 股 and the county's 综合考核 (Excel): grades, key
evaluations, confirmed and carried cuts, 整改 status. One row per unit with anything to show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.enums import Grade
from app.domain.errors import UserError
from app.domain.rectification import Status
from app.domain.rules import RuleSet
from app.services.common.catalog import section_tree
from app.services.key_evaluation import list_evaluations
from app.services.rectification import ledger
from app.services.results.carry import carried_cuts
from app.services.results.grades import project_grades
from app.services.results.records import results_by_department
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet.bureau_sheets import ASSESSMENT_SHEET
from app.storage.database import Database


@dataclass
class UnitResults:
    department_code: str
    department: str
    grades: Counter[str] = field(default_factory=Counter)
    key_evaluations: list[str] = field(default_factory=list)  # "ZD2025-01 优"
    decided_cut: Decimal = Decimal(0)
    carried_cut: Decimal = Decimal(0)
    items: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def empty(self) -> bool:
        return not (self.grades or self.key_evaluations or self.decided_cut or self.items)


def unit_results(db: Database, year: int, rules: RuleSet, today: date) -> list[UnitResults]:
    units = {d.code: UnitResults(d.code, d.name) for s in section_tree(db) for d in s.departments}
    for g in project_grades(db, year, rules):
        units[g.department_code].grades[g.grade.value] += 1
    for e in list_evaluations(db, year, rules):
        units[e.department_code].key_evaluations.append(f"{e.code} {e.grade or '评价中'}")
    for group in results_by_department(db, year):
        units[group.department_code].decided_cut = group.decided_cut
    for c in carried_cuts(db, year):
        units[c.department_code].carried_cut += c.cut
    for r in ledger(db, year, today).rows:
        unit = units[r.department_code]
        unit.items += 1
        unit.done += r.status == Status.DONE.value
        unit.overdue += r.overdue
    return [u for u in units.values() if not u.empty]


def export_unit_results(
    db: Database, year: int, path: str | Path, rules: RuleSet, today: date
) -> int:
    """Write the sheet; returns the number of units. UserError when nothing is to report."""
    rows = unit_results(db, year, rules, today)
    if not rows:
        raise UserError(f"{year}年还没有评价等级、重点评价、调减或整改数据，无法导出综合考核表。")
    write_workbook(
        path, [SheetContent(ASSESSMENT_SHEET, [_values(u) for u in rows])], protect=False
    )
    return len(rows)


def _values(u: UnitResults) -> dict[str, object]:
    return {
        "department_code": u.department_code, "department": u.department,
        "evaluated": sum(u.grades.values()), "excellent": u.grades[Grade.EXCELLENT.value],
        "good": u.grades[Grade.GOOD.value], "fair": u.grades[Grade.FAIR.value],
        "poor": u.grades[Grade.POOR.value], "key_evaluations": "；".join(u.key_evaluations),
        "decided_cut": u.decided_cut, "carried_cut": u.carried_cut, "items": u.items,
        "done": u.done, "overdue": u.overdue,
    }  # fmt: skip
