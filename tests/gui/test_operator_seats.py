"""Each seat signs in as its own operator: the sign-in prompt (typed and clicked like a user),
the name kept in the seat's preferences, and a second seat on the same database asked for
its own name, offered the names used before, and recorded under it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.services.common.audit_log import list_audit
from app.services.setup import operator
from app.storage.database import open_database
from app.ui import first_open, preferences
from app.ui.setup import operator_prompt
from app.ui.setup.operator_prompt import OperatorDialog
from tests.gui.goal_editor_helpers import type_into, when_modal

REAL_ASK = operator_prompt._ask  # the GUI conftest answers it; these tests click the dialog


def _sign_in_as(name: str) -> None:
    def act(dialog: OperatorDialog) -> None:
        line = dialog.name_combo.lineEdit()
        assert line is not None
        type_into(line, name)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(OperatorDialog, act)


def test_two_seats_on_one_database_each_sign_as_their_own(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(operator_prompt, "_ask", REAL_ASK)
    path = tmp_path / "县.sqlite3"
    seat_a = tmp_path / "甲.ini"
    monkeypatch.setattr(preferences, "preferences_path", lambda: seat_a)
    _sign_in_as("王会计")
    window = first_open.start(path)
    qtbot.addWidget(window)
    # The sign-in is asked once the window has painted (start-up work after the first paint).
    qtbot.waitUntil(lambda: window.operator_label.text().startswith("操作人员：王会计"))
    assert preferences.remembered_operator() == "王会计"  # kept by this seat
    window.close()

    operator.choose("")  # seat B: another computer, its own preferences
    monkeypatch.setattr(preferences, "preferences_path", lambda: tmp_path / "乙.ini")
    offered: list[list[str]] = []

    def answer(dialog: OperatorDialog) -> None:
        offered.append([dialog.name_combo.itemText(i) for i in range(dialog.name_combo.count())])
        line = dialog.name_combo.lineEdit()
        assert line is not None
        type_into(line, "李会计")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(OperatorDialog, answer)
    window_b = first_open.start(path)
    qtbot.addWidget(window_b)
    qtbot.waitUntil(lambda: window_b.operator_label.text().startswith("操作人员：李会计"))
    assert offered == [["王会计"]]  # the names used before, from the shared database
    window_b.close()
    db = open_database(path)
    entries = [(e.action, e.display_name) for e in list_audit(db)]
    db.close()
    assert ("登记操作人员", "王会计") in entries and ("登记操作人员", "李会计") in entries
