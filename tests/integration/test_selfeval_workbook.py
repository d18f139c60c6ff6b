"""The self-evaluation workbook: export from approved goals, fill like a department, import.

The helpers at the top are shared by the other test_selfeval_workbook_* files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Comparator, QualitativeBand
from app.domain.errors import UserError, ValidationFailed
from app.domain.progress import Cancelled, Progress
from app.domain.rules import RuleSet
from app.services.evaluation import ProjectScore, score_year
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.services.spotcheck import ReviewEdit, draw_sample, save_review
from app.storage.database import Database
from app.storage.models import (
    Department,
    Indicator,
    Project,
    SelfEvaluation,
    SelfEvaluationIndicator,
)
from tests import factories


def columns(ws: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def edit(path: Path, fn: Callable[[Any, Any], None]) -> None:
    """Open the workbook, let ``fn(projects_ws, indicators_ws)`` change it, save it."""
    book = load_workbook(path)
    fn(book["项目"], book["指标"])
    book.save(path)


def rows(ws: Any) -> list[dict[str, Any]]:
    heads = columns(ws)
    return [
        {h: ws.cell(r, c).value for h, c in heads.items()} | {"_row": r}
        for r in range(2, ws.max_row + 1)
        if any(ws.cell(r, c).value is not None for c in heads.values())
    ]


def set_cell(ws: Any, row: int, header: str, value: Any) -> None:
    ws.cell(row, columns(ws)[header]).value = value


def find_row(ws: Any, **match: Any) -> int:
    """The sheet row whose cells equal ``match`` (keys are headers, or code=/name=)."""
    aliases = {"code": "项目编码", "name": "三级指标"}
    wanted = {aliases.get(k, k): v for k, v in match.items()}
    for row in rows(ws):
        if all(row[h] == v for h, v in wanted.items()):
            return int(row["_row"])
    raise LookupError(match)


def fill_all(path: Path, spent_share: str = "0.9") -> None:
    """Like a department that met every target: 全年执行数 = share × 全年预算数,
    实际完成值 = the target's number (达成年度指标 for qualitative rows)."""

    def fill(projects: Any, indicators: Any) -> None:
        for row in rows(projects):
            budget = row["全年预算数(万元)"]
            set_cell(projects, row["_row"], "全年执行数(万元)", float(budget) * float(spent_share))
            set_cell(projects, row["_row"], "实际完成情况", "按计划完成年度目标")
        for row in rows(indicators):
            target = str(row["年度指标值"] or "")
            digits = "".join(ch for ch in target if ch.isdigit() or ch == ".")
            set_cell(indicators, row["_row"], "实际完成值", digits or "达成年度指标")

    edit(path, fill)


# ---------------------------------------------------------------- tests

D = Decimal
YEAR = 2025


def _county(db: Database, qualitative: bool = False) -> list[str]:
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=1)
        if qualitative:
            fy = factories.year(s, YEAR)
            dept = projects[0].department
            spec = factories.ProjectSpec(code="219001777", indicators=QUALITATIVE_GOAL)
            projects.append(factories.project_with_goal(s, fy, dept, spec))
        return [p.code for p in projects]


QUALITATIVE_GOAL = (
    *factories.STANDARD_INDICATORS[:4],
    ("效益指标", "社会效益指标", "群众获得感", Comparator.QUALITATIVE, None, "", "30"),
    factories.STANDARD_INDICATORS[5],
)


def _export(db: Database, tmp_path: Path, **kw: Any) -> Path:
    path = tmp_path / "自评.xlsx"
    export_selfeval(db, YEAR, path, **kw)
    return path


def _score(db: Database, rules: RuleSet, code: str) -> ProjectScore:
    return score_year(db, YEAR, rules, project_code=code)[0]


def test_export_is_prefilled_from_the_approved_goals_and_locked(db, tmp_path):
    codes = _county(db)
    result = export_selfeval(db, YEAR, tmp_path / "a.xlsx")
    assert (result.projects, result.indicators, result.without_goal) == (4, 24, 0)
    book = load_workbook(tmp_path / "a.xlsx")
    projects, indicators = rows(book["项目"]), rows(book["指标"])
    assert [r["项目编码"] for r in projects] == sorted(codes)
    assert projects[0]["年度"] == YEAR and projects[0]["全年执行数(万元)"] is None
    first = indicators[0]
    assert (first["三级指标"], first["年度指标值"], first["分值"]) == (
        "补助学生人数",
        "≥1200人",
        20,
    )
    assert first["实际完成值"] is None
    ws = book["指标"]
    assert ws.protection.sheet
    assert ws.cell(2, columns(ws)["年度指标值"]).protection.locked
    assert not ws.cell(2, columns(ws)["实际完成值"]).protection.locked


def test_round_trip_like_a_department_is_scored(db, tmp_path, rules):
    _county(db, qualitative=True)
    path = _export(db, tmp_path)
    fill_all(path)

    def department(projects: Any, indicators: Any) -> None:
        row = find_row(indicators, code="219001001", name="补助学生人数")
        set_cell(indicators, row, "实际完成值", "1150人")
        set_cell(indicators, row, "自评得分", 20)  # full marks on a missed target
        row = find_row(indicators, code="219001777", name="群众获得感")
        set_cell(indicators, row, "实际完成值", "部分达成")
        set_cell(indicators, row, "自评得分", 21)
        set_cell(indicators, row, "偏差原因分析及改进措施", "宣传不到位，下年加强")
        set_cell(projects, find_row(projects, code="219001001"), "自评得分", 99)

    edit(path, department)
    result = import_selfeval(db, path)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert result.indicators == 30 and result.mismatches == 0
    assert result.backup is not None and result.backup.exists()

    score = _score(db, rules, "219001001")
    row = next(i for i in score.indicators if i.name == "补助学生人数")
    assert (row.score, row.claimed_score) == (D("19.17"), D("20"))
    assert "1150/1200" in row.explanation
    assert any("未完成目标却自评满分" in f for f in row.flags)
    assert score.execution.score == D("9.00")
    assert score.claimed_total == D("99")
    qualitative = _score(db, rules, "219001777")
    band_row = next(i for i in qualitative.indicators if i.name == "群众获得感")
    assert band_row.score == D("21") and band_row.actual == "部分达成"
    with db.session() as s:
        stored = s.scalar(
            select(SelfEvaluationIndicator.qualitative_band).where(
                SelfEvaluationIndicator.name == "群众获得感"
            )
        )
    assert stored == QualitativeBand.PARTLY.value


def test_reimport_is_idempotent_and_keeps_row_ids(db, tmp_path):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)
    first = import_selfeval(db, path)
    ids = _row_ids(db)
    again = import_selfeval(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert again.backup is None
    assert _row_ids(db) == ids
    # A re-export of the stored evaluations reads back unchanged too.
    path2 = tmp_path / "again.xlsx"
    export_selfeval(db, YEAR, path2)
    assert import_selfeval(db, path2).unchanged == first.created


def _row_ids(db: Database) -> list[int]:
    with db.session() as s:
        return list(
            s.scalars(select(SelfEvaluationIndicator.id).order_by(SelfEvaluationIndicator.id))
        )


def test_changed_target_and_points_are_kept_and_flagged_not_written_to_the_goal(
    db, tmp_path, rules
):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)

    def cheat(projects: Any, indicators: Any) -> None:
        row = find_row(indicators, code="219002001", name="补助学生人数")
        set_cell(indicators, row, "年度指标值", "≥1000人")
        set_cell(indicators, row, "实际完成值", "1000")
        row = find_row(indicators, code="219002001", name="受助学生满意度")
        set_cell(indicators, row, "分值", 15)

    edit(path, cheat)
    result = import_selfeval(db, path)
    assert result.mismatches == 2
    texts = [str(w) for w in result.warnings]
    assert any("年度指标值“≥1000人”与批复的“≥1200人”不一致" in t for t in texts)
    assert any("分值15与批复的10分不一致" in t for t in texts)
    with db.session() as s:
        goal_row = s.scalar(select(Indicator).where(Indicator.name == "补助学生人数").limit(1))
        assert goal_row is not None and goal_row.target_value == D(1200)
    flags = _score(db, rules, "219002001").flags
    assert any("指标值与批复的绩效目标不一致（批复≥1200人，自评表≥1000人）" in f for f in flags)
    assert any("分值与批复的绩效目标不一致（批复10分，自评表15分）" in f for f in flags)


def test_located_errors_save_nothing(db, tmp_path):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)
    import_selfeval(db, path)
    before = _snapshot(db)

    def break_it(projects: Any, indicators: Any) -> None:
        set_cell(projects, 2, "全年执行数(万元)", 1)  # a change that must not be saved
        set_cell(projects, 3, "项目编码", "999999001")
        set_cell(projects, 4, "本年财政拨款预算数(万元)", 1)
        row = find_row(indicators, code="301001001", name="资金发放准确率")
        set_cell(indicators, row, "三级指标", "资金发放精准率")
        row = find_row(indicators, code="301002001", name="生均补助标准")
        set_cell(indicators, row, "实际完成值", "基本完成")

    edit(path, break_it)
    with pytest.raises(ValidationFailed) as caught:
        import_selfeval(db, path)
    located = {(p.sheet, p.row, p.column) for p in caught.value.problems if p.blocking}
    assert ("项目", 3, "项目编码") in located
    assert ("项目", 4, "本年财政拨款预算数(万元)") in located
    assert any(s == "指标" and c == "三级指标" for s, _, c in located)
    assert any(s == "指标" and c == "实际完成值" for s, _, c in located)
    message = caught.value.message
    assert "2025年没有项目编码为“999999001”的项目" in message
    assert "缺少项目“301001001”批复的指标：“资金发放准确率”" in message
    assert "不在该项目批复的绩效目标中" in message
    assert _snapshot(db) == before


def _snapshot(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as s:
        heads = s.execute(select(SelfEvaluation.id, SelfEvaluation.spent)).all()
        rows_ = s.execute(
            select(SelfEvaluationIndicator.id, SelfEvaluationIndicator.actual_value)
        ).all()
    return [tuple(r) for r in heads + rows_]


def test_project_without_approved_goal_is_refused(db, tmp_path):
    with db.transaction() as s:
        factories.monitoring_county(s, YEAR)  # 219001901 has a goal waiting for review
    path = _export(db, tmp_path)
    fill_all(path)

    def add_draft(projects: Any, indicators: Any) -> None:
        row = projects.max_row + 1
        for header, value in (("年度", YEAR), ("项目编码", "219001901"),
                              ("年初预算数(万元)", 1), ("全年预算数(万元)", 1),
                              ("全年执行数(万元)", 1)):  # fmt: skip
            set_cell(projects, row, header, value)

    edit(path, add_draft)
    with pytest.raises(ValidationFailed) as caught:
        import_selfeval(db, path)
    assert "项目“219001901”的绩效目标尚未批复（当前：待审核），不能导入自评" in caught.value.message


def test_splits_must_add_up_and_default_to_fiscal(db, tmp_path):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)

    def splits(projects: Any, indicators: Any) -> None:
        row = find_row(projects, code="219001001")
        set_cell(projects, row, "全年预算数(万元)", 100)
        set_cell(projects, row, "上年结转预算数(万元)", 20)
        set_cell(projects, row, "其他资金预算数(万元)", 5)
        set_cell(projects, row, "全年执行数(万元)", 90)

    edit(path, splits)
    import_selfeval(db, path)
    with db.session() as s:
        ev = s.scalar(select(SelfEvaluation).join(Project).where(Project.code == "219001001"))
        assert ev is not None
        assert (ev.budget_fiscal, ev.budget_carryover, ev.budget_other) == (
            D(750000),
            D(200000),
            D(50000),
        )
        assert (ev.spent_fiscal, ev.spent_carryover) == (D(900000), D(0))
    edit(
        path,
        lambda p, i: set_cell(p, find_row(p, code="219001001"), "本年财政拨款预算数(万元)", 70),
    )
    with pytest.raises(
        ValidationFailed, match=re.escape("合计95.00万元，不等于全年预算数100.00万元")
    ):
        import_selfeval(db, path)


def test_reviewed_evaluation_cannot_be_changed_by_import(db, tmp_path, rules):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)
    import_selfeval(db, path)
    sample = draw_sample(db, YEAR, rules, ratio=D(1), seed=1)
    first = sample.sections[0].items[0]
    save_review(db, first.sample_id, ReviewEdit(), rules)
    assert import_selfeval(db, path).unchanged == 4  # the same file is fine
    edit(path, lambda p, i: set_cell(p, find_row(p, code=first.project_code), "自评得分", 100))
    with pytest.raises(ValidationFailed, match=f"项目“{first.project_code}”的自评已完成抽查复核"):
        import_selfeval(db, path)


def test_cancel_while_saving_leaves_the_database_unchanged(db, tmp_path):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)
    saving = []

    def report(done: int, total: int, message: str) -> None:
        if message.startswith("正在保存"):
            saving.append(message)

    progress = Progress(report, is_cancelled=lambda: bool(saving))
    with pytest.raises(Cancelled):
        import_selfeval(db, path, progress)
    assert _snapshot(db) == []


def test_department_export_takes_the_unit_and_its_subordinates(db, tmp_path):
    _county(db)
    with db.transaction() as s:
        parent = s.scalar(select(Department).where(Department.code == "219001"))
        child = s.scalar(select(Department).where(Department.code == "219002"))
        assert parent is not None and child is not None
        child.parent_id = parent.id
    result = export_selfeval(db, YEAR, tmp_path / "d.xlsx", department="219001")
    assert result.projects == 2
    with pytest.raises(UserError, match="单位编码“000000”不存在"):
        export_selfeval(db, YEAR, tmp_path / "x.xlsx", department="000000")


def test_target_with_digits_in_its_unit_reads_back_as_approved(db, tmp_path, rules):
    rate = ("效益指标", "社会效益指标", "孕产妇死亡率", Comparator.LE, "851", "/10万", "30")
    goal = (*factories.STANDARD_INDICATORS[:4], rate, factories.STANDARD_INDICATORS[5])
    with db.transaction() as s:
        fy = factories.year(s, YEAR)
        dept = factories.department(s, "219001", "县卫生健康局")
        factories.project_with_goal(
            s, fy, dept, factories.ProjectSpec("219001001", indicators=goal)
        )
    path = _export(db, tmp_path)
    fill_all(path)
    edit(path, lambda p, i: set_cell(i, find_row(i, name="孕产妇死亡率"), "实际完成值", "133"))
    assert import_selfeval(db, path).mismatches == 0
    row = next(i for i in _score(db, rules, "219001001").indicators if i.name == "孕产妇死亡率")
    assert row.score == D(30) and not row.flags


def test_an_import_that_changes_an_evaluation_moves_its_version_on(db, tmp_path):
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)
    import_selfeval(db, path)
    with db.session() as s:
        before = dict(s.execute(select(SelfEvaluation.id, SelfEvaluation.version)).all())
    fill_all(path, spent_share="0.5")  # a second file: every evaluation changes
    import_selfeval(db, path)
    with db.session() as s:
        after = dict(s.execute(select(SelfEvaluation.id, SelfEvaluation.version)).all())
    assert after == {k: v + 1 for k, v in before.items()}  # an open form must reload first
