"""The annual report to the 人大: every figure from the database, notes where data is missing.

Expected figures are computed here by hand from the factory data, not by the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import AssessmentConclusion, GoalStatus
from app.reports import Figure, Heading, Paragraph, Table
from app.reports.model import unfilled_sections
from app.services.assessment.records import AssessmentInput, record_assessment
from app.services.monitoring import EntryEdit, dashboard, open_round, round_rows, update_entry
from app.services.reports.annual_data import DepartmentCut, annual_report_data
from app.services.reports.annual_doc import annual_report_document
from app.services.reports.common import wan_text
from app.services.reports.templates import Templates, bundled_template_path
from app.services.results.records import propose_results
from app.services.spotcheck import draw_sample
from app.storage.models import Department, Goal, Indicator, Project, Setting
from tests import factories

TODAY = dt.date(2026, 3, 5)
JUNE_SPENT = {"219001001": 50000, "219002001": 60000, "301002001": 100000}
# Self-evaluation design (targets met unless listed): 100 优, 80 良, 50 差, 70 中.
EVALUATIONS = {
    "219001001": ({}, None),
    "219002001": ({"补助学生人数": Decimal(0)}, None),
    "301001001": ({"补助学生人数": Decimal(0), "家庭经济困难学生资助覆盖率": Decimal(0)}, None),
    "301002001": ({"补助学生人数": Decimal(0)}, Decimal(0)),
}


def build_goals(db) -> dict[str, Project]:
    """monitoring_county: 4 approved projects (100k/200k/100k/200k), one submitted, one
    deleted, one of 2024; plus a returned goal and two department-wide goals."""
    with db.transaction() as s:
        approved = factories.monitoring_county(s)
        s.add_all(
            [
                Setting(key="county.name", value="示例县"),
                Setting(key="county.bureau", value="示例县财政局"),
            ]
        )
        fy = factories.year(s, 2025)
        dept = s.scalar(select(Department).where(Department.code == "301001"))
        spec = factories.ProjectSpec("301001902", status=GoalStatus.RETURNED)
        factories.project_with_goal(s, fy, dept, spec)
        for code, status in (("219001", GoalStatus.APPROVED), ("219002", GoalStatus.DRAFT)):
            unit = s.scalar(select(Department).where(Department.code == code))
            goal = Goal(
                scope="department",
                year_id=fy.id,
                department_id=unit.id,
                budget_amount=Decimal(5_000_000),
                status=status.value,
                overall_target="保障运转",
            )
            goal.indicators = [
                Indicator(
                    position=1,
                    level1="产出指标",
                    level2="数量指标",
                    name="办件数",
                    comparator="≥",
                    target_value=Decimal(1),
                    unit="件",
                    points=Decimal(90),
                )
            ]
            s.add(goal)
        return {p.code: p for p in approved}


@pytest.fixture
def empty_year(db):
    build_goals(db)
    return db


@pytest.fixture
def full_year(db, rules):
    projects = build_goals(db)
    with db.transaction() as s:
        for code, (actuals, spent) in EVALUATIONS.items():
            factories.self_evaluation(s, s.merge(projects[code]), actuals, spent=spent)
    record_assessment(
        db,
        projects["219001001"].id,
        AssessmentInput(
            "优",
            "良",
            "良",
            "中",
            "优",
            AssessmentConclusion.PARTIAL,
            Decimal(5_000_000),
            Decimal(4_000_000),
            dt.date(2025, 3, 18),
        ),
    )
    open_round(db, 2025, 6, rules)
    for row in round_rows(db, 2025, 6, rules):
        spent = Decimal(JUNE_SPENT.get(row.project_code, 0))
        update_entry(db, row.entry_id, EntryEdit(row.adjusted_budget, spent), rules)
    draw_sample(db, 2025, rules, seed=11)
    propose_results(db, 2025, rules)
    return db


def templates() -> Templates:
    return Templates.load(bundled_template_path())


def texts(document) -> list[str]:
    return [b.plain_text for b in document.blocks if isinstance(b, Paragraph)]


def headings(document, level: int) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


# -- figures ----------------------------------------------------------------------------
def test_goal_figures(empty_year, rules):
    goals = annual_report_data(empty_year, 2025, rules).goals
    assert goals.projects == 6  # 4 approved + submitted + returned; deleted and 2024 not
    assert goals.project_goals == 4
    assert goals.project_amount == Decimal(100000 + 200000 + 100000 + 200000)
    assert (goals.department_goals, goals.department_amount) == (1, Decimal(5_000_000))
    assert goals.indicators == 4 * len(factories.STANDARD_INDICATORS) + 1
    assert (goals.pending_goals, goals.returned_goals) == (2, 1)
    assert goals.coverage == Decimal(4) / 6


def test_figures_of_a_year_without_later_work_are_missing_not_zero(empty_year, rules):
    data = annual_report_data(empty_year, 2025, rules)
    assert data.assessment is None
    assert data.monitoring is None
    assert data.evaluation is None
    assert data.sample is None
    assert data.results is None


def test_full_year_figures(full_year, rules):
    data = annual_report_data(full_year, 2025, rules)
    a = data.assessment
    assert (a.count, a.submitted, a.approved, a.cut) == (
        1,
        Decimal(5_000_000),
        Decimal(4_000_000),
        Decimal(1_000_000),
    )
    (june,) = data.monitoring.rounds
    assert (june.month, june.projects, june.time_progress) == (6, 4, Decimal("0.5"))
    assert june.execution_rate == Decimal(210000) / Decimal(600000)
    lamps = dashboard(full_year, 2025, rules).trend[0].lamps
    assert (june.red, june.yellow, june.green, june.blue) == (
        lamps.red,
        lamps.yellow,
        lamps.green,
        lamps.blue,
    )
    assert {s.section: s.rate for s in data.monitoring.sections} == {
        "教科文股": Decimal(110000) / Decimal(300000),
        "农业农村股": Decimal(100000) / Decimal(300000),
    }
    e = data.evaluation
    assert (e.project_count, e.department_count) == (4, 0)
    assert e.grades == (1, 1, 1, 1)
    assert e.average == Decimal("75.00")  # (100 + 80 + 50 + 70) / 4
    assert [(s.section, s.count, s.grades) for s in e.sections] == [
        ("教科文股", 2, (1, 1, 0, 0)),
        ("农业农村股", 2, (0, 0, 1, 1)),
    ]
    sample = data.sample
    assert sorted((s.section, s.population, s.drawn) for s in sample.sections) == [
        ("农业农村股", 2, 1),
        ("教科文股", 2, 1),
    ]
    assert (sample.share, sample.reviewed) == (Decimal("0.5"), 0)
    r = data.results
    # 差 (301001001, 100k) cut 50 %, 中 (301002001, 200k) cut 20 %.
    assert (r.cut_projects, r.proposed_cut) == (2, Decimal(50000 + 40000))
    assert [(d.department, d.cut) for d in r.departments] == [  # largest cut first
        ("县农业农村局", Decimal(50000)),
        ("县水利局", Decimal(40000)),
    ]


# -- the document -----------------------------------------------------------------------
def test_outline_title_recipient_and_signature(full_year, rules):
    document = annual_report_document(
        annual_report_data(full_year, 2025, rules), templates(), TODAY
    )
    assert document.title == "关于示例县2025年度预算绩效管理工作情况的报告"
    assert document.recipient == "示例县人大常委会"
    assert (document.signature.org, document.signature.date) == ("示例县财政局", TODAY)
    assert headings(document, 1) == ["基本工作情况", "主要成效", "存在的问题", "下一步工作打算"]
    assert headings(document, 2) == [  # the outline the county reports use
        "组织保障",
        "制度建设",
        "事前绩效评估",
        "绩效目标管理",
        "绩效监控",
        "绩效评价",
        "结果应用",
        "纳入政府绩效考核",
        "绩效信息公开",
    ]


def test_sections_without_records_are_the_clerks_placeholders(full_year, rules):
    document = annual_report_document(
        annual_report_data(full_year, 2025, rules), templates(), TODAY
    )
    assert unfilled_sections(document) == [
        "一、基本工作情况（一）组织保障",
        "一、基本工作情况（二）制度建设",
        "一、基本工作情况（八）纳入政府绩效考核",
        "一、基本工作情况（九）绩效信息公开",  # no 公开 pack published yet
    ]
    body = "\n".join(texts(document))
    assert "【请补充：绩效目标随预算公开" in body


def test_full_year_sentences_carry_the_figures(full_year, rules):
    document = annual_report_document(
        annual_report_data(full_year, 2025, rules), templates(), TODAY
    )
    body = "\n".join(texts(document))
    assert (
        "全年批复部门整体支出绩效目标1个，金额500.00万元；批复项目支出绩效目标4个，金额60.00万元，共设置绩效指标25个。"
        in body
    )
    assert "另有2个项目的绩效目标尚未审核通过" in body
    assert (
        "全年共评估项目1个，送审金额500.00万元，审定金额400.00万元，审减金额100.00万元，审减率20.00%"
        in body
    )
    assert (
        "全年开展绩效运行监控1轮（6月）。6月监控项目4个，预算执行率35.00%（序时进度50.00%）" in body
    )
    assert "“优”的1个、“良”的1个、“中”的1个、“差”的1个，平均得分75.00分" in body
    assert "共抽取2个，占自评总数的50.00%。" in body
    assert "（抽查样本尚未完成复核，复核结果暂缺。）" in body  # nothing reviewed yet
    assert "自评不实" not in body.replace("严肃处理自评不实问题", "")
    assert "建议调减预算的项目2个，涉及单位2个，建议调减金额9.00万元" in body
    assert "（本年度尚未开展财政重点评价，相关数据暂缺。）" in body  # none in this county
    assert "（本年度尚未建立整改台账，相关数据暂缺。）" in body
    assert body.count("暂缺") == 3
    assert (
        "一是绩效目标管理覆盖面进一步扩大。全年6个项目中，4个项目的绩效目标已审核批复，覆盖率66.67%"
        in body
    )
    assert "四是评价结果运用得到加强" in body


def test_full_year_tables_and_charts(full_year, rules):
    document = annual_report_document(
        annual_report_data(full_year, 2025, rules), templates(), TODAY
    )
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [t.caption for t in tables] == [
        "表1　2025年绩效运行监控情况",
        "表2　项目支出绩效自评等级分布（按股室）",
        "表3　抽查复核抽样情况（按股室）",
        "表4　结果应用建议调减预算情况（按单位）",
    ]
    monitoring = [[c if isinstance(c, str) else c.text for c in row] for row in tables[0].body_rows]
    assert monitoring[0][:4] == ["6月", "4", "35.00%", "50.00%"]
    grades = [[c if isinstance(c, str) else c.text for c in row] for row in tables[1].body_rows]
    assert grades == [
        ["教科文股", "2", "1", "1", "0", "0"],
        ["农业农村股", "2", "0", "0", "1", "1"],
        ["合计", "4", "1", "1", "1", "1"],
    ]
    cuts = [[c if isinstance(c, str) else c.text for c in row] for row in tables[3].body_rows]
    assert cuts[-1] == ["合计", "2", "9.00"]
    figures = [b for b in document.blocks if isinstance(b, Figure)]
    assert [f.caption for f in figures] == [
        "图1　6月各股室预算执行率",
        "图2　项目支出绩效自评等级分布",
    ]
    assert all(f.image_bytes().startswith(b"\x89PNG") for f in figures)


def test_missing_work_gets_notes_and_no_invented_figures(empty_year, rules):
    document = annual_report_document(
        annual_report_data(empty_year, 2025, rules), templates(), TODAY
    )
    body = texts(document)
    for note in (
        "（本年度尚未录入事前绩效评估结果，相关数据暂缺。）",
        "（本年度尚未开展绩效运行监控，相关数据暂缺。）",
        "（本年度尚未开展绩效自评，相关数据暂缺。）",
        "（本年度尚未生成结果应用建议，相关数据暂缺。）",
    ):
        assert note in body
    notes = [b for b in document.blocks if isinstance(b, Paragraph) and "暂缺" in b.plain_text]
    assert notes and all(b == Paragraph(b.plain_text) for b in notes)  # plain, indented body
    assert not [b for b in document.blocks if isinstance(b, Table | Figure)]
    # Only the items whose figures exist are kept, numbered without gaps.
    achievements = [t for t in body if t.startswith(("一是", "二是")) and "覆盖" in t]
    assert achievements == [
        "一是绩效目标管理覆盖面进一步扩大。全年6个项目中，4个项目的绩效目标已审核批复，"
        "覆盖率66.67%，绩效目标成为预算安排的重要依据。"
    ]
    # 存在的问题: the monitoring item is left out, so this one comes first.
    assert "一是绩效目标编制质量有待提高。审核中退回修改的绩效目标1个" in "\n".join(body)
    assert not any("监控时" in t or "审减" in t for t in body)


def test_sample_note_when_evaluations_exist_but_no_sample(db, rules):
    projects = build_goals(db)
    with db.transaction() as s:
        factories.self_evaluation(s, s.merge(projects["219001001"]))
    document = annual_report_document(annual_report_data(db, 2025, rules), templates(), TODAY)
    body = texts(document)
    assert "（本年度尚未开展抽查复核，相关数据暂缺。）" in body
    assert "（本年度尚未开展绩效自评，相关数据暂缺。）" not in body


def test_review_figures_once_reviews_exist(full_year, rules):
    data = annual_report_data(full_year, 2025, rules)
    reviewed = replace(data, sample=replace(data.sample, reviewed=2, grade_changed=1, inflated=1))
    body = "\n".join(texts(annual_report_document(reviewed, templates(), TODAY)))
    assert "占自评总数的50.00%。已完成复核2个，复核后等级发生变化1个，认定自评不实1个。" in body
    assert "复核结果暂缺" not in body
    assert "四是自评质量仍需加强。抽查复核中认定自评不实1个，复核后等级发生变化1个。" in body


def test_results_table_names_the_ten_largest_cuts(full_year, rules):
    data = annual_report_data(full_year, 2025, rules)
    units = tuple(DepartmentCut(f"单位{n:02d}", 1, Decimal(1000 * (20 - n))) for n in range(12))
    total = sum((u.cut for u in units), Decimal(0))
    many = replace(
        data, results=replace(data.results, departments=units, cut_projects=12, proposed_cut=total)
    )
    document = annual_report_document(many, templates(), TODAY)
    table = [b for b in document.blocks if isinstance(b, Table)][-1]
    assert table.caption == "表4　结果应用建议调减预算较多的10个单位"
    rows = [[c if isinstance(c, str) else c.text for c in row] for row in table.body_rows]
    assert len(rows) == 12
    assert rows[10] == ["其他2个单位", "2", "1.90"]  # 10000 + 9000 元
    assert rows[11] == ["合计", "12", wan_text(total)]


def test_a_zero_count_problem_never_prints(empty_year, rules):
    data = annual_report_data(empty_year, 2025, rules)
    no_returns = replace(data, goals=replace(data.goals, returned_goals=0))
    body = "\n".join(texts(annual_report_document(no_returns, templates(), TODAY)))
    assert "退回修改的绩效目标0个" not in body
    assert "绩效目标编制质量有待提高" not in body
    # every problem left out: one plain sentence instead of an empty section
    assert "本年度未发现需要单独报告的突出问题。" in body


def test_an_old_template_without_none_still_says_it_plainly(empty_year, rules, tmp_path):
    text = bundled_template_path().read_text(encoding="utf-8")
    old = tmp_path / "annual_report.toml"
    old.write_text(text.replace('none = "本年度未发现需要单独报告的突出问题。"\n', ""), "utf-8")
    data = annual_report_data(empty_year, 2025, rules)
    no_returns = replace(data, goals=replace(data.goals, returned_goals=0))
    body = texts(annual_report_document(no_returns, Templates.load(old), TODAY))
    assert "本年度未发现需要单独报告的突出问题。" in body


def test_the_key_evaluation_section_is_filled_from_data(db, rules):
    from app.domain.key_evaluation import ObjectKind
    from app.services import key_evaluation as ke
    from app.services.reports.annual_data import annual_report_data
    from app.services.reports.annual_doc import annual_report_document
    from app.services.reports.templates import Templates
    from tests import factories

    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    plan = ke.PlanEdit(ObjectKind.DEPARTMENT, "县教育局部门整体", "219001", "资金量大",
                       problems="问题一\n问题二")  # fmt: skip
    row = ke.create_evaluation(db, 2025, plan, rules)
    ke.save_items(db, row.id, [replace(i, score=i.points) for i in row.items], rules)
    wording = Templates.load(bundled_template_path())
    document = annual_report_document(annual_report_data(db, 2025, rules), wording)
    texts = [b.plain_text for b in document.blocks if hasattr(b, "plain_text")]
    assert any(
        "全年共1项（部门整体1项、政策0项、项目0项）" in t and "“优”的1项" in t
        and "共发现问题2个" in t
        for t in texts
    )  # fmt: skip


def test_rectification_and_disclosure_are_filled_from_the_bureaus_records(db, rules):
    from datetime import datetime

    from app.storage.models import DisclosureRecord, FiscalYear, RectificationItem

    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
        fy = s.scalar(select(FiscalYear).where(FiscalYear.year == 2025))
        units = {d.code: d for d in s.scalars(select(Department))}
        for n, (status, deadline) in enumerate(
            [("已整改", dt.date(2026, 1, 1)), ("整改中", dt.date(2026, 6, 30)),
             ("未整改", dt.date(2026, 2, 1)), ("未整改", dt.date(2026, 6, 30))]
        ):  # fmt: skip
            s.add(RectificationItem(
                year_id=fy.id, department_id=units["219001"].id, source="评价等级",
                source_key=f"k{n}", finding="等级为差", action="整改", deadline=deadline,
                status=status,
            ))  # fmt: skip
        for code, at, goals, evaluations in (
            ("219001", datetime(2026, 1, 5), 1, 0),
            ("219001", datetime(2026, 2, 5), 2, 1),  # published again: the latest counts
            ("301001", datetime(2026, 2, 5), 3, 2),
        ):
            s.add(DisclosureRecord(
                year_id=fy.id, department_id=units[code].id, published_at=at,
                file_name=f"{code}.pdf", goal_tables=goals, evaluation_tables=evaluations,
            ))  # fmt: skip
    document = annual_report_document(
        annual_report_data(db, 2025, rules, today=TODAY), templates(), TODAY
    )
    body = "\n".join(texts(document))
    assert (
        "共列入整改事项4项，已整改1项（整改完成率25.00%），整改中1项，尚未整改2项，"
        "其中已超过整改期限1项。" in body  # the 未整改 item due 2026-02-01, as of 2026-03-05
    )
    assert "全年组织2个单位公开绩效目标表5张、绩效自评表3张。" in body
    assert "整改台账中有1项整改事项已超过整改期限仍未完成。" in body  # a problem: 1 overdue
    on_time = annual_report_document(
        annual_report_data(db, 2025, rules, today=dt.date(2026, 1, 15)), templates(), TODAY
    )
    assert "已超过整改期限仍未完成" not in "\n".join(texts(on_time))  # 0 overdue: no problem
    assert "一、基本工作情况（九）绩效信息公开" not in unfilled_sections(document)
