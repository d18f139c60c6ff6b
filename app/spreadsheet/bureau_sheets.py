"""The bureau's own tables as sheets: the 整改 ledger and the per-unit 综合考核 export."""

from __future__ import annotations

from .columns import Column, Kind, SheetSpec

RECTIFICATION_SHEET = SheetSpec(
    "整改台账",
    (
        Column("单位编码", "department_code", Kind.CODE, width=10),
        Column("单位名称", "department", width=20),
        Column("问题来源", "source", width=10),
        Column("对象", "subject", width=28),
        Column("发现的问题", "finding", width=40),
        Column("整改要求", "action", width=36),
        Column("整改期限", "deadline", width=12),
        Column("状态", "status", width=8, help="逾期：期限已过仍未整改完成（按导出当天判断）。"),
        Column("单位反馈", "reply", width=36),
        Column("反馈日期", "replied_on", width=12),
        Column("完成日期", "closed_on", width=12),
    ),
    description="每个整改事项一行，由系统导出；状态按导出当天判断是否逾期。",
)

ASSESSMENT_SHEET = SheetSpec(
    "综合考核",
    (
        Column("单位编码", "department_code", Kind.CODE, width=10),
        Column("单位名称", "department", width=20),
        Column("自评项目数", "evaluated", Kind.INTEGER, width=10),
        Column("优", "excellent", Kind.INTEGER, width=6),
        Column("良", "good", Kind.INTEGER, width=6),
        Column("中", "fair", Kind.INTEGER, width=6),
        Column("差", "poor", Kind.INTEGER, width=6),
        Column("重点评价", "key_evaluations", width=24, help="评价编号及等级。"),
        Column("确定调减(万元)", "decided_cut", Kind.MONEY_WAN, width=12),
        Column("已结转调减(万元)", "carried_cut", Kind.MONEY_WAN, width=12),
        Column("整改事项", "items", Kind.INTEGER, width=8),
        Column("已整改", "done", Kind.INTEGER, width=8),
        Column("逾期", "overdue", Kind.INTEGER, width=6),
    ),
    description="每个单位一行，供预算编制和全县综合考核使用；等级按复核等级，未复核按自评等级。",
)
