"""What a monitoring workbook would blank of the stored round, listed before it is written.

Every column a department fills is required in the file (a missing one is refused), so what
remains is an explicit edit: a cell emptied. Those are listed by project
(app.services.common.import_losses) and written only once confirmed.
"""

from __future__ import annotations

from app.domain.errors import Problem
from app.services.common.import_losses import Loss, blanked, too_many
from app.services.monitoring.entries import EntryEdit
from app.services.monitoring.views import ProjectMonitoringRow
from app.spreadsheet.monitoring_sheets import INDICATORS, PROJECTS

_PROJECT = (("conclusion", "conclusion", "处理意见"), ("note", "conclusion_note", "处理意见说明"),
            ("budget_deviation_category", "budget_deviation_category", "预算偏差原因类别"),
            ("budget_deviation_reason", "budget_deviation_reason", "预算偏差原因"),
            ("budget_corrective_action", "budget_corrective_action", "预算纠偏措施"))  # fmt: skip
_INDICATOR = (("current_value", "当前完成值"), ("current_text", "当前完成值"),
              ("likelihood", "完成可能性"), ("expected_value", "全年预计完成值"),
              ("deviation_category", "偏差原因类别"), ("deviation_reason", "偏差原因"),
              ("corrective_action", "纠偏措施"))  # fmt: skip


def losses(changes: dict[str, EntryEdit], current: dict[str, ProjectMonitoringRow]) -> list[Loss]:
    found: list[Loss] = []
    for code, edit in changes.items():
        row = current[code]
        owner = f"项目 {code}（{row.project_name}）"
        for new, old, header in _PROJECT:
            found += blanked(owner, header, getattr(row, old), getattr(edit, new), PROJECTS)
        stored = {i.indicator_id: i for i in row.indicators}
        for item in edit.indicators:
            ind = stored[item.indicator_id]
            for key, header in _INDICATOR:
                before, after = getattr(ind, key), getattr(item, key)
                found += blanked(owner, header, before, after, INDICATORS, ind.name)
    return found


def blocking(found: list[Loss]) -> list[Problem]:
    return too_many(found, INDICATORS)
