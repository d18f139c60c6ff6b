"""Importing printed forms: matching, goals brought by a 自评表, comparison, scores, refusals."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from app.domain.enums import GoalStatus, Grade, QualitativeBand
from app.services.evaluation import score_year
from app.services.forms import (
    FROM_FORM,
    IMPORTED,
    MISSING,
    RECEIVED,
    REFUSED,
    UNCHANGED,
    import_forms,
    unit_board,
)
from app.services.spotcheck import draw_sample
from app.storage.models import Goal, Indicator, Project, SelfEvaluation, SelfEvaluationIndicator
from tests import factories
from tests.fixtures_forms import Form, Row, write_docx, write_xlsx

D = Decimal
DATA = Path(__file__).parent / "data"
YEAR = 2022


def _county(db, with_goal: bool = False) -> None:
    with db.transaction() as s:
        fy = factories.year(s, YEAR)
        dept = factories.department(s, "219001", "上犹县教育局")
        factories.department(s, "219002", "上犹县卫生健康委员会")
        if with_goal:
            spec = factories.ProjectSpec(code="219001001", name="家庭经济困难学生资助")
            factories.project_with_goal(s, fy, dept, spec)


def _counts(db) -> tuple[int, ...]:
    with db.session() as s:
        models = (Project, Goal, Indicator, SelfEvaluation, SelfEvaluationIndicator)
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in models)


def test_a_self_evaluation_brings_its_goal_and_is_scored(db, tmp_path, rules):
    _county(db)
    path = write_xlsx(tmp_path / "教育局.xlsx", [[Form(), Form(kind="department_self")]])
    (report,) = import_forms(db, [path], rules)
    assert report.status == IMPORTED, [p.describe() for p in report.problems]
    project, department = report.tables
    assert (project.unit_code, project.new_project, project.rows) == ("219001", True, 6)
    assert project.project_code.startswith("B") and department.project_code == ""
    with db.session() as s:
        goals = s.execute(select(Goal.status, Goal.reviewer)).all()
        assert set(goals) == {(GoalStatus.APPROVED.value, FROM_FORM)} and len(goals) == 2
        band = s.scalar(
            select(SelfEvaluationIndicator.qualitative_band).where(
                SelfEvaluationIndicator.name == "减轻贫困学生家庭经济负担"
            )
        )
    assert band == QualitativeBand.ACHIEVED.value  # target 有效, actual 有效
    scores = {s.scope: s for s in score_year(db, YEAR, rules)}
    score = scores["project"]
    assert score.execution.score == D("9.50")  # 95 / 100 万元 × 10
    assert [i.score for i in score.indicators] == [D(20), D(10), D(10), D(10), D(30), D(10)]
    assert (score.total, score.grade, score.claimed_total) == (
        D("99.50"),
        Grade.EXCELLENT,
        D("99.5"),
    )
    assert not [f for f in score.flags if "自评" in f]
    assert scores["department"].total == D("99.50")
    sample = draw_sample(db, YEAR, rules, seed=7)  # the brought goals make the year sampleable
    assert sample.population == 2
    before = _counts(db)
    (again,) = import_forms(db, [path], rules)
    assert again.status == UNCHANGED and _counts(db) == before


def test_a_goal_form_for_a_known_goal_lists_differences_and_writes_nothing(db, tmp_path, rules):
    _county(db, with_goal=True)
    rows = (
        Row("产出指标", "数量指标", "补助学生人数", "≥1300人", points="20"),
        Row("产出指标", "质量指标", "资金发放准确率", "=100%", points="15"),
    )
    form = Form(kind="project_goal", rows=rows)
    path = write_docx(tmp_path / "目标.docx", [form])
    before = _counts(db)
    (report,) = import_forms(db, [path], rules)
    assert report.status == UNCHANGED and _counts(db) == before
    messages = [p.describe() for p in report.problems]
    wanted = "第10行第5列（年度指标值）：指标值“≥1300人”与系统中的“≥1200人”不同"
    assert any(wanted in m for m in messages), messages
    assert any("分值15与系统中的10不同" in m for m in messages)
    assert any("缺少系统绩效目标中的指标“资金拨付及时率”" in m for m in messages)
    assert report.tables[0].project_code == "219001001"  # matched by unit + name


def test_a_goal_form_for_a_new_project_creates_a_draft_once(db, tmp_path, rules):
    _county(db)
    path = write_xlsx(tmp_path / "a.xlsx", [[Form(kind="project_goal", project="营养改善计划")]])
    (report,) = import_forms(db, [path], rules)
    assert report.status == IMPORTED and report.tables[0].new_project
    with db.session() as s:
        status, name = s.execute(select(Goal.status, Project.name).join(Project)).one()
    assert (status, name) == (GoalStatus.DRAFT.value, "营养改善计划")
    before = _counts(db)
    assert import_forms(db, [path], rules)[0].status == UNCHANGED and _counts(db) == before


def test_self_evaluation_of_an_approved_goal_keeps_claims_apart(db, tmp_path, rules):
    _county(db, with_goal=True)
    rows = (
        Row("产出指标", "数量指标", "补助学生人数", "≥1200人", "1,150人", "20", "20"),
        Row("产出指标", "质量指标", "资金发放准确率", "100%", "100%", "10", "10"),
        Row("产出指标", "时效指标", "资金拨付及时率", "≥95%", "９８%", "10", "10"),
        Row("产出指标", "成本指标", "生均补助标准", "≤650元/人·年", "650", "10", "10"),
        Row("效益指标", "社会效益指标", "家庭经济困难学生资助覆盖率", "≥98%", "99%", "30", "30"),
        Row("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%", "95%", "10", "10"),
    )
    form = Form(rows=rows, money=("10", "10", "9"), execution_score="9", claimed_total="99")
    path = write_xlsx(tmp_path / "a.xlsx", [[form]], row0=2, col0=1)
    (report,) = import_forms(db, [path], rules)
    assert report.status == IMPORTED and report.tables[0].project_code == "219001001"
    (score,) = score_year(db, YEAR, rules)
    first = score.indicators[0]
    assert (first.score, first.claimed_score) == (D("19.17"), D("20"))  # 1150/1200 × 20
    assert score.total == D("98.17") and score.claimed_total == D("99")
    assert any("未完成目标却自评满分" in f for f in score.flags)


def test_fuzzy_unit_is_proposed_never_guessed(db, tmp_path, rules):
    _county(db)
    path = write_xlsx(tmp_path / "a.xlsx", [[Form(unit="县教育局", department="县教育局")]])
    before = _counts(db)
    (report,) = import_forms(db, [path], rules)
    assert report.status == REFUSED and _counts(db) == before
    (problem,) = report.blocking
    assert "是否为“上犹县教育局”（219001）" in problem.describe()


def test_unreadable_number_refuses_the_file_naming_label_and_cell(db, tmp_path, rules):
    _county(db)
    rows = (
        *Form().rows[:5],
        Row("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%", "九成五", "10", "10"),
    )
    second = Form(project="学前教育资助", money=("十万", "100", "95"))
    path = write_xlsx(tmp_path / "a.xlsx", [[Form(rows=rows), second]])
    before = _counts(db)
    (report,) = import_forms(db, [path], rules)
    assert report.status == REFUSED and _counts(db) == before
    messages = [p.describe() for p in report.blocking]
    assert any("第18行F列（实际完成值）" in m and "九成五" in m for m in messages), messages
    assert any("第29行D列（年初预算数）" in m and "“十万”不是金额" in m for m in messages), messages


def test_legacy_xls_from_the_provincial_system_in_yuan(db, tmp_path, rules):
    _county(db)
    path = tmp_path / "云南.xls"
    shutil.copy(DATA / "yunnan_selfeval.xls", path)
    (report,) = import_forms(db, [path], rules)
    assert report.status == IMPORTED and len(report.tables) == 2
    with db.session() as s:
        money = sorted(s.execute(select(SelfEvaluation.annual_budget, SelfEvaluation.spent)).all())
    assert money == [(D("1000000"), D("950000")), (D("2000000"), D("2000000"))]


def test_unit_board(db, tmp_path, rules):
    _county(db)
    good = write_xlsx(tmp_path / "a.xlsx", [[Form()]])
    reports = import_forms(db, [good], rules)
    board = {u.code: u for u in unit_board(db, reports)}
    assert board["219001"].status == RECEIVED
    assert board["219001"].forms == ("项目支出绩效自评表：家庭经济困难学生资助",)
    assert board["219002"].status == MISSING
