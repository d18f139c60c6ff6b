"""`python -m app lamps`: JSON fields and values, the Chinese table, a missing round."""

import json
from decimal import Decimal

import pytest

from app.main import main
from app.services.monitoring import EntryEdit, IndicatorEdit, open_round, round_rows, update_entry
from tests import factories


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    row = round_rows(db, 2025, 6, rules)[0]  # 219001001, budget 100,000 元
    students = IndicatorEdit(row.indicators[0].indicator_id, current_value=Decimal(450))
    edit = EntryEdit(Decimal(100000), Decimal(40000), indicators=(students,))
    update_entry(db, row.entry_id, edit, rules)
    return db


def run(db, capsys, *extra):
    code = main(["--db", str(db.target), "lamps", "--year", "2025", "--month", "6", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_lamps_json_lists_projects_with_rates_and_lamps(june, capsys):
    code, out, _ = run(june, capsys, "--json")
    assert code == 0
    projects = json.loads(out)
    assert [p["project_code"] for p in projects] == [
        "219001001",
        "219002001",
        "301001001",
        "301002001",
    ]
    first = projects[0]
    assert (first["execution_rate"], first["time_progress"]) == ("0.4000", "0.5000")
    assert (first["budget_lamp"], first["project_lamp"]) == ("green", "yellow")
    assert first["indicator_lamps"][0] == {
        "name": "补助学生人数",
        "target": "≥1200人",
        "current": "450人",
        "lamp": "yellow",
    }
    assert first["indicator_lamps"][1]["lamp"] is None  # not reported yet
    assert len(first["indicator_lamps"]) == 6
    assert first["adjusted_budget"] == "100000.00"
    nothing_spent = projects[1]
    assert (nothing_spent["execution_rate"], nothing_spent["budget_lamp"]) == ("0.0000", "red")


def test_lamps_json_can_be_filtered_by_lamp(june, capsys):
    _, out, _ = run(june, capsys, "--json", "--lamp", "yellow")
    assert [p["project_code"] for p in json.loads(out)] == ["219001001"]


def test_lamps_prints_a_chinese_table_of_counts_and_lagging_projects(june, capsys):
    code, out, _ = run(june, capsys)
    assert code == 0
    assert "2025年6月绩效监控预警灯：共 4 个项目" in out
    assert "红灯 3 个，黄灯 1 个，绿灯 0 个，蓝灯 0 个，未亮灯 0 个" in out
    lines = out.splitlines()
    lagging = lines[lines.index(next(line for line in lines if "项目编码" in line)) + 1 :]
    assert [line.split()[0] for line in lagging] == [
        "219002001",
        "301001001",
        "301002001",
        "219001001",
    ]
    assert "50.00%" in lagging[0] and "10.00%" in lagging[-1]


def test_a_missing_round_exits_2_with_a_chinese_message(june, capsys):
    code = main(["--db", str(june.target), "lamps", "--year", "2025", "--month", "9"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "2025年9月的监控轮次尚未开启" in err


@pytest.fixture
def with_departments(db, rules):
    from sqlalchemy import select

    from app.storage.models import Department

    with db.transaction() as s:
        factories.monitoring_county(s)
        fy = factories.year(s, 2025)
        for dept in s.scalars(select(Department).where(Department.code.in_(["219001", "301002"]))):
            factories.department_goal(s, fy, dept, Decimal(5_000_000))
    open_round(db, 2025, 6, rules)
    return db


def test_lamps_json_lists_department_wide_rows_after_the_projects(with_departments, capsys):
    code, out, _ = run(with_departments, capsys, "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["scope"] for r in rows] == ["project"] * 4 + ["department"] * 2
    edu = rows[4]
    assert (edu["department_code"], edu["project_code"]) == ("219001", None)
    assert edu["basic"] == {
        "initial_budget": "3700000.00",
        "adjusted_budget": "3700000.00",
        "spent": "0.00",
    }
    assert edu["project_spending"]["adjusted_budget"] == "1300000.00"  # live projects
    assert edu["adjusted_budget"] == "5000000.00"
    assert (edu["execution_rate"], edu["budget_lamp"], edu["lamp"]) == ("0.0000", "red", "red")
    assert [i["name"] for i in edu["indicator_lamps"]] == [
        "重点工作完成数",
        "“三公”经费控制率",
        "群众办事便利度",
        "服务对象满意度",
    ]


def test_lamps_filters_apply_to_department_rows(with_departments, capsys):
    _, out, _ = run(with_departments, capsys, "--json", "--department", "301002")
    assert [(r["scope"], r["department_code"]) for r in json.loads(out)] == [
        ("project", "301002"),
        ("department", "301002"),
    ]
    _, out, _ = run(with_departments, capsys, "--json", "--lamp", "green")
    assert json.loads(out) == []
    _, out, _ = run(with_departments, capsys)
    assert "部门整体：共 2 个部门" in out
    assert "红灯 2 个，黄灯 0 个" in out.split("部门整体")[1]
