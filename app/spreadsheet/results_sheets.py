"""结果应用 list (next year's budget adjustments) as a sheet for the budget team."""

from __future__ import annotations

from .columns import Column, Kind, SheetSpec

RESULTS_SHEET = SheetSpec(
    "结果应用",
    (
        Column("股室", "section", width=12),
        Column("单位编码", "department_code", Kind.CODE, width=10),
        Column("单位名称", "department", width=20),
        Column("项目编码", "code", Kind.CODE, width=14),
        Column("项目名称", "name", width=30),
        Column("等级", "grade", width=6),
        Column(
            "等级来源",
            "grade_source",
            width=8,
            help="重点评价：按财政重点评价等级；复核：按抽查复核等级；自评：按规则计算的自评等级。",
        ),
        Column("建议", "action", width=8),
        Column(
            "基数(万元)",
            "base",
            Kind.MONEY_WAN,
            width=12,
            help="下年度申报数，无则为本年全年预算数。",
        ),
        Column("建议调减(万元)", "proposed_cut", Kind.MONEY_WAN, width=12),
        Column(
            "确定调减(万元)", "decided_cut", Kind.MONEY_WAN, width=12, help="空白表示尚未确定。"
        ),
        Column("调整后安排(万元)", "final_amount", Kind.MONEY_WAN, width=12),
        Column("依据", "basis", width=40),
        Column("确定理由", "reason", width=30),
    ),
    description="每个项目一行；金额单位万元。由系统生成，供预算编制参考。",
)
