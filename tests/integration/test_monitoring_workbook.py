"""The monitoring workbook: export, fill in as a department would, import, re-import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.enums import Comparator, Lamp
from app.domain.errors import UserError, ValidationFailed
from app.services.monitoring import close_round, open_round, round_rows
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.storage.models import AuditEntry
from tests import factories

CODE = "219001001"  # 县教育局, budget 100,000 元; 补助学生人数 ≥1200人 first


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    return db


@pytest.fixture
def exported(june, rules, tmp_path) -> Path:
    path = tmp_path / "监控表.xlsx"
    export_monitoring_workbook(june, 2025, 6, path, rules)
    return path


class Sheet:
    """A sheet of the exported file edited by header name, as a department would."""

    def __init__(self, ws):
        self.ws = ws
        self.col = {cell.value: cell.column for cell in ws[1] if cell.value}

    def row_of(self, code: str, position: int | None = None) -> int:
        for row in range(2, self.ws.max_row + 1):
            if self.get(row, "项目编码") == code and (
                position is None or self.get(row, "序号") == position
            ):
                return row
        raise KeyError(code)

    def get(self, row: int, header: str):
        return self.ws.cell(row, self.col[header]).value

    def set(self, row: int, header: str, value) -> None:
        self.ws.cell(row, self.col[header]).value = value


def edit_file(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    change(Sheet(book["项目"]), Sheet(book["指标"]))
    book.save(path)


def fill_as_department(projects: Sheet, indicators: Sheet) -> None:
    row = projects.row_of(CODE)
    projects.set(row, "调整后预算（万元）", 12)  # 120,000 元
    projects.set(row, "执行数（万元）", 3.6)  # 30 % ÷ 50 % = 60 %: yellow
    students = indicators.row_of(CODE, 1)
    indicators.set(students, "当前完成值", "450人")  # 450 ÷ 600 = 75 %: yellow
    indicators.set(students, "完成可能性", "有可能")
    indicators.set(students, "全年预计完成值", 1100)
    indicators.set(students, "偏差原因类别", "经费保障")
    indicators.set(students, "偏差原因", "上半年资金未到位")
    indicators.set(students, "纠偏措施", "三季度集中发放")
    rate = indicators.row_of(CODE, 3)  # 资金拨付及时率 ≥95%
    indicators.set(rate, "当前完成值", "96%")


def audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(AuditEntry.id))) or 0


def snapshot(db, rules):
    return [
        (r.project_code, r.adjusted_budget, r.spent, r.conclusion, r.indicators)
        for r in round_rows(db, 2025, 6, rules)
    ]


def test_export_lists_every_project_and_indicator_prefilled(exported):
    book = openpyxl.load_workbook(exported)
    projects, indicators = Sheet(book["项目"]), Sheet(book["指标"])
    codes = [projects.get(r, "项目编码") for r in range(2, projects.ws.max_row + 1)]
    assert codes == ["219001001", "219002001", "301001001", "301002001"]
    row = projects.row_of(CODE)
    assert projects.get(row, "年度") == 2025 and projects.get(row, "监控月份") == 6
    assert projects.get(row, "调整后预算（万元）") == 10  # 100,000 元
    assert projects.get(row, "序时进度（%）") == 50
    assert indicators.ws.max_row - 1 == 4 * 6
    first = indicators.row_of(CODE, 1)
    assert indicators.get(first, "三级指标") == "补助学生人数"
    assert indicators.get(first, "年度指标值") == "≥1200人"
    assert indicators.get(first, "一级指标") == "产出指标"


def test_export_locks_codes_names_and_targets_and_offers_choice_lists(exported):
    book = openpyxl.load_workbook(exported)
    projects, indicators = Sheet(book["项目"]), Sheet(book["指标"])
    assert projects.ws.protection.sheet and indicators.ws.protection.sheet

    def locked(sheet: Sheet, header: str) -> bool:
        return sheet.ws.cell(2, sheet.col[header]).protection.locked

    for header in ("项目编码", "项目名称", "年初预算（万元）", "执行率（%）", "序时进度（%）"):
        assert locked(projects, header), header
    for header in ("项目编码", "三级指标", "年度指标值", "一级指标", "序号"):
        assert locked(indicators, header), header
    for header in ("调整后预算（万元）", "执行数（万元）", "处理意见"):
        assert not locked(projects, header), header
    for header in ("当前完成值", "完成可能性", "偏差原因类别", "偏差原因", "纠偏措施"):
        assert not locked(indicators, header), header
    lists = {dv.formula1 for dv in indicators.ws.data_validations.dataValidation}
    assert '"确定能,有可能,完全不可能"' in lists
    assert '"经费保障,制度保障,人员保障,硬件条件保障,其他"' in lists


def test_export_for_one_department(june, rules, tmp_path):
    path = tmp_path / "教育局.xlsx"
    summary = export_monitoring_workbook(june, 2025, 6, path, rules, department="219002")
    assert (summary.projects, summary.indicators) == (1, 6)
    projects = Sheet(openpyxl.load_workbook(path)["项目"])
    assert projects.get(2, "项目编码") == "219002001" and projects.ws.max_row == 2


def test_export_of_an_unknown_department_is_refused(june, rules, tmp_path):
    with pytest.raises(UserError, match="没有单位 999999 的项目"):
        export_monitoring_workbook(june, 2025, 6, tmp_path / "x.xlsx", rules, department="999999")


def test_round_trip_saves_what_the_department_typed(june, rules, exported):
    edit_file(exported, fill_as_department)
    before = audit_count(june)
    summary = import_monitoring_workbook(june, exported, rules)
    assert (summary.year, summary.month, summary.projects) == (2025, 6, 4)
    assert (summary.changed_projects, summary.changed_indicators) == (1, 2)
    assert summary.backup is not None and summary.backup.exists()
    row = next(r for r in round_rows(june, 2025, 6, rules) if r.project_code == CODE)
    assert (row.adjusted_budget, row.spent) == (Decimal(120000), Decimal(36000))
    assert row.budget_lamp is Lamp.YELLOW
    students = row.indicators[0]
    assert (students.current_value, students.likelihood) == (Decimal(450), "有可能")
    assert students.expected_value == Decimal(1100)
    assert students.deviation_category == "经费保障"
    assert students.deviation_reason == "上半年资金未到位"
    assert students.corrective_action == "三季度集中发放"
    assert students.lamp is Lamp.YELLOW
    assert row.indicators[2].current_value == Decimal(96)
    assert audit_count(june) == before + 2  # the entry, and the import itself


def test_reimporting_the_same_file_changes_nothing(june, rules, exported):
    edit_file(exported, fill_as_department)
    import_monitoring_workbook(june, exported, rules)
    state, audits = snapshot(june, rules), audit_count(june)
    again = import_monitoring_workbook(june, exported, rules)
    assert (again.changed_projects, again.changed_indicators, again.backup) == (0, 0, None)
    assert snapshot(june, rules) == state and audit_count(june) == audits


def test_an_untouched_export_imports_as_no_change(june, rules, exported):
    summary = import_monitoring_workbook(june, exported, rules)
    assert summary.changed_projects == 0 and summary.backup is None


def test_every_problem_is_located_and_nothing_is_saved(june, rules, exported):
    def spoil(projects: Sheet, indicators: Sheet) -> None:
        fill_as_department(projects, indicators)  # valid edits that must not be saved
        projects.set(projects.row_of("219002001"), "执行数（万元）", -1)
        projects.set(projects.row_of("301001001"), "调整后预算（万元）", "十万")
        projects.set(projects.row_of("301002001"), "项目编码", "301002999")
        students = indicators.row_of("219002001", 1)
        indicators.set(students, "当前完成值", "约四百")
        indicators.set(indicators.row_of("219002001", 2), "完成可能性", "大概能")
        indicators.set(indicators.row_of("219002001", 3), "三级指标", "别的指标")
        indicators.set(indicators.row_of("219002001", 4), "序号", 9)

    edit_file(exported, spoil)
    state, audits = snapshot(june, rules), audit_count(june)
    with pytest.raises(ValidationFailed) as caught:
        import_monitoring_workbook(june, exported, rules)
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems if p.blocking}
    assert {
        ("项目", 3, "执行数（万元）"),  # negative
        ("项目", 4, "调整后预算（万元）"),  # not a number
        ("项目", 5, "项目编码"),  # not in the round
        ("指标", 8, "当前完成值"),
        ("指标", 9, "完成可能性"),
        ("指标", 10, "三级指标"),
        ("指标", 11, "序号"),
    } <= found
    assert "未导入任何数据" in caught.value.message
    assert snapshot(june, rules) == state and audit_count(june) == audits


def test_indicator_rows_of_a_project_missing_from_the_project_sheet(june, rules, exported):
    def drop_project(projects: Sheet, indicators: Sheet) -> None:
        projects.ws.delete_rows(projects.row_of("219002001"))

    edit_file(exported, drop_project)
    with pytest.raises(ValidationFailed) as caught:
        import_monitoring_workbook(june, exported, rules)
    problems = [p for p in caught.value.problems if p.sheet == "指标"]
    assert len(problems) == 1  # one per project, not one per indicator row
    assert "“项目”工作表中没有项目 219002001" in problems[0].message
    assert (problems[0].row, problems[0].column) == (8, "项目编码")


def test_a_closed_round_refuses_imports(june, rules, exported):
    with june.transaction() as s:
        factories.explain_budget_lamps(s)
    close_round(june, 2025, 6, rules)
    with pytest.raises(UserError, match="已关闭"):
        import_monitoring_workbook(june, exported, rules)


def test_a_file_of_a_round_not_opened_is_refused(june, rules, exported):
    def other_month(projects: Sheet, indicators: Sheet) -> None:
        for row in range(2, projects.ws.max_row + 1):
            projects.set(row, "监控月份", 9)

    edit_file(exported, other_month)
    with pytest.raises(UserError, match="9月的监控轮次尚未开启"):
        import_monitoring_workbook(june, exported, rules)


def test_rows_of_two_rounds_are_refused(june, rules, exported):
    edit_file(exported, lambda projects, _: projects.set(2, "监控月份", 9))
    with pytest.raises(ValidationFailed, match="本表含多个轮次"):
        import_monitoring_workbook(june, exported, rules)


def test_overspending_and_missing_reasons_are_warnings(june, rules, exported):
    def overspend(projects: Sheet, indicators: Sheet) -> None:
        projects.set(projects.row_of(CODE), "执行数（万元）", 11)  # budget 10
        indicators.set(indicators.row_of(CODE, 1), "当前完成值", 100)  # red, no reason

    edit_file(exported, overspend)
    summary = import_monitoring_workbook(june, exported, rules)
    assert summary.changed_projects == 1
    located = {(p.sheet, p.row, p.column) for p in summary.warnings}
    assert ("项目", 2, "执行数（万元）") in located
    assert ("指标", 2, "偏差原因") in located
    assert all(not p.blocking for p in summary.warnings)


QUALITATIVE = (
    *factories.STANDARD_INDICATORS[:5],
    ("效益指标", "可持续影响指标", "长效机制建立情况", Comparator.QUALITATIVE, None, "", "0"),
    ("满意度指标", "服务对象满意度指标", "受助学生满意度", Comparator.GE, "90", "%", "10"),
)


def test_qualitative_progress_is_text(db, rules, tmp_path):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        spec = factories.ProjectSpec(code="219001001", indicators=QUALITATIVE)
        factories.project_with_goal(s, fy, dept, spec)
    open_round(db, 2025, 6, rules)
    path = tmp_path / "定性.xlsx"
    export_monitoring_workbook(db, 2025, 6, path, rules)

    def fill(projects: Sheet, indicators: Sheet) -> None:
        indicators.set(indicators.row_of(CODE, 6), "当前完成值", " 部分达成 ")
        indicators.set(indicators.row_of(CODE, 6), "全年预计完成值", "达成")

    edit_file(path, fill)
    summary = import_monitoring_workbook(db, path, rules)
    qualitative = round_rows(db, 2025, 6, rules)[0].indicators[5]
    assert (qualitative.current_text, qualitative.lamp) == ("部分达成", Lamp.YELLOW)
    assert any("无需填写全年预计完成值" in p.message for p in summary.warnings)

    edit_file(path, lambda _, ind: ind.set(ind.row_of(CODE, 6), "当前完成值", 1))
    with pytest.raises(ValidationFailed, match="应填写 达成 / 部分达成 / 未达成"):
        import_monitoring_workbook(db, path, rules)
