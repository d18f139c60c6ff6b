"""Rows of the monitoring workbook: a round's rows → sheet rows, sheet rows → entry edits.

Parsing collects located problems and never stops at the first; the service adds the
checks update_entry makes and decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.enums import Comparator
from app.domain.errors import Problem
from app.domain.lamps import QualitativeProgress
from app.domain.money import round2
from app.domain.numbers import plain
from app.services.monitoring import EntryEdit, IndicatorEdit, IndicatorLampRow
from app.services.monitoring import ProjectMonitoringRow as Row
from app.spreadsheet import SheetRow, WorkbookData
from app.spreadsheet.columns import normalise_label
from app.spreadsheet.monitoring_sheets import INDICATORS, PROJECTS

UNLIT = "未亮灯"
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_QUALITATIVE = {normalise_label(q.value): q.value for q in QualitativeProgress}


@dataclass
class Planned:
    """A project's edit as read from the file, with the Excel rows it came from."""

    row: int  # row on 项目
    edit: EntryEdit
    indicator_rows: dict[int, int] = field(default_factory=dict)  # indicator id → row on 指标


@dataclass
class ParsedFile:
    projects: dict[str, Planned]  # by project code
    problems: list[Problem]
    unlisted: set[str] = field(default_factory=set)  # on 指标 but not on 项目


# -- export -------------------------------------------------------------------------------
def project_row(year: int, row: Row) -> dict[str, Any]:
    rate = row.execution_rate
    return {
        "year": year,
        "month": row.month,
        "project_code": row.project_code,
        "project_name": row.project_name,
        "department_code": row.department_code,
        "department_name": row.department_name,
        "initial_budget": row.initial_budget,
        "adjusted_budget": row.adjusted_budget,
        "spent": row.spent,
        "execution_rate": None if rate is None else round2(rate * 100),
        "time_progress": round2(row.time_progress * 100),
        "budget_lamp": row.budget_lamp.label if row.budget_lamp else UNLIT,
        "budget_deviation_category": row.budget_deviation_category or None,
        "budget_deviation_reason": row.budget_deviation_reason or None,
        "budget_corrective_action": row.budget_corrective_action or None,
        "conclusion": row.conclusion or None,
        "conclusion_note": row.conclusion_note or None,
    }


def indicator_rows(row: Row) -> Iterator[dict[str, Any]]:
    for position, item in enumerate(row.indicators, start=1):
        current = item.current_text or None
        if item.current_value is not None:
            current = plain(item.current_value)
        yield {
            "project_code": row.project_code,
            "project_name": row.project_name,
            "position": position,
            "level1": item.level1,
            "level2": item.level2,
            "name": item.name,
            "target": item.target,
            "current": current,
            "likelihood": item.likelihood or None,
            "expected": None if item.expected_value is None else plain(item.expected_value),
            "lamp": item.lamp.label if item.lamp else UNLIT,
            "deviation_category": item.deviation_category or None,
            "deviation_reason": item.deviation_reason or None,
            "corrective_action": item.corrective_action or None,
        }


# -- import -------------------------------------------------------------------------------
def parse_file(data: WorkbookData, current: dict[str, Row], year: int, month: int) -> ParsedFile:
    """Edits by project code from both sheets, and the problems found reading them."""
    parsed = ParsedFile({}, [])
    listed = set()
    for sheet_row in data[PROJECTS].rows:
        code = sheet_row["project_code"]
        listed.add(code)
        if code is not None and code not in current:
            message = f"项目 {code} 不在{year}年{month}月监控轮次中，请核对项目编码"
            parsed.problems.append(Problem(message, PROJECTS, sheet_row.row, "项目编码"))
        elif code is not None and None not in (sheet_row["adjusted_budget"], sheet_row["spent"]):
            parsed.projects[code] = Planned(sheet_row.row, _money_edit(sheet_row))
    items: dict[str, list[IndicatorEdit]] = {code: [] for code in parsed.projects}
    for sheet_row in data[INDICATORS].rows:
        found = _indicator_of(sheet_row, current, listed, parsed)
        if found is None:
            continue
        code, indicator = found
        item = _indicator_edit(sheet_row, code, indicator, parsed.problems)
        if item is not None and code in parsed.projects:
            items[code].append(item)
            parsed.projects[code].indicator_rows[indicator.indicator_id] = sheet_row.row
    for code, planned in parsed.projects.items():
        planned.edit = replace(planned.edit, indicators=tuple(items[code]))
    return parsed


def _money_edit(sheet_row: SheetRow) -> EntryEdit:
    return EntryEdit(
        adjusted_budget=sheet_row["adjusted_budget"],
        spent=sheet_row["spent"],
        conclusion=sheet_row["conclusion"] or "",
        note=sheet_row["conclusion_note"] or "",
        budget_deviation_category=sheet_row["budget_deviation_category"] or "",
        budget_deviation_reason=sheet_row["budget_deviation_reason"] or "",
        budget_corrective_action=sheet_row["budget_corrective_action"] or "",
    )


def _indicator_of(
    sheet_row: SheetRow, current: dict[str, Row], listed: set[str | None], parsed: ParsedFile
) -> tuple[str, IndicatorLampRow] | None:
    """The stored indicator a 指标 row is about, or None with a problem (if not found yet)."""
    code, position, name = sheet_row["project_code"], sheet_row["position"], sheet_row["name"]
    if code is None or position is None or name is None:
        return None  # the reader reported the blank required cell
    at = sheet_row.row

    def fail(message: str, column: str) -> None:
        parsed.problems.append(Problem(message, INDICATORS, at, column))

    if code not in current:
        fail(f"项目 {code} 不在本轮监控中，请核对项目编码", "项目编码")
        return None
    if code not in listed:
        if code not in parsed.unlisted:  # one problem per project, not one per indicator
            fail(f"“项目”工作表中没有项目 {code}，请一并填写其调整后预算和执行数", "项目编码")
        parsed.unlisted.add(code)
        return None
    indicators = current[code].indicators
    if not 1 <= position <= len(indicators):
        fail(f"项目 {code} 没有序号为 {position} 的指标（共 {len(indicators)} 个）", "序号")
        return None
    indicator = indicators[position - 1]
    if normalise_label(name) != normalise_label(indicator.name):
        message = (
            f"项目 {code} 第{position}个指标在系统中为“{indicator.name}”，表中为“{name}”；"
            "请使用本轮导出的表格，不要修改或调换三级指标"
        )
        fail(message, "三级指标")
        return None
    return code, indicator


def _indicator_edit(
    sheet_row: SheetRow, code: str, indicator: IndicatorLampRow, problems: list[Problem]
) -> IndicatorEdit | None:
    where = f"项目 {code} 指标“{indicator.name}”"
    found: list[tuple[str, bool, str]] = []
    value, text = _progress(sheet_row["current"], indicator, where, found)
    expected, _ = _progress(sheet_row["expected"], indicator, where, found, expected=True)
    for message, blocking, column in found:
        problems.append(Problem(message, INDICATORS, sheet_row.row, column, blocking))
    if any(blocking for _, blocking, _ in found):
        return None
    return IndicatorEdit(
        indicator_id=indicator.indicator_id,
        current_value=value,
        current_text=text,
        likelihood=sheet_row["likelihood"] or "",
        expected_value=expected,
        deviation_category=sheet_row["deviation_category"] or "",
        deviation_reason=sheet_row["deviation_reason"] or "",
        corrective_action=sheet_row["corrective_action"] or "",
    )


def _progress(
    raw: Decimal | str | None,
    indicator: IndicatorLampRow,
    where: str,
    found: list[tuple[str, bool, str]],
    expected: bool = False,
) -> tuple[Decimal | None, str]:
    """A progress cell → (number, qualitative text); problems go to `found`."""
    column = "全年预计完成值" if expected else "当前完成值"
    if raw is None or raw == "":
        return None, ""
    if indicator.comparator is Comparator.QUALITATIVE:
        if expected:
            found.append((f"{where}为定性指标，无需填写全年预计完成值，已忽略", False, column))
            return None, ""
        text = _QUALITATIVE.get(normalise_label(raw)) if isinstance(raw, str) else None
        if text is None:
            choices = " / ".join(q.value for q in QualitativeProgress)
            found.append((f"{where}为定性指标，应填写 {choices}，而不是“{raw}”", True, column))
        return None, text or ""
    if isinstance(raw, Decimal):
        return raw, ""
    number = _number(raw, indicator.unit)
    if number is None:
        unit = f"（计量单位：{indicator.unit}）" if indicator.unit else ""
        found.append((f"{where}：“{raw}”不是数字{unit}", True, column))
    return number, ""


def _number(raw: str, unit: str) -> Decimal | None:
    """Number-like text, a trailing unit (人, %, 万元/公里) allowed: '1,200人' → 1200."""
    text = "".join(unicodedata.normalize("NFKC", raw).split()).replace("\u2212", "-")
    unit = "".join(unicodedata.normalize("NFKC", unit).split())
    if unit and text.endswith(unit):
        text = text[: -len(unit)]
    if "," in text:
        if not _GROUPED.fullmatch(text):
            return None
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def changed_edit(row: Row, edit: EntryEdit) -> EntryEdit | None:
    """The edit reduced to what differs from the stored row; None when nothing does."""
    stored = {item.indicator_id: item for item in row.indicators}
    changed = tuple(item for item in edit.indicators if _differs(stored[item.indicator_id], item))
    same_money = (
        round2(edit.adjusted_budget) == row.adjusted_budget
        and round2(edit.spent) == row.spent
        and edit.conclusion == row.conclusion
        and edit.note.strip() == row.conclusion_note
        and edit.budget_deviation_category == row.budget_deviation_category
        and edit.budget_deviation_reason.strip() == row.budget_deviation_reason
        and edit.budget_corrective_action.strip() == row.budget_corrective_action
    )
    if same_money and not changed:
        return None
    return replace(edit, indicators=changed)


def _differs(stored: IndicatorLampRow, item: IndicatorEdit) -> bool:
    return (
        stored.current_value != item.current_value
        or stored.current_text != item.current_text.strip()
        or stored.likelihood != item.likelihood
        or stored.expected_value != item.expected_value
        or stored.deviation_category != item.deviation_category
        or stored.deviation_reason != item.deviation_reason.strip()
        or stored.corrective_action != item.corrective_action.strip()
    )
