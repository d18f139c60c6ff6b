"""User-like actions for the 绩效监控 page tests (fixtures: monitoring_fixtures.py).

small_county (2025) with one approved project per department, each with the standard six
indicators: 219001001 and 219002001 (教科文股), 301001001 and 301002001 (农业农村股).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableView, QWidget

from app.ui.monitoring.page import MonitoringPage
from tests.gui.helpers import type_chinese

# Budgets (元) of small_county's projects with per_department=1.
BUDGETS = {
    "219001001": Decimal(100000),
    "219002001": Decimal(200000),
    "301001001": Decimal(100000),
    "301002001": Decimal(200000),
}
# June spending giving each project lamp: ratio to 序时进度 50% → 40% red, 140% green,
# 70% yellow, 100% green.
JUNE_SPENT = {
    "219001001": Decimal(20000),
    "219002001": Decimal(140000),
    "301001001": Decimal(35000),
    "301002001": Decimal(100000),
}
# The budget lamps' 偏差原因 of the red (219001001) and yellow (301001001) projects.
BUDGET_REASONS = {
    code: {
        "budget_deviation_category": "经费保障",
        "budget_deviation_reason": "上级资金下达较晚",
        "budget_corrective_action": "加快拨付",
    }
    for code in ("219001001", "301001001")
}


def show_page(qtbot, db, rules, year: int = 2025) -> MonitoringPage:
    page = MonitoringPage(db, rules)
    qtbot.addWidget(page)
    page.resize(1360, 820)
    page.set_database(db, year)
    page.show()
    qtbot.waitExposed(page)
    loaded(qtbot, page)
    return page


def loaded(qtbot, page: MonitoringPage) -> None:
    """Wait until what the page reads in the background is on screen."""
    qtbot.waitUntil(lambda: not page._stale and not page.loader.busy, timeout=30_000)


def double_click_row(table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_cell(table: QTableView, index: QModelIndex) -> None:
    table.scrollTo(index)
    center: QPoint = table.visualRect(index).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)


def open_editor(table: QTableView, index: QModelIndex) -> QWidget:
    """Put the cursor on a cell and press F2, as a user starting to edit it."""
    table.setFocus()
    table.setCurrentIndex(index)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(index)
    assert editor is not None, "the cell did not open an editor"
    return editor


def type_in_cell(table: QTableView, index: QModelIndex, text: str) -> None:
    """Type into a text cell (ASCII by keys, Chinese by an input-method commit) and Enter."""
    editor = open_editor(table, index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    if text.isascii():
        QTest.keyClicks(editor, text)
    else:
        QTest.keyClick(editor, Qt.Key.Key_Delete)
        type_chinese(editor, text)
    commit(table, index, editor)


def choose_in_cell(table: QTableView, index: QModelIndex, text: str) -> None:
    """Open a drop-down cell, step with the arrow keys to `text`, and Enter."""
    editor = open_editor(table, index)
    assert isinstance(editor, QComboBox)
    target = editor.findText(text)
    assert target >= 0, text
    while editor.currentIndex() != target:
        key = Qt.Key.Key_Down if editor.currentIndex() < target else Qt.Key.Key_Up
        QTest.keyClick(editor, key)
    commit(table, index, editor)


def commit(table: QTableView, index: QModelIndex, editor: QWidget) -> None:
    """Enter: the delegate commits and closes the editor (queued, so let events run)."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QCoreApplication.processEvents()
    assert table.indexWidget(index) is None, "Enter did not close the cell editor"


def retype(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
