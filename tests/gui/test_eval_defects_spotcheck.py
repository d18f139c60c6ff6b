"""QA round 2, 抽查复核 page: bureau 股室 order, ratio with 2 decimals, clerk wording, widths."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.spotcheck.models import COL_SAMPLE_NAME, SAMPLE_COLUMNS, SECTION_COLUMNS
from tests.gui.evg_data import evaluated_county, open_window, show_page


@pytest.fixture
def page(qtbot, db):
    evaluated_county(db)
    window = open_window(qtbot, db)
    page = show_page(window, "抽查复核")
    qtbot.waitUntil(lambda: not page._stale)
    page.form.seed.clear()
    qtbot.keyClicks(page.form.seed, "12345")
    qtbot.mouseClick(page.form.draw_button, Qt.MouseButton.LeftButton)
    yield page


def test_sections_follow_the_bureau_order_and_ratios_have_two_decimals(page):
    lines = page.section_model.all_rows()
    assert [x.section for x in lines] == ["教科文股", "农业农村股", "合计"]
    ratio = [c.header for c in SECTION_COLUMNS].index("比例")
    assert page.section_model.index(0, ratio).data() == "25.00%"  # 3 of 12


def test_the_record_line_speaks_the_clerks_language(page):
    record = page.record_label.text()
    assert "SHA" not in record
    assert "其余按随机种子 12345 抽取，同一种子可复现同一样本" in record


def test_names_and_reasons_are_wider_than_the_scores(page):
    header = page.sample_table.horizontalHeader()
    metrics = page.sample_table.fontMetrics()
    score = [c.header for c in SAMPLE_COLUMNS].index("自评")
    reason = [c.header for c in SAMPLE_COLUMNS].index("抽取原因")
    assert header.sectionSize(COL_SAMPLE_NAME) >= metrics.horizontalAdvance("汉" * 10)
    assert header.sectionSize(reason) >= metrics.horizontalAdvance("汉" * 6)
    assert header.sectionSize(COL_SAMPLE_NAME) > header.sectionSize(score) > 0
    section_header = page.section_table.horizontalHeader()
    last = section_header.count() - 1
    assert section_header.sectionSize(last) > metrics.horizontalAdvance("不实") + 12
