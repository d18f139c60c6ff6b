"""事前评估 page: 新出台重大政策 recorded through their dialog, driven like a user."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.enums import AssessmentConclusion
from app.services.assessment.policies import list_policies
from app.storage.database import Database
from app.ui.assessment.page import AssessmentPage
from app.ui.widgets import confirm
from tests.factories import department, year
from tests.gui.helpers import type_chinese

YEAR = 2025


@pytest.fixture
def page(qtbot, db: Database):
    with db.transaction() as s:
        year(s, YEAR)
        department(s, "219001", "县教育局")
        department(s, "301001", "县农业农村局", "农业农村股")
    widget = AssessmentPage(db)
    qtbot.addWidget(widget)
    widget.set_year(YEAR)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _choose(qtbot, combo, steps: int) -> None:
    combo.setFocus()
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def open_dialog(qtbot, page):
    qtbot.mouseClick(page.policy_button, Qt.MouseButton.LeftButton)
    dialog = page.policy_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot, dialog, name: str) -> None:
    type_chinese(dialog.name_edit, name)
    _choose(qtbot, dialog.department_combo, 2)  # 县农业农村局 (second, by 股室 order)
    for box in dialog.form.ratings.values():
        _choose(qtbot, box, 1)  # 优
    _choose(qtbot, dialog.form.conclusion, 2)  # 部分支持
    qtbot.keyClicks(dialog.form.requested, "300")
    qtbot.keyClicks(dialog.form.approved, "240")


def test_a_policy_is_assessed_listed_and_edited(qtbot, page, db, shown_messages):
    dialog = open_dialog(qtbot, page)
    assert dialog.model.rowCount() == 0
    fill(qtbot, dialog, "县级农业产业化扶持政策")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [saved] = list_policies(db, YEAR)
    assert (saved.department_code, saved.name) == ("301001", "县级农业产业化扶持政策")
    assert saved.data.conclusion is AssessmentConclusion.PARTIAL
    assert (saved.data.requested, saved.data.approved) == (Decimal(3_000_000), Decimal(2_400_000))
    assert dialog.model.index(0, 1).data() == "县级农业产业化扶持政策"
    assert dialog.state_label.text() == "已保存：县级农业产业化扶持政策"
    # Editing the listed policy replaces it, no second record.
    _choose(qtbot, dialog.form.conclusion, 1)  # from 部分支持 one down: 不予支持
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [edited] = list_policies(db, YEAR)
    assert (edited.id, edited.data.conclusion) == (saved.id, AssessmentConclusion.REJECT)
    assert edited.data.approved == Decimal(0)


def test_bad_input_is_refused_and_nothing_saved(qtbot, page, db, shown_messages):
    dialog = open_dialog(qtbot, page)
    _choose(qtbot, dialog.form.conclusion, 1)
    qtbot.keyClicks(dialog.form.requested, "100")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _title, text, details = shown_messages.shown[-1]
    assert "政策名称未填写" in text + details
    assert list_policies(db, YEAR) == []


@pytest.mark.parametrize("how", ["关闭", "Esc", "X"])
def test_unsaved_work_is_asked_about_before_closing(qtbot, page, db, monkeypatch, how):
    asked: list[str] = []
    monkeypatch.setattr(confirm, "_answer", lambda *a: asked.append(a[2]) or False)
    dialog = open_dialog(qtbot, page)

    def close() -> None:
        if how == "关闭":
            qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        elif how == "Esc":
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.close()

    close()  # nothing typed: no question
    assert not dialog.isVisible() and asked == []
    dialog = open_dialog(qtbot, page)
    type_chinese(dialog.name_edit, "某政策")
    close()  # 不保存
    assert asked == ["政策评估有未保存的修改，保存吗？"]
    assert not dialog.isVisible() and list_policies(db, YEAR) == []
