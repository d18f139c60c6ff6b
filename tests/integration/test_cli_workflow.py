"""A year driven end to end through the command line: goals submitted, one returned and
resubmitted, approved by unit and by queue; a monitoring round opened and closed; results
proposed and confirmed. Each step checks what the next one depends on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import main as app_main
from app.domain.enums import GoalStatus
from app.main import main
from app.storage.database import open_database
from app.storage.models import Goal, Project
from tests import factories

YEAR = "2025"


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """small_county, every goal a 草稿 (valid, so it can be submitted)."""
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    try:
        with db.transaction() as s:
            factories.small_county(s, 2025, per_department=2)
            for goal in s.scalars(select(Goal)):
                goal.status = GoalStatus.DRAFT.value
    finally:
        db.close()
    return path


def run(path: Path, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(path), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def statuses(path: Path, capsys) -> dict[str, str]:
    code, out, err = run(path, capsys, "goals", "list", "--year", YEAR, "--json")
    assert code == 0, err
    return {row["project_code"]: row["status"] for row in json.loads(out)}


def test_a_year_through_the_command_line(county, capsys):
    assert set(statuses(county, capsys).values()) == {"草稿"}

    code, out, err = run(county, capsys, "goals", "submit", "--year", YEAR, "--all-pending")
    assert (code, out.strip()) == (0, "已提交审核 8 个绩效目标。"), err
    code, out, _ = run(county, capsys, "goals", "list", "--year", YEAR, "--status", "待审核")
    assert "共 8 个绩效目标。" in out

    code, out, _ = run(
        county,
        capsys,
        "goals",
        "return",
        "--year",
        YEAR,
        "219001001",
        "--reason",
        "请补充满意度指标",
    )
    assert code == 0 and "已退回 1 个" in out
    assert statuses(county, capsys)["219001001"] == "已退回"
    code, out, _ = run(county, capsys, "goals", "submit", "--year", YEAR, "219001001")
    assert code == 0 and "已提交审核 1 个" in out

    code, out, _ = run(county, capsys, "goals", "approve", "--year", YEAR, "--department", "219001")
    assert code == 0 and "已审核通过 2 个" in out
    code, out, _ = run(county, capsys, "goals", "approve", "--year", YEAR, "--all-pending")
    assert code == 0 and "已审核通过 6 个" in out
    assert set(statuses(county, capsys).values()) == {"已通过"}

    code, out, err = run(county, capsys, "monitoring", "open", "--year", YEAR, "--month", "6")
    assert code == 0 and "已开启 2025年6月监控：8 个项目" in out, err
    code, _, err = run(county, capsys, "monitoring", "close", "--year", YEAR, "--month", "6")
    assert code == 2 and "偏差原因未填写，不能关闭本轮监控" in err  # nothing spent: red lamps
    _fill_in(county, lambda s: factories.explain_budget_lamps(s))
    code, out, err = run(county, capsys, "monitoring", "close", "--year", YEAR, "--month", "6")
    assert code == 0 and "已关闭 2025年6月监控" in out, err
    code, out, _ = run(county, capsys, "monitoring", "list", "--year", YEAR)
    assert "2025年6月\t已关闭\t8 个项目" in out

    _fill_in(county, _self_evaluations_one_poor)
    code, out, err = run(county, capsys, "results", "propose", "--year", YEAR)
    assert code == 0 and "建议调减 1 个" in out, err
    one = ("results", "confirm", "--year", YEAR, "301002002", "--cut", "1")
    code, _, err = run(county, capsys, *one)
    assert code == 2 and "须填写理由" in err
    code, _, err = run(county, capsys, *one, "--reason", "已安排整改，少减")
    assert code == 0, err
    code, out, _ = run(county, capsys, "results", "confirm", "--year", YEAR, "--all")
    assert code == 0 and "已确定 7 个项目的调减数" in out
    code, out, _ = run(county, capsys, "results", "list", "--year", YEAR, "--json")
    decided = {r["project_code"]: (r["decided_cut"], r["proposed_cut"]) for r in json.loads(out)}
    assert decided.pop("301002002")[0] == "10000"
    assert all(d == p for d, p in decided.values())


def _fill_in(path: Path, act) -> None:  # type: ignore[no-untyped-def]
    """What the bureau enters through the GUI or a workbook import between two commands."""
    db = open_database(path)
    try:
        with db.transaction() as s:
            act(s)
    finally:
        db.close()


def _self_evaluations_one_poor(s) -> None:  # type: ignore[no-untyped-def]
    """Every project met its targets except 301002002, which did nothing (差)."""
    missed = {
        name: "0"
        for name in (
            "补助学生人数",
            "资金发放准确率",
            "家庭经济困难学生资助覆盖率",
            "受助学生满意度",
        )
    }
    for project in s.scalars(select(Project)):
        poor = project.code == "301002002"
        factories.self_evaluation(
            s, project, missed if poor else None, spent=project.total_amount / 4 if poor else None
        )


def test_a_refused_goal_is_named_with_its_reason_and_exits_2(county, capsys):
    code, out, err = run(county, capsys, "goals", "approve", "--year", YEAR, "219001001")
    assert code == 2
    assert "已审核通过 0 个" in out
    assert "项目 219001001" in err and "只有“待审核”的目标可以审核通过" in err


def test_unknown_codes_are_all_named_and_nothing_changes(county, capsys):
    code, _, err = run(county, capsys, "goals", "submit", "--year", YEAR, "219001001", "X1", "X2")
    assert code == 2
    assert "2025年度没有项目编码“X1”" in err and "“X2”" in err
    assert statuses(county, capsys)["219001001"] == "草稿"


def test_one_way_of_naming_goals_is_required(county, capsys):
    code, _, err = run(county, capsys, "goals", "submit", "--year", YEAR)
    assert code == 2 and "请指定项目编码" in err
    code, _, err = run(county, capsys, "results", "confirm", "--year", YEAR)
    assert code == 2 and "请指定项目编码" in err


def test_an_empty_queue_is_said_plainly(county, capsys):
    code, out, _ = run(county, capsys, "goals", "approve", "--year", YEAR, "--all-pending")
    assert (code, out.strip()) == (0, "没有可审核通过的绩效目标。")
