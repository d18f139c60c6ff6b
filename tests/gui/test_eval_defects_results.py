"""QA round 2, 结果应用: 确定调减 counts confirmed decisions only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.ui.results.models import COL_DECIDED, COL_REASON, NOT_DECIDED
from app.ui.widgets.formatting import wan_text
from tests.gui.evg_data import evaluated_county, open_window, show_page


@pytest.fixture
def page(qtbot, db):
    evaluated_county(db)
    window = open_window(qtbot, db)
    page = show_page(window, "结果应用")
    qtbot.waitUntil(lambda: not page._stale)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    yield page


def test_nothing_is_decided_right_after_generating(page):
    overall = page.department_model.all_rows()[0]
    assert overall.proposed_cut > 0
    assert (overall.decided_cut, overall.decided) == (Decimal(0), 0)
    assert "已确定 0 个，确定调减 <b>0.00</b>" in page.totals_label.text()
    decided_column = len(page.department_model.columns) - 1
    for n in range(page.department_model.rowCount()):
        assert page.department_model.index(n, decided_column).data() == NOT_DECIDED
    for n in range(page.model.rowCount()):
        assert page.model.index(n, COL_DECIDED).data() == NOT_DECIDED


def test_an_accepted_proposal_is_counted_as_decided(qtbot, page):
    row = next(r for r in page.model.visible_rows() if r.proposed_cut > 0)
    page.table.selectRow(page.model.visible_rows().index(row))
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    overall = page.department_model.all_rows()[0]
    assert (overall.decided_cut, overall.decided) == (row.proposed_cut, 1)
    assert f"已确定 1 个，确定调减 <b>{wan_text(row.proposed_cut)}</b>" in page.totals_label.text()
    line = next(x for x in page.department_model.all_rows() if x.code == row.department_code)
    assert line.decided_cut == row.proposed_cut
    others = [x for x in page.department_model.all_rows()[1:] if x.code != row.department_code]
    assert all(x.decided_cut == 0 and x.decided == 0 for x in others)


def test_department_names_fit_and_the_reason_column_is_on_screen(qtbot, page):
    metrics = page.department_table.fontMetrics()
    name_width = page.department_table.horizontalHeader().sectionSize(0)
    assert name_width >= metrics.horizontalAdvance("中共示例县委员会办公室")
    first = page.department_model.index(1, 0)
    assert first.data(Qt.ItemDataRole.ToolTipRole) == first.data()
    window = page.window()
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    header = page.table.horizontalHeader()
    right_edge = header.sectionViewportPosition(COL_REASON) + header.sectionSize(COL_REASON)
    assert right_edge <= page.table.viewport().width()
