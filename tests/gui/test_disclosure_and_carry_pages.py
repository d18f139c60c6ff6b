"""公开 page (pack for all units, records listed, cancel keeps nothing) and the 结果应用
page's next-year actions (carry, undo, close; the 综合考核 export), driven like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.progress import Cancelled
from app.services.common.rollover import roll_forward
from app.services.disclosure import disclosure_records
from app.services.results.records import decide_adjustment, propose_results
from app.ui.disclosure import page as disclosure_page
from app.ui.disclosure.page import DisclosurePage
from app.ui.results.page import ResultsPage
from app.ui.widgets import confirm
from tests import factories

POOR = {"补助学生人数": "300", "家庭经济困难学生资助覆盖率": "20", "受助学生满意度": "0"}


@pytest.fixture
def county(db, rules):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=1)
        for p in projects:
            p.kind = "延续"
        factories.self_evaluation(s, projects[0], POOR)
    return db


def _shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.set_database(widget.db, 2025)
    widget.show()
    qtbot.waitUntil(lambda: not widget._stale)
    return widget


def test_the_pack_for_all_units_is_listed(qtbot, county, tmp_path, shown_messages):
    page = _shown(qtbot, DisclosurePage(county))
    assert "尚未生成公开材料" in page.summary_label.text()
    pack = page.build_pack(tmp_path)
    assert pack is not None and len(pack.units) == 4
    assert page.model.rowCount() == 4
    assert "为4个单位生成公开材料" in page.summary_label.text()
    assert "已为4个单位生成公开材料" in shown_messages.texts[-1]


def test_a_cancelled_pack_records_nothing(qtbot, county, tmp_path, monkeypatch):
    page = _shown(qtbot, DisclosurePage(county))

    def cancel(_parent, _title, _work, **_kw):
        raise Cancelled

    monkeypatch.setattr("app.ui.evaluation.lazy.run_task", cancel)
    assert page.build_pack(tmp_path) is None
    assert disclosure_records(county, 2025) == [] and page.model.rowCount() == 0
    assert page.summary_label.text() == disclosure_page.EMPTY_TEXT


def test_carry_undo_and_close(qtbot, county, rules, monkeypatch, tmp_path):
    roll_forward(county, 2025, rules)
    row = next(r for r in propose_results(county, 2025, rules) if r.project_code == "219001001")
    decide_adjustment(county, row.adjustment_id, row.proposed_cut)
    page = _shown(qtbot, ResultsPage(county))
    qtbot.mouseClick(page.carry_button, Qt.MouseButton.LeftButton)
    dialog = page.carry_dialog
    assert dialog is not None and dialog.model.rowCount() == 0
    qtbot.mouseClick(dialog.carry_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert "本次计入调减1项" in dialog.message.text()
    assert dialog.model.index(0, 7).data().startswith("调减5.00万元：")
    monkeypatch.setattr(confirm, "_answer", lambda *_a: True)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # nothing unsaved: Esc just closes
    assert not dialog.isVisible()
    assert page.export_assessment(tmp_path / "综合考核.xlsx") == 1
