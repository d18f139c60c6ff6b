"""What a self-evaluation workbook leaves alone and what it would blank.

年度指标值 and 分值 are optional columns (copies of the approved goal that a department may
restate). A file without them — deleted, renamed, an older template — says nothing about
them, so the stored restatements are kept (and the import says so) rather than blanked.
What an explicit edit would blank is listed by project (app.services.common.import_losses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.errors import Problem
from app.services.common.import_losses import Loss, blanked, too_many
from app.spreadsheet import SheetData
from app.spreadsheet.selfeval_sheets import INDICATOR_SHEET_NAME, PROJECT_SHEET_NAME

if TYPE_CHECKING:  # checks.py calls keep_stored
    from .checks import Plan

# Optional indicator columns: sheet key → the stored field it restates.
OPTIONAL = {"target": "stated_target", "points": "stated_points"}
_HEAD = (("actual_outcome", "实际完成情况"), ("claimed_execution_score", "预算执行率自评得分"),
         ("claimed_total", "自评得分"), ("claimed_grade", "自评等级"))  # fmt: skip
_ROWS = (("stated_target", "年度指标值"), ("stated_points", "分值"), ("actual_value", "实际完成值"),
         ("actual_text", "实际完成值"), ("claimed_score", "自评得分"),
         ("reason", "偏差原因分析及改进措施"))  # fmt: skip


def absent_notes(sheet: SheetData) -> list[Problem]:
    """One note per optional column the file lacks: its stored values stay."""
    if not sheet.found or sheet.header_row is None:
        return []
    notes = []
    for key in OPTIONAL:
        if key in sheet.absent:
            header = sheet.spec.column(key).header
            message = f"文件中没有“{header}”列，已保存的{header}保持不变"
            notes.append(Problem(message, sheet.spec.name, sheet.header_row, "", False))
    return notes


def keep_stored(plan: Plan, sheet: SheetData, values: dict[str, Any]) -> None:
    """The stored restatement for each optional column the file lacks."""
    existing = plan.target.evaluation
    missing = [field for key, field in OPTIONAL.items() if key in sheet.absent]
    if not missing or existing is None:
        return
    for row in existing.rows.values():
        if row["indicator_id"] == values["indicator_id"]:
            for field in missing:
                values[field] = row[field]
            return


def losses(plans: list[Plan]) -> list[Loss]:
    """Stored values the changed self-evaluations would blank, by project and indicator."""
    found: list[Loss] = []
    for plan in plans:
        existing = plan.target.evaluation
        if existing is None:
            continue
        owner = f"项目 {plan.target.key}（{plan.target.name}）"
        for key, header in _HEAD:
            found += blanked(owner, header, existing.head[key], plan.head[key], PROJECT_SHEET_NAME)
        new_rows = {r["indicator_id"]: r for r in plan.rows}
        for row in existing.rows.values():
            new = new_rows.get(row["indicator_id"])
            if new is None:
                continue
            for key, header in _ROWS:
                before = row[key]
                found += blanked(owner, header, before, new[key], INDICATOR_SHEET_NAME, row["name"])
    return found


def blocking(found: list[Loss]) -> list[Problem]:
    return too_many(found, INDICATOR_SHEET_NAME)
