"""QA round 2, review dialog: stale messages, a deduction's reason, one banner phrasing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.spotcheck import draw_sample, review_sheet
from app.ui.spotcheck.review_dialog import ReviewDialog
from app.ui.spotcheck.review_model import C_DEDUCTION, C_NAME, C_NOTE, C_SCORE, C_VALUE
from tests import factories


@pytest.fixture
def dialog(qtbot, db, rules):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=1):
            factories.self_evaluation(s, p, claimed_total="100", claimed_grade="优")
    sample_id = draw_sample(db, 2025, rules, seed=11).sections[0].items[0].sample_id
    dialog = ReviewDialog(db, sample_id, rules)
    qtbot.addWidget(dialog)
    return dialog


def _row(dialog, name: str) -> int:
    names = [dialog.model.index(r, C_NAME).data() for r in range(dialog.model.rowCount())]
    return names.index(name)


def _set(dialog, row: int, column: int, text: str) -> bool:
    return dialog.model.setData(dialog.model.index(row, column), text)


def test_a_rejected_value_message_goes_once_a_valid_value_is_entered(dialog):
    row = _row(dialog, "补助学生人数")
    assert not _set(dialog, row, C_VALUE, "abc")
    assert "复核完成值“abc”不是数字" in dialog.message.text()
    assert _set(dialog, row, C_VALUE, "600")
    assert dialog.message.text() == ""


def test_a_deduction_without_a_reason_is_not_saved(qtbot, dialog, db, rules, shown_messages):
    row = _row(dialog, "补助学生人数")
    assert _set(dialog, row, C_VALUE, "600")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is None
    assert "指标“补助学生人数”复核得分10低于自评得分20" in dialog.message.text()
    assert shown_messages.texts and "须选择扣分原因" in shown_messages.texts[0]
    assert review_sheet(db, dialog._sample_id, rules).status == "未开始"

    assert _set(dialog, row, C_DEDUCTION, "其他")
    assert _set(dialog, row, C_SCORE, "10")
    assert _set(dialog, row, C_NOTE, "名册核实仅600人")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.message.text() == ""
    assert (
        dialog.banner.text()
        == "自评不实：自评 100.00 分（优），复核 90.00 分（优），偏离 -10.00 分"
    )
