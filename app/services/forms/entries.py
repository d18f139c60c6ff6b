"""Phase one: a recognised form turned into typed contents, every problem located.

Nothing here touches the database. Amounts become Decimal 元 (the table's 万元 or 元 header);
indicator targets are split like the goals workbook does (comparator, number, unit); points
and claimed scores are numbers; actuals stay as printed (their meaning depends on the goal's
comparator and is settled when the goal is known, see selfeval.py). A number that cannot be
read is a blocking problem naming the label and the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.enums import Comparator
from app.domain.form_values import read_amount, read_optional_number
from app.domain.goal_checks import IndicatorDraft
from app.domain.indicator_values import (
    CellLocation,
    canonical_level,
    normalize_level_label,
    parse_indicator_value,
    read_indicator_cells,
)
from app.domain.rules import GoalRules
from app.services.goals.workbook.types import GoalContent, IndicatorContent
from app.spreadsheet.forms import FormIndicator, FormKind, FormProblem, FormTable, Printed

_CODE_IN_NAME = re.compile(r"[（(\[]?\s*(\d{3,21})\s*[)）\]]?")


@dataclass(frozen=True)
class RowIn:
    """One indicator row: goal terms as printed (typed) and the evaluation cells."""

    content: IndicatorContent
    draft: IndicatorDraft
    target_text: str  # 年度指标值 exactly as printed
    actual: Printed
    points: Decimal | None
    claimed_score: Decimal | None
    reason: str
    printed: Printed  # the 三级指标 cell, to locate problems
    target_cell: Printed
    points_cell: Printed


@dataclass
class FormEntry:
    """One table of a file, typed."""

    table: FormTable
    year: int | None
    unit_name: str
    unit_code: str
    project_name: str
    project_code: str
    overall_target: str
    rows: list[RowIn] = field(default_factory=list)
    money: dict[str, Decimal | None] = field(default_factory=dict)  # 元
    claimed_execution: Decimal | None = None
    claimed_total: Decimal | None = None
    claimed_grade: str = ""
    actual_outcome: str = ""
    problems: list[FormProblem] = field(default_factory=list)

    @property
    def kind(self) -> FormKind:
        return self.table.kind

    def problem(self, message: str, at: Printed | None = None, blocking: bool = True) -> None:
        where = at.where if at is not None and at.where is not None else None
        label = at.label if at is not None else ""
        self.problems.append(FormProblem(message, where, label, blocking, self.table.file))

    def at_table(self, message: str, blocking: bool = True) -> None:
        self.problems.append(
            FormProblem(f"{self.table.place}：{message}", None, "", blocking, self.table.file)
        )


def read_entry(table: FormTable, rules: GoalRules, given_year: int | None) -> FormEntry:
    unit = table.get("unit") if table.get("unit").text else table.get("department")
    name, code_in_name = _split_code(unit.text)
    entry = FormEntry(
        table=table,
        year=table.year,
        unit_name=name,
        unit_code=_code(table.get("department_code").text) or code_in_name,
        project_name=" ".join(table.get("project_name").text.split()),
        project_code=_code(table.get("project_code").text),
        overall_target=table.get("overall").text,
        actual_outcome=table.get("actual_outcome").text,
        claimed_grade=table.get("grade").text.strip(),
    )
    if given_year is not None and table.year is not None and table.year != given_year:
        entry.at_table(f"表头年度为{table.year}年，与指定的{given_year}年不一致")
    if entry.year is None:
        entry.at_table("标题中没有年度（如“（2022年度）”），请指定导入年度")
    if not entry.unit_name and not entry.unit_code:
        entry.at_table("没有读到单位名称（主管部门 / 实施单位 / 部门（单位）名称）")
    if not table.kind.is_department and not entry.project_name and not entry.project_code:
        entry.at_table("没有读到项目名称")
    if not table.indicators:
        entry.at_table("没有读到绩效指标（一级指标 / 二级指标 / 三级指标表头）")
    _read_money(entry)
    for number, indicator in enumerate(table.indicators, 1):
        entry.rows.append(_read_row(entry, number, indicator, rules))
    entry.claimed_total = _number(entry, table.get("claimed_total"))
    return entry


def _split_code(text: str) -> tuple[str, str]:
    """`上犹县教育局（219001）` → (上犹县教育局, 219001); a name alone keeps an empty code."""
    match = _CODE_IN_NAME.search(text)
    if match is None:
        return text.strip(), ""
    name = (text[: match.start()] + text[match.end() :]).strip(" -—:：")
    return name, match.group(1)


def _code(text: str) -> str:
    return "".join(text.split())


def _number(entry: FormEntry, cell: Printed) -> Decimal | None:
    try:
        return read_optional_number(cell.text)
    except ValueError as exc:
        entry.problem(f"{exc}，无法读取{cell.label or '数值'}", cell)
        return None


_MONEY_KEYS = {
    "initial": "initial_budget",
    "budget": "annual_budget",
    "spent": "spent",
    "total": "annual_budget",
    "fiscal_budget": "budget_fiscal",
    "carryover_budget": "budget_carryover",
    "other_budget": "budget_other",
    "fiscal_spent": "spent_fiscal",
    "carryover_spent": "spent_carryover",
    "other_spent": "spent_other",
    "fiscal": "fiscal",
    "other": "other",
}


def _read_money(entry: FormEntry) -> None:
    table = entry.table
    for key, cell in table.money.items():
        target = _MONEY_KEYS.get(key)
        if target is None:
            continue
        try:
            entry.money[target] = read_amount(cell.text, table.money_unit)
        except ValueError as exc:
            entry.problem(f"{exc}（金额单位按表头为{table.money_unit}）", cell)
    if "score" in table.money:
        entry.claimed_execution = _number(entry, table.money["score"])
    if table.kind.is_self_evaluation and entry.money.get("annual_budget") is None:
        entry.at_table("没有读到全年预算数（项目资金表的“年度资金总额”行）")


def _read_row(entry: FormEntry, number: int, ind: FormIndicator, rules: GoalRules) -> RowIn:
    where = CellLocation(sheet=entry.table.part, row=ind.name.where.row if ind.name.where else None)
    value, cell_problems = read_indicator_cells(
        ind.target.text, ind.nature.text, ind.unit.text, where
    )
    for p in cell_problems:
        entry.problem(p.message, ind.target, p.blocking)
    points = _number(entry, ind.points)
    level1, level2 = _levels(ind.level1.text, ind.level2.text, rules)
    text = value.text if value.number is None else ""
    draft = IndicatorDraft(
        level1=level1,
        level2=level2,
        name=" ".join(ind.name.text.split()),
        comparator=value.comparator,
        target=value.number,
        target_text=text,
        unit=value.unit,
        points=points,
        row=number,
    )
    comparator = value.comparator.value if isinstance(value.comparator, Comparator) else ""
    quantitative = value.comparator not in (None, Comparator.QUALITATIVE)
    unread = ind.actual.text.strip() and parse_indicator_value(ind.actual.text).number is None
    if entry.kind.is_self_evaluation and quantitative and unread:
        entry.problem(
            f"实际完成值“{ind.actual.text}”不是数字（可带单位，如 735人次、96%）", ind.actual
        )
    content = IndicatorContent(
        level1=level1, level2=level2, name=draft.name, comparator=comparator,
        target_value=value.number, target_text=text, unit=value.unit,
        points=points if points is not None else Decimal(0), explanation="", standard_source="",
    )  # fmt: skip
    return RowIn(
        content=content,
        draft=draft,
        target_text=ind.target.text,
        actual=ind.actual,
        points=points,
        claimed_score=_number(entry, ind.score) if ind.score.text else None,
        reason=ind.reason.text,
        printed=ind.name,
        target_cell=ind.target,
        points_cell=ind.points,
    )


def _levels(raw1: str, raw2: str, rules: GoalRules) -> tuple[str, str]:
    """Labels mapped onto the rule set's names where they mean one (`产出指标(50分)`)."""
    level1 = canonical_level(raw1, [l1.name for l1 in rules.level1]) or normalize_level_label(raw1)
    layout = next((l1.level2 for l1 in rules.level1 if l1.name == level1), None)
    known = layout or [l2 for l1 in rules.level1 for l2 in l1.level2]
    return level1, canonical_level(raw2, known) or normalize_level_label(raw2)


def goal_content(entry: FormEntry) -> GoalContent:
    budget = entry.money.get("annual_budget") if entry.kind.is_department else None
    rows = tuple(r.content for r in entry.rows)
    return GoalContent(entry.overall_target, "", budget, rows)
