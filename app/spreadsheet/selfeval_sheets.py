"""The self-evaluation workbook (项目支出绩效自评), declared once for export and import.

Two sheets:
- ``项目``: one row per project (or ``单位编码-整体`` for a department as a whole): the money
  block in 万元 (年初预算数, 全年预算数, 全年执行数, and optional splits by 本年财政拨款 /
  上年结转 / 其他资金), 实际完成情况 and the department's claimed scores.
- ``指标``: one row per indicator of the approved goal: the goal's terms (locked), and the
  department's 实际完成值, 自评得分 and 偏差原因分析及改进措施.

The grey columns are filled by the app from the approved goal; a department that changes
年度指标值 or 分值 anyway is not overwritten on import: the values are kept as written and
flagged in scoring.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.numbers import plain

from .columns import Column, Kind, SheetSpec
from .values import PercentNumber

PROJECT_SHEET_NAME = "项目"
INDICATOR_SHEET_NAME = "指标"
GRADES = ("优", "良", "中", "差")
QUALITATIVE_HELP = (
    "定量指标填数字（可带单位，如 1150 或 1150人）；定性指标填“达成年度指标”、"
    "“部分达成年度指标并具有一定效果”或“未达成年度指标且效果较差”（可简写为达成/部分达成/未达成）"
)


def actual_cell(value: Any) -> str:
    """实际完成值 as text: numbers keep their digits (a cell formatted % gives '95%')."""
    if isinstance(value, PercentNumber):
        return plain(Decimal(str(value.value)) * 100) + "%"
    if isinstance(value, bool):
        raise ValueError("应填数字或达成情况，不能是 TRUE/FALSE")
    if isinstance(value, int | float):
        return plain(Decimal(str(value)))
    return str(value)


def _money(header: str, key: str, required: bool = False, help: str = "") -> Column:
    # Split cells may be blank, but a missing split column would recompute every stored split.
    return Column(
        header, key, Kind.MONEY_WAN, required=required, header_required=True, width=14, help=help
    )


PROJECT_SHEET = SheetSpec(
    PROJECT_SHEET_NAME,
    (
        Column("年度", "year", Kind.YEAR, required=True, locked=True, width=8),
        Column(
            "项目编码", "code", Kind.CODE, required=True, locked=True, width=20,
            help="部门整体支出自评填“单位编码-整体”。",
        ),
        Column("项目名称", "name", locked=True, width=30),
        Column("单位编码", "department_code", Kind.CODE, locked=True, width=10),
        Column("单位名称", "department", locked=True, width=20),
        Column("年度总体目标", "expected", locked=True, width=36, help="批复的年度总体目标。"),
        _money("年初预算数(万元)", "initial_budget", True),
        _money("全年预算数(万元)", "annual_budget", True, "全年预算数（A），含年中调整。"),
        _money("全年执行数(万元)", "spent", True, "全年执行数（B），执行率 = B/A。"),
        _money("本年财政拨款预算数(万元)", "budget_fiscal", help="不填时按全年预算数减其余两项。"),
        _money("上年结转预算数(万元)", "budget_carryover", help="不填按0。"),
        _money("其他资金预算数(万元)", "budget_other", help="不填按0。"),
        _money("本年财政拨款执行数(万元)", "spent_fiscal", help="不填时按全年执行数减其余两项。"),
        _money("上年结转执行数(万元)", "spent_carryover", help="不填按0。"),
        _money("其他资金执行数(万元)", "spent_other", help="不填按0。"),
        Column(
            "实际完成情况", "actual_outcome", width=40, header_required=True,
            help="年度总体目标的实际完成情况。",
        ),
        Column(
            "预算执行率自评得分", "claimed_execution", Kind.DECIMAL, places=2, width=10,
            header_required=True,
            help="单位自评的预算执行率得分（可不填）。",
        ),
        Column(
            "自评得分", "claimed_total", Kind.DECIMAL, places=2, width=10, header_required=True,
            help="单位自评总分（满分100）。",
        ),
        Column(
            "自评等级", "claimed_grade", Kind.CHOICE, choices=GRADES, width=8,
            header_required=True,
        ),
    ),
    unique=(("code",),),
    description="每个项目一行；金额单位万元。",
)  # fmt: skip

INDICATOR_SHEET = SheetSpec(
    INDICATOR_SHEET_NAME,
    (
        Column("项目编码", "code", Kind.CODE, required=True, locked=True, width=20),
        Column("项目名称", "project_name", locked=True, width=24),
        Column("一级指标", "level1", locked=True, width=12, fill_merged=True),
        Column("二级指标", "level2", locked=True, width=14, fill_merged=True),
        Column("三级指标", "name", required=True, locked=True, width=26),
        Column("年度指标值", "target", locked=True, width=14, help="批复的年度指标值。"),
        Column("分值", "points", Kind.DECIMAL, locked=True, width=8, help="批复的分值。"),
        Column(
            "实际完成值", "actual", width=16, parser=actual_cell, help=QUALITATIVE_HELP,
            header_required=True,
        ),
        Column(
            "自评得分", "claimed_score", Kind.DECIMAL, places=2, width=10,
            header_required=True,
        ),
        Column(
            "偏差原因分析及改进措施", "reason", width=40, header_required=True,
            help="得分低于分值或大幅超额完成时必须填写。",
        ),
    ),
    description="每个指标一行，与批复的绩效目标一致；不要增删指标或修改指标名称。",
)  # fmt: skip

SELFEVAL_SHEETS = (PROJECT_SHEET, INDICATOR_SHEET)
