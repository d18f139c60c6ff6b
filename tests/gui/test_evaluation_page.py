"""绩效自评 page: the year scored by the rules, filters, grade summary, explanations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.ui.evaluation.models import (
    COL_CODE,
    COL_FLAGS,
    COL_GRADE,
    COL_TOTAL,
    IND_COL_EXPLANATION,
)
from app.ui.evaluation.rows import FLAGGED_BACKGROUND, VALUE_ROLE
from tests.gui.evg_data import evaluated_county, open_window, show_page
from tests.gui.helpers import click_header, column_values, type_chinese


@pytest.fixture
def data(db):
    return evaluated_county(db)


@pytest.fixture
def page(qtbot, db, data):
    window = open_window(qtbot, db)
    page = show_page(window, "绩效自评")
    qtbot.waitUntil(lambda: page.model.rowCount() == 24)
    yield page


def test_the_year_is_scored_when_the_page_is_first_shown(page, data):
    assert sorted(column_values(page.table, COL_CODE)) == sorted(data.codes)
    totals = dict(zip(column_values(page.table, COL_CODE),
                      column_values(page.table, COL_TOTAL, VALUE_ROLE), strict=True))  # fmt: skip
    assert totals[data.codes[1]] == Decimal(100)  # met everything
    assert totals[data.flagged[1]] == Decimal(90)  # 600/1200 × 20 = 10 of 20
    assert (
        "2025年全县：项目自评 <b>24</b> 份<br>部门整体自评 <b>0</b> 份" in page.summary_label.text()
    )
    assert page.chart.has_chart()
    assert page.chart.values() == tuple(page.grade_counts().values())


def test_filters_by_section_grade_flag_and_search(qtbot, page, data):
    page.section_combo.setCurrentIndex(page.section_combo.findText("农业农村股"))
    assert page.model.rowCount() == 12
    assert page.count_label.text() == "显示 12 份（共 12 份）"
    page.section_combo.setCurrentIndex(0)
    page.flagged_only.click()
    assert sorted(column_values(page.table, COL_CODE)) == sorted(data.flagged)
    page.flagged_only.click()
    page.grade_combo.setCurrentIndex(page.grade_combo.findText("规则等级：中"))
    assert set(column_values(page.table, COL_GRADE)) == {"中"}
    assert sorted(column_values(page.table, COL_CODE)) == sorted(data.fair)
    page.grade_combo.setCurrentIndex(0)
    qtbot.keyClicks(page.search, data.codes[5])
    assert column_values(page.table, COL_CODE) == [data.codes[5]]
    page.search.clear()
    type_chinese(page.search, "水利局")
    assert page.model.rowCount() == 6


def test_the_grade_summary_counts_each_grade(page, data):
    counts = page.grade_counts()
    assert sum(counts.values()) == 24
    assert [g.value for g, n in counts.items() if n] == ["优", "中"]
    page.section_combo.setCurrentIndex(page.section_combo.findText("教科文股"))
    assert sum(page.grade_counts().values()) == 12
    assert "教科文股：项目自评 <b>12</b> 份" in page.summary_label.text()


def test_the_detail_explains_every_score_and_highlights_flags(qtbot, page, data):
    code = data.flagged[1]
    qtbot.keyClicks(page.search, code)
    page.table.selectRow(0)
    detail = page.detail
    assert detail.heading.text().startswith(code)
    assert "规则得分 <b>90.00</b>（优）" in detail.totals.text()
    assert "自评得分 100.00（优）" in detail.totals.text()
    assert detail.execution.text().startswith("预算执行率（分值 10）：执行率 100.00%")
    model = detail.model
    names = [model.index(r, 2).data() for r in range(model.rowCount())]
    row = names.index("补助学生人数")
    explanation = model.index(row, IND_COL_EXPLANATION).data()
    assert explanation == "实际600人 < 目标≥1200人，按完成比例 600/1200×20 = 10"
    assert model.index(row, 6).data() == "10.00"  # 得分
    assert model.index(row, 7).data() == "20.00"  # 自评得分
    brush = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == FLAGGED_BACKGROUND
    assert model.index(row + 1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "未完成目标却自评满分（按规则应得10）" in detail.flags.toPlainText()
    assert page.model.index(0, COL_FLAGS).data() == str(len(detail.flags.toPlainText().split("\n")))


def test_clicking_the_score_header_sorts_by_score(page):
    click_header(page.table, COL_TOTAL)
    values = column_values(page.table, COL_TOTAL, VALUE_ROLE)
    descending = page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert values == sorted(values, reverse=descending) and values[0] != values[-1]
    click_header(page.table, COL_TOTAL)
    assert column_values(page.table, COL_TOTAL, VALUE_ROLE) == sorted(
        values, reverse=not descending
    )


def test_models_pass_the_model_tester(qtmodeltester, page):
    qtmodeltester.check(page.model)
    page.table.selectRow(0)
    qtmodeltester.check(page.detail.model)
