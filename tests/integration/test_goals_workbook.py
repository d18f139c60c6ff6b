"""Goals workbook: round trip, idempotent re-import, located errors, status rules, safety."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.enums import GoalStatus
from app.domain.errors import DeletionsNotConfirmed, UserError, ValidationFailed
from app.domain.progress import Cancelled, Progress
from app.services.goals.workbook import (
    Outcome,
    check_goals_workbook,
    export_goals,
    export_problems,
    import_goals,
)
from app.spreadsheet import goals_sheets as gs
from app.storage.database import Database, open_database
from app.storage.models import AuditEntry, Goal, Indicator, Project
from tests.integration.goals_workbook_data import (
    YEAR,
    checksum,
    departments,
    goals_county,
    stored_goals,
)


@pytest.fixture
def county(db: Database) -> Database:
    with db.transaction() as s:
        goals_county(s)
    return db


@pytest.fixture
def fresh(tmp_path: Path):
    other = open_database(tmp_path / "fresh" / "fresh.sqlite3")
    yield other
    other.close()


def exported(db: Database, tmp_path: Path, **kwargs) -> Path:
    path = tmp_path / "目标.xlsx"
    export_goals(db, path, kwargs.pop("year", YEAR), **kwargs)
    return path


def edit(path: Path, sheet: str, changes: dict[tuple[int, str], object]) -> Path:
    """Set cells by (Excel row, header text), as a department would in Excel."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    columns = {cell.value: cell.column for cell in ws[1]}
    for (row, header), value in changes.items():
        ws.cell(row, columns[header]).value = value
    book.save(path)
    return path


def row_of(path: Path, sheet: str, header: str, value: str) -> int:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    column = rows[0].index(header)
    return next(i for i, r in enumerate(rows, 1) if r[column] == value)


# --- round trip --------------------------------------------------------------------------


def test_round_trip_into_a_fresh_database_is_exact(county, fresh, tmp_path, rules):
    path = exported(county, tmp_path)
    result = import_goals(fresh, path, rules)
    assert stored_goals(fresh) == stored_goals(county)
    assert departments(fresh) == departments(county)
    assert {o.outcome for o in result.outcomes} == {Outcome.ADDED}
    assert len(result.added) == 9  # eight projects and one department-wide goal
    assert result.year_created and set(result.departments_added) == {"219001", "219002", "301001"}
    assert result.sections_added == ("教科文股", "农业农村股")
    with fresh.session() as s:
        assert set(s.scalars(select(Goal.status))) == {GoalStatus.DRAFT.value}


def test_re_importing_the_same_file_changes_nothing(county, fresh, tmp_path, rules):
    path = exported(county, tmp_path)
    import_goals(fresh, path, rules)
    before = checksum(fresh)
    backups = set((fresh.path.parent / "backups").iterdir())
    again = import_goals(fresh, path, rules)
    assert {o.outcome for o in again.outcomes} == {Outcome.UNCHANGED}
    assert not again.wrote_anything and again.backup_path is None
    assert checksum(fresh) == before
    assert set((fresh.path.parent / "backups").iterdir()) == backups


def test_importing_its_own_export_changes_nothing(county, tmp_path, rules):
    before = checksum(county)
    result = import_goals(county, exported(county, tmp_path), rules)
    assert len(result.unchanged) == 9
    assert checksum(county) == before


def test_a_backup_is_made_before_writing_and_the_import_is_audited(county, fresh, tmp_path, rules):
    result = import_goals(fresh, exported(county, tmp_path), rules)
    assert result.backup_path is not None and result.backup_path.exists()
    assert "before-import" in result.backup_path.name
    with fresh.session() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "导入绩效目标工作簿" in actions and "建立年度" in actions


# --- located errors ----------------------------------------------------------------------


def test_a_file_with_errors_lists_every_one_located_and_saves_nothing(county, tmp_path, rules):
    path = exported(county, tmp_path)
    first = row_of(path, gs.PROJECTS_SHEET, "项目编码", "2190012025001")
    second = row_of(path, gs.PROJECTS_SHEET, "项目编码", "2190012025002")
    third = row_of(path, gs.PROJECTS_SHEET, "项目编码", "3010012025008")
    edit(path, gs.PROJECTS_SHEET, {
        (second, "项目编码"): "2190012025001",  # duplicated code
        (third, "单位编码"): "999999",  # unknown department
        (first, "年度"): YEAR - 1,  # year mismatch
        (first, "财政拨款(万元)"): 1,  # split does not add up
    })  # fmt: skip
    edit(path, gs.INDICATORS_SHEET, {(2, "项目编码"): "NOSUCHCODE", (3, "分值"): "十分"})
    before = checksum(county)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems if p.blocking}
    assert (gs.PROJECTS_SHEET, second, "项目编码") in found
    assert (gs.PROJECTS_SHEET, third, "单位编码") in found
    assert (gs.PROJECTS_SHEET, first, "年度") in found
    assert (gs.PROJECTS_SHEET, first, "资金总额(万元)") in found
    assert (gs.INDICATORS_SHEET, 2, "项目编码") in found
    assert (gs.INDICATORS_SHEET, 3, "分值") in found
    assert checksum(county) == before
    assert "未导入任何数据" in caught.value.message


def test_the_problem_list_can_be_exported(county, tmp_path, rules):
    path = edit(exported(county, tmp_path), gs.INDICATORS_SHEET, {(2, "指标性质"): "大约"})
    with pytest.raises(ValidationFailed) as caught:
        check_goals_workbook(county, path, rules)
    out = export_problems(tmp_path / "问题.xlsx", caught.value.problems)
    rows = list(openpyxl.load_workbook(out)[gs.PROBLEMS_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("类型", "工作表", "行", "列", "问题")
    assert rows[1][:4] == ("错误", gs.INDICATORS_SHEET, 2, "指标性质")


def test_a_code_held_by_another_unit_is_refused(county, tmp_path, rules):
    path = exported(county, tmp_path)
    row = row_of(path, gs.PROJECTS_SHEET, "项目编码", "3010012025008")
    edit(path, gs.PROJECTS_SHEET, {(row, "单位编码"): "219001"})
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    assert any("属于单位 301001" in p.message for p in caught.value.problems)


def test_review_problems_warn_and_block_only_when_strict(county, fresh, tmp_path, rules):
    path = edit(exported(county, tmp_path), gs.INDICATORS_SHEET, {(2, "分值"): 25})
    result = import_goals(fresh, path, rules)
    points = [w for w in result.warnings if "分值合计" in w.message]
    assert points and points[0].message.startswith("（提交审核前须改正）")
    assert points[0].sheet == gs.PROJECTS_SHEET and points[0].row == 2
    with pytest.raises(ValidationFailed):
        import_goals(fresh, path, rules, strict=True)


def test_not_an_excel_file_is_a_user_error(county, tmp_path, rules):
    path = tmp_path / "goals.xlsx"
    path.write_text("单位编码,项目编码\n", encoding="utf-8")
    with pytest.raises(UserError, match="不是 Excel 工作簿"):
        import_goals(county, path, rules)


# --- statuses and ids --------------------------------------------------------------------


def _status(db: Database, code: str) -> tuple[str, list[int]]:
    with db.session() as s:
        goal = s.scalar(select(Goal).join(Project).where(Project.code == code))
        return goal.status, [i.id for i in goal.indicators]


def test_submitted_and_approved_goals_are_left_alone_with_the_reason(db, tmp_path, rules):
    with db.transaction() as s:
        goals_county(s, statuses=(GoalStatus.APPROVED, GoalStatus.SUBMITTED, GoalStatus.DRAFT))
    path = exported(db, tmp_path)
    rows = {code: row_of(path, gs.PROJECTS_SHEET, "项目编码", code)
            for code in ("2190012025001", "2190012025002", "2190012025003")}  # fmt: skip
    edit(path, gs.PROJECTS_SHEET, {(row, "年度总体目标"): "改过的目标" for row in rows.values()})
    before = stored_goals(db)
    result = import_goals(db, path, rules)
    by_code = {o.code: o for o in result.outcomes}
    assert by_code["2190012025003"].outcome is Outcome.LEFT_ALONE  # 3 % 3 == 0: 已通过
    assert "已通过审核" in by_code["2190012025003"].reason
    assert by_code["2190012025001"].outcome is Outcome.LEFT_ALONE  # 待审核
    assert "待审核" in by_code["2190012025001"].reason
    assert by_code["2190012025002"].outcome is Outcome.CHANGED  # 草稿
    after = stored_goals(db)
    assert after["2190012025003"] == before["2190012025003"]
    assert after["2190012025002"][1][0] == "改过的目标"


def test_a_changed_goal_keeps_its_status_and_the_ids_of_matching_rows(county, tmp_path, rules):
    code = "2190012025001"  # 已退回
    status, ids = _status(county, code)
    assert status == GoalStatus.RETURNED.value
    path = exported(county, tmp_path)
    first = row_of(path, gs.INDICATORS_SHEET, "项目编码", code)
    edit(path, gs.INDICATORS_SHEET, {(first, "指标值"): "1300", (first + 1, "三级指标"): "新指标"})
    with pytest.raises(DeletionsNotConfirmed) as refused:  # a renamed row replaces the old one
        import_goals(county, path, rules)
    (loss,) = refused.value.losses
    assert loss.startswith(f"项目 {code}") and "删除指标" in loss
    assert _status(county, code) == (status, ids)
    result = import_goals(county, path, rules, allow_deletions=True)
    assert result.losses == (loss,)
    assert [o.code for o in result.changed] == [code]
    new_status, new_ids = _status(county, code)
    assert new_status == GoalStatus.RETURNED.value
    assert new_ids[0] == ids[0] and new_ids[2:] == ids[2:]  # edited row kept its id
    assert new_ids[1] not in ids  # renamed row is a new indicator
    with county.session() as s:
        assert s.get(Indicator, ids[0]).target_value == Decimal(1300)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "导入修改绩效目标")).one()
        assert "1300" in entry.after_json and entry.object_label == f"项目 {code}"


def test_a_project_row_without_goal_content_leaves_the_goal_alone(county, tmp_path, rules):
    path = exported(county, tmp_path)
    code = "3010012025006"
    row = row_of(path, gs.PROJECTS_SHEET, "项目编码", code)
    book = openpyxl.load_workbook(path)
    ws = book[gs.INDICATORS_SHEET]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value == code:
            ws.delete_rows(r)
    book.save(path)
    edit(path, gs.PROJECTS_SHEET, {(row, "年度总体目标"): None, (row, "项目名称"): "新名称"})
    before = stored_goals(county)[code]
    result = import_goals(county, path, rules)
    assert [o.code for o in result.changed] == [code]
    header, goal = stored_goals(county)[code]
    assert header[1] == "新名称" and goal == before[1]


# --- export ------------------------------------------------------------------------------


def test_formula_like_text_is_exported_as_text_and_reads_back(county, fresh, tmp_path, rules):
    with county.transaction() as s:
        goal = s.scalar(select(Goal).join(Project).where(Project.code == "2190012025002"))
        goal.overall_target = '=HYPERLINK("http://evil","点我")'
        goal.indicators[0].explanation = "@SUM(A1:A9)"
    path = exported(county, tmp_path)
    row = row_of(path, gs.PROJECTS_SHEET, "项目编码", "2190012025002")
    ws = openpyxl.load_workbook(path)[gs.PROJECTS_SHEET]
    cell = ws.cell(row, gs.PROJECTS.keys.index("overall_target") + 1)
    assert cell.data_type == "s" and cell.quotePrefix
    import_goals(fresh, path, rules)
    assert stored_goals(fresh) == stored_goals(county)


def test_blank_template_has_units_headers_and_choices_but_no_goals(county, tmp_path, rules):
    path = exported(county, tmp_path, year=YEAR + 1, blank=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:5] == [spec.name for spec in gs.GOALS_WORKBOOK]
    assert "填表说明" in book.sheetnames
    headers = [c.value for c in book[gs.PROJECTS_SHEET][1]]
    assert headers[:13] == ["年度", "单位编码", "项目编码", "项目名称", "项目属性", "资金来源",
                            "功能分类科目", "资金总额(万元)", "财政拨款(万元)", "其他资金(万元)",
                            "起始年度", "结束年度", "年度总体目标"]  # fmt: skip
    assert [c.value for c in book[gs.INDICATORS_SHEET][1]][:9] == [
        "项目编码", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "分值",
        "指标解释",
    ]  # fmt: skip
    unit_headers = [c.value for c in book[gs.UNITS_SHEET][1]]
    assert unit_headers == ["单位编码", "单位名称", "主管部门编码", "股室"]
    units = [r[:4] for r in book[gs.UNITS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert units == [("219001", "县教育局", None, "教科文股"),
                     ("219002", "县第一中学", "219001", "教科文股"),
                     ("301001", "县农业农村局", None, "农业农村股")]  # fmt: skip
    assert book[gs.PROJECTS_SHEET].max_row == 1
    assert book[gs.PROJECTS_SHEET].data_validations.dataValidation  # 项目属性, 资金来源...
    with pytest.raises(ValidationFailed, match="没有可导入的内容"):
        import_goals(county, path, rules)


def test_one_department_export_includes_the_units_it_supervises(county, tmp_path):
    result = export_goals(county, tmp_path / "教育局.xlsx", YEAR, "219001")
    assert (result.departments, result.projects) == (2, 5)
    other = export_goals(county, tmp_path / "农业.xlsx", YEAR, "301001")
    assert (other.departments, other.projects) == (1, 3)
    with pytest.raises(UserError, match="不存在"):
        export_goals(county, tmp_path / "x.xlsx", YEAR, "000000")
    with pytest.raises(UserError, match="尚未建立"):
        export_goals(county, tmp_path / "x.xlsx", YEAR + 5)


# --- progress and cancel -----------------------------------------------------------------


def test_progress_is_reported_and_cancel_while_writing_saves_nothing(
    county, fresh, tmp_path, rules
):
    path = exported(county, tmp_path)
    seen: list[tuple[int, int, str]] = []

    def report(done: int, total: int, message: str) -> None:
        seen.append((done, total, message))

    before = checksum(fresh)
    writing = Progress(report=report, is_cancelled=lambda: any("写入项目" in m for *_, m in seen))
    with pytest.raises(Cancelled):
        import_goals(fresh, path, rules, progress=writing)
    assert checksum(fresh) == before
    assert all(total == 1000 for _, total, _ in seen)
    dones = [d for d, _, _ in seen]
    assert dones == sorted(dones)
