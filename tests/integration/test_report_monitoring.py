"""Monitoring reports: the figures exactly, then the documents rendered (smoke)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import docx
import pytest
from pypdf import PdfReader

from app import main as app_main
from app.domain.enums import Lamp
from app.domain.errors import UserError
from app.reports import Landscape, Table
from app.services.monitoring import EntryEdit, IndicatorEdit, LampCounts, open_round, round_rows
from app.services.monitoring import update_entry as save
from app.services.monitoring.report import (
    build_monitoring_report,
    build_monitoring_table,
    monitoring_report_data,
    monitoring_table_data,
    write_monitoring_report,
    write_monitoring_table,
)
from tests import factories

D = Decimal
# Budgets (元): 219001001 100,000; 219002001 200,000; 301001001 100,000; 301002001 200,000.
SPENT = {"219001001": 20000, "219002001": 60000, "301001001": 50000, "301002001": 40000}


@pytest.fixture(scope="module")
def june(tmp_path_factory, rules):
    from app.storage.database import open_database

    db = open_database(tmp_path_factory.mktemp("report") / "report.sqlite3")
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    rows = {r.project_code: r for r in round_rows(db, 2025, 6, rules)}

    def enter(code, students=None, conclusion="", budget=None, **reason):
        row = rows[code]
        items = ()
        if students is not None:
            first = row.indicators[0].indicator_id  # 补助学生人数 ≥1200人: due 600 in June
            items = (IndicatorEdit(first, current_value=D(students), **reason),)
        edit = EntryEdit(
            row.adjusted_budget, D(SPENT[code]), conclusion, indicators=items, **(budget or {})
        )
        save(db, row.entry_id, edit, rules)

    budget = {
        "budget_deviation_category": "经费保障",
        "budget_deviation_reason": "资金未到位",
        "budget_corrective_action": "加快拨付",
    }
    reason = {"deviation_category": "人员保障", "deviation_reason": "招生人数少于计划"}
    enter("219001001", 300, budget=budget, **reason)  # 20 % → red; 50 % red
    enter("219002001", 420)  # 30 % → yellow; 70 % yellow without a reason
    enter("301001001", 600, conclusion="无问题")  # 50 % → green; 100 % green
    enter("301002001", conclusion="整改")  # 20 % → red, same gap as 219001001
    yield db
    db.close()


@pytest.fixture(scope="module")
def data(june, rules):
    return monitoring_report_data(june, 2025, 6, rules)


def test_totals_and_coverage(data):
    t = data.total
    assert (t.projects, t.budget, t.spent) == (4, D(600000), D(170000))
    assert t.execution_rate == D(170000) / D(600000)
    assert t.time_progress == D("0.5")
    assert (data.indicators, data.indicators_reported) == (24, 3)
    assert (data.county, data.bureau) == ("本县", "本县财政局")  # no settings stored


def test_lamp_counts_add_up_to_the_projects(data):
    assert data.total.lamps == LampCounts(red=2, yellow=1, green=1)
    assert [(s.name, s.lamps) for s in data.sections] == [
        ("教科文股", LampCounts(red=1, yellow=1)),
        ("农业农村股", LampCounts(red=1, green=1)),
    ]
    assert sum(s.lamps.total for s in data.sections) == data.total.projects
    assert sum(s.projects for s in data.sections) == data.total.projects
    assert data.budget_lamps == LampCounts(red=2, yellow=1, green=1)
    assert data.indicator_lamps == LampCounts(red=1, yellow=1, green=1, unlit=21)


def test_departments_by_section_then_code(data):
    assert [(d.section, d.name, d.spent) for d in data.departments] == [
        ("教科文股", "县教育局", D(20000)),
        ("教科文股", "县卫生健康局", D(60000)),
        ("农业农村股", "县农业农村局", D(50000)),
        ("农业农村股", "县水利局", D(40000)),
    ]
    assert data.departments[1].gap == D("0.2")


def test_lagging_order_reasons_and_conclusions(data):
    lagging = [(p.project_code, p.gap, p.budget_lamp) for p in data.lagging]
    assert lagging == [
        ("219001001", D("0.3"), Lamp.RED),  # equal gaps: by project code
        ("301002001", D("0.3"), Lamp.RED),
        ("219002001", D("0.2"), Lamp.YELLOW),
    ]
    first = data.lagging[0]
    # The budget lamp's reason (the indicator's is on the project's 监控表).
    assert (first.reasons, first.actions) == ("经费保障：资金未到位", "加快拨付")
    assert data.lagging[2].reasons == "" and data.lagging[1].conclusion == "整改"
    assert data.conclusions == {"无问题": 1, "整改": 1}
    assert data.missing_reasons == 1  # 219002001's yellow indicator
    assert data.missing_budget_reasons == 2  # 301002001 red, 219002001 yellow


def test_monitoring_table_data(june, rules):
    table = monitoring_table_data(june, 2025, 6, "219001001", rules)
    assert table.row.project_code == "219001001" and table.row.budget_lamp is Lamp.RED
    assert table.overall_target.startswith("保障全县农村义务教育学生营养餐供应")
    with pytest.raises(UserError, match="没有项目 999"):
        monitoring_table_data(june, 2025, 6, "999", rules)


def _texts(document) -> str:
    out = []
    for block in document.blocks:
        for inner in getattr(block, "blocks", (block,)):
            if hasattr(inner, "plain_text"):
                out.append(inner.plain_text)
            for row in (*getattr(inner, "header_rows", ()), *getattr(inner, "body_rows", ())):
                out += [c if isinstance(c, str) else c.text for c in row]
    return "\n".join(out)


def test_report_document_states_the_figures(june, rules):
    document = build_monitoring_report(june, 2025, 6, rules, dt.date(2025, 7, 10))
    assert document.title == "本县2025年1-6月\n项目支出绩效运行监控情况报告"
    text = _texts(document)
    assert "纳入已批复绩效目标的项目4个" in text
    assert "执行率28.33%，序时进度50.00%，低于序时进度21.67个百分点" in text
    assert "红灯2个，占50.00%" in text
    assert "预算执行亮红灯或黄灯的项目共3个，其中1个已说明偏差原因" in text
    assert "尚有2个预算执行亮红灯、黄灯的项目和1个红灯、黄灯指标未说明偏差原因" in text
    assert "无问题1个，整改1个" in text
    assert "经费保障：资金未到位" in text
    # landscape pages hold the wide table only; its heading and prose stay portrait
    turned = [b for b in document.blocks if isinstance(b, Landscape)]
    assert turned and all(isinstance(x, Table) for b in turned for x in b.blocks)


def test_table_document_shows_lamps_as_text(june, rules):
    document = build_monitoring_table(june, 2025, 6, "219001001", rules)
    assert (document.title, document.subtitle) == ("项目支出绩效运行监控表", "（2025年1-6月）")
    body = document.blocks[1].body_rows
    assert body[0][2:4] == ("补助学生人数", "≥1200人") and body[0][7] == "红"
    # 一级/二级 are merged cells: rows after the first of a run start at 三级指标
    assert body[1][-6] == "未填报" and body[1][-3] == "—"


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_reports_render(june, rules, tmp_path, suffix):
    report = write_monitoring_report(june, 2025, 6, rules, tmp_path / f"报告{suffix}")
    table = write_monitoring_table(june, 2025, 6, "219001001", rules, tmp_path / f"表{suffix}")
    if suffix == ".pdf":
        first = PdfReader(report).pages[0].extract_text().replace("\n", "")
        assert "项目支出绩效运行监控情况报告" in first
        assert "项目支出绩效运行监控表" in PdfReader(table).pages[0].extract_text()
    else:
        paragraphs = [p.text for p in docx.Document(str(report)).paragraphs]
        assert any("项目支出绩效运行监控情况报告" in p for p in paragraphs)
        cells = {c.text for t in docx.Document(str(table)).tables for r in t.rows for c in r.cells}
        assert "补助学生人数" in cells


def test_report_kinds_for_the_command_line(june, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)
    out = tmp_path / "监控表.pdf"
    base = ("--db", str(june.path), "report")
    round_args = ("--year", "2025", "--month", "6")
    args = [*base, "monitoring-table", *round_args, "--project", "219001001", "--out", str(out)]
    assert app_main.main(args) == 0 and out.exists()
    args = [*base, "monitoring", "--year", "2025", "--month", "9", "--out", str(tmp_path / "x.pdf")]
    assert app_main.main(args) == 2
    assert "9月的监控轮次尚未开启" in capsys.readouterr().err
