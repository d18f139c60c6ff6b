"""The single-project 绩效目标表 fits one A4 page; both review boxes are laid out alike."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.enums import GoalStatus, Scope
from app.reports import render_to_file
from app.services.goals.report.data import GoalTableData, IndicatorLine
from app.services.goals.report.doc import goal_table_document

_LINES = (
    ("产出指标", "数量指标", "信息化系统建设数量", "≥6个"),
    ("产出指标", "数量指标", "接待来访群众批次", "≥39批次"),
    ("产出指标", "数量指标", "办理建议提案件数", "≥16件"),
    ("产出指标", "质量指标", "系统正常运行率", "≥80%"),
    ("产出指标", "时效指标", "项目按期完成率", "≥85%"),
    ("产出指标", "成本指标", "维修改造单位成本", "≤1958元/平方米"),
    ("效益指标", "社会效益指标", "决策咨询作用发挥情况", "得到保障"),
    ("效益指标", "社会效益指标", "“最多跑一次”事项占比", "≥90%"),
    ("效益指标", "生态效益指标", "环境污染事件发生数", "=0起"),
    ("效益指标", "生态效益指标", "节能降耗情况", "明显改善"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "社会公众满意度", "≥85%"),
    ("产出指标", "数量指标", "培训人次", "≥1200人次"),
    ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ("效益指标", "经济效益指标", "带动就业人数", "≥50人"),
)


def _goal(count: int) -> GoalTableData:
    lines = sorted(_LINES[:count], key=lambda x: ("产出效益满意度".index(x[0][:2]), x[1]))
    return GoalTableData(
        scope=Scope.PROJECT, year=2025, section="综合股", department_code="101001",
        department_name="县人大常委会办公室", parent_department="县人大常委会办公室",
        project_code="101001005", project_name="人大代表之家建设", kind="延续",
        start_year=2022, end_year=2025, fund_source="一般公共预算", fund_level="本级",
        functional_class="2010104", total_amount=Decimal("425300"),
        fiscal_amount=Decimal("425300"), other_amount=Decimal(0),
        overall_target="2025年，通过实施人大代表之家建设，实现信息化系统建设数量≥6个、接待来访"
        "群众批次≥39批次、办理建议提案件数≥16件等目标，保障机关履职和重点工作有序开展，"
        "确保资金使用规范、安全、高效。",
        long_term_target="实施期内持续巩固项目成效，相关公共服务覆盖面和群众满意度稳步提高。",
        status=GoalStatus.APPROVED,
        indicators=tuple(
            IndicatorLine(a, b, c, d, Decimal(90) / count) for a, b, c, d in lines
        ),
        execution_points=Decimal(10),
    )  # fmt: skip


@pytest.mark.parametrize("count", [8, 12, 15])
def test_a_typical_goal_table_is_one_page(tmp_path: Path, count: int) -> None:
    out = tmp_path / "目标表.pdf"
    render_to_file(goal_table_document(_goal(count)), out)
    assert len(PdfReader(out).pages) == 1


def _box_order(text: str, start: str, end: str | None) -> list[str]:
    box = text[text.index(start) : text.index(end) if end else None]
    words = ("审核人", "盖章", "年", "月", "日")
    return sorted(words, key=lambda w: box.index(w, len(start)))


def test_both_review_boxes_read_alike(tmp_path: Path) -> None:
    out = tmp_path / "目标表.pdf"
    render_to_file(goal_table_document(_goal(12)), out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    compact = text.replace(" ", "").replace("\n", "")
    first = _box_order(compact, "主管部门审核意见", "财政部门")
    second = _box_order(compact, "财政部门审核意见", None)
    assert first == second == ["审核人", "盖章", "年", "月", "日"]


def test_an_overlong_goal_moves_whole_review_boxes(tmp_path: Path) -> None:
    goal = _goal(15)
    goal = GoalTableData(**{**goal.__dict__, "indicators": goal.indicators * 2})
    out = tmp_path / "目标表.pdf"
    render_to_file(goal_table_document(goal), out)
    pages = [
        page.extract_text().replace(" ", "").replace("\n", "") for page in PdfReader(out).pages
    ]
    last = pages[-1]
    for box in ("主管部门审核意见", "财政部门审核意见"):
        where = [i for i, text in enumerate(pages) if box in text]
        assert len(where) == 1
        rest = pages[where[0]][pages[where[0]].index(box) :]
        assert "审核人" in rest and "年月日" in rest
    assert "年月日" in last
