"""Every page shows a change made elsewhere without a restart, and an open goal editor does
not save over a goal that changed underneath it.

"Elsewhere" is a service call on the same database, as another window or (later) another
seat would make it: the data layer announces the commit, the main window relays it, and the
page reloads now when on screen, or when next shown.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.domain.enums import GoalStatus
from app.domain.rules import RuleSet
from app.services.assessment.records import assessment_candidates
from app.services.common.recycle_bin import delete_project, restore_item
from app.services.demo import build_demo
from app.services.goals import load_goal, return_goal, save_goal
from app.services.results.records import propose_results
from app.services.spotcheck import draw_sample
from app.storage.database import Database, open_database
from app.storage.models import Goal, Project
from app.ui.main_window import MainWindow
from app.ui.widgets.conflict_dialog import ConflictDialog
from tests.gui.goal_editor_helpers import (
    keep_unsaved_changes,  # noqa: F401 (autouse: 不保存)
    when_modal,
)

YEAR = 2024  # the demo's finished year: sample drawn and results proposed below
Shown = Callable[[object], set[str]]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory, rules: RuleSet) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    build_demo(db, year=YEAR + 1, seed=3, scale=0.05)
    draw_sample(db, YEAR, rules, seed=12345)
    propose_results(db, YEAR, rules)
    db.close()
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, demo_file: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    path = tmp_path / "county.sqlite3"
    shutil.copy(demo_file, path)
    window = MainWindow(open_database(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.database.close()


def _go(window: MainWindow, name: str, year: int | None = None) -> object:
    if year is not None:
        window.year_combo.setCurrentIndex(window.year_combo.findData(year))
    page = window.page_widgets[name]
    window.navigation.setCurrentRow(window.pages.indexOf(page))
    return page


def _codes(rows: list) -> set[str]:
    """Project codes (a department-wide evaluation's "code" is the unit's, with -整体)."""
    return {r.project_code for r in rows if r.project_code.isdigit()}


SHOWN: dict[str, Shown] = {
    "绩效目标": lambda p: {r.code for r in p.model.all_rows()},
    "事前评估": lambda p: _codes(p.model.all_rows()),
    "绩效监控": lambda p: _codes(p.list_view.model.all_rows()),
    "绩效自评": lambda p: _codes(p.model.all_rows()),
    "抽查复核": lambda p: _codes(p.sample_model.all_rows()),
    "结果应用": lambda p: _codes(p.model.all_rows()),
    "报告": lambda p: {text.split("　")[0] for text in p.scope.projects.stringList()},
}


def _project_id(db: Database, code: str, year: int) -> int:
    with db.session() as s:
        return s.scalar(select(Project.id).where(Project.code == code, Project.year.has(year=year)))


@pytest.mark.parametrize("name", list(SHOWN))
def test_a_page_drops_a_project_binned_elsewhere_and_shows_it_again(qtbot, window, name):
    year = YEAR + 1 if name == "事前评估" else YEAR
    page, shown = _go(window, name, year), SHOWN[name]
    qtbot.waitUntil(lambda: len(shown(page)) > 0, timeout=20000)
    code = sorted(shown(page))[0]
    project_id = _project_id(window.database, code, year)

    _go(window, "设置")  # binned while the page is hidden: it reloads when shown again
    delete_project(window.database, project_id)
    qtbot.wait(50)
    _go(window, name)
    qtbot.waitUntil(lambda: code not in shown(page) and len(shown(page)) > 0, timeout=20000)

    restore_item(window.database, "project", project_id)  # while it is on screen
    qtbot.waitUntil(lambda: code in shown(page), timeout=20000)


def test_the_recycle_bin_tab_lists_a_project_binned_elsewhere(qtbot, window):
    settings = _go(window, "设置")
    settings.show_tab("回收站")
    binned = lambda: {i.code for i in settings.recycle_bin.model.all_rows()}  # noqa: E731
    assert binned() == set()
    code = sorted(SHOWN["绩效目标"](window.goals_page))[0]
    delete_project(window.database, _project_id(window.database, code, YEAR + 1))
    qtbot.waitUntil(lambda: binned() == {code})


def _small_new_draft(db: Database, rules: RuleSet) -> tuple[str, int]:
    """A project of YEAR + 1 under the ex-ante triggers, its goal returned for changes (so
    the editor may save it): at 900万 it hits one (新增 ≥ 400万, 延续 growing past it)."""
    candidates = {r.project_code for r in assessment_candidates(db, YEAR + 1, rules)}
    with db.session() as s:
        rows = s.execute(
            select(Project.code, Project.id, Goal.id, Goal.status)
            .join(Goal, Goal.project_id == Project.id)
            .where(
                Project.year.has(year=YEAR + 1),
                Project.total_amount < Decimal(2_000_000),
                Goal.status != GoalStatus.APPROVED.value,
            )
            .order_by(Project.code)
        ).all()
    code, project_id, goal_id, status = next(r for r in rows if r.code not in candidates)
    if status == GoalStatus.SUBMITTED.value:
        return_goal(db, goal_id, "请修改资金")
    return code, project_id


def test_raising_an_amount_in_the_goal_editor_shows_on_the_ex_ante_page(qtbot, window, rules):
    """The issue's example: 81.35万 → 900万 crosses the 400万 threshold."""
    code, project_id = _small_new_draft(window.database, rules)
    assessment = _go(window, "事前评估", YEAR + 1)
    qtbot.waitUntil(lambda: len(SHOWN["事前评估"](assessment)) > 0)
    assert code not in SHOWN["事前评估"](assessment)

    editor = window.goals_page.open_project_goal(project_id)
    editor.header.total_edit.setText("900")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.saved_label.text().startswith("已保存")
    qtbot.waitUntil(lambda: code in SHOWN["事前评估"](assessment))
    assert assessment.isVisible()  # no year switch, no restart
    editor.close()


def test_an_open_editor_refuses_to_save_over_a_goal_changed_underneath(qtbot, window, rules):
    _code, project_id = _small_new_draft(window.database, rules)
    _go(window, "绩效目标", YEAR + 1)
    editor = window.goals_page.open_project_goal(project_id)
    editor.header.overall_edit.setPlainText("我在编辑器里输入的目标")

    stored = load_goal(window.database, editor.detail.id)  # another seat saves first
    other = replace(stored.to_edit(), total_amount=Decimal(2_000_000))
    save_goal(window.database, stored.id, other, rules, stored.version)

    asked: list[ConflictDialog] = []

    def leave_undecided(dialog: ConflictDialog) -> None:
        asked.append(dialog)
        dialog.cancel_button.click()

    when_modal(ConflictDialog, leave_undecided)  # the choices: tests/gui/test_save_conflicts.py
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked))
    assert [line.label for line in asked[0].lines] == ["资金总额（万元）", "年度总体目标"]
    assert editor.isVisible()
    assert editor.header.overall_edit.toPlainText() == "我在编辑器里输入的目标"  # kept
    again = load_goal(window.database, editor.detail.id)
    assert again.total_amount == Decimal(2_000_000)  # the other change stands
    assert again.overall_target != "我在编辑器里输入的目标"


def test_a_page_that_shows_its_own_save_keeps_the_users_place(qtbot, window):
    """Its own commit is announced too, but reloading would drop a cut still waiting for
    its reason in another row."""
    page = _go(window, "结果应用", YEAR)
    qtbot.waitUntil(lambda: page.model.rowCount() > 1 and not page._stale, timeout=20000)
    waiting, other = page.model.all_rows()[:2]
    page.model.pending[waiting.adjustment_id] = Decimal(1)  # typed, no reason yet
    assert page.decide(other.adjustment_id, other.proposed_cut, "")
    qtbot.wait(200)
    assert page.model.pending == {waiting.adjustment_id: Decimal(1)}

    delete_project(window.database, _project_id(window.database, waiting.project_code, YEAR))
    qtbot.waitUntil(lambda: waiting.project_code not in SHOWN["结果应用"](page), timeout=20000)
