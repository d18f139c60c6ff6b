"""基础信息 services: first set-up, names, 股室, units, years, operator identity."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.domain.enums import GoalStatus
from app.domain.errors import UserError, ValidationFailed
from app.domain.units import UnitInput
from app.services import goals
from app.services.common import audit
from app.services.common.catalog import list_years
from app.services.reports import ReportKind, ReportRequest, build_report
from app.services.setup import county, operator, sections, units, years
from app.services.setup.initial import CountySetup, is_blank, set_up_county
from app.storage.models import Department, Project
from tests import factories

SETUP = CountySetup(
    "青山县",
    "青山县财政局",
    2026,
    ["预算股", "教科文股"],
    [
        UnitInput("101001", "县政府办公室", "预算股"),
        UnitInput("219001", "县教育局", "教科文股"),
        UnitInput("219002", "县第一中学", "教科文股", "219001"),
    ],
)


def test_the_first_set_up_writes_names_year_sections_and_units(db):
    assert is_blank(db)
    set_up_county(db, SETUP)
    assert not is_blank(db)
    names = county.county_names(db)
    assert (names.county, names.bureau, names.demo) == ("青山县", "青山县财政局", False)
    assert list_years(db) == [2026]
    assert [s.name for s in sections.list_sections(db)] == ["预算股", "教科文股"]
    rows = {u.code: u for u in units.list_units(db)}
    assert rows["219002"].parent_code == "219001" and rows["219002"].section == "教科文股"
    with pytest.raises(UserError, match="不能再做初次设置"):
        set_up_county(db, SETUP)


def test_a_bad_unit_list_writes_nothing(db):
    bad = CountySetup("青山县", "", 2026, ["预算股"], [UnitInput("1", "县政府办")])
    with pytest.raises(ValidationFailed) as caught:
        set_up_county(db, bad)
    assert "第1行" in str(caught.value.problems[0])
    assert is_blank(db) and not county.county_names(db).named


def test_a_report_title_carries_the_county_name_entered(db, rules):
    set_up_county(db, SETUP)
    annual = build_report(db, ReportRequest(ReportKind.ANNUAL, 2026), rules)
    assert annual.title.startswith("关于青山县")
    assert "示例数据" not in str(annual.blocks[0])


def test_a_demo_database_is_marked_on_every_report(db, rules):
    with db.transaction() as s:
        factories.small_county(s)
        county.mark_demo(s)
    document = build_report(db, ReportRequest(ReportKind.ANNUAL, 2025), rules)
    assert document.blocks[0].plain_text == county.DEMO_NOTE


def test_names_are_checked_and_a_blank_bureau_follows_the_county(db):
    with pytest.raises(UserError, match="请填写县（区）名称"):
        county.set_county_names(db, "  ", "")
    assert county.set_county_names(db, "白水县", "").bureau == "白水县财政局"


def test_sections_are_added_renamed_reordered_and_retired(db):
    first = sections.add_section(db, "预算股")
    second = sections.add_section(db, "教科文股")
    with pytest.raises(UserError, match="已经存在"):
        sections.add_section(db, "预算股")
    sections.rename_section(db, second, "科教股")
    sections.move_section(db, second, -1)
    sections.set_section_active(db, first, False)
    listed = sections.list_sections(db)
    assert [(s.name, s.active) for s in listed] == [("科教股", True), ("预算股", False)]
    with pytest.raises(ValidationFailed, match="问题"):
        units.add_unit(db, UnitInput("101001", "县政府办", "预算股"))  # retired 股室


def test_a_unit_moves_and_a_retired_unit_keeps_its_projects(db):
    with db.transaction() as s:
        factories.small_county(s)
    rows = {u.code: u for u in units.list_units(db)}
    health = rows["219002"]
    units.edit_unit(db, health.id, UnitInput("219002", "县卫生健康局", "农业农村股", "219001"))
    moved = {u.code: u for u in units.list_units(db)}["219002"]
    assert (moved.section, moved.parent_code) == ("农业农村股", "219001")
    with pytest.raises(UserError, match="下属单位或本单位"):
        units.edit_unit(db, rows["219001"].id, UnitInput("219001", "县教育局", "", "219002"))
    with pytest.raises(UserError, match="已被其他单位使用"):
        units.edit_unit(db, health.id, UnitInput("219001", "县卫生健康局"))
    units.set_unit_active(db, health.id, False)
    with db.session() as s:
        department = s.get(Department, health.id)
        assert not department.is_active
        assert s.scalars(select(Project).where(Project.department_id == health.id)).all()


def test_units_are_imported_from_the_units_sheet_and_known_codes_left_alone(db, tmp_path):
    set_up_county(db, SETUP)
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位编码", "单位名称", "主管部门编码", "股室"])
    sheet.append(["219001", "改过的名字", "", "教科文股"])
    sheet.append(["301001", "县农业农村局", "", "农业农村股"])
    path = tmp_path / "单位.xlsx"
    book.save(path)
    result = units.import_units(db, path)
    assert (result.added, result.skipped, result.new_sections) == (
        ("301001",),
        ("219001",),
        ("农业农村股",),
    )
    names = {u.code: u.name for u in units.list_units(db)}
    assert names["219001"] == "县教育局"
    sheet.append(["3010-01", "坏编码", "", ""])
    book.save(path)
    with pytest.raises(ValidationFailed) as caught:
        units.import_units(db, path)
    assert "第4行" in str(caught.value.problems[0])


def test_a_new_year_is_empty_or_rolled_forward(db, rules):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    added = years.add_year(db, 2026, rules, roll_forward_from_last=True)
    assert (added.rolled_from, added.projects_copied) == (2025, 4)  # small_county projects continue
    years.add_year(db, 2030, rules, roll_forward_from_last=False)
    assert list_years(db) == [2025, 2026, 2030]
    with pytest.raises(UserError, match="已经存在"):
        years.add_year(db, 2030, rules, roll_forward_from_last=False)
    with pytest.raises(UserError, match="没有 2028 年度"):
        years.add_year(db, 2029, rules, roll_forward_from_last=True)


def test_the_operator_chosen_at_start_is_recorded_never_the_os_login(db, rules):
    with db.transaction() as s:
        project = factories.small_county(s, per_department=1)[0]
        project.goal.status = GoalStatus.SUBMITTED.value
        goal_id = project.goal.id
        assert audit.actor(s) == "未署名"
    goals.return_goal(db, goal_id, "请补充指标")
    operator.start_working_as(db, "  刘 审核 ")
    goals.submit_goal(db, goal_id, rules)
    history = goals.goal_history(db, goal_id)
    assert [h.actor for h in history[-2:]] == ["未署名", "刘 审核"]
    assert audit.os_user() not in {h.actor for h in history}
    with db.session() as s:
        assert operator.known_operators(s) == ["刘 审核"]
