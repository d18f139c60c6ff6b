"""Phase two of the import: the typed rows checked against the database, as plans.

Blocking (nothing is saved while any remains; all are listed with sheet, row and column):
- a 项目 row whose 年度 + 项目编码 names no project (or department-wide goal) of that year;
- a project whose goal is missing or not approved (已通过): there is nothing to score against;
- negative amounts; splits (本年财政拨款 + 上年结转 + 其他资金) that do not add up to
  全年预算数 / 全年执行数;
- 指标 rows of a 项目编码 that is not on the 项目 sheet; an indicator whose 三级指标 is not
  in the approved goal (matched by 项目编码 and the name without spaces; 一级/二级 settle a
  name used twice); the same indicator twice; an approved indicator missing from the file;
- a quantitative 实际完成值 without a number;
- a change to a self-evaluation that has already been reviewed (已复核): the review was
  made against the stored version.
Not blocking (saved, and listed as reminders):
- 年度指标值 or 分值 that differ from the approved goal: kept as written (stated_target /
  stated_points), never overwriting the goal, and flagged when the year is scored;
- a blank 实际完成值 (the indicator scores 0, flagged in scoring);
- a qualitative 实际完成值 naming no band: the target's own words (有效 / 有效) or one of the
  rule set's words for "achieved" count as 达成; anything else is kept as written with no
  band (scored 0 and flagged) and the reminder asks for a band;
- 全年执行数 above 全年预算数 (scoring counts the rate as 100% and flags it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, QualitativeBand
from app.domain.errors import Problem
from app.domain.form_values import achieved_by_wording
from app.domain.indicator_values import (
    normalize_level_label,
    normalize_name,
    parse_indicator_value,
)
from app.domain.numbers import plain, wan
from app.services.evaluation.inputs import parse_band
from app.services.evaluation.workbook.context import GoalIndicator, Target
from app.services.evaluation.workbook.kept import keep_stored
from app.services.spotcheck.views import REVIEWED
from app.spreadsheet import SheetData, SheetRow
from app.spreadsheet.selfeval_sheets import INDICATOR_SHEET_NAME

ZERO = Decimal(0)
_KEPT = "按自评表记录并在计分时标出"
_SPLITS = (
    ("annual_budget", "预算数", ("budget_fiscal", "budget_carryover", "budget_other")),
    ("spent", "执行数", ("spent_fiscal", "spent_carryover", "spent_other")),
)


@dataclass
class Plan:
    """What one self-evaluation will look like after the import."""

    target: Target
    sheet_row: int
    head: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)  # ROW_FIELDS each
    mismatches: int = 0  # rows whose 年度指标值 or 分值 differ from the goal

    @property
    def changed(self) -> bool:
        existing = self.target.evaluation
        if existing is None:
            return True
        if any(existing.head[k] != v for k, v in self.head.items()):
            return True
        stored = sorted(existing.rows.values(), key=lambda r: r["indicator_id"] or 0)
        wanted = sorted(self.rows, key=lambda r: r["indicator_id"])
        return stored != wanted


@dataclass
class Checked:
    plans: list[Plan]
    problems: list[Problem]


def check_rows(
    projects: SheetData,
    indicators: SheetData,
    targets: dict[tuple[int, str], Target],
    achieved_words: tuple[str, ...] = (),
) -> Checked:
    problems: list[Problem] = []
    plans: dict[str, Plan] = {}
    on_sheet: set[str] = set()
    for row in projects.rows:
        year, code = row["year"], row["code"]
        if code is not None:
            on_sheet.add(code)
        if year is None or code is None:
            continue  # the reader already reported the cell
        plan = _plan(projects, row, targets.get((year, code)), problems)
        if plan is not None:
            plans[code] = plan
    grouped: dict[str, list[SheetRow]] = {}
    for row in indicators.rows:
        code = row["code"]
        if code is None:
            continue
        if code not in on_sheet:
            problems.append(
                indicators.problem(f"项目编码“{code}”不在“项目”工作表中", row.row, "code")
            )
        grouped.setdefault(code, []).append(row)
    for code, plan in plans.items():
        rows = grouped.get(code, [])
        _match_indicators(plan, indicators, projects, rows, problems, achieved_words)
        _check_reviewed(plan, projects, problems)
    return Checked(list(plans.values()), problems)


def _plan(
    sheet: SheetData, row: SheetRow, target: Target | None, problems: list[Problem]
) -> Plan | None:
    code = row["code"]
    if target is None:
        message = f"{row['year']}年没有项目编码为“{code}”的项目"
        problems.append(sheet.problem(message, row.row, "code"))
        return None
    if not target.approved:
        status = target.goal_status or "未填报"
        problems.append(
            sheet.problem(
                f"项目“{code}”的绩效目标尚未批复（当前：{status}），不能导入自评", row.row, "code"
            )
        )
        return None
    head = {
        "initial_budget": row["initial_budget"],
        "annual_budget": row["annual_budget"],
        "spent": row["spent"],
        "expected_outcome": target.overall_target,
        "actual_outcome": row["actual_outcome"] or "",
        "claimed_execution_score": row["claimed_execution"],
        "claimed_total": row["claimed_total"],
        "claimed_grade": row["claimed_grade"] or "",
    }
    # Checked on even when the money is wrong, so the indicator rows are checked too.
    problems += _money_problems(sheet, row, head)
    return Plan(target, row.row, head)


def _money_problems(sheet: SheetData, row: SheetRow, head: dict[str, Any]) -> list[Problem]:
    found = []
    money_keys = ("initial_budget", "annual_budget", "spent") + _SPLITS[0][2] + _SPLITS[1][2]
    for key in money_keys:
        value = row[key]
        if value is not None and value < 0:
            found.append(sheet.problem("金额不能为负数", row.row, key))
    if found:
        return found
    for total_key, label, parts in _SPLITS:
        total = row[total_key]
        if total is None:
            continue
        carry, other = (row[parts[1]] or ZERO), (row[parts[2]] or ZERO)
        fiscal = row[parts[0]] if row[parts[0]] is not None else total - carry - other
        head.update({parts[0]: fiscal, parts[1]: carry, parts[2]: other})
        if fiscal < 0 or fiscal + carry + other != total:
            found.append(
                sheet.problem(
                    f"本年财政拨款、上年结转、其他资金{label}合计"
                    f"{wan(max(fiscal, ZERO) + carry + other)}万元，"
                    f"不等于全年{label}{wan(total)}万元",
                    row.row,
                    parts[0],
                )
            )
    budget, spent = row["annual_budget"], row["spent"]
    if budget is not None and spent is not None and spent > budget:
        found.append(
            sheet.problem(
                f"全年执行数{wan(spent)}万元超过全年预算数{wan(budget)}万元，执行率按100%计",
                row.row,
                "spent",
                blocking=False,
            )
        )
    return found


def _match_indicators(
    plan: Plan,
    sheet: SheetData,
    projects: SheetData,
    rows: list[SheetRow],
    problems: list[Problem],
    achieved_words: tuple[str, ...],
) -> None:
    goal = plan.target.indicators
    taken: dict[int, int] = {}  # goal indicator id → sheet row
    for row in rows:
        candidates = _candidates(goal, row)
        if not candidates:
            message = f"三级指标“{row['name']}”不在该项目批复的绩效目标中（请勿增加指标或修改名称）"
            problems.append(sheet.problem(message, row.row, "name"))
            continue
        # A name the goal uses twice (even under the same 二级) is matched in order.
        ind = next((c for c in candidates if c.id not in taken), None)
        if ind is None:
            message = f"指标“{row['name']}”与第{taken[candidates[-1].id]}行重复"
            problems.append(sheet.problem(message, row.row, "name"))
            continue
        taken[ind.id] = row.row
        values, found, mismatch = _indicator(sheet, row, ind, achieved_words)
        _keep_description(plan, values)
        keep_stored(plan, sheet, values)
        problems += found
        plan.mismatches += mismatch
        plan.rows.append(values)
    missing = [ind.name for ind in goal if ind.id not in taken]
    if missing:
        names = "、".join(f"“{n}”" for n in missing)
        problems.append(
            projects.problem(
                f"“{INDICATOR_SHEET_NAME}”工作表缺少项目“{plan.target.key}”批复的指标：{names}",
                plan.sheet_row,
                "code",
            )
        )


def _keep_description(plan: Plan, values: dict[str, Any]) -> None:
    """An exported band left as it was keeps the stored wording of the same band (a
    department's "已达成年度目标" is written out as the band name, which is all the sheet
    can read back): re-importing an untouched file then changes nothing."""
    band = values["qualitative_band"]
    existing = plan.target.evaluation
    if not band or values["actual_text"] != band or existing is None:
        return
    for row in existing.rows.values():
        if row["indicator_id"] == values["indicator_id"] and row["qualitative_band"] == band:
            values["actual_text"] = row["actual_text"]
            return


def _candidates(goal: Iterable[GoalIndicator], row: SheetRow) -> list[GoalIndicator]:
    """Approved indicators a row may name: same name without spaces, narrowed by 一级 and
    二级 where they tell same-named indicators apart."""
    name = normalize_name(row["name"])
    same = [ind for ind in goal if normalize_name(ind.name) == name]
    for key in ("level1", "level2"):
        if len(same) <= 1 or not row[key]:
            break
        wanted = normalize_level_label(row[key])
        same = [ind for ind in same if normalize_level_label(getattr(ind, key)) == wanted] or same
    return same


def _indicator(
    sheet: SheetData, row: SheetRow, ind: GoalIndicator, achieved_words: tuple[str, ...]
) -> tuple[dict[str, Any], list[Problem], bool]:
    """The row's stored values, its problems, and whether target or points were changed."""
    problems = []
    stated = _typed(row["target"])
    if stated and _target_changed(stated, ind):
        message = f"年度指标值“{stated}”与批复的“{ind.shown_target}”不一致，{_KEPT}"
        problems.append(sheet.problem(message, row.row, "target", blocking=False))
    points = row["points"]
    if points is not None and points != ind.points:
        message = f"分值{plain(points)}与批复的{plain(ind.points)}分不一致，{_KEPT}"
        problems.append(sheet.problem(message, row.row, "points", blocking=False))
    mismatch = bool(problems)
    actual, problem = _actual(sheet, row, ind, achieved_words)
    if problem is not None:
        problems.append(problem)
    values = {
        "indicator_id": ind.id,
        "position": ind.position,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "stated_target": stated,
        "stated_points": points,
        **actual,
        "claimed_score": row["claimed_score"],
        "reason": row["reason"] or "",
    }
    return values, problems, mismatch


def _typed(value: object) -> str:
    """Text as the department typed it (parsing folds full-width signs; storage does not)."""
    return "" if value is None else str(value).strip()


def _target_changed(stated: str, ind: GoalIndicator) -> bool:
    if normalize_name(stated) == normalize_name(ind.shown_target):
        return False  # also `≤851/10万`, whose unit the parser cannot split off
    parsed = parse_indicator_value(stated)
    if ind.comparator is Comparator.QUALITATIVE:
        if parsed.number is not None:
            return True
        return normalize_name(parsed.text) not in (
            normalize_name(ind.shown_target),
            normalize_name(ind.target_text),
            "定性",
        )
    comparator = parsed.comparator or ind.comparator
    return comparator is not ind.comparator or parsed.number != ind.target


def _actual(
    sheet: SheetData, row: SheetRow, ind: GoalIndicator, achieved_words: tuple[str, ...]
) -> tuple[dict[str, Any], Problem | None]:
    text = _typed(row["actual"])
    blank = {"actual_value": None, "actual_text": "", "qualitative_band": ""}
    if not text:
        message = "未填写实际完成值，该指标按0分计"
        return blank, sheet.problem(message, row.row, "actual", blocking=False)
    if ind.comparator is Comparator.QUALITATIVE:
        band = parse_band(text)
        if band is None and achieved_by_wording(text, ind.target_text, achieved_words):
            band = QualitativeBand.ACHIEVED
        if band is None:
            message = (
                f"定性指标的实际完成值“{text}”未写明档次，已原样保存；请在评分时选择"
                "“达成年度指标”、“部分达成年度指标并具有一定效果”或“未达成年度指标且效果较差”"
                "（未选择前该指标按0分计）"
            )
            kept = {**blank, "actual_text": text}
            return kept, sheet.problem(message, row.row, "actual", blocking=False)
        return {"actual_value": None, "actual_text": text, "qualitative_band": band.value}, None
    number = parse_indicator_value(text).number
    if number is None:
        message = f"定量指标的实际完成值“{text}”应为数字（可带单位，如 1150 或 1150人）"
        return blank, sheet.problem(message, row.row, "actual")
    return {"actual_value": number, "actual_text": "", "qualitative_band": ""}, None


def _check_reviewed(plan: Plan, projects: SheetData, problems: list[Problem]) -> None:
    existing = plan.target.evaluation
    if existing is None or existing.review_status != REVIEWED or not plan.changed:
        return
    problems.append(
        projects.problem(
            f"项目“{plan.target.key}”的自评已完成抽查复核，不能再修改；如确需修改，请先与财政局联系",
            plan.sheet_row,
            "code",
        )
    )
