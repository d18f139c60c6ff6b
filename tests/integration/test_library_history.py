"""The county's library from its history and `goals check`, through the command line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.enums import Comparator, GoalStatus
from app.domain.history_checks import KIND_BELOW_LAST_ACTUAL, KIND_BELOW_TYPICAL
from app.main import main
from app.services.goals import check_context, check_goal_edit, load_goal
from app.services.library.history.checks import year_findings
from app.storage.database import open_database
from app.storage.models import LibraryHistoryReview, LibraryIndicator
from tests import factories

RATE = ("产出指标", "质量指标", "验收合格率", Comparator.GE, "95", "%", "20")
PEOPLE = ("产出指标", "数量指标", "受益人数", Comparator.GE, "1000", "人", "20")
REST = (
    ("效益指标", "社会效益指标", "群众获得感", Comparator.QUALITATIVE, None, "", "30"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", Comparator.GE, "90", "%", "10"),
)


def _spec(code: str, *rows, status=GoalStatus.APPROVED) -> factories.ProjectSpec:  # type: ignore[no-untyped-def]
    return factories.ProjectSpec(
        code=code, name=f"营养改善计划{code[-1]}", indicators=(*rows, *REST), status=status
    )


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """2024: six approved projects with results (one also spelled ★受益人数（人）), one in the
    回收站; 2025: the continuing 219001001 keeps its target though 2024 reached 1,300, and
    219001002 asks for a rate far below the county's 95%."""
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    with db.transaction() as s:
        y2024, y2025 = factories.year(s, 2024), factories.year(s, 2025)
        edu = factories.department(s, "219001", "县教育局", "教科文股")
        farm = factories.department(s, "301001", "县农业农村局", "农业农村股")
        for n in range(1, 7):
            name = "★受益人数（人）" if n == 6 else "受益人数"
            people = (*PEOPLE[:2], name, *PEOPLE[3:])
            p = factories.project_with_goal(s, y2024, edu, _spec(f"21900100{n}", RATE, people))
            factories.self_evaluation(
                s, p, {"验收合格率": "97", name: "1300", "群众获得感": "达成年度指标"}
            )
        gone = factories.project_with_goal(s, y2024, edu, _spec("219001009", RATE, PEOPLE))
        gone.deleted_at = datetime(2025, 1, 5)
        factories.project_with_goal(
            s, y2025, edu, _spec("219001001", RATE, PEOPLE, status=GoalStatus.DRAFT)
        )
        low = (*RATE[:4], "60", *RATE[5:])
        factories.project_with_goal(s, y2025, farm, _spec("301001001", low, PEOPLE))
    db.close()
    return path


def _run(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--db", str(path), *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_from_history_groups_spellings_with_counts_and_typical_targets(county, capsys) -> None:  # type: ignore[no-untyped-def]
    proposals = json.loads(
        _run(county, capsys, "library", "from-history", "--years", "2024", "--json")
    )
    people = next(p for p in proposals if p["key"] == "受益人数")
    assert people["projects"] == 6  # the project in the 回收站 is left out
    assert people["variants"] == ["★受益人数（人）"]
    assert people["typical"] == "≥1000人"
    assert (people["met"], people["evaluated"]) == (6, 6)
    assert people["field"] == "教育" and people["level2"] == "数量指标"
    assert people["examples"][0] == "2024年 219001001 营养改善计划1：受益人数 ≥1000人，实际 1300人"
    text = _run(county, capsys, "library", "from-history", "--years", "2024")
    assert "受益人数\t6\t2024\t≥1000人\t100.00%" in text


def test_review_keeps_merges_and_rejects_with_the_history_as_evidence(county, capsys) -> None:  # type: ignore[no-untyped-def]
    proposals = json.loads(_run(county, capsys, "library", "from-history", "--json"))
    number = {p["name"]: p["number"] for p in proposals}
    db = open_database(county)
    with db.transaction() as s:
        s.add(
            LibraryIndicator(
                level1="产出指标",
                level2="质量指标",
                name="验收合格率",
                comparator="≥",
                unit="%",
                field="通用",
            )
        )
    db.close()
    out = _run(
        county, capsys, "library", "review",
        "--keep", str(number["受益人数"]),
        "--merge", str(number["验收合格率"]),
        "--reject", str(number["受益群众满意度"]),
    )  # fmt: skip
    assert "已收入 1 条，并入已有指标 1 条，不收入 1 条" in out
    db = open_database(county)
    with db.session() as s:
        kept = s.scalar(select(LibraryIndicator).where(LibraryIndicator.name == "受益人数"))
        reviews = {r.key: r for r in s.scalars(select(LibraryHistoryReview))}
    db.close()
    assert kept is not None and kept.source == "history" and kept.field == "教育"
    assert reviews["受益人数"].library_indicator_id == kept.id
    evidence = json.loads(reviews["受益人数"].evidence_json)
    assert evidence["项目数"] == 7 and evidence["典型目标"] == "≥1000人"  # 2024 and 2025
    assert reviews["验收合格率"].decision == "merge" and reviews["验收合格率"].library_indicator_id
    assert reviews["受益群众满意度"].decision == "reject"
    again = json.loads(_run(county, capsys, "library", "from-history", "--json"))
    assert {p["name"]: p["decision"] for p in again}["受益人数"] == "keep"
    # a decided proposal cannot be decided twice; nothing is written
    assert main(["--db", str(county), "library", "review", "--keep", str(number["受益人数"])]) == 2
    assert "已审核过" in capsys.readouterr().err


def test_review_refuses_bad_numbers_all_at_once(county, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(county), "library", "review", "--keep", "999", "--reject", "x"]) == 2
    assert "不是建议编号" in capsys.readouterr().err
    assert main(["--db", str(county), "library", "review", "--keep", "998,999"]) == 2
    err = capsys.readouterr().err
    assert "第 998 条建议不存在" in err and "第 999 条建议不存在" in err


def test_goals_check_lists_every_goal_with_history_findings_and_figures(county, capsys) -> None:  # type: ignore[no-untyped-def]
    goals = json.loads(_run(county, capsys, "goals", "check", "--year", "2025", "--json"))
    by_code = {g["project_code"]: g for g in goals}
    assert set(by_code) == {"219001001", "301001001"}
    easy = [f for f in by_code["219001001"]["findings"] if f["kind"] == KIND_BELOW_LAST_ACTUAL]
    # 95% against 97%, 1,000 against 1,300 people, 90% against 90%
    assert [f["row"] for f in easy] == [1, 2, 4]
    easy = easy[1]
    assert easy["row"] == 2 and easy["column"] == "指标值" and easy["blocking"] is False
    assert easy["figures"]["本年目标"] == "≥1000人" and easy["figures"]["上年实际"] == "1300人"
    [low] = [f for f in by_code["301001001"]["findings"] if f["kind"] == KIND_BELOW_TYPICAL]
    assert low["figures"]["县内典型值"] == "95%" and low["figures"]["项目数"] == "6"
    # the same list the editor shows: blocking problems carry their own kind
    text = _run(county, capsys, "goals", "check", "--year", "2025", "--department", "219001")
    assert "219001001 营养改善计划1" in text and "共 1 个绩效目标" in text
    assert "[阻断问题] 分值" in text
    assert f"[{KIND_BELOW_LAST_ACTUAL}] 第2行·指标值" in text


def test_goals_check_by_section_puts_the_weakest_first(county, capsys) -> None:  # type: ignore[no-untyped-def]
    text = _run(county, capsys, "goals", "check", "--year", "2025", "--by-section")
    assert "【教科文股】" in text and "【农业农村股】" in text
    assert "219001\t219001001" in text


def test_goals_check_names_a_missing_year_or_department(county, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(county), "goals", "check", "--year", "2030"]) == 2
    assert "2030 年度尚未建立" in capsys.readouterr().err
    assert main(["--db", str(county), "goals", "check", "--year", "2025", "--department", "9"]) == 2
    assert "没有单位编码为“9”" in capsys.readouterr().err


def test_on_the_demo_continuing_projects_with_unmoved_targets_are_found(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.sqlite3"
    _run(path, capsys, "demo", "--seed", "3", "--scale", "0.05")
    proposals = json.loads(
        _run(path, capsys, "library", "from-history", "--years", "2024-2025", "--json")
    )
    assert proposals and proposals[0]["projects"] >= proposals[-1]["projects"]
    assert all(p["projects"] >= 1 and p["years"] for p in proposals)
    assert any(p["target_median"] is not None for p in proposals)
    goals = json.loads(_run(path, capsys, "goals", "check", "--year", "2025", "--json"))
    easy = {
        g["project_code"]
        for g in goals
        for f in g["findings"]
        if f["kind"] == KIND_BELOW_LAST_ACTUAL
    }
    assert easy, "the demo plants continuing projects whose targets did not move"


def test_goals_check_writes_one_sheet_per_section(county, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "股室问题.xlsx"
    text = _run(county, capsys, "goals", "check", "--year", "2025", "--out", str(out))
    assert str(out) in text
    book = load_workbook(out)
    assert book.sheetnames == ["教科文股", "农业农村股", "问题明细"]
    sheet = book["教科文股"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["项目编码"] == "219001001" and first["历史比较提示"] == 3
    details = book["问题明细"]
    figures = [
        row[7].value
        for row in details.iter_rows(min_row=2)
        if row[3].value == KIND_BELOW_LAST_ACTUAL
    ]
    assert "上年实际：1300人" in "".join(figures)


def test_goals_check_and_the_editor_list_the_same_findings(county, rules) -> None:  # type: ignore[no-untyped-def]
    db = open_database(county)
    try:
        listed = {g.goal_id: g for g in year_findings(db, 2025, rules)}
        for goal_id, goal in listed.items():
            detail = load_goal(db, goal_id)
            live = check_goal_edit(detail.to_edit(), rules, check_context(db, goal_id, rules))
            assert sorted((p.row or 0, p.message) for p in live) == sorted(
                (f.row or 0, f.message) for f in goal.findings
            ), goal.project_code
    finally:
        db.close()
