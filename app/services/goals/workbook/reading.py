"""Phase one, part one: the typed sheets of a goals workbook turned into plain contents.

Everything found is a located Problem; nothing touches the database. Tolerant readings on
top of the sheet reader's (documented in the README's workbook section):
- 指标值 may carry the comparator and the unit (`>=1200人`, `≥95%`); 指标性质 may then be
  blank (domain read_indicator_cells); a blank 分值 counts as 0, reported by the checks;
- 一级/二级 labels lose spaces and weights (`产出指标(50分)`, `经济效益 指标`, `数量`);
- a row holding only 一级/二级 (an unused class) is skipped;
- a blank 财政拨款 or 其他资金 counts as 0 when the other is given; 资金来源 blank is
  一般公共预算, 资金级次 blank is 本级.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.domain.enums import Comparator
from app.domain.errors import Problem
from app.domain.goal_checks import IndicatorDraft, is_placeholder
from app.domain.indicator_values import (
    CellLocation,
    canonical_level,
    normalize_level_label,
    read_indicator_cells,
)
from app.domain.rules import GoalRules
from app.services.goals.workbook.types import (
    EntryIn,
    GoalContent,
    IndicatorContent,
    ProjectHeader,
    UnitIn,
)
from app.spreadsheet import SheetData, SheetRow, WorkbookData
from app.spreadsheet import goals_sheets as gs

DEFAULT_FUND_SOURCE = gs.FUND_SOURCES[0]
DEFAULT_FUND_LEVEL = gs.FUND_LEVELS[0]


@dataclass
class FileContent:
    """The workbook as plain contents; `drafts` keep the raw indicator cells for checks."""

    year: int | None = None
    units: dict[str, UnitIn] = field(default_factory=dict)
    projects: dict[str, EntryIn] = field(default_factory=dict)
    department_goals: dict[str, EntryIn] = field(default_factory=dict)
    drafts: dict[tuple[str, str], list[IndicatorDraft]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_contents(data: WorkbookData, rules: GoalRules, expected_year: int | None) -> FileContent:
    content = FileContent(problems=list(data.problems))
    content.year = _file_year(data, content.problems, expected_year)
    content.units = _units(data[gs.UNITS_SHEET])
    content.projects = _projects(data[gs.PROJECTS_SHEET])
    content.department_goals = _department_goals(data[gs.DEPARTMENT_GOALS_SHEET])
    _attach(content, data[gs.INDICATORS_SHEET], "project", content.projects, rules)
    departments = data[gs.DEPARTMENT_INDICATORS_SHEET]
    _attach(content, departments, "department", content.department_goals, rules)
    filled = [e for e in content.department_goals.values() if e.goal is not None]
    if not content.projects and not filled and not data.has_blocking:
        content.problems.append(
            Problem("文件中没有填写任何项目或部门整体目标，没有可导入的内容", gs.PROJECTS_SHEET)
        )
    return content


def _file_year(data: WorkbookData, problems: list[Problem], expected: int | None) -> int | None:
    """A workbook holds one year: the most common 年度; other rows are located problems."""
    sheets = (data[gs.PROJECTS_SHEET], data[gs.DEPARTMENT_GOALS_SHEET])
    years = Counter(r["year"] for sheet in sheets for r in sheet.rows if r["year"] is not None)
    if not years:
        return expected
    year = expected if expected is not None else years.most_common(1)[0][0]
    for sheet in sheets:
        for r in sheet.rows:
            if r["year"] is not None and r["year"] != year:
                why = "与导入时选择的年度" if expected is not None else "与本文件其他行的年度"
                problems.append(
                    sheet.problem(f"年度 {r['year']} {why} {year} 不一致", r.row, "year")
                )
    return year


def _text(row: SheetRow, key: str) -> str:
    return _cell_text(row.values.get(key))


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _units(sheet: SheetData) -> dict[str, UnitIn]:
    units: dict[str, UnitIn] = {}
    for r in sheet.rows:
        code = _text(r, "code")
        if code and code not in units:  # a repeated code is already a reader problem
            units[code] = UnitIn(
                r.row, code, _text(r, "name"), _text(r, "parent_code"), _text(r, "section")
            )
    return units


def _money(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _projects(sheet: SheetData) -> dict[str, EntryIn]:
    entries: dict[str, EntryIn] = {}
    for r in sheet.rows:
        code = _text(r, "code")
        if not code or code in entries:
            continue
        header = ProjectHeader(
            department_code=_text(r, "department_code"),
            name=_text(r, "name"),
            kind=_text(r, "kind"),
            fund_source=_text(r, "fund_source") or DEFAULT_FUND_SOURCE,
            fund_level=_text(r, "fund_level") or DEFAULT_FUND_LEVEL,
            functional_class=_text(r, "functional_class"),
            start_year=r["start_year"],
            end_year=r["end_year"],
            total=_money(r["total"]),
            fiscal=_money(r["fiscal"]),
            other=_money(r["other"]),
        )
        entry = EntryIn(r.row, code, header.department_code, header)
        entry.goal = _goal_text(r, None)
        entries[code] = entry
    return entries


def _department_goals(sheet: SheetData) -> dict[str, EntryIn]:
    entries: dict[str, EntryIn] = {}
    for r in sheet.rows:
        code = _text(r, "department_code")
        if not code or code in entries:
            continue
        entry = EntryIn(r.row, code, code, None)
        entry.goal = _goal_text(r, r["budget"])
        entries[code] = entry
    return entries


def _goal_text(r: SheetRow, budget: Decimal | None) -> GoalContent | None:
    """The goal's own cells; indicators are attached later. None when all are blank."""
    target, long_term = _text(r, "overall_target"), _text(r, "long_term_target")
    if not target and not long_term and budget is None:
        return None
    return GoalContent(target, long_term, budget, ())


def _attach(
    content: FileContent,
    sheet: SheetData,
    scope: str,
    entries: dict[str, EntryIn],
    rules: GoalRules,
) -> None:
    """Indicator rows onto their project (or department) entries, in sheet order."""
    owner_key = "project_code" if scope == "project" else "department_code"
    goal_sheet = gs.PROJECTS_SHEET if scope == "project" else gs.DEPARTMENT_GOALS_SHEET
    rows_by_owner: dict[str, list[tuple[IndicatorContent, IndicatorDraft]]] = {}
    for r in sheet.rows:
        owner = _text(r, owner_key)
        parsed = _indicator(sheet, r, rules, content.problems)
        if parsed is None or not owner:
            continue
        if owner not in entries:
            message = f"“{owner}”在“{goal_sheet}”工作表中没有对应行"
            content.problems.append(sheet.problem(message, r.row, owner_key))
            continue
        rows_by_owner.setdefault(owner, []).append(parsed)
        entries[owner].indicator_rows.append(r.row)
    for owner, rows in rows_by_owner.items():
        entry = entries[owner]
        goal = entry.goal or GoalContent("", "", None, ())
        entry.goal = GoalContent(
            goal.overall_target, goal.long_term_target, goal.budget, tuple(c for c, _ in rows)
        )
        content.drafts[scope, owner] = [d for _, d in rows]


def _indicator(
    sheet: SheetData, r: SheetRow, rules: GoalRules, problems: list[Problem]
) -> tuple[IndicatorContent, IndicatorDraft] | None:
    """One indicator row as stored content and as the domain draft; None for a placeholder."""
    cells = r.values  # one dict lookup per cell: this runs for every indicator row
    where = CellLocation(sheet=sheet.spec.name, row=r.row)
    value, cell_problems = read_indicator_cells(
        cells["value"], cells["nature"], cells["unit"], where
    )
    level1, level2 = _levels(
        _cell_text(cells.get("level1")), _cell_text(cells.get("level2")), rules
    )
    text = value.text if value.number is None else ""
    points = cells["points"]
    draft = IndicatorDraft(
        level1=level1,
        level2=level2,
        name=" ".join(_cell_text(cells.get("name")).split()),
        comparator=value.comparator,
        target=value.number,
        target_text=text,
        unit=value.unit,
        points=points,
        row=r.row,
    )
    if is_placeholder(draft):
        return None
    problems.extend(cell_problems)
    if not level1:
        problems.append(sheet.problem("一级指标未填写", r.row, "level1"))
    comparator = value.comparator.value if isinstance(value.comparator, Comparator) else ""
    stored = IndicatorContent(
        level1=level1,
        level2=level2,
        name=draft.name,
        comparator=comparator,
        target_value=value.number,
        target_text=text,
        unit=value.unit,
        points=points if points is not None else Decimal(0),
        explanation=_cell_text(cells.get("explanation")),
        standard_source=_cell_text(cells.get("standard_source")),
    )
    return stored, draft


@lru_cache(maxsize=4096)  # a workbook repeats a few dozen label pairs 25,000 times
def _levels(raw1: str, raw2: str, rules: GoalRules) -> tuple[str, str]:
    """Tidy labels, mapped onto the rule set's names where they mean one (`数量` → 数量指标)."""
    names1 = [l1.name for l1 in rules.level1]
    level1 = canonical_level(raw1, names1) or _tidy(raw1)
    layout = next((l1.level2 for l1 in rules.level1 if l1.name == level1), None)
    all_level2: Sequence[str] = [l2 for l1 in rules.level1 for l2 in l1.level2]
    level2 = canonical_level(raw2, layout or all_level2) or _tidy(raw2)
    return level1, level2


def _tidy(raw: Any) -> str:
    return normalize_level_label(raw) if raw else ""
