"""Scoring the year's self-evaluations through the service, end to end on a real database."""

from decimal import Decimal as D

import pytest

from app.domain.enums import Grade, Scope
from app.domain.errors import UserError
from app.services.evaluation import evaluation_detail, score_year
from app.storage.models import SelfEvaluation, SelfEvaluationIndicator
from tests import factories


@pytest.fixture
def county(db):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=2)
        missed = factories.self_evaluation(
            s, projects[0], {"补助学生人数": "1150"}, {"补助学生人数": "20"},
            claimed_total="100", claimed_grade="优",
        )  # fmt: skip
        for p in projects[1:]:
            factories.self_evaluation(s, p)
    return {"missed": missed, "codes": [p.code for p in projects]}


def test_every_evaluation_is_scored_with_totals_grades_and_explanations(db, rules, county):
    scores = score_year(db, 2025, rules)
    assert [s.project_code for s in scores] == [
        "219001001", "219001002", "219002001", "219002002",
        "301001001", "301001002", "301002001", "301002002",
    ]  # fmt: skip
    assert [s.section for s in scores[:1] + scores[-1:]] == ["教科文股", "农业农村股"]
    clean = scores[1]
    assert (clean.total, clean.grade, clean.flags) == (D(100), Grade.EXCELLENT, ())
    assert clean.execution.explanation == "执行率 100.00%（20.00/20.00万元）×10 = 10"


def test_a_claimed_full_score_on_a_missed_target_is_flagged(db, rules, county):
    (s,) = score_year(db, 2025, rules, project_code="219001001")
    assert (s.total, s.grade, s.claimed_total, s.claimed_grade) == (
        D("99.17"), Grade.EXCELLENT, D(100), Grade.EXCELLENT,
    )  # fmt: skip
    row = s.indicators[0]
    assert (row.name, row.points, row.score, row.claimed_score) == (
        "补助学生人数", D(20), D("19.17"), D(20),
    )  # fmt: skip
    assert row.explanation == "实际1150人 < 目标≥1200人，按完成比例 1150/1200×20 = 19.17"
    assert "未完成目标却自评满分（按规则应得19.17）" in row.flags
    assert "“补助学生人数”：未完成目标却自评满分（按规则应得19.17）" in s.flags
    assert "自评总分100与按规则计算的总分99.17不一致" in s.flags
    assert "“补助学生人数”：得分低于分值，须填写偏差原因分析及改进措施" in s.flags


def test_a_target_changed_since_the_goal_is_a_flag_and_the_file_is_scored(db, rules):
    with db.transaction() as s:
        (p,) = factories.small_county(s, 2025, per_department=1)[:1]
        factories.self_evaluation(
            s, p, {"补助学生人数": "1000"}, stated_targets={"补助学生人数": "≥1000人"}
        )
    s = score_year(db, 2025, rules, project_code=p.code)[0]
    assert s.indicators[0].score == D(20)  # scored against the file's 1000
    assert "指标值与批复的绩效目标不一致（批复≥1200人，自评表≥1000人）" in s.indicators[0].flags


def test_low_execution_scores_the_rate(db, rules):
    with db.transaction() as s:
        p = factories.small_county(s, 2025, per_department=1)[0]
        factories.self_evaluation(s, p, spent=D("75000"))
    (s,) = score_year(db, 2025, rules)
    assert (s.execution.rate, s.execution.score, s.total) == (D("0.75"), D("7.50"), D("97.50"))


def test_department_wide_evaluations_are_scored_under_their_department_key(db, rules):
    with db.transaction() as s:
        p = factories.small_county(s, 2025, per_department=1)[0]
        evaluation = SelfEvaluation(
            scope=Scope.DEPARTMENT.value, year_id=p.year_id, department_id=p.department_id,
            initial_budget=D(500000), annual_budget=D(500000), spent=D(400000),
        )  # fmt: skip
        evaluation.indicators.append(
            SelfEvaluationIndicator(
                position=1, level1="满意度指标", level2="服务对象满意度指标", name="群众满意度",
                stated_target="定性", stated_points=D(90), qualitative_band="部分达成",
                claimed_score=D(70),
            )
        )  # fmt: skip
        s.add(evaluation)
    (dept,) = [x for x in score_year(db, 2025, rules) if x.scope == "department"]
    assert dept.project_code == "219001-整体"
    assert dept.name == "县教育局部门整体支出"
    assert dept.indicators[0].score == D(70)
    assert dept.total == D(78)  # 8 (80% executed) + 70
    assert dept.grade is Grade.FAIR


def test_detail_of_one_evaluation_and_unknown_ones(db, rules, county):
    detail = evaluation_detail(db, county["missed"], rules)
    assert detail.project_code == "219001001" and len(detail.indicators) == 6
    with pytest.raises(UserError, match="未找到编号为 9999 的绩效自评"):
        evaluation_detail(db, 9999, rules)
    assert score_year(db, 2030, rules) == []


def test_a_list_without_kept_rows_reads_the_same_rows_again_when_asked(db, rules, county):
    kept = score_year(db, 2025, rules)
    lean = score_year(db, 2025, rules, keep_rows=False)
    assert [s.total for s in lean] == [s.total for s in kept]

    def shown(rows):  # every field a screen shows, explanations spelled out
        return [r.to_json() for r in rows]

    assert [shown(s.indicators) for s in lean] == [shown(s.indicators) for s in kept]
    assert "1150/1200×20 = 19.17" in lean[0].indicators[0].explanation


def test_a_lean_row_of_an_evaluation_deleted_since_has_no_indicators(db, rules, county):
    (lean,) = score_year(db, 2025, rules, project_code="219001002", keep_rows=False)
    with db.transaction() as s:
        s.delete(s.get(SelfEvaluation, lean.evaluation_id))
    assert lean.indicators == ()
