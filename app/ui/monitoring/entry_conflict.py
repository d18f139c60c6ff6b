"""A project's monitoring entry as the conflict view compares it (EditingDialog): the money
and conclusion fields one by one, each indicator's progress as one line."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from app.domain.money import YUAN_PER_WAN
from app.domain.numbers import plain
from app.services.monitoring import EntryEdit, IndicatorEdit, ProjectMonitoringRow
from app.services.monitoring.entry_form import EntryForm
from app.ui.monitoring.indicator_table import IndicatorDraft, edit_of

FIELDS = {
    "adjusted_budget": "调整后预算（万元）",
    "spent": "执行数（万元）",
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


def labels(row: ProjectMonitoringRow) -> dict[str, str]:
    return FIELDS | {f"{INDICATOR}{i.indicator_id}": f"指标“{i.name}”" for i in row.indicators}


def values_of(edit: EntryEdit) -> dict[str, Any]:
    own = {key: getattr(edit, key) for key in FIELDS}
    return own | {f"{INDICATOR}{i.indicator_id}": i for i in edit.indicators}


def stored_values(form: EntryForm) -> dict[str, Any]:
    """The stored entry in the shape of the form's EntryEdit."""
    row = form.row
    drafts = zip(row.indicators, form.basis.indicators, strict=True)
    edit = EntryEdit(
        row.adjusted_budget, row.spent, row.conclusion, row.conclusion_note,
        tuple(edit_of(IndicatorDraft.of(item, basis)) for item, basis in drafts),
        row.budget_deviation_category, row.budget_deviation_reason, row.budget_corrective_action,
    )  # fmt: skip
    return values_of(edit)


def merged_row(row: ProjectMonitoringRow, values: dict[str, Any]) -> ProjectMonitoringRow:
    """The stored row showing the chosen values (the form fills itself from a row)."""
    indicators = []
    for item in row.indicators:
        chosen: IndicatorEdit = values[f"{INDICATOR}{item.indicator_id}"]
        progress = {name: getattr(chosen, name) for name in _PROGRESS}
        indicators.append(replace(item, **progress))
    return replace(
        row, adjusted_budget=values["adjusted_budget"], spent=values["spent"],
        conclusion=values["conclusion"], conclusion_note=values["note"],
        budget_deviation_category=values["budget_deviation_category"],
        budget_deviation_reason=values["budget_deviation_reason"],
        budget_corrective_action=values["budget_corrective_action"],
        indicators=tuple(indicators),
    )  # fmt: skip


def shown(key: str, value: Any) -> str:
    if isinstance(value, IndicatorEdit):
        current = value.current_text or _number(value.current_value)
        parts = [f"完成值 {current or '（空）'}"]
        if value.expected_value is not None:
            parts.append(f"预计 {_number(value.expected_value)}")
        parts += [t for t in (value.deviation_reason, value.corrective_action) if t]
        return "；".join(parts)
    if key in ("adjusted_budget", "spent"):
        return plain(value / YUAN_PER_WAN)
    return value or "（空）"


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
