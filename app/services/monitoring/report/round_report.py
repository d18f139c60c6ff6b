"""绩效监控情况报告 of a round: coverage, execution, lamps, lagging projects, departments as
a whole (department_part), conclusions.

Every figure comes from MonitoringReportData; the narrative sentences are a starting
point the bureau edits in Word.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.domain.enums import MonitoringConclusion
from app.domain.money import format_percent, round2
from app.domain.numbers import wan_printed
from app.reports import (
    Align,
    Block,
    Cell,
    Column,
    Document,
    Figure,
    Heading,
    Landscape,
    Paragraph,
    SignatureBlock,
    Table,
    charts,
)
from app.services.monitoring import LampCounts
from app.services.monitoring.report.data import Execution, MonitoringReportData
from app.services.monitoring.report.department_part import department_blocks
from app.services.monitoring.report.table import period

LAGGING_LISTED = 30  # rows of the lagging table; the text gives the full count
CHART_DEPARTMENTS = 15  # the departments furthest behind, in the second chart
FONT = 10.5


def compose_monitoring_report(data: MonitoringReportData, date: dt.date) -> Document:
    when = f"{data.year}年{period(data.month)}"
    return Document(
        # Broken by meaning (GB/T 9704), not wherever the line happens to fill.
        title=f"{data.county}{when}\n项目支出绩效运行监控情况报告",
        blocks=(
            Paragraph(
                f"按照全面实施预算绩效管理的要求，{data.bureau}组织各预算单位对{when}"
                "项目支出开展预算执行进度和绩效目标实现程度“双监控”。现将监控情况报告如下。"
            ),
            Heading(1, "监控范围"),
            *_coverage(data),
            Heading(1, "预算执行情况"),
            *_execution(data),
            Heading(1, "绩效目标完成情况及预警"),
            *_lamps(data),
            *_lagging(data),
            *department_blocks(data),
            Heading(1, "结论及下一步工作"),
            *_conclusions(data),
        ),
        signature=SignatureBlock(data.bureau, date),
        metadata={"author": data.bureau},
    )


def _points(gap: Decimal | None) -> str:
    """A gap as percentage points with 2 decimals: 0.1234 → 12.34."""
    return "—" if gap is None else f"{round2(gap * 100):.2f}"


def _share(part: int, whole: int) -> str:
    return format_percent(Decimal(part) / whole) if whole else "0.00%"


def _behind(gap: Decimal | None) -> str:
    if gap is None:
        return "无法计算执行率"
    if gap > 0:
        return f"低于序时进度{_points(gap)}个百分点"
    return f"高于序时进度{_points(-gap)}个百分点" if gap < 0 else "与序时进度持平"


def _coverage(data: MonitoringReportData) -> tuple[Paragraph, ...]:
    t = data.total
    return (
        Paragraph(
            f"本轮监控纳入已批复绩效目标的项目{t.projects}个，涉及{len(data.departments)}个"
            f"预算单位、{len(data.sections)}个业务股室，调整后预算{wan_printed(t.budget)}万元；"
            f"监控绩效指标{data.indicators}个，已填报当前完成值{data.indicators_reported}个，"
            f"填报率{_share(data.indicators_reported, data.indicators)}。"
        ),
    )


def _execution(data: MonitoringReportData) -> tuple[Block, ...]:
    t = data.total
    lamps = data.budget_lamps
    blocks: list[Block] = [
        Paragraph(
            f"截至{data.month}月末，全部项目执行{wan_printed(t.spent)}万元，执行率"
            f"{format_percent(t.execution_rate)}，序时进度{format_percent(t.time_progress)}，"
            f"{_behind(t.gap)}。按预算执行预警，红灯{lamps.red}个、黄灯{lamps.yellow}个、"
            f"绿灯{lamps.green}个。"
        ),
        _section_chart(data),
        _department_table(data),
    ]
    behind = [d for d in data.departments if d.gap is not None and d.gap > 0]
    if behind:
        blocks.insert(2, _department_chart(data, behind))
    return tuple(blocks)


def _percent(value: Decimal | None) -> float:
    return 0.0 if value is None else float(round2(value * 100))


def _section_chart(data: MonitoringReportData) -> Figure:
    png = charts.grouped_bar_chart(
        [s.name for s in data.sections],
        {"执行率": [_percent(s.execution_rate) for s in data.sections]},
        reference=(_percent(data.total.time_progress), "序时进度"),
        percent=True,
    )
    return Figure(png, caption="图1  各股室预算执行率与序时进度")


def _department_chart(data: MonitoringReportData, behind: list[Execution]) -> Figure:
    worst = sorted(behind, key=lambda d: (-(d.gap or 0), d.name))[:CHART_DEPARTMENTS]
    png = charts.grouped_bar_chart(
        [d.name for d in worst],
        {"执行率": [_percent(d.execution_rate) for d in worst]},
        reference=(_percent(data.total.time_progress), "序时进度"),
        percent=True,
    )
    caption = f"图2  执行进度落后最多的{len(worst)}个预算单位"
    return Figure(png, caption=caption)


def _department_table(data: MonitoringReportData) -> Table:
    """Departments under a row naming their 股室 with its subtotal, then the county total
    (a group row carries the subtotal, which a merged 股室 column could not)."""
    columns = (
        Column(0.6),
        Column(3.2, Align.LEFT),
        Column(0.7, Align.RIGHT),
        Column(1.4, Align.RIGHT),
        Column(1.4, Align.RIGHT),
        Column(1.1, Align.RIGHT),
        Column(1.3, Align.RIGHT),
    )
    header = (("序号", "预算单位", "项目数", "调整后预算", "执行数", "执行率", "落后百分点"),)
    sections = {s.name: s for s in data.sections}
    body: list[tuple[str | Cell, ...]] = []
    for n, d in enumerate(data.departments, start=1):
        if n == 1 or data.departments[n - 2].section != d.section:
            body.append(_section_row(sections[d.section]))
        body.append((str(n), d.name, *_money_cells(d)))
    body.append((Cell("合计", colspan=2, bold=True), *_money_cells(data.total)))
    return Table(
        columns,
        header,
        tuple(body),
        font_size=FONT,
        caption="表1  分单位预算执行情况",
        unit="金额单位：万元；落后百分点为负数表示快于序时进度",
    )


def _money_cells(e: Execution) -> tuple[str, ...]:
    rate = format_percent(e.execution_rate) or "—"
    return (str(e.projects), wan_printed(e.budget), wan_printed(e.spent), rate, _points(e.gap))


def _section_row(section: Execution) -> tuple[Cell, ...]:
    name = Cell(section.name, colspan=2, align=Align.LEFT, bold=True)
    return (name, *(Cell(text, bold=True) for text in _money_cells(section)))


def _lamp_cells(lamps: LampCounts) -> tuple[str, ...]:
    return tuple(str(n) for n in (lamps.red, lamps.yellow, lamps.green, lamps.blue, lamps.unlit))


def _lamps(data: MonitoringReportData) -> tuple[Block, ...]:
    p, i, total = data.total.lamps, data.indicator_lamps, data.total.projects
    text = (
        "项目预警（按预算执行和各绩效指标中最严重者）："
        f"红灯{p.red}个，占{_share(p.red, total)}；"
        f"黄灯{p.yellow}个，占{_share(p.yellow, total)}；绿灯{p.green}个；蓝灯{p.blue}个"
        + (f"；未亮灯{p.unlit}个" if p.unlit else "")
        + f"。绩效指标中，红灯{i.red}个、黄灯{i.yellow}个、绿灯{i.green}个、蓝灯{i.blue}个"
        "（蓝灯表示进度远超预期，需关注指标值设置是否偏低）。"
    )
    columns = (Column(1.6, Align.LEFT), *(Column(0.9, Align.RIGHT) for _ in range(7)))
    header = (("股室", "项目数", "红灯", "黄灯", "绿灯", "蓝灯", "未亮灯", "红灯占比"),)
    body = [
        (s.name, str(s.projects), *_lamp_cells(s.lamps), _share(s.lamps.red, s.projects))
        for s in data.sections
    ]
    body.append(("合计", str(total), *_lamp_cells(p), _share(p.red, total)))
    table = Table(columns, header, tuple(body), font_size=FONT, caption="表2  分股室项目预警情况")
    return (Paragraph(text), table)


def _lagging(data: MonitoringReportData) -> tuple[Block, ...]:
    """Heading, text and table on landscape pages together (the table is wide)."""
    heading = Heading(1, "执行滞后项目")
    total = len(data.lagging)
    if not total:
        return (heading, Paragraph("本轮没有预算执行亮红灯或黄灯的项目。"))
    listed = data.lagging[:LAGGING_LISTED]
    explained = sum(1 for p in data.lagging if p.reasons)
    rest = f"前{len(listed)}个，其余见各项目监控表。" if total > len(listed) else "全部项目。"
    text = (
        f"预算执行亮红灯或黄灯的项目共{total}个，其中{explained}个已说明偏差原因。"
        f"下表按执行进度落后序时进度的幅度从大到小列出{rest}"
    )
    columns = (
        Column(0.5),
        Column(1.4),
        Column(2.4, Align.LEFT),
        Column(1.6, Align.LEFT),
        Column(1.0, Align.RIGHT),
        Column(0.9, Align.RIGHT),
        Column(1.0, Align.RIGHT),
        Column(2.9, Align.LEFT),
        Column(2.5, Align.LEFT),
        Column(1.0),
    )
    header = (
        (
            "序号",
            "项目编码",
            "项目名称",
            "预算单位",
            "调整后预算",
            "执行率",
            "落后百分点",
            "偏差原因",
            "纠偏措施",
            "处理意见",
        ),
    )
    body = tuple(
        (
            str(n),
            p.project_code,
            p.project_name,
            p.department_name,
            wan_printed(p.budget),
            format_percent(p.execution_rate) or "—",
            _points(p.gap),
            p.reasons or "未说明",
            p.actions or "—",
            p.conclusion or "—",
        )
        for n, p in enumerate(listed, start=1)
    )
    table = Table(
        columns, header, body, font_size=9, caption="表3  执行滞后项目", unit="金额单位：万元"
    )
    # Landscape pages hold the wide table only: prose set 39 characters a line reads badly.
    return (heading, Paragraph(text), Landscape((table,)))


def _conclusions(data: MonitoringReportData) -> tuple[Block, ...]:
    t = data.total
    paragraphs = [
        Paragraph(
            f"总体看，全部项目预算执行率{format_percent(t.execution_rate)}，{_behind(t.gap)}；"
            f"{t.lamps.red}个项目亮红灯，需重点跟踪。" + _slowest(data)
        )
    ]
    given = [
        f"{c.value}{data.conclusions[c.value]}个"
        for c in MonitoringConclusion
        if data.conclusions.get(c.value)
    ]
    if given:
        paragraphs.append(Paragraph(f"财政部门已对项目提出处理意见：{'，'.join(given)}。"))
    unexplained = [
        f"{n}个{what}"
        for n, what in (
            (data.missing_budget_reasons, "预算执行亮红灯、黄灯的项目"),
            (data.missing_reasons, "红灯、黄灯指标"),
        )
        if n
    ]
    if unexplained and not data.closed:
        paragraphs.append(
            Paragraph(
                f"尚有{'和'.join(unexplained)}未说明偏差原因，相关单位应在本轮监控关闭前补充。"
            )
        )
    paragraphs += [
        Paragraph(
            "下一步，一是督促执行滞后的预算单位分析原因、落实纠偏措施，加快预算执行；"
            "二是对持续亮红灯、预计全年无法完成目标的项目，按规定调整预算、暂停拨款或暂缓实施；"
            "三是将监控结果作为年终绩效评价和下年度预算安排的重要依据。"
        ),
    ]
    return tuple(paragraphs)


def _slowest(data: MonitoringReportData) -> str:
    behind = sorted(
        (d for d in data.departments if d.gap is not None and d.gap > 0),
        key=lambda d: (-(d.gap or 0), d.name),
    )[:3]
    if not behind:
        return "各预算单位执行进度均不低于序时进度。"
    names = "、".join(f"{d.name}（{format_percent(d.execution_rate)}）" for d in behind)
    return f"执行进度落后最多的预算单位为{names}。"
