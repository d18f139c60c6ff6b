"""The goals workbook (绩效目标工作簿), declared once for export and import.

Sheet names and headers are the exchange format other tools produce, so they are exact:
  单位: 单位编码, 单位名称, 主管部门编码, 股室
  项目: 年度, 单位编码, 项目编码, 项目名称, 项目属性, 资金来源, 功能分类科目, 资金总额(万元),
        财政拨款(万元), 其他资金(万元), 起始年度, 结束年度, 年度总体目标 (+ optional 资金级次,
        长期目标 and the read-only 审核状态)
  指标: 项目编码, 一级指标, 二级指标, 三级指标, 指标性质, 指标值, 计量单位, 分值, 指标解释
        (+ optional 标准来源)
  部门整体目标 / 部门整体指标: the department-wide goals, optional sheets.
The meaning of each value (indicator cells, levels) is decided by the services; cells are
only typed here. Every listed column must be in the file (`required` or `header_required`):
a missing one would read as blank in every row and overwrite stored goals; the optional
ones keep their defaults when absent.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from .columns import Column, Kind, SheetSpec
from .values import PercentNumber

UNITS_SHEET = "单位"
PROJECTS_SHEET = "项目"
INDICATORS_SHEET = "指标"
DEPARTMENT_GOALS_SHEET = "部门整体目标"
DEPARTMENT_INDICATORS_SHEET = "部门整体指标"

KINDS = ("新增", "延续")
FUND_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算")
FUND_LEVELS = ("本级", "上级转移支付")
NATURES = ("≥", ">", "=", "≤", "<", "定性")
STANDARD_SOURCES = ("计划标准", "历史标准", "行业标准", "预算支出标准", "其他")
STATUS_HELP = "导出时的审核状态，仅供参考，导入时不读取；已通过或待审核的目标不会被导入覆盖。"

_POINTS_SUFFIX = re.compile(r"分$")


def target_cell(value: Any) -> str:
    """指标值 as text: a percent-formatted number is 95%, a date its ISO text, 95.0 is 95."""
    if isinstance(value, PercentNumber):
        number = Decimal(str(value.value)) * 100
        return f"{_plain(number)}%"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        raise ValueError("指标值不能是 TRUE/FALSE")
    if isinstance(value, int | float):
        return _plain(Decimal(str(value)))
    return str(value)


def points_cell(value: Any) -> Decimal:
    """分值: a number, also written as text like `10分` or `１０`."""
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise ValueError(f"分值“{value}”不是数字")
    if isinstance(value, PercentNumber):
        value = value.value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _POINTS_SUFFIX.sub("", "".join(text.split()))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"分值“{value}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"分值“{value}”不是数字")
    return number


def _plain(number: Decimal) -> str:
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}"
    return f"{number.normalize():f}"


UNITS = SheetSpec(
    UNITS_SHEET,
    [
        Column("单位编码", "code", Kind.CODE, required=True, width=14),
        Column("单位名称", "name", required=True, width=30),
        Column(
            "主管部门编码",
            "parent_code",
            Kind.CODE,
            width=14,
            help="本单位是主管部门时不填。",
        ),
        Column("股室", "section", width=14, help="负责本单位的财政局业务股室名称。"),
    ],
    unique=[("code",)],
    description="每个预算单位一行；系统中已有的单位不会被修改，新单位导入时建立。",
)

PROJECTS = SheetSpec(
    PROJECTS_SHEET,
    [
        Column("年度", "year", Kind.YEAR, required=True, width=8),
        Column("单位编码", "department_code", Kind.CODE, required=True, width=12),
        Column("项目编码", "code", Kind.CODE, required=True, width=22),
        Column("项目名称", "name", required=True, width=30),
        Column("项目属性", "kind", Kind.CHOICE, required=True, choices=KINDS, width=9),
        Column(
            "资金来源",
            "fund_source",
            Kind.CHOICE,
            choices=FUND_SOURCES,
            width=16,
            header_required=True,
        ),
        Column(
            "功能分类科目",
            "functional_class",
            Kind.CODE,
            width=12,
            header_required=True,
            help="类 3 位、款 5 位或项 7 位数字，如 2080505。",
        ),
        Column("资金总额(万元)", "total", Kind.MONEY_WAN, required=True, width=13),
        Column("财政拨款(万元)", "fiscal", Kind.MONEY_WAN, width=13, header_required=True),
        Column("其他资金(万元)", "other", Kind.MONEY_WAN, width=13, header_required=True),
        Column("起始年度", "start_year", Kind.YEAR, width=9, header_required=True),
        Column("结束年度", "end_year", Kind.YEAR, width=9, header_required=True),
        Column(
            "年度总体目标",
            "overall_target",
            width=50,
            header_required=True,
            help="提交审核前必须填写；空白且无指标时只导入项目信息。",
        ),
        Column("资金级次", "fund_level", Kind.CHOICE, choices=FUND_LEVELS, width=12),
        Column("长期目标", "long_term_target", width=30),
        Column("审核状态", "status", width=9, locked=True, help=STATUS_HELP),
    ],
    unique=[("code",)],
    description="每个项目一行；资金总额应等于财政拨款与其他资金之和。",
)


def _indicator_columns(owner: Column) -> list[Column]:
    return [
        owner,
        Column("一级指标", "level1", required=True, width=12, fill_merged=True),
        Column("二级指标", "level2", width=16, fill_merged=True, header_required=True),
        Column("三级指标", "name", width=26, header_required=True),
        Column(
            "指标性质",
            "nature",
            width=9,
            header_required=True,
            help="≥、>、=、≤、< 或 定性；指标值已写明比较符号（如 ≥95%）时可不填。",
        ),
        Column("指标值", "value", parser=target_cell, width=14, header_required=True),
        Column("计量单位", "unit", width=10, header_required=True),
        Column("分值", "points", Kind.DECIMAL, parser=points_cell, width=7, header_required=True),
        Column("指标解释", "explanation", width=40, header_required=True),
        Column("标准来源", "standard_source", Kind.CHOICE, choices=STANDARD_SOURCES, width=12),
    ]


INDICATORS = SheetSpec(
    INDICATORS_SHEET,
    _indicator_columns(
        Column("项目编码", "project_code", Kind.CODE, required=True, width=22, fill_merged=True)
    ),
    description="每个指标一行，按项目编码对应到“项目”工作表；只有一级、二级的空行会被忽略。",
)

DEPARTMENT_GOALS = SheetSpec(
    DEPARTMENT_GOALS_SHEET,
    [
        Column("年度", "year", Kind.YEAR, required=True, width=8),
        Column("单位编码", "department_code", Kind.CODE, required=True, width=12),
        Column(
            "单位名称", "department_name", width=26, locked=True, help="仅供对照，导入时不读取。"
        ),
        Column("部门整体预算(万元)", "budget", Kind.MONEY_WAN, width=16, header_required=True),
        Column("年度总体目标", "overall_target", width=50, header_required=True),
        Column("长期目标", "long_term_target", width=30),
        Column("审核状态", "status", width=9, locked=True, help=STATUS_HELP),
    ],
    required=False,
    unique=[("department_code",)],
    description="部门整体支出绩效目标，每个单位一行；未填写预算、目标和指标的行不导入。",
)

DEPARTMENT_INDICATORS = SheetSpec(
    DEPARTMENT_INDICATORS_SHEET,
    _indicator_columns(
        Column("单位编码", "department_code", Kind.CODE, required=True, width=12, fill_merged=True)
    ),
    required=False,
    description="部门整体绩效指标，按单位编码对应到“部门整体目标”工作表。",
)

GOALS_WORKBOOK = (UNITS, PROJECTS, INDICATORS, DEPARTMENT_GOALS, DEPARTMENT_INDICATORS)

PROBLEMS_SHEET = "导入问题"
PROBLEMS = SheetSpec(
    PROBLEMS_SHEET,
    [
        Column("类型", "severity", width=8),
        Column("工作表", "sheet", width=14),
        Column("行", "row", Kind.INTEGER, width=7),
        Column("列", "column", width=16),
        Column("问题", "message", width=90),
    ],
    description="导入检查发现的问题：类型为“错误”的必须改正后才能导入，“提示”不影响导入。",
)
