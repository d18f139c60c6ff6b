"""结果应用 page: generate proposals, change a cut (a reason is required), totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QWidget

from app.services.results.records import results_by_department
from app.ui.results.models import ALL_DEPARTMENTS, COL_CODE, COL_DECIDED, COL_REASON
from app.ui.results.page import EMPTY_TEXT
from tests.gui.evg_data import YEAR, evaluated_county, open_window, show_page
from tests.gui.helpers import column_values, type_chinese


@pytest.fixture
def data(db):
    return evaluated_county(db)


@pytest.fixture
def page(qtbot, db, data):
    window = open_window(qtbot, db)
    page = show_page(window, "结果应用")
    qtbot.waitUntil(lambda: not page._stale)
    yield page


def _stored(db, code):
    rows = [r for g in results_by_department(db, YEAR) for r in g.rows]
    return next(r for r in rows if r.project_code == code)


def _edit(qtbot, table, row: int, column: int) -> QLineEdit:
    qtbot.waitExposed(table.window())
    table.setCurrentIndex(table.model().index(row, column))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editors = [w for w in table.viewport().findChildren(QWidget)
               if isinstance(w, QLineEdit) and w.isVisible()]  # fmt: skip
    assert len(editors) == 1
    return editors[0]


def _commit(qtbot, table, editor: QLineEdit) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def test_nothing_until_proposals_are_generated(page):
    assert page.model.rowCount() == 0
    assert page.totals_label.text() == EMPTY_TEXT


def test_generate_lists_the_cuts_with_totals(qtbot, page, data, db):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert sorted(column_values(page.table, COL_CODE)) == sorted(data.fair)  # only cuts shown
    page.cuts_only.click()
    assert page.model.rowCount() == 24
    lines = page.department_model.all_rows()
    assert lines[0].name == ALL_DEPARTMENTS and lines[0].count == 24
    assert lines[0].proposed_cut == sum((line.proposed_cut for line in lines[1:]), Decimal(0))
    row = _stored(db, data.fair[0])
    assert row.grade == "中" and row.proposed_cut == row.base * Decimal("0.2")
    assert "金额单位：万元" in page.totals_label.text()


def test_a_changed_cut_needs_a_reason_before_it_is_saved(qtbot, page, data, db):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    code = data.fair[0]
    row = column_values(page.table, COL_CODE).index(code)

    editor = _edit(qtbot, page.table, row, COL_DECIDED)
    editor.clear()
    qtbot.keyClicks(editor, "0")
    _commit(qtbot, page.table, editor)
    assert "请在“调整理由”栏填写理由" in page.message.text()
    assert _stored(db, code).decided_cut is None  # blocked: nothing saved
    assert page.model.index(row, COL_DECIDED).data() == "0.00"  # held, in red
    assert page.model.index(row, COL_DECIDED).data(Qt.ItemDataRole.ForegroundRole) is not None

    editor = _edit(qtbot, page.table, row, COL_REASON)
    type_chinese(editor, "已列入县委重点保障项目")
    _commit(qtbot, page.table, editor)
    stored = _stored(db, code)
    assert (stored.decided_cut, stored.decision_reason) == (Decimal(0), "已列入县委重点保障项目")
    assert page.message.text().startswith(f"已保存：项目“{code}”确定调减 0.00 万元")
    overall = page.department_model.all_rows()[0]
    assert (overall.decided_cut, overall.decided) == (Decimal(0), 1)  # only the confirmed cut


def test_accepting_the_proposal_needs_no_reason(qtbot, page, data, db):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    page.table.selectRow(0)
    code = page.model.row_at(0).project_code
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    stored = _stored(db, code)
    assert stored.decided_cut == stored.proposed_cut and stored.decision_reason == ""


def test_a_department_line_filters_the_projects(qtbot, page):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    page.cuts_only.click()
    page.department_table.selectRow(1)
    line = page.department_model.row_at(1)
    assert page.model.rowCount() == line.count == 6


def test_a_cut_that_is_not_a_number_is_refused(qtbot, page):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    editor = _edit(qtbot, page.table, 0, COL_DECIDED)
    editor.clear()
    qtbot.keyClicks(editor, "x1")
    _commit(qtbot, page.table, editor)
    assert "不是数字（单位：万元）" in page.message.text()


def test_models_pass_the_model_tester(qtbot, qtmodeltester, page):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.department_model)


def test_the_saved_proposals_load_in_the_background_with_progress(qtbot, page, db, monkeypatch):
    import threading

    import app.ui.results.page as results_page

    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    shown = page.model.rowCount()
    gate, original = threading.Event(), results_page.results_by_department
    monkeypatch.setattr(
        results_page, "results_by_department", lambda *a: gate.wait(30) and original(*a)
    )
    page.clear()
    page._stale = True
    page.load_if_stale()  # as when shown after another window changed the data
    qtbot.waitUntil(page.load_bar.isVisible)
    assert page.model.rowCount() == 0 and page.generate_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not page._stale)
    assert not page.load_bar.isVisible()
    assert page.model.rowCount() == shown > 0
