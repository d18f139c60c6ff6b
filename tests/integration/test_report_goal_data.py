"""绩效目标表 and the goal book built from a small database: exact data, exact cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Select, select

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.errors import UserError
from app.reports import Cover, Heading, PageBreak, Paragraph, Table
from app.services.goals.report.data import (
    department_goal_table_data,
    goal_book_data,
    goal_table_data,
)
from app.services.goals.report.doc import goal_book_document, goal_table, goal_table_document
from app.storage.models import Department, Goal, Indicator, Project, Setting
from tests import factories


def select_department(code: str) -> Select:
    return select(Department).where(Department.code == code)


def select_goal(project_code: str) -> Select:
    return (
        select(Goal)
        .join(Project, Goal.project_id == Project.id)
        .where(Project.code == project_code)
    )


def cells(table: Table) -> dict[tuple[int, int], tuple[str, int, int]]:
    """(row, col) → (text, rowspan, colspan) of every cell that starts there."""
    return {(p.row, p.col): (p.cell.text, p.cell.rowspan, p.cell.colspan) for p in table.grid()}


def row_texts(table: Table) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(table.row_count)]
    for p in table.grid():
        rows[p.row].append(p.cell.text)
    return rows


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s)
        s.add_all(
            [
                Setting(key="county.name", value="示例县"),
                Setting(key="county.bureau", value="示例县财政局"),
            ]
        )
    return db


def test_goal_table_data_of_one_project(county, rules):
    data = goal_table_data(county, 2025, "219002002", rules)
    assert data.scope is Scope.PROJECT
    assert (data.year, data.section, data.department_code) == (2025, "教科文股", "219002")
    assert (data.department_name, data.parent_department) == ("县卫生健康局", "县卫生健康局")
    assert (data.project_name, data.kind, data.functional_class) == (
        "县卫生健康局项目2",
        "延续",
        "2050202",
    )
    assert data.total_amount == Decimal(400000)  # 100000 × 2 × 2
    assert data.fiscal_amount == Decimal(400000) and data.other_amount == 0
    assert [(i.level2, i.target, i.points) for i in data.indicators] == [
        ("数量指标", "≥1200人", Decimal(20)),
        ("质量指标", "=100%", Decimal(10)),
        ("时效指标", "≥95%", Decimal(10)),
        ("成本指标", "≤650元/人·年", Decimal(10)),
        ("社会效益指标", "≥98%", Decimal(30)),
        ("服务对象满意度指标", "≥90%", Decimal(10)),
    ]
    assert data.execution_points == rules.goals.execution_points == Decimal(10)
    assert data.total_points == Decimal(100)


def test_goal_table_cells_header_money_and_totals(county, rules):
    table = goal_table(goal_table_data(county, 2025, "219002002", rules))
    rows = row_texts(table)
    assert rows[0] == ["项目名称", "县卫生健康局项目2"]
    assert rows[1] == ["项目编码", "219002002", "年度", "2025年"]
    assert rows[2] == ["单位名称", "县卫生健康局（219002）", "主管部门", "县卫生健康局"]
    assert rows[3] == ["项目属性", "延续", "实施期", "2025年"]
    assert rows[4] == ["资金来源", "一般公共预算（本级）", "功能分类科目", "2050202"]
    assert rows[5] == ["项目资金\n（万元）", "年度资金总额", "40.00"]
    assert rows[6] == ["其中：财政拨款", "40.00"]
    assert rows[7] == ["其他资金", "0.00"]
    assert rows[8] == ["年度总体目标", factories.ProjectSpec("x").overall_target]
    assert rows[9] == ["一级指标", "二级指标", "三级指标", "指标值", "分值"]
    assert rows[10] == ["产出指标", "数量指标", "补助学生人数", "≥1200人", "20"]
    assert rows[-4] == ["预算执行率", "10"]
    assert rows[-3] == ["合计", "100"]
    assert [r[0] for r in rows[-2:]] == ["主管部门\n审核意见", "财政部门\n审核意见"]
    assert all("年　　月　　日" in r[1] and "（盖章）" in r[1] for r in rows[-2:])
    grid = cells(table)
    assert grid[(5, 0)] == ("项目资金\n（万元）", 3, 1)
    assert grid[(10, 0)] == ("产出指标", 4, 1)  # 数量 质量 时效 成本
    assert grid[(14, 0)] == ("效益指标", 1, 1)


def test_first_and_second_level_cells_merge_over_consecutive_rows(db, rules):
    indicators = (
        ("产出指标", "数量指标", "培训人数", Comparator.GE, "100", "人", "15"),
        ("产出指标", "数量指标", "培训场次", Comparator.GE, "4", "场", "15"),
        ("产出指标", "质量指标", "合格率", Comparator.GE, "95", "%", "20"),
        ("效益指标", "社会效益指标", "就业率", Comparator.GE, "80", "%", "15"),
        ("效益指标", "社会效益指标", "政策知晓率", Comparator.QUALITATIVE, None, "", "15"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", Comparator.GE, "90", "%", "10"),
    )
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "401001", "县人社局", "社会保障股")
        spec = factories.ProjectSpec("401001001", indicators=indicators)
        factories.project_with_goal(s, fy, dept, spec)
    data = goal_table_data(db, 2025, "401001001", rules)
    grid = cells(goal_table(data))
    first = 9  # the indicator header row
    assert grid[(first + 1, 0)] == ("产出指标", 3, 1)
    assert grid[(first + 1, 1)] == ("数量指标", 2, 1)
    assert grid[(first + 3, 1)] == ("质量指标", 1, 1)
    assert grid[(first + 4, 0)] == ("效益指标", 2, 1)
    assert grid[(first + 4, 1)] == ("社会效益指标", 2, 1)
    assert grid[(first + 6, 0)] == ("满意度指标", 1, 1)
    assert grid[(first + 5, 2)] == ("政策知晓率", 1, 2)
    assert grid[(first + 5, 4)][0] == "定性"
    assert data.total_points == Decimal(100)


def test_a_total_other_than_100_is_printed_as_it_is(db, rules):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "401001", "县人社局")
        short = factories.STANDARD_INDICATORS[:2]  # 20 + 10 points
        factories.project_with_goal(s, fy, dept, factories.ProjectSpec("P1", indicators=short))
    rows = row_texts(goal_table(goal_table_data(db, 2025, "P1", rules)))
    assert rows[-3] == ["合计", "40"]


def test_department_goal_table(county, rules):
    with county.transaction() as s:
        dept = s.scalar(select_department("301001"))
        s.add(
            Goal(
                scope="department",
                year_id=factories.year(s, 2025).id,
                department_id=dept.id,
                overall_target="保障全县农业农村工作正常运转。",
                budget_amount=Decimal("12345678.90"),
                status=GoalStatus.APPROVED.value,
                indicators=[
                    Indicator(
                        position=1,
                        level1="产出指标",
                        level2="数量指标",
                        name="培训农民人数",
                        comparator="≥",
                        target_value=Decimal(500),
                        unit="人",
                        points=Decimal(90),
                    ),
                ],
            )
        )
    data = department_goal_table_data(county, 2025, "301001", rules)
    document = goal_table_document(data)
    assert (document.title, document.subtitle) == ("部门整体支出绩效目标表", "（2025年度）")
    rows = row_texts(document.blocks[0])
    assert rows[0] == ["单位名称", "县农业农村局", "单位编码", "301001"]
    assert rows[2] == ["年度预算资金\n（万元）", "1,234.57"]  # one money format in every report
    assert rows[3] == ["年度总体目标", "保障全县农业农村工作正常运转。"]
    assert rows[-3] == ["合计", "100"]
    with pytest.raises(UserError, match="单位 219001 没有2025年的部门整体绩效目标"):
        department_goal_table_data(county, 2025, "219001", rules)


def test_unknown_project_year_or_department_are_user_errors(county, rules):
    with pytest.raises(UserError, match="2025年没有项目编码为“X1”的项目"):
        goal_table_data(county, 2025, "X1", rules)
    with pytest.raises(UserError, match="数据库中没有2030年度的数据"):
        goal_table_data(county, 2030, "219001001", rules)
    with pytest.raises(UserError, match="没有单位编码为“999”的预算单位"):
        goal_book_data(county, 2025, rules, department_code="999")


def test_a_project_without_goal_is_named_and_nothing_is_created(county, rules):
    with county.transaction() as s:
        project = factories.project_with_goal(
            s,
            factories.year(s, 2025),
            s.scalar(select_department("219001")),
            factories.ProjectSpec("219001099"),
        )
        s.delete(project.goal)
    with pytest.raises(UserError, match="项目 219001099 尚未填报2025年绩效目标"):
        goal_table_data(county, 2025, "219001099", rules)
    with county.session() as s:
        assert s.query(Goal).count() == 12  # the report did not create a draft


# -- the goal book ----------------------------------------------------------------------
def test_whole_year_book_groups_by_section_and_unit(county, rules):
    book = goal_book_data(county, 2025, rules)
    assert [g.project_code for g in book.goals][:4] == [
        "219001001",
        "219001002",
        "219001003",
        "219002001",
    ]
    assert {g.section for g in book.goals[:6]} == {"教科文股"}
    document = goal_book_document(book, today=dt.date(2025, 3, 1))
    assert document.title == "示例县2025年度项目支出绩效目标汇编"
    assert document.cover == Cover(
        "示例县2025年度项目支出绩效目标汇编", org="示例县财政局", date=dt.date(2025, 3, 1)
    )
    assert document.toc and document.toc_levels == 2
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    assert headings[:3] == [
        (1, "教科文股"),
        (2, "县教育局（219001）"),
        (3, "219001001　县教育局项目1"),
    ]
    assert [t for lvl, t in headings if lvl == 1] == ["教科文股", "农业农村股"]
    units = ("县教育局（219001）", "县卫生健康局（219002）", "县农业农村局（301001）")
    assert [t for lvl, t in headings if lvl == 2] == [*units, "县水利局（301002）"]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 12
    # Every table starts on a new page (the first one after the introduction).
    assert sum(isinstance(b, PageBreak) for b in document.blocks) == 12
    intro = document.blocks[0]
    assert isinstance(intro, Paragraph)
    # Amounts: 100000 × n × (1 or 2) for n = 1..3 in four units → 3,600,000 元.
    assert (
        intro.plain_text
        == "本汇编收录项目支出绩效目标12个，资金总额360.00万元，其中已通过审核12个。"
    )


def test_department_book_lists_projects_in_the_toc(county, rules):
    book = goal_book_data(county, 2025, rules, department_code="301002")
    document = goal_book_document(book, today=dt.date(2025, 3, 1))
    assert document.title == "县水利局2025年度项目支出绩效目标汇编"
    assert document.toc_levels == 1
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert [(h.level, h.text, h.numbered) for h in headings] == [
        (1, f"30100200{n}　县水利局项目{n}", False) for n in (1, 2, 3)
    ]


def test_approved_only_leaves_out_other_goals_and_says_so(county, rules):
    with county.transaction() as s:
        goal = s.scalar(select_goal("219001002"))
        goal.status = GoalStatus.SUBMITTED.value
    book = goal_book_data(county, 2025, rules, department_code="219001", approved_only=True)
    assert [g.project_code for g in book.goals] == ["219001001", "219001003"]
    intro = goal_book_document(book).blocks[0]
    assert intro.plain_text == (
        "本汇编收录项目支出绩效目标2个，资金总额40.00万元，均已通过审核；"
        "另有1个项目的绩效目标尚未通过审核，未收录。"
    )
    all_goals = goal_book_data(county, 2025, rules, department_code="219001")
    assert "其中已通过审核2个" in goal_book_document(all_goals).blocks[0].plain_text


def test_a_book_without_goals_is_refused(db, rules):
    with db.transaction() as s:
        factories.year(s, 2025)
    with pytest.raises(UserError, match="2025年没有项目绩效目标"):
        goal_book_data(db, 2025, rules)
