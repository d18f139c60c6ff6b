"""Driving the goal editor like a user: typing into grid cells, answering dialogs."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.enums import GoalStatus, ProjectKind
from app.storage.database import Database
from app.storage.models import Project
from tests import factories
from tests.gui.helpers import Answers


def type_cell(view, row: int, column: int, text: str, end=Qt.Key.Key_Return) -> None:  # type: ignore[no-untyped-def]
    """Go to a cell and type into it as a user would, then press `end` (Enter or Tab).

    ASCII is typed key by key (the first key opens the editor); Chinese is committed by an
    input method, which also opens the editor."""
    assert QApplication.activeWindow() is view.window(), "activate the editor first"
    view.go_to(row, column)
    view.setFocus()
    if text.isascii():
        QTest.keyClicks(view, text[0])
        QTest.keyClicks(QApplication.focusWidget(), text[1:])
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QCoreApplication.sendEvent(view, event)
    if end is not None:
        QTest.keyClick(QApplication.focusWidget(), end)
    QCoreApplication.processEvents()  # the delegate commits Enter in a queued call


def activate(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Make the window active again (a closed dialog leaves no active window offscreen)."""
    with qtbot.waitActive(widget):
        widget.activateWindow()


def type_into(widget: QWidget, text: str) -> None:
    """Replace a line edit's text by typing (select all, then type)."""
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QCoreApplication.sendEvent(widget, event)


def type_chinese_text(widget: QWidget, text: str) -> None:
    """Commit text into a widget the way an input method does (appends at the cursor)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def when_modal(kind: type, act: Callable[[QWidget], None]) -> None:
    """Run act on the next modal dialog of this kind as soon as it is shown."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)


def goal_county(db: Database, *specs: factories.ProjectSpec) -> dict[str, int]:
    """Projects (2025, unit 219001 县文化和旅游局) with the given goals; code → project id.
    A spec with no indicators and an empty target gets a bare project with no goal."""
    ids = {}
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县文化和旅游局")
        for spec in specs:
            if spec.indicators:
                project = factories.project_with_goal(s, fy, dept, spec)
            else:
                project = Project(
                    year_id=fy.id,
                    department_id=dept.id,
                    code=spec.code,
                    name=spec.name,
                    kind=ProjectKind.NEW.value,
                    total_amount=Decimal(0),
                    fiscal_amount=Decimal(0),
                    other_amount=Decimal(0),
                )
                s.add(project)
                s.flush()
            ids[spec.code] = project.id
    return ids


def spec(code: str, status: GoalStatus = GoalStatus.DRAFT, **kw) -> factories.ProjectSpec:  # type: ignore[no-untyped-def]
    return factories.ProjectSpec(code=code, status=status, **kw)


@pytest.fixture(autouse=True)
def keep_unsaved_changes(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Answer "不保存" to unsaved-changes questions (editors closed at teardown ask) and
    no to every yes/no question; returns the recorder. A test wanting another answer
    queues it with `.press("保存")` or patches confirm._answer."""
    from app.ui.widgets import confirm

    monkeypatch.setattr(confirm, "_answer", lambda *_args: False)
    return Answers(default="不保存").install(monkeypatch)
