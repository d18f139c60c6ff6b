"""财政重点评价 through the services: plan, framework copy, scores, grade, results, report."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import docx
import pytest
from pypdf import PdfReader

from app.domain.errors import UserError, ValidationFailed
from app.domain.key_evaluation import ObjectKind
from app.main import main
from app.services import key_evaluation as ke
from app.services.reports import ReportKind, ReportRequest, export_report
from app.services.results.records import propose_results
from tests import factories

YEAR = 2025


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    return db


def _project_plan(**changes) -> ke.PlanEdit:
    plan = ke.PlanEdit(
        ObjectKind.PROJECT, "学生营养改善计划", "219001", "资金量大、社会关注度高",
        project_code="219001001", amount=D(1000000), agency="某会计师事务所", team="张三、李四",
    )  # fmt: skip
    return replace(plan, **changes)


def _scores(row: ke.EvaluationRow, lost: D) -> list[ke.ItemEdit]:
    """Full marks, less `lost` points on 服务对象满意度 (8 points)."""
    return [
        replace(
            i, score=i.points - (lost if i.name == "服务对象满意度" else 0), evidence="查阅资料"
        )
        for i in row.items
    ]


def test_a_new_evaluation_copies_the_template_and_numbers_itself(county, rules):
    first = ke.create_evaluation(county, YEAR, _project_plan(), rules)
    dept = ke.PlanEdit(ObjectKind.DEPARTMENT, "县水利局部门整体支出", "301002", "连续两年自评为中")
    second = ke.create_evaluation(county, YEAR, dept, rules)
    assert (first.code, second.code) == ("ZD2025-01", "ZD2025-02")
    assert len(first.items) == 20 and first.items[0].name == "立项依据充分性"
    assert (first.total, first.grade, first.scored) == (0, "", 0)
    assert second.project_code == ""


def test_scores_give_the_grade_and_a_fair_grade_proposes_a_cut(county, rules):
    row = ke.create_evaluation(county, YEAR, _project_plan(), rules)
    good = ke.save_items(county, row.id, _scores(row, D(0)), rules)
    assert (good.total, good.grade) == (D(100), "优")
    items = [replace(i, score=i.points * D("0.7")) for i in row.items]  # 70 → 中
    fair = ke.save_items(county, row.id, items, rules)
    assert (fair.total, fair.grade) == (D(70), "中")
    proposals = {r.project_code: r for r in propose_results(county, YEAR, rules)}
    cut = proposals["219001001"]
    assert (cut.grade, cut.grade_source, cut.action) == ("中", "重点评价", "调减")
    assert cut.proposed_cut == D(20000)  # 20% of 100,000
    assert "财政重点评价等级为“中”" in cut.basis


def test_weights_off_100_or_a_score_above_its_weight_save_nothing(county, rules):
    row = ke.create_evaluation(county, YEAR, _project_plan(), rules)
    bad = list(row.items)
    bad[0] = replace(bad[0], points=D(10), score=D(11))
    with pytest.raises(ValidationFailed) as caught:
        ke.save_items(county, row.id, bad, rules)
    assert "各项分值合计应为100分，实际为107分" in caught.value.message
    assert "第1项“立项依据充分性”的得分应在0到10分之间，实际为11分" in caught.value.message
    assert ke.load_evaluation(county, row.id, rules).items == row.items


def test_edited_weights_stay_with_the_evaluation(county, rules):
    row = ke.create_evaluation(county, YEAR, _project_plan(), rules)
    items = list(row.items)
    items[0] = replace(items[0], points=D(5))  # 立项依据充分性 3 → 5
    items[1] = replace(items[1], points=D(1))  # 立项程序规范性 3 → 1
    ke.save_items(county, row.id, items, rules)
    again = ke.load_evaluation(county, row.id, rules)
    assert [i.points for i in again.items[:2]] == [D(5), D(1)]
    other = ke.create_evaluation(county, YEAR, _project_plan(subject="另一项"), rules)
    assert [i.points for i in other.items[:2]] == [D(3), D(3)]


def test_plan_mistakes_are_named(county, rules):
    with pytest.raises(UserError) as caught:
        ke.create_evaluation(county, YEAR, _project_plan(reason="", project_code=""), rules)
    assert caught.value.message == (
        "重点评价“学生营养改善计划”缺少选择理由；重点评价“学生营养改善计划”是项目评价，须填写项目编码。"
    )
    with pytest.raises(UserError, match="单位编码“999”不存在"):
        ke.create_evaluation(county, YEAR, _project_plan(department_code="999"), rules)


def test_the_summary_counts_kinds_grades_and_problems(county, rules):
    row = ke.create_evaluation(county, YEAR, _project_plan(problems="问题一\n问题二"), rules)
    ke.save_items(county, row.id, _scores(row, D(0)), rules)
    policy = ke.PlanEdit(ObjectKind.POLICY, "农机购置补贴政策", "301001", "新出台政策")
    ke.create_evaluation(county, YEAR, policy, rules)
    summary = ke.key_evaluation_summary(county, YEAR, rules)
    assert summary.count == 2
    assert summary.by_kind == {"部门整体": 0, "政策": 1, "项目": 1}
    assert (summary.finished, summary.problems, summary.poor) == (1, 2, 0)
    assert summary.grades == {"优": 1, "良": 0, "中": 0, "差": 0}
    assert summary.amount == D(1000000)
    assert [o.total for o in summary.objects] == [D(100), None]


def test_the_report_renders_to_pdf_and_word(county, rules, tmp_path):
    row = ke.create_evaluation(
        county, YEAR, _project_plan(problems="绩效目标不够细化", suggestions="细化目标"), rules
    )
    ke.save_items(county, row.id, _scores(row, D("4.5")), rules)
    request = ReportRequest(ReportKind.KEY_EVALUATION, YEAR, evaluation_code=row.code)
    pdf = export_report(county, request, tmp_path / "重点评价.pdf", rules)
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "学生营养改善计划绩效评价报告" in text
    assert "得分95.50分" in text.replace(" ", "") or "95.50" in text
    document = docx.Document(str(export_report(county, request, tmp_path / "重点评价.docx", rules)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "评价等级为“优”" in paragraphs
    assert "1. 绩效目标不够细化" in paragraphs
    assert "某会计师事务所" in paragraphs


def test_the_report_needs_an_evaluation_code(county, rules, tmp_path):
    with pytest.raises(UserError, match="需要选择重点评价"):
        request = ReportRequest(ReportKind.KEY_EVALUATION, YEAR)
        export_report(county, request, tmp_path / "a.pdf", rules)
    with pytest.raises(UserError, match="没有编号为“ZD2025-09”"):
        request = ReportRequest(ReportKind.KEY_EVALUATION, YEAR, evaluation_code="ZD2025-09")
        export_report(county, request, tmp_path / "a.pdf", rules)


def test_the_cli_adds_scores_and_lists(county, capsys, tmp_path):
    base = ["--db", str(county.target), "keyeval"]
    add = [*base, "add", "--year", "2025", "--kind", "部门整体", "--subject", "县教育局部门整体",
           "--department", "219001", "--reason", "资金规模大", "--amount", "350"]  # fmt: skip
    assert main(add) == 0
    assert "ZD2025-01 县教育局部门整体（20项指标）" in capsys.readouterr().out
    score = [*base, "score", "--year", "2025", "--code", "ZD2025-01",
             "--set", "预算执行率=2.5:执行率87%", "--problem", "预算执行偏慢"]  # fmt: skip
    assert main(score) == 0
    assert "已评分1/20项" in capsys.readouterr().out
    assert main([*base, "list", "--year", "2025", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"amount": "3500000"' in out and '"scored": 1' in out
    report = ["--db", str(county.target), "report", "key-evaluation", "--year", "2025",
              "--evaluation", "ZD2025-01", "--out", str(tmp_path / "r.docx")]  # fmt: skip
    assert main(report) == 0


def test_plan_and_scores_are_saved_together_or_not_at_all(county, rules):
    row = ke.create_evaluation(county, YEAR, _project_plan(), rules)
    bad = [replace(i, score=i.points + 1) for i in row.items]
    with pytest.raises(ValidationFailed):
        ke.save_evaluation(county, row.id, replace(row.plan, agency="新机构"), rules, bad)
    assert ke.load_evaluation(county, row.id, rules).plan.agency == "某会计师事务所"
    saved = ke.save_evaluation(
        county, row.id, replace(row.plan, agency="新机构"), rules, _scores(row, D(8))
    )
    assert (saved.plan.agency, saved.total, saved.grade) == ("新机构", D(92), "优")


def test_a_new_evaluation_can_start_from_edited_items(county, rules):
    template = ke.create_evaluation(county, YEAR, _project_plan(), rules).items
    items = [replace(template[0], points=D(6)), *template[2:]]  # 立项程序规范性 dropped
    row = ke.create_evaluation(county, YEAR, _project_plan(subject="乙"), rules, items)
    assert len(row.items) == 19 and row.items[0].points == D(6)
    with pytest.raises(ValidationFailed, match="实际为94分"):
        ke.create_evaluation(county, YEAR, _project_plan(subject="丙"), rules, items[1:])
    assert len(ke.list_evaluations(county, YEAR, rules)) == 2
