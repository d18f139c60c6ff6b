"""The 部门整体 part of the round's 绩效监控情况报告: each department's whole spending.

A paragraph with the totals and lamp counts, then one row per department: 基本支出 and
项目支出 (调整后预算, 执行数), the whole execution rate, how far it lags 序时进度, its
lamp and its budget lamp's 偏差原因 (on landscape pages: the table is wide).
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.lamps import execution_rate
from app.domain.money import format_percent, round2
from app.domain.numbers import wan
from app.reports import Align, Block, Column, Heading, Landscape, Paragraph, Table
from app.services.monitoring import LampCounts
from app.services.monitoring.department import DepartmentMonitoringRow
from app.services.monitoring.report.data import MonitoringReportData

HEADING = "部门整体支出监控情况"


def department_blocks(data: MonitoringReportData) -> tuple[Block, ...]:
    rows = data.department_wide
    heading = Heading(1, HEADING)
    if not rows:
        return (heading, Paragraph("本轮没有纳入监控的部门整体支出绩效目标。"))
    budget = sum((r.adjusted_budget for r in rows), Decimal(0))
    spent = sum((r.spent for r in rows), Decimal(0))
    basic_budget = sum((r.basic_adjusted for r in rows), Decimal(0))
    basic_spent = sum((r.basic_spent for r in rows), Decimal(0))
    lamps = LampCounts.of(r.department_lamp for r in rows)
    unexplained = sum(1 for r in rows if any(p.indicator is None for p in r.missing_reasons))
    text = (
        f"本轮对{len(rows)}个预算单位的部门整体支出开展监控，调整后预算合计{wan(budget)}万元，"
        f"执行{wan(spent)}万元，执行率{format_percent(execution_rate(budget, spent))}；"
        f"其中基本支出执行率{format_percent(execution_rate(basic_budget, basic_spent))}。"
        f"按预算执行和部门整体绩效指标中最严重者，红灯{lamps.red}个、黄灯{lamps.yellow}个、"
        f"绿灯{lamps.green}个、蓝灯{lamps.blue}个"
        + (f"、未亮灯{lamps.unlit}个" if lamps.unlit else "")
        + "。"
        + (f"尚有{unexplained}个单位的预算执行偏差原因未说明。" if unexplained else "")
    )
    return (Landscape((heading, Paragraph(text), _table(rows))),)


def _table(rows: tuple[DepartmentMonitoringRow, ...]) -> Table:
    columns = (
        Column(0.5),
        Column(2.6, Align.LEFT),
        *(Column(1.15, Align.RIGHT) for _ in range(4)),
        Column(0.95, Align.RIGHT),
        Column(1.1, Align.RIGHT),
        Column(0.9),
        Column(3.45, Align.LEFT),
    )
    header = (
        (
            "序号",
            "预算单位",
            "基本支出\n调整后预算",
            "基本支出\n执行数",
            "项目支出\n调整后预算",
            "项目支出\n执行数",
            "执行率",
            "落后百分点",
            "预警",
            "偏差原因及纠偏措施",
        ),
    )
    body = tuple(
        (
            str(n),
            r.department_name,
            wan(r.basic_adjusted),
            wan(r.basic_spent),
            wan(r.project_adjusted),
            wan(r.project_spent),
            format_percent(r.execution_rate) or "—",
            "—" if r.gap is None else f"{round2(r.gap * 100):.2f}",
            r.department_lamp.label if r.department_lamp else "未亮灯",
            "；".join(r.reasons) or "—",
        )
        for n, r in enumerate(rows, start=1)
    )
    return Table(
        columns,
        header,
        body,
        font_size=9,
        caption="表4  部门整体支出监控情况",
        unit="金额单位：万元；落后百分点为负数表示快于序时进度",
    )
