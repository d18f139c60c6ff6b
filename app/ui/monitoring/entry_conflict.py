"""A monitoring entry as the conflict view compares it (EditingDialog): the money and
conclusion fields one by one, each indicator's progress as one line. A project's entry and
a department's (部门整体) differ only in their money fields, so each form names its `Shape`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from app.domain.lamps import RoundEntry
from app.domain.money import YUAN_PER_WAN
from app.domain.numbers import plain
from app.services.monitoring import EntryEdit, IndicatorEdit
from app.services.monitoring.department_entries import DepartmentEdit
from app.ui.monitoring.indicator_table import IndicatorDraft, edit_of

FIELDS = {
    "conclusion": "监控结论",
    "note": "结论说明",
    "budget_deviation_category": "预算执行偏差类别",
    "budget_deviation_reason": "预算执行偏差原因",
    "budget_corrective_action": "预算执行纠偏措施",
}
INDICATOR = "indicator:"  # + indicator id
# What a seat types about an indicator: IndicatorEdit and IndicatorLampRow share these names.
_PROGRESS = (
    "current_value", "current_text", "likelihood", "expected_value", "deviation_category",
    "deviation_reason", "corrective_action",
)  # fmt: skip
Row = TypeVar("Row")  # ProjectMonitoringRow or DepartmentMonitoringRow


@dataclass(frozen=True)
class Shape:
    money: dict[str, str]  # the money fields (元), named alike on the row and the edit
    edit: Callable[..., Any]  # EntryEdit or DepartmentEdit

    def labels(self, row: Any) -> dict[str, str]:
        indicators = {f"{INDICATOR}{i.indicator_id}": f"指标“{i.name}”" for i in row.indicators}
        return self.money | FIELDS | indicators

    def values_of(self, edit: Any) -> dict[str, Any]:
        own = {key: getattr(edit, key) for key in self.money | FIELDS}
        return own | {f"{INDICATOR}{i.indicator_id}": i for i in edit.indicators}

    def stored_values(self, row: Any, basis: RoundEntry) -> dict[str, Any]:
        """The stored entry in the shape of the form's edit."""
        drafts = zip(row.indicators, basis.indicators, strict=True)
        edit = self.edit(
            **{key: getattr(row, key) for key in self.money},
            conclusion=row.conclusion, note=row.conclusion_note,
            indicators=tuple(edit_of(IndicatorDraft.of(item, basis)) for item, basis in drafts),
            budget_deviation_category=row.budget_deviation_category,
            budget_deviation_reason=row.budget_deviation_reason,
            budget_corrective_action=row.budget_corrective_action,
        )  # fmt: skip
        return self.values_of(edit)

    def merged_row(self, row: Row, values: dict[str, Any]) -> Row:
        """The stored row showing the chosen values (the form fills itself from a row)."""
        indicators = []
        for item in row.indicators:  # type: ignore[attr-defined]
            chosen: IndicatorEdit = values[f"{INDICATOR}{item.indicator_id}"]
            progress = {name: getattr(chosen, name) for name in _PROGRESS}
            indicators.append(replace(item, **progress))
        return replace(
            row,  # type: ignore[type-var]
            **{key: values[key] for key in self.money},
            conclusion=values["conclusion"], conclusion_note=values["note"],
            budget_deviation_category=values["budget_deviation_category"],
            budget_deviation_reason=values["budget_deviation_reason"],
            budget_corrective_action=values["budget_corrective_action"],
            indicators=tuple(indicators),
        )  # fmt: skip


PROJECT = Shape({"adjusted_budget": "调整后预算（万元）", "spent": "执行数（万元）"}, EntryEdit)
DEPARTMENT = Shape(
    {
        "basic_adjusted": "基本支出调整后预算（万元）",
        "basic_spent": "基本支出执行数（万元）",
        "project_adjusted": "项目支出调整后预算（万元）",
        "project_spent": "项目支出执行数（万元）",
    },
    DepartmentEdit,
)


def shown(value: Any) -> str:
    if isinstance(value, IndicatorEdit):
        current = value.current_text or _number(value.current_value)
        parts = [f"完成值 {current or '（空）'}"]
        if value.expected_value is not None:
            parts.append(f"预计 {_number(value.expected_value)}")
        parts += [t for t in (value.deviation_reason, value.corrective_action) if t]
        return "；".join(parts)
    if isinstance(value, Decimal):  # the money fields, in 元
        return plain(value / YUAN_PER_WAN)
    return value or "（空）"


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
