"""A goals workbook typed by hand the way departments do (docs/domain.md §3) imports cleanly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import ValidationFailed
from app.services.goals.workbook import Outcome, import_goals
from tests.integration.goals_workbook_data import stored_goals

CODE = "219001250001"
INDICATOR_ROWS = [
    ("产出指标(50分)", "数量", "补助学生人数", None, ">=1200人", None, 20),
    (None, None, None, None, None, None, None),  # a blank row in the middle
    ("产出指标（50分）", "质量指标", "资金发放准确率", None, "≥95%", None, "10分"),
    ("产出指标", "时效指标", "资金拨付及时率", "≧", 95, "%", 10),
    ("产出指标", "成本指标", "生均补助标准", None, "≤650元/人·年", None, "１０"),
    ("效益指标(30分)", "经济效益 指标", None, None, None, None, None),  # unused class
    ("效益指标", "社会效益 指标", "资助覆盖率", "＞", "98", "%", 30),
    ("满意度指标", "服务对象满意度指标", "受助学生满意度", None, 0.9, None, 10),
]


def untidy_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    units = book.active
    units.title = " 单位 "  # stray spaces in the sheet name
    units.append(["单位编码", "单位名称", "主管部门编码", "股室"])
    units.append(["219001 ", "县教育局", None, "教科文股"])
    projects = book.create_sheet("项目")
    projects.append(["2025年项目支出绩效目标申报表"])  # a title line above the header
    projects.append(
        ["年度", "单位编码*", "项目编码", "项目名称", "项目属性", "资金来源", "功能分类科目",
         "资金总额（万元）", "财政拨款（万元）", "其他资金（万元）", "起始年度", "结束年度",
         "年度总体目标", "备注"]
    )  # fmt: skip
    projects.append(
        ["2025年", "219001", int(CODE), "营养改善计划", "延续", "一般公共预算", "2050202",
         "1,200.5", "１２００.５", None, 2025, 2025, " 保障学生营养。 ", "不导入的备注"]
    )  # fmt: skip
    indicators = book.create_sheet("指标")
    indicators.append(["项目编码", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
                       "计量单位", "分值", "指标解释"])  # fmt: skip
    for n, row in enumerate(INDICATOR_ROWS):
        indicators.append([CODE if n == 0 else None, *row, None])
    last = len(INDICATOR_ROWS) + 1
    indicators.merge_cells(f"A2:A{last}")  # one merged 项目编码 for all rows
    indicators.cell(last, 6).number_format = "0%"  # Excel stores 90% as 0.9
    book.save(path)
    return path


def test_untidy_forms_are_read_as_meant(db, tmp_path, rules):
    result = import_goals(db, untidy_workbook(tmp_path / "手填.xlsx"), rules)
    assert [(o.code, o.outcome) for o in result.outcomes] == [(CODE, Outcome.ADDED)]
    header, goal = stored_goals(db)[CODE]
    assert header[0] == "219001" and header[8:] == (Decimal("12005000"),) * 2 + (Decimal(0),)
    overall, _, _, rows = goal
    assert overall == "保障学生营养。"
    shown = [(r[0], r[1], r[2], r[3], r[4], r[6], r[7]) for r in rows]
    assert shown == [
        ("产出指标", "数量指标", "补助学生人数", "≥", Decimal(1200), "人", Decimal(20)),
        ("产出指标", "质量指标", "资金发放准确率", "≥", Decimal(95), "%", Decimal(10)),
        ("产出指标", "时效指标", "资金拨付及时率", "≥", Decimal(95), "%", Decimal(10)),
        ("产出指标", "成本指标", "生均补助标准", "≤", Decimal(650), "元/人·年", Decimal(10)),
        ("效益指标", "社会效益指标", "资助覆盖率", ">", Decimal(98), "%", Decimal(30)),
        ("满意度指标", "服务对象满意度指标", "受助学生满意度", "=", Decimal(90), "%", Decimal(10)),
    ]
    # The only remarks: the bare 90% read as "=", and the hand-typed (not the default) split.
    assert not [w for w in result.warnings if w.message.startswith("（提交审核前须改正）")]


def test_a_conflicting_nature_is_located_and_blocks(db, tmp_path, rules):
    path = untidy_workbook(tmp_path / "手填.xlsx")
    book = openpyxl.load_workbook(path)
    book["指标"].cell(2, 5).value = "≤"  # contradicts ">=1200人"
    book.save(path)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(db, path, rules)
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems if p.blocking] == [
        ("指标", 2, "指标性质")
    ]
    assert stored_goals(db) == {}
