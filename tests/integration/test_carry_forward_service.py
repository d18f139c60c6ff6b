"""Confirmed cuts into next year's rolled-forward projects, undo, and the 综合考核 export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.domain.enums import GoalStatus
from app.domain.errors import UserError
from app.main import main
from app.services.common.rollover import roll_forward
from app.services.rectification import generate_items
from app.services.results.carry import carried_cuts, carry_cuts, revert_cut
from app.services.results.records import decide_adjustment, propose_results
from app.services.results.unit_export import export_unit_results, unit_results
from app.storage.models import FiscalYear, Goal, Project
from tests import factories

POOR = {"补助学生人数": "300", "家庭经济困难学生资助覆盖率": "20", "受助学生满意度": "0"}
TODAY = date(2026, 3, 1)


@pytest.fixture
def county(db, rules):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=1)
        for p in projects:
            p.kind = "延续"
        factories.self_evaluation(s, projects[0], POOR)  # 219001001 差: 100,000 → cut 50,000
        factories.self_evaluation(s, projects[1])
    roll_forward(db, 2025, rules)
    row = next(r for r in propose_results(db, 2025, rules) if r.project_code == "219001001")
    decide_adjustment(db, row.adjustment_id, row.proposed_cut)
    return db


def _next_amount(db, code: str) -> tuple[D, D]:
    with db.session() as s:
        p = s.scalar(
            select(Project).join(FiscalYear).where(FiscalYear.year == 2026, Project.code == code)
        )
        return p.total_amount, p.fiscal_amount


def test_a_confirmed_cut_lowers_next_years_amount_once(county):
    before = _next_amount(county, "219001001")
    result = carry_cuts(county, 2025)
    assert result.carried == ("219001001",)
    assert _next_amount(county, "219001001") == (before[0] - D(50000), before[1] - D(50000))
    (row,) = carried_cuts(county, 2025)
    assert (row.before, row.cut, row.after, row.reversible) == (D(100000), D(50000), D(50000), True)
    assert row.reason.startswith("调减5.00万元：绩效自评等级为“差”")
    again = carry_cuts(county, 2025)
    assert (again.carried, again.unchanged) == ((), 1)
    assert _next_amount(county, "219001001")[0] == D(50000)


def test_revert_restores_until_next_years_goal_is_approved(county):
    carry_cuts(county, 2025)
    (row,) = carried_cuts(county, 2025)
    revert_cut(county, row.id)
    assert _next_amount(county, "219001001") == (D(100000), D(100000))
    assert carried_cuts(county, 2025) == []
    carry_cuts(county, 2025)
    (row,) = carried_cuts(county, 2025)
    with county.transaction() as s:
        s.execute(update(Goal).where(Goal.project_id == _next_id(s)).values(
            status=GoalStatus.APPROVED.value))  # fmt: skip
    assert not carried_cuts(county, 2025)[0].reversible
    with pytest.raises(UserError, match="下年度绩效目标已通过审核，调减不能再撤销"):
        revert_cut(county, row.id)


def _next_id(s) -> int:
    return s.scalar(
        select(Project.id)
        .join(FiscalYear)
        .where(FiscalYear.year == 2026, Project.code == "219001001")
    )


def test_a_cut_without_a_project_next_year_waits(db, rules):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=1)
        factories.self_evaluation(s, projects[0], POOR)
    row = next(r for r in propose_results(db, 2025, rules) if r.project_code == "219001001")
    decide_adjustment(db, row.adjustment_id, row.proposed_cut)
    with db.transaction() as s:  # 2026 exists, but the project was not rolled over
        factories.year(s, 2026)
    assert carry_cuts(db, 2025).waiting == ("219001001",)


def test_the_unit_export_has_grades_cuts_and_rectification(county, rules, tmp_path):
    carry_cuts(county, 2025)
    generate_items(county, 2025, rules, TODAY)
    units = {u.department_code: u for u in unit_results(county, 2025, rules, TODAY)}
    edu = units["219001"]
    assert edu.grades["差"] == 1
    assert (edu.decided_cut, edu.carried_cut, edu.items) == (D(50000), D(50000), 1)
    path = tmp_path / "综合考核.xlsx"
    assert export_unit_results(county, 2025, path, rules, TODAY) == 2
    sheet = load_workbook(path)["综合考核"]
    assert sheet.cell(2, 1).value == "219001"


def test_the_cli_applies_lists_reverts_and_exports(county, capsys, tmp_path):
    base = ["--db", str(county.target), "carry"]
    assert main([*base, "apply", "--year", "2025"]) == 0
    assert "计入2026年调减 1 项" in capsys.readouterr().out
    assert main([*base, "list", "--year", "2025"]) == 0
    assert "219001001" in capsys.readouterr().out
    assert main([*base, "revert", "--year", "2025", "--id", "1"]) == 0
    assert main([*base, "export", "--year", "2025", "--out", str(tmp_path / "k.xlsx")]) == 0
