"""The monitoring workbook (绩效运行监控表): sheets 项目 and 指标, declared once.

The export fills them from a round and the import reads them back with the same specs.

Design decisions:
- The round travels in the file: 年度 and 监控月份 are locked columns of 项目 (a title line
  would not survive the reader, which returns rows), so `import monitoring FILE` needs no
  other argument and a file of another round is recognised.
- Indicators are matched by 项目编码 + 序号 (the indicator's place in its goal), and the
  service checks that 三级指标 still names the same indicator, so sorting or filtering
  the sheet in Excel is harmless and a file from an older goal is refused, not misread.
- 当前完成值 and 全年预计完成值 hold a number for quantitative indicators and 达成 /
  部分达成 / 未达成 for qualitative ones, so they are text cells read by `progress_cell`;
  the service knows the indicator and parses the rest (a trailing unit such as 人 or %
  is accepted).
- The budget lamp's 偏差原因 (类别, 原因, 纠偏措施) are columns of 项目, named 预算… so
  they read apart from the indicators' on 指标.
- Locked (grey) cells: codes, names, targets, 年初预算 and the computed rates and lamps.
  Their values are read but only the keys matter; the service ignores the others.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.domain.enums import DeviationCategory, Likelihood, MonitoringConclusion

from .columns import Column, Kind, SheetSpec
from .values import PercentNumber

PROJECTS = "项目"
INDICATORS = "指标"


def progress_cell(value: Any) -> Decimal | str:
    """A progress cell as written: a number cell → Decimal (a cell formatted as a
    percentage, which Excel stores as 0.95, → 95), anything else → its trimmed text."""
    if isinstance(value, bool):
        raise ValueError("应填写数字或达成情况，而不是逻辑值")
    if isinstance(value, PercentNumber):
        return Decimal(str(value.value)) * 100
    if isinstance(value, int | float):
        return Decimal(str(value))
    return str(value).strip()


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _entered(header: str, key: str, kind: Kind = Kind.TEXT, **kw: Any) -> Column:
    """A column the department fills: cells may be blank, but the column must be there,
    since its absence would read as "blank" and clear what earlier imports stored."""
    return Column(header, key, kind, header_required=True, **kw)


def _locked(header: str, key: str, kind: Kind = Kind.TEXT, width: float = 14, **kw: Any) -> Column:
    return Column(header, key, kind, width=width, locked=True, **kw)


PROJECT_SHEET = SheetSpec(
    PROJECTS,
    [
        _locked("年度", "year", Kind.YEAR, 7, required=True),
        _locked("监控月份", "month", Kind.INTEGER, 8, required=True),
        _locked("项目编码", "project_code", Kind.CODE, 22, required=True),
        _locked("项目名称", "project_name", width=30),
        _locked("单位编码", "department_code", Kind.CODE, 10),
        _locked("单位名称", "department_name", width=22),
        _locked("年初预算（万元）", "initial_budget", Kind.MONEY_WAN, 12),
        _entered(
            "调整后预算（万元）",
            "adjusted_budget",
            Kind.MONEY_WAN,
            required=True,
            width=12,
            help="全年预算数（A），含年中调整。",
        ),
        _entered(
            "执行数（万元）",
            "spent",
            Kind.MONEY_WAN,
            required=True,
            width=12,
            help="截至监控月份末的累计执行数（B）。",
        ),
        _locked("执行率（%）", "execution_rate", Kind.DECIMAL, 9, percent=True, places=2),
        _locked("序时进度（%）", "time_progress", Kind.DECIMAL, 9, percent=True, places=2),
        _locked("预算执行预警（导出时）", "budget_lamp", width=10),
        _entered(
            "预算偏差原因类别",
            "budget_deviation_category",
            Kind.CHOICE,
            choices=_choices(DeviationCategory),
            width=12,
            help="预算执行为红灯、黄灯的项目必须选择。",
        ),
        _entered(
            "预算偏差原因",
            "budget_deviation_reason",
            width=30,
            help="预算执行为红灯、黄灯的项目必须填写执行滞后的原因。",
        ),
        _entered("预算纠偏措施", "budget_corrective_action", width=30),
        _entered(
            "处理意见",
            "conclusion",
            Kind.CHOICE,
            choices=_choices(MonitoringConclusion),
            width=11,
            help="财政部门的处理意见，由财政填写，预算单位可留空。",
        ),
        _entered("处理意见说明", "conclusion_note", width=24),
    ],
    unique=[("project_code",)],
    description="每个项目一行：填写调整后预算和执行数（万元）；预算执行为红灯、黄灯的项目"
    "须填写预算偏差原因类别和预算偏差原因。灰色单元格请勿修改。",
)

INDICATOR_SHEET = SheetSpec(
    INDICATORS,
    [
        _locked("项目编码", "project_code", Kind.CODE, 22, required=True),
        _locked("项目名称", "project_name", width=24),
        _locked("序号", "position", Kind.INTEGER, 6, required=True),
        _locked("一级指标", "level1", width=10),
        _locked("二级指标", "level2", width=14),
        _locked("三级指标", "name", width=26, required=True),
        _locked("年度指标值", "target", width=14),
        _entered(
            "当前完成值",
            "current",
            width=12,
            parser=progress_cell,
            help="定量指标填写截至监控月份末的数值（可带计量单位，如 1200人、95%）；"
            "定性指标填写 达成 / 部分达成 / 未达成。尚无法统计的请留空，不要填 0。",
        ),
        _entered(
            "完成可能性",
            "likelihood",
            Kind.CHOICE,
            choices=_choices(Likelihood),
            width=11,
            help="全年能否完成年度指标。",
        ),
        _entered(
            "全年预计完成值",
            "expected",
            width=12,
            parser=progress_cell,
            help="定量指标填写预计全年完成的数值；定性指标留空。",
        ),
        _locked("指标预警（导出时）", "lamp", width=10),
        _entered(
            "偏差原因类别",
            "deviation_category",
            Kind.CHOICE,
            choices=_choices(DeviationCategory),
            width=12,
            help="红灯、黄灯指标必须选择。",
        ),
        _entered("偏差原因", "deviation_reason", width=30, help="红灯、黄灯指标必须填写。"),
        _entered("纠偏措施", "corrective_action", width=30),
    ],
    unique=[("project_code", "position")],
    description="每个指标一行：填写当前完成值、完成可能性、全年预计完成值；"
    "红灯、黄灯指标须填写偏差原因类别和偏差原因。",
)

MONITORING_SHEETS = (PROJECT_SHEET, INDICATOR_SHEET)
