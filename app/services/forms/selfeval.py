"""A 自评表 as a plan for the self-evaluation import's writer (selfeval_workbook.save).

Rows are matched to the goal's indicators by name (spaces ignored; 一级/二级 settle a name
used twice), as the workbook import does. Values follow "tolerant values, strict meaning":
a quantitative actual is a number however printed (735人次, ９６%); a qualitative actual
names a band, repeats the target's words or is one of the rule set's words for "achieved";
anything else is kept as written and the reminder asks for a band.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, QualitativeBand
from app.domain.form_values import achieved_by_wording
from app.domain.indicator_values import normalize_level_label, normalize_name, parse_indicator_value
from app.services.evaluation.inputs import parse_band
from app.services.evaluation.workbook.checks import Plan
from app.services.evaluation.workbook.context import GoalIndicator, Target
from app.services.spotcheck.views import REVIEWED

from .entries import FormEntry, RowIn

ZERO = Decimal(0)


def selfeval_plan(entry: FormEntry, target: Target, words: tuple[str, ...]) -> Plan | None:
    """The plan, or None with blocking problems added to the entry."""
    before = sum(p.blocking for p in entry.problems)
    plan = Plan(target, entry.table.first_row, _head(entry, target))
    taken: set[int] = set()
    for row in entry.rows:
        ind = _candidate(target.indicators, row, taken)
        if ind is None:
            entry.problem(
                f"三级指标“{row.content.name}”不在该项目的绩效目标中（或重复）", row.printed
            )
            continue
        taken.add(ind.id)
        plan.rows.append(_row(entry, row, ind, words))
    missing = [ind.name for ind in target.indicators if ind.id not in taken]
    if missing:
        names = "、".join(f"“{n}”" for n in missing)
        entry.at_table(f"缺少绩效目标中的指标：{names}")
    existing = target.evaluation
    if existing is not None and existing.review_status == REVIEWED and plan.changed:
        entry.at_table("该自评已完成抽查复核，不能再修改；如确需修改，请先与财政局联系")
    if sum(p.blocking for p in entry.problems) > before:
        return None
    return plan


def _head(entry: FormEntry, target: Target) -> dict[str, Any]:
    money = entry.money
    budget = money.get("annual_budget") or ZERO
    spent = money.get("spent")
    if spent is None:
        entry.at_table("没有读到全年执行数")
        spent = ZERO
    head = {
        "initial_budget": money.get("initial_budget") or budget,
        "annual_budget": budget,
        "spent": spent,
        "expected_outcome": entry.overall_target or target.overall_target,
        "actual_outcome": entry.actual_outcome,
        "claimed_execution_score": entry.claimed_execution,
        "claimed_total": entry.claimed_total,
        "claimed_grade": entry.claimed_grade[:2],
    }
    for total, prefix, label in ((budget, "budget", "预算数"), (spent, "spent", "执行数")):
        carry = money.get(f"{prefix}_carryover") or ZERO
        other = money.get(f"{prefix}_other") or ZERO
        fiscal = money.get(f"{prefix}_fiscal")
        fiscal = total - carry - other if fiscal is None else fiscal
        head.update(
            {f"{prefix}_fiscal": fiscal, f"{prefix}_carryover": carry, f"{prefix}_other": other}
        )
        if fiscal + carry + other != total:
            entry.at_table(
                f"当年财政拨款、上年结转、其他资金的{label}合计与年度资金总额不一致，按表中各数记录",
                blocking=False,
            )
    return head


def _candidate(goal: list[GoalIndicator], row: RowIn, taken: set[int]) -> GoalIndicator | None:
    name = normalize_name(row.content.name)
    same = [ind for ind in goal if normalize_name(ind.name) == name and ind.id not in taken]
    for key in ("level1", "level2"):
        if len(same) <= 1:
            break
        wanted = normalize_level_label(getattr(row.content, key))
        same = [i for i in same if normalize_level_label(getattr(i, key)) == wanted] or same
    return same[0] if same else None


def _row(
    entry: FormEntry, row: RowIn, ind: GoalIndicator, words: tuple[str, ...]
) -> dict[str, Any]:
    return {
        "indicator_id": ind.id,
        "position": ind.position,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "stated_target": row.target_text.strip(),
        "stated_points": row.points,
        **_actual(entry, row, ind, words),
        "claimed_score": row.claimed_score,
        "reason": row.reason,
    }


def _actual(
    entry: FormEntry, row: RowIn, ind: GoalIndicator, words: tuple[str, ...]
) -> dict[str, Any]:
    text = row.actual.text.strip()
    blank = {"actual_value": None, "actual_text": "", "qualitative_band": ""}
    if not text:
        entry.problem("未填写实际完成值，该指标按0分计", row.actual, blocking=False)
        return blank
    if ind.comparator is Comparator.QUALITATIVE:
        band = parse_band(text)
        if band is None and achieved_by_wording(text, ind.target_text or row.target_text, words):
            band = QualitativeBand.ACHIEVED
        if band is None:
            entry.problem(
                f"定性指标“{ind.name}”的实际完成值“{text}”未写明档次，已原样保存；请在评分时选择"
                "达成、部分达成或未达成（未选择前该指标按0分计）",
                row.actual,
                blocking=False,
            )
            return {**blank, "actual_text": text}
        return {"actual_value": None, "actual_text": text, "qualitative_band": band.value}
    number = parse_indicator_value(text).number
    if number is None:
        if row.draft.comparator not in (None, Comparator.QUALITATIVE):
            return blank  # already reported when the form was read (entries.py)
        entry.problem(
            f"定量指标“{ind.name}”的实际完成值“{text}”不是数字（可带单位，如 735人次、96%）",
            row.actual,
        )
        return blank
    return {"actual_value": number, "actual_text": "", "qualitative_band": ""}
