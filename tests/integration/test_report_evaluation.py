"""Evaluation reports: the data exactly, then composition and rendering (smoke)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.domain.errors import UserError
from app.domain.review import DeductionReason
from app.reports import Landscape, Paragraph, Table, render_to_file
from app.services.evaluation.report import (
    build_selfeval_table,
    compose_selfeval_table,
    selfeval_table_data,
)
from app.services.spotcheck import (
    ReviewEdit,
    ReviewItemEdit,
    draw_sample,
    review_sheet,
    sample_summary,
    save_review,
)
from app.services.spotcheck.report.opinion import build_review_opinion, review_opinion_data
from app.services.spotcheck.report.summary import build_review_summary, review_summary_data
from app.services.spotcheck.report.working_paper import build_working_paper, working_paper_data
from app.storage.database import Database
from app.storage.models import Setting
from tests import factories

D = Decimal
YEAR = 2025
DATE = dt.date(2025, 7, 1)


def _county(db: Database) -> None:
    with db.transaction() as s:
        s.add(Setting(key="county.bureau", value="某某县财政局"))
        for n, p in enumerate(factories.small_county(s, YEAR, per_department=2)):
            if n == 0:  # missed target, full marks claimed, no reason
                factories.self_evaluation(
                    s, p, {"补助学生人数": D(1150)}, {"补助学生人数": D(20)},
                    spent=p.total_amount * D("0.9"), claimed_total=D(100), claimed_grade="优",
                )  # fmt: skip
            else:
                factories.self_evaluation(s, p)


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def _render(document, tmp_path: Path, name: str) -> tuple[Path, Path]:
    pdf, docx = tmp_path / f"{name}.pdf", tmp_path / f"{name}.docx"
    render_to_file(document, pdf)
    render_to_file(document, docx)
    assert DocxDocument(str(docx)).paragraphs  # opens
    return pdf, docx


def test_selfeval_table_data_is_exact(db, rules):
    _county(db)
    d = selfeval_table_data(db, YEAR, "219001001", rules)
    assert (d.code, d.department, d.supervisor) == ("219001001", "县教育局", "县教育局")
    total = d.money[0]
    assert (total.label, total.initial, total.budget, total.spent) == (
        "年度资金总额", D(100000), D(100000), D(90000)
    )  # fmt: skip
    assert [m.label for m in d.money[1:]] == ["其中：本年财政拨款", "上年结转资金", "其他资金"]
    assert (d.execution_rate, d.execution_score) == (D("0.9"), D("9.00"))
    row = d.indicators[0]
    assert (row.name, row.score, row.claimed, row.differs) == ("补助学生人数", D("19.17"), 20, True)
    assert "1150/1200" in row.explanation
    assert (d.total, d.grade, d.claimed_total) == (D("98.17"), "优", D(100))
    assert any("未完成目标却自评满分" in f for f in d.flags)


def test_selfeval_table_shows_both_scores_and_renders(db, rules, tmp_path):
    _county(db)
    doc = compose_selfeval_table(selfeval_table_data(db, YEAR, "219001001", rules))
    grid = [b for b in doc.blocks if isinstance(b, Table)][1]
    first = grid.body_rows[0]
    assert "19.17\n自评20.00" in [c if isinstance(c, str) else c.text for c in first]
    footer = grid.body_rows[-1][-1]
    assert not isinstance(footer, str) and footer.text == "98.17（优）；单位自评100.00（优）"
    pdf, _ = _render(doc, tmp_path, "selfeval")
    text = _text(pdf)
    assert "项目支出绩效自评表" in text and "计分说明" in text
    with pytest.raises(UserError, match="没有项目编码为“999”的绩效自评"):
        build_selfeval_table(db, YEAR, "999", rules)


def _reviewed(db: Database, rules) -> int:
    """Draw everything, review 219001001 with a no-evidence deduction; its sample id."""
    sample = draw_sample(db, YEAR, rules, ratio=D(1), seed=3)
    item = next(i for s in sample.sections for i in s.items if i.project_code == "219001001")
    rows = review_sheet(db, item.sample_id, rules).rows
    edit = ReviewItemEdit(
        rows[4].evaluation_indicator_id, deduction=DeductionReason.NO_EVIDENCE, note="无台账"
    )
    save_review(db, item.sample_id, ReviewEdit(items=(edit,)), rules, opinion="佐证不足。")
    return item.sample_id


def test_working_paper_data_and_landscape_grid(db, rules, tmp_path):
    _county(db)
    sample_id = _reviewed(db, rules)
    d = working_paper_data(db, sample_id, rules)
    assert d.reviewed and d.self_grade.value == "优"
    # 覆盖率 (30 points) deducted to 0: review 98.17 − 30 = 68.17 → 中, a grade change.
    assert d.sheet.review_total == D("68.17") and d.sheet.review_grade == "中"
    assert d.finding.startswith("自评不实：自评100分（优），复核68.17分（中）")
    row = d.rows[4].cells
    assert row[2] == "家庭经济困难学生资助覆盖率"
    assert row[6:] == ("30", "98", "30.00", "98", "0.00", "-30.00", "无佐证材料；无台账")
    first = d.rows[0].cells
    assert first[8:] == ("20.00", "1150", "19.17", "-0.83", "按规则应得19.17")
    assert d.execution_self == ("90.00%", "9.00")
    doc = build_working_paper(db, sample_id, rules)
    conclusion = doc.blocks[2].plain_text  # the finding alone: the scores are said once
    assert conclusion == f"{d.finding}。" and conclusion.count("复核68.17分") == 1
    assert isinstance(doc.blocks[-1], Landscape)
    grid = doc.blocks[-1].blocks[0]
    assert isinstance(grid, Table) and grid.header_rows[0][:3] == (
        "一级指标",
        "二级指标",
        "三级指标",
    )
    assert len(grid.header_rows[0]) == 13
    pdf, _ = _render(doc, tmp_path, "paper")
    pages = PdfReader(pdf).pages
    assert pages[0].mediabox.width < pages[0].mediabox.height
    assert pages[-1].mediabox.width > pages[-1].mediabox.height  # the grid is landscape
    assert "绩效自评抽查复核工作底稿" in _text(pdf)


def test_review_opinion_per_project_and_per_department(db, rules, tmp_path):
    _county(db)
    sample_id = _reviewed(db, rules)
    d = review_opinion_data(db, rules, sample_id=sample_id, date=DATE)
    assert (d.recipient, d.bureau, d.year) == ("县教育局", "某某县财政局", YEAR)
    project = d.projects[0]
    assert project.inflated
    assert project.problems[0] == ("补助学生人数", "复核得分低于自评得分",
                                   "复核得分19.17分，低于自评20.00分")  # fmt: skip
    assert project.problems[1] == (
        "补助学生人数", "未填写偏差原因", "得分低于分值，未填写偏差原因分析及改进措施"
    )  # fmt: skip
    assert project.problems[2][1] == "无佐证材料"
    assert any("佐证材料" in c for c in d.corrections)
    assert any("自评不实" in c for c in d.corrections)
    pdf, _ = _render(build_review_opinion(db, rules, sample_id=sample_id, date=DATE), tmp_path, "o")
    text = _text(pdf)
    assert "审核意见" in text and "某某县财政局" in text and "2025年7月1日" in text
    by_department = review_opinion_data(db, rules, year=YEAR, department="219001", date=DATE)
    assert [p.code for p in by_department.projects] == ["219001001"]  # only reviewed ones
    with pytest.raises(UserError, match=r"没有单位“县水利局”的项目|尚未完成复核"):
        review_opinion_data(db, rules, year=YEAR, department="301002")


def test_review_summary_counts_match_the_sample(db, rules, tmp_path):
    _county(db)
    _reviewed(db, rules)
    sample = sample_summary(db, YEAR)
    assert sample is not None
    d = review_summary_data(db, YEAR, rules, date=DATE)
    assert [(x.section, x.population, x.drawn) for x in d.sections] == [
        (s.section, s.population, s.drawn) for s in sample.sections
    ]
    assert (d.total.population, d.total.drawn, d.total.share) == (8, 8, "100.00%")
    assert (d.total.reviewed, d.total.grade_changed, d.total.inflated) == (1, 1, 1)
    assert [r.project_code for r in d.grade_changes] == ["219001001"]
    change = d.grade_changes[0]
    assert (change.self_grade.value, change.review_grade and change.review_grade.value) == (
        "优", "中"
    )  # fmt: skip
    assert dict(d.reason_counts) == {
        "无佐证材料": 1, "复核得分低于自评得分": 1, "未填写偏差原因": 1
    }  # fmt: skip
    summary = build_review_summary(db, YEAR, rules, date=DATE)
    texts = [b.plain_text for b in summary.blocks if isinstance(b, Paragraph)]
    rule = next(t for t in texts if t.startswith("抽样规则"))
    assert rule.count("随机种子") == 1  # the recorded rule names the seed; not said twice
    pdf, _ = _render(summary, tmp_path, "summary")
    text = _text(pdf)
    assert "财政资金绩效自评抽查复核审核意见" in text and "2025年7月1日" in text


def test_summary_without_sample_is_a_user_error(db, rules):
    _county(db)
    with pytest.raises(UserError, match="尚未抽取复核样本"):
        review_summary_data(db, YEAR, rules)
