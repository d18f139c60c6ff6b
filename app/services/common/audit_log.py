"""Reading the audit trail (操作日志): filtered listings and "what changed" in Chinese.

Writing entries is app.services.common.audit.record(); this module only reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select

from app.storage.database import Database
from app.storage.models import AuditEntry

DEFAULT_LIMIT = 1000

ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "purge": "彻底删除",
    "import": "导入",
    "submit": "提交",
    "approve": "审核通过",
    "return": "退回",
    "score": "评分",
    "open": "开启",
    "close": "关闭",
    "backup": "备份",
}
OBJECT_LABELS = {
    "database": "数据库",
    "settings": "设置",
    "year": "年度",
    "section": "股室",
    "department": "预算单位",
    "project": "项目",
    "goal": "绩效目标",
    "indicator": "绩效指标",
    "monitoring": "绩效监控",
    "self_evaluation": "绩效自评",
    "spot_check": "抽查复核",
    "pre_assessment": "事前绩效评估",
    "library_indicator": "指标库",
    "monitoring_round": "监控轮次",
    "monitoring_entry": "监控填报",
    "monitoring_department_entry": "部门整体监控填报",
    "spot_check_batch": "复核样本",
    "spot_check_review": "抽查复核",
    "budget_adjustment": "结果应用",
    "key_evaluation": "财政重点评价",
    "rectification": "整改台账",
    "disclosure": "绩效信息公开",
    "carried_cut": "下年度调减",
}
FIELD_LABELS = {
    "code": "编码",
    "name": "名称",
    "kind": "类型",
    "status": "状态",
    "year": "年度",
    "department": "预算单位",
    "total_amount": "资金总额",
    "fiscal_amount": "财政资金",
    "other_amount": "其他资金",
    "budget_amount": "预算金额",
    "overall_target": "总体目标",
    "long_term_target": "长期目标",
    "target_value": "指标值",
    "target_text": "指标值（文字）",
    "comparator": "比较方式",
    "unit": "计量单位",
    "points": "分值",
    "level1": "一级指标",
    "level2": "二级指标",
    "return_reason": "退回原因",
    "reviewer": "审核人",
    "keep_last": "保留最近份数",
    "daily": "保留每日备份",
    "weekly": "保留每周备份",
    "monthly": "保留每月备份",
    "display_name": "操作人员姓名",
    "rules_path": "规则集文件",
    "month": "月份",
    "projects": "项目数",
    "departments": "部门整体数",
    "basic_adjusted": "基本支出调整后预算",
    "basic_spent": "基本支出执行数",
    "project_adjusted": "项目支出调整后预算",
    "project_spent": "项目支出执行数",
    "carried_from_month": "沿用月份",
    "backup": "备份文件",
    "adjusted_budget": "调整后预算",
    "spent": "执行数",
    "conclusion": "处理意见",
    "conclusion_note": "处理意见说明",
    "indicators": "指标",
    "budget_deviation_category": "预算偏差原因类别",
    "budget_deviation_reason": "预算偏差原因",
    "budget_corrective_action": "预算纠偏措施",
    "current_value": "当前完成值",
    "current_text": "完成情况",
    "likelihood": "完成可能性",
    "expected_value": "全年预计完成值",
    "deviation_category": "偏差原因类别",
    "deviation_reason": "偏差原因",
    "corrective_action": "纠偏措施",
}
_EMPTY = "（空）"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.label}：{format_value(self.before)} → {format_value(self.after)}"


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    user: str  # OS account
    display_name: str  # from settings, may be empty
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: int | None
    object_label: str
    before: dict[str, Any]
    after: dict[str, Any]
    changes: tuple[FieldChange, ...]
    summary: str  # the changes in one line, for a table cell

    @property
    def who(self) -> str:
        if self.display_name and self.display_name != self.user:
            return f"{self.display_name}（{self.user}）"
        return self.user


@dataclass(frozen=True)
class AuditFilterChoices:
    object_types: tuple[tuple[str, str], ...]  # (value, Chinese label)
    users: tuple[str, ...]


def list_audit(
    db: Database,
    object_type: str | None = None,
    user: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    object_id: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[AuditRecord]:
    """Entries newest first. `user` matches the OS account or the display name; a `date`
    bound covers that whole day, a `datetime` bound is exact (both inclusive)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if user:
        stmt = stmt.where(or_(AuditEntry.user == user, AuditEntry.display_name == user))
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= _start(since))
    if until is not None:
        stmt = (
            stmt.where(AuditEntry.at <= until)
            if isinstance(until, datetime)
            else stmt.where(AuditEntry.at < _start(until + timedelta(days=1)))
        )
    with db.session() as session:
        return [_record(e) for e in session.scalars(stmt)]


def audit_filter_choices(db: Database) -> AuditFilterChoices:
    """What the filter boxes of the 操作日志 view offer: the types and users present."""
    with db.session() as session:
        types = session.scalars(select(AuditEntry.object_type).distinct()).all()
        users = session.execute(select(AuditEntry.user, AuditEntry.display_name).distinct()).all()
    names = sorted({n for pair in users for n in pair if n})
    return AuditFilterChoices(
        tuple(sorted((t, OBJECT_LABELS.get(t, t)) for t in types)), tuple(names)
    )


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields whose value differs, in the order they first appear."""
    keys = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(key, FIELD_LABELS.get(key, key), before.get(key), after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    ]


def changes_summary(before: dict[str, Any], after: dict[str, Any]) -> str:
    """One line in Chinese: "名称：旧 → 新；状态：草稿 → 已提交", or what was created/deleted."""
    if after and not before:
        return "新建：" + _listing(after)
    if before and not after:
        return "删除：" + _listing(before)
    changes = diff_fields(before, after)
    return "；".join(str(c) for c in changes) if changes else "无字段变化"


def format_value(value: Any) -> str:
    if value is None or value == "":
        return _EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(format_value(v) for v in value) or _EMPTY
    if isinstance(value, dict):
        return _format_dict(value) or _EMPTY
    return str(value)


def _format_dict(data: dict[str, Any]) -> str:
    """ "名称：值，…" with field names in Chinese; a nested object as "名称（…）"."""
    parts = []
    for key, value in data.items():
        label = FIELD_LABELS.get(key, key)
        if isinstance(value, dict):
            parts.append(f"{label}（{_format_dict(value) or _EMPTY}）")
        else:
            parts.append(f"{label}：{format_value(value)}")
    return "，".join(parts)


def _listing(data: dict[str, Any]) -> str:
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{format_value(v)}" for k, v in data.items())


def _start(day: date | datetime) -> datetime:
    return day if isinstance(day, datetime) else datetime.combine(day, time.min)


def _parse(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:  # written by hand or by a bug: show it rather than fail the view
        return {"内容": text}
    return data if isinstance(data, dict) else {"内容": data}


def _record(entry: AuditEntry) -> AuditRecord:
    before, after = _parse(entry.before_json), _parse(entry.after_json)
    return AuditRecord(
        id=entry.id,
        at=entry.at,
        user=entry.user,
        display_name=entry.display_name,
        action=entry.action,
        action_label=ACTION_LABELS.get(entry.action, entry.action),
        object_type=entry.object_type,
        object_type_label=OBJECT_LABELS.get(entry.object_type, entry.object_type),
        object_id=entry.object_id,
        object_label=entry.object_label,
        before=before,
        after=after,
        changes=tuple(diff_fields(before, after)),
        summary=changes_summary(before, after),
    )
