"""A goal's content as plain JSON-ready data, and a readable Chinese list of what changed.

Snapshots are taken at every change of status (GoalRevision.snapshot_json) and in audit
entries. Amounts are exact 元 strings; the summary shows them in 万元.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, Scope
from app.domain.indicator_values import format_target
from app.domain.money import round2
from app.domain.numbers import plain
from app.storage.models import Goal, Indicator

MONEY_KEYS = ("资金总额", "财政拨款", "其他资金", "部门整体预算")
LONG_TEXT_KEYS = ("年度总体目标", "长期目标")
INDICATOR_KEYS = ("一级指标", "二级指标", "三级指标", "指标值", "分值", "指标解释", "标准来源")


def goal_snapshot(goal: Goal) -> dict[str, Any]:
    """Header and indicator rows as stored (indicators must have been flushed: ids)."""
    header: dict[str, str] = {}
    project = goal.project
    if goal.scope == Scope.PROJECT.value and project is not None:
        header |= {
            "项目名称": project.name,
            "项目属性": project.kind,
            "资金来源": project.fund_source,
            "资金级次": project.fund_level,
            "功能分类科目": project.functional_class,
            "实施期": _period(project.start_year, project.end_year),
            "资金总额": _money(project.total_amount),
            "财政拨款": _money(project.fiscal_amount),
            "其他资金": _money(project.other_amount),
        }
    else:
        header["部门整体预算"] = _money(goal.budget_amount)
    header |= {"年度总体目标": goal.overall_target, "长期目标": goal.long_term_target}
    return {"header": header, "indicators": [_indicator(i) for i in goal.indicators]}


def audit_fields(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot flattened for the audit trail: header fields and one line per indicator
    (audit.changed_only then keeps what changed, and only the rows removed and added)."""
    header: dict[str, Any] = snapshot["header"]
    return header | {"指标": [_indicator_line(r) for r in snapshot["indicators"]]}


def _indicator_line(row: dict[str, Any]) -> str:
    line = (
        f"{row['一级指标']}/{row['二级指标']}/{row['三级指标']} {row['指标值']}（{row['分值']}分）"
    )
    notes = [f"{key}：{row[key]}" for key in ("指标解释", "标准来源") if row[key]]
    return line + (f"［{'；'.join(notes)}］" if notes else "")


def _indicator(ind: Indicator) -> dict[str, Any]:
    comparator = Comparator(ind.comparator) if ind.comparator else None
    return {
        "id": ind.id,
        "一级指标": ind.level1,
        "二级指标": ind.level2,
        "三级指标": ind.name,
        "指标值": format_target(comparator, ind.target_value, ind.unit, ind.target_text),
        "分值": plain(ind.points),
        "指标解释": ind.explanation,
        "标准来源": ind.standard_source,
    }


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{round2(amount):f}"


def _period(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return ""
    return f"{start or ''}—{end or ''}"


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    """What changed from one snapshot to the next, one line per change."""
    if before is None:
        return f"首次记录，共 {len(after['indicators'])} 个指标"
    lines = _header_changes(before["header"], after["header"])
    lines += _indicator_changes(before["indicators"], after["indicators"])
    return "\n".join(lines) if lines else "内容无变化"


def _header_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for key, new in after.items():
        old = before.get(key, "")
        if old == new:
            continue
        if key in LONG_TEXT_KEYS:
            lines.append(f"修改了{key}")
        elif key in MONEY_KEYS:
            lines.append(f"{key}：{_wan(old)} → {_wan(new)} 万元")
        else:
            lines.append(f"{key}：{old or '（空）'} → {new or '（空）'}")
    return lines


def _wan(yuan: str) -> str:
    return f"{round2(Decimal(yuan) / 10000):,.2f}" if yuan else "（空）"


def _indicator_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Rows are matched by indicator id, which saving keeps for edited rows."""
    old_by_id = {row["id"]: row for row in before}
    new_ids = {row["id"] for row in after}
    lines = []
    for number, row in enumerate(after, start=1):
        old = old_by_id.get(row["id"])
        if old is None:
            lines.append(f"新增第{number}行指标“{row['三级指标']}”（{row['指标值']}）")
            continue
        diffs = [
            f"{key} {old[key] or '（空）'} → {row[key] or '（空）'}"
            for key in INDICATOR_KEYS
            if old[key] != row[key]
        ]
        if diffs:
            lines.append(f"第{number}行指标“{old['三级指标']}”：" + "；".join(diffs))
    lines += [f"删除指标“{row['三级指标']}”" for row in before if row["id"] not in new_ids]
    kept_old = [row["id"] for row in before if row["id"] in new_ids]
    kept_new = [row["id"] for row in after if row["id"] in old_by_id]
    if kept_old != kept_new:
        lines.append("调整了指标顺序")
    return lines
