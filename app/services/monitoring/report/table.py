"""项目支出绩效运行监控表: one project's money, indicator progress with lamps, conclusion."""

from __future__ import annotations

from app.domain.enums import Lamp
from app.domain.money import format_percent
from app.domain.numbers import plain, wan_printed
from app.reports import Align, Cell, Column, Document, Table, merge_repeats
from app.services.monitoring import IndicatorLampRow, ProjectMonitoringRow
from app.services.monitoring.report.data import MonitoringTableData

LAMP_TEXT = {Lamp.RED: "红", Lamp.YELLOW: "黄", Lamp.GREEN: "绿", Lamp.BLUE: "蓝"}
UNLIT = "—"
NEEDS_REASON = (Lamp.RED, Lamp.YELLOW)
FONT = 9.0


def lamp_text(lamp: Lamp | None) -> str:
    return LAMP_TEXT[lamp] if lamp else UNLIT


def period(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


def compose_monitoring_table(data: MonitoringTableData) -> Document:
    row = data.row
    return Document(
        title="项目支出绩效运行监控表",
        subtitle=f"（{data.year}年{period(data.month)}）",
        blocks=(
            _project_table(data),
            _indicator_table(data),
            *_conclusion(data),
        ),
        metadata={"subject": f"{row.project_code} {row.project_name}", "author": data.bureau},
    )


def _label(text: str) -> Cell:
    return Cell(text, bold=True)


def _project_table(data: MonitoringTableData) -> Table:
    row = data.row
    rate = format_percent(row.execution_rate) or "—（调整后预算为0）"
    body = (
        (_label("项目名称"), Cell(row.project_name, colspan=3, align=Align.LEFT)),
        (_label("项目编码"), row.project_code, _label("主管股室"), row.section),
        (_label("预算单位"), Cell(f"{row.department_name}（{row.department_code}）", colspan=3)),
        (
            _label("年初预算"),
            wan_printed(row.initial_budget),
            _label("调整后预算（A）"),
            wan_printed(row.adjusted_budget),
        ),
        (_label("执行数（B）"), wan_printed(row.spent), _label("执行率（B/A）"), rate),
        (
            _label("序时进度"),
            format_percent(row.time_progress),
            _label("预算执行预警"),
            lamp_text(row.budget_lamp),
        ),
        (_label("预警说明"), Cell(row.budget_explanation, colspan=3, align=Align.LEFT)),
        (_label("执行偏差原因"), Cell(_budget_reason(row), colspan=3, align=Align.LEFT)),
        (_label("纠偏措施"), Cell(_budget_action(row), colspan=3, align=Align.LEFT)),
        (_label("年度总体目标"), Cell(data.overall_target or "—", colspan=3, align=Align.LEFT)),
    )
    columns = (Column(1.4), Column(1.6), Column(1.4), Column(1.6))
    return Table(columns, (), body, font_size=FONT, unit="金额单位：万元", compact=True)


def _budget_reason(row: ProjectMonitoringRow) -> str:
    """The budget lamp's 偏差原因 as "类别：原因"; a red or yellow lamp without one says so."""
    reason = row.budget_deviation_reason.strip()
    if reason:
        return (
            f"{row.budget_deviation_category}：{reason}"
            if row.budget_deviation_category
            else reason
        )
    return "未填写" if row.budget_lamp in NEEDS_REASON else "—"


def _budget_action(row: ProjectMonitoringRow) -> str:
    return row.budget_corrective_action.strip() or "—"


_INDICATOR_COLUMNS = (  # 二级 fits 数量指标 on one line at 9 pt; 预警 is one character
    Column(0.9),  # 一级
    Column(1.3),  # 二级
    Column(2.6, Align.LEFT),  # 三级: names on one line keep 15 indicators on one page
    Column(1.3),  # 年度指标值
    Column(1.1),  # 当前完成值
    Column(1.2),  # 全年预计: a two-line header
    Column(1.0),  # 完成可能性
    Column(0.55),  # 预警
    Column(1.75, Align.LEFT),  # 偏差原因 (red and yellow rows only)
    Column(1.6, Align.LEFT),  # 纠偏措施
)


def _indicator_table(data: MonitoringTableData) -> Table:
    header = (
        (
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "当前完成值",
            "全年预计完成值",
            "完成可能性",
            "预警",
            "偏差原因",
            "纠偏措施",
        ),
    )
    items = data.row.indicators
    # 一级/二级 merged as on the paper form; the engine splits merged cells at page breaks.
    body = merge_repeats([_indicator_row(item) for item in items], 2) or (
        (Cell("本项目没有绩效指标", colspan=len(_INDICATOR_COLUMNS)),),
    )
    return Table(
        _INDICATOR_COLUMNS,
        header,
        body,
        font_size=FONT,
        caption="绩效指标完成情况",
        compact=True,
    )


def _indicator_row(item: IndicatorLampRow) -> tuple[str, ...]:
    expected = "" if item.expected_value is None else f"{plain(item.expected_value)}{item.unit}"
    reason = item.deviation_reason.strip()
    if reason and item.deviation_category:
        reason = f"{item.deviation_category}：{reason}"
    return (
        item.level1,
        item.level2,
        item.name,
        item.target,
        item.current or "未填报",
        expected,
        item.likelihood,
        lamp_text(item.lamp),
        reason,
        item.corrective_action.strip(),
    )


def _conclusion(data: MonitoringTableData) -> tuple[Table, ...]:
    """The closing rows of the form: project lamp, the bureau's opinion, notices, a note."""
    row = data.row
    lamp = row.project_lamp.label if row.project_lamp else "未亮灯"
    opinion = row.conclusion or "尚未提出"
    note = row.conclusion_note.strip().rstrip("。")
    if note:
        opinion += f"（{note}）"
    body = [
        (_label("项目预警"), Cell(f"{lamp}（取预算执行和各指标预警中最严重者）", align=Align.LEFT)),
        (_label("财政部门处理意见"), Cell(opinion, align=Align.LEFT)),
        *((_label("提示"), Cell(notice, align=Align.LEFT)) for notice in row.notices),
        (
            _label("说明"),
            Cell("预警“红、黄、绿、蓝”按规则集计算；“—”表示尚未填报、无法亮灯。", align=Align.LEFT),
        ),
    ]
    return (Table((Column(1.4), Column(4.6)), (), tuple(body), font_size=FONT, compact=True),)
