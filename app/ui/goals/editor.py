"""The goal editor (绩效目标申报表): header, indicator grid, live checks, library, review.

Opened from the project list (double-click a project, or 部门整体目标 for a unit). Checks
run 200 ms after the last change, without touching the database (check_goal_edit over a
CheckContext read once on open). Editing is locked while the goal is 待审核 or 已通过.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import Problem, StaleRecordError, UserError, ValidationFailed
from app.domain.goal_checks import IndicatorDraft, is_placeholder
from app.domain.points import spread_points
from app.domain.rules import RuleSet
from app.services.goals import (
    GoalDetail,
    GoalEdit,
    IndicatorRow,
    approve_goal,
    check_context,
    check_goal_edit,
    load_goal,
    return_goal,
    save_goal,
    submit_goal,
)
from app.services.goals.ex_ante import ex_ante_notice
from app.services.library.history.suggestions import goal_suggestions
from app.services.library.search import (
    GENERAL_FIELD,
    LibraryItem,
    NewLibraryEntry,
    library_items,
    save_to_library,
)
from app.storage.database import Database
from app.ui.goals.editor_header import GoalHeaderForm
from app.ui.goals.editor_parts import (
    MONEY_FIELDS,
    ExAnteBanner,
    GridToolbar,
    StatusBanner,
    conflict_fields,
    indicator_line,
    window_title,
)
from app.ui.goals.indicator_grid import IndicatorGridView
from app.ui.goals.indicator_grid_cells import COL_NAME, COL_TARGET, total_points
from app.ui.goals.indicator_grid_model import PROBLEM_COLUMNS, IndicatorGridModel
from app.ui.goals.library_panel import LibraryPanel
from app.ui.goals.problems_panel import ProblemsPanel
from app.ui.goals.review_dialogs import ask_return_reasons
from app.ui.goals.review_history import HistoryPanel
from app.ui.goals.suggestions_panel import SuggestionsPanel, new_rows
from app.ui.widgets.choice import confirm
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes

CHECK_DELAY_MS = 200


class GoalEditorDialog(EditingDialog):
    """Emits `goal_changed(goal_id)` after a save or a change of status,
    `print_requested(code, is_department)` for 打印绩效目标表 (the 报告 page previews it)
    and `ex_ante_requested(project_code)` for 转到事前评估."""

    unsaved_question = "绩效目标有未保存的修改，关闭前保存吗？"
    goal_changed = Signal(int)
    print_requested = Signal(str, bool)
    ex_ante_requested = Signal(str)
    checks_updated = Signal()

    def __init__(
        self, db: Database, goal_id: int, rules: RuleSet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._rules = rules
        self.detail = load_goal(db, goal_id)
        self._context = check_context(db, goal_id, rules)
        self._dirty = False
        self._points_undo: tuple[list[Decimal | None], tuple[IndicatorRow, ...]] | None = None
        self.problems: list[Problem] = []
        self.banner = StatusBanner()
        self.ex_ante_banner = ExAnteBanner()
        self.header = GoalHeaderForm(self.detail)
        self.grid_model = IndicatorGridModel(rules.goals, self)
        self.grid = IndicatorGridView(self.grid_model)
        self.toolbar = GridToolbar()
        self.problems_panel = ProblemsPanel()
        self.library = LibraryPanel(rules.goals)
        self.history = HistoryPanel()
        self.suggestions = SuggestionsPanel()
        self.tabs = QTabWidget()
        self.save_button = QPushButton("保存(&S)")
        self.submit_button = QPushButton("提交审核")
        self.approve_button = QPushButton("审核通过")
        self.return_button = QPushButton("退回…")
        self.close_button = QPushButton("关闭")
        self.print_button = QPushButton("打印绩效目标表")
        writes(self.save_button, self.submit_button, self.approve_button, self.return_button)
        self.saved_label = QLabel()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._build()
        self._connect()
        self.library.set_items(library_items(db))
        self.suggestions.set_suggestions(goal_suggestions(db, goal_id, rules))
        self._show_detail(self.detail)
        self.resize(1400, 900)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.toolbar)
        left_layout.addWidget(self.grid, 1)
        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("检查结果")
        title.setStyleSheet("font-weight: bold;")
        checks_layout.addWidget(title)
        checks_layout.addWidget(self.problems_panel, 1)
        self.tabs.addTab(self.library, "指标库")
        self.tabs.addTab(self.suggestions, "历史参考")
        self.tabs.addTab(self.history, "审核记录")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(checks)
        right.addWidget(self.tabs)
        right.setSizes([220, 480])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(0, 1)
        body.setSizes([900, 500])
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        for button in (
            self.print_button,
            self.save_button,
            self.submit_button,
            self.approve_button,
            self.return_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.save_button.setToolTip("保存（Ctrl+S）")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.ex_ante_banner)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.grid_model.rows_edited.connect(self._on_content_edited)
        self.header.edited.connect(self._on_content_edited)
        self._check_timer.timeout.connect(self.run_checks)
        self.problems_panel.problem_activated.connect(self.go_to_problem)
        self.library.item_chosen.connect(self.add_library_item)
        self.suggestions.rows_chosen.connect(self.add_suggested_rows)
        tb = self.toolbar
        tb.add_button.clicked.connect(self.grid.add_row)
        tb.remove_button.clicked.connect(self.grid.remove_rows)
        tb.up_button.clicked.connect(lambda: self.grid.move_current_row(-1))
        tb.down_button.clicked.connect(lambda: self.grid.move_current_row(1))
        tb.paste_button.clicked.connect(self.grid.paste_clipboard)
        tb.points_button.clicked.connect(self.spread_points)
        tb.undo_points_button.clicked.connect(self.undo_spread_points)
        tb.undo_points_button.setEnabled(False)
        undo = QShortcut(QKeySequence.StandardKey.Undo, self)  # a cell's editor keeps its own
        undo.activated.connect(self.undo_spread_points)
        tb.library_button.clicked.connect(self.save_row_to_library)
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.submit)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_goal)
        self.close_button.clicked.connect(self.reject)
        self.print_button.clicked.connect(self.request_print)
        self.ex_ante_banner.go_button.clicked.connect(self._on_ex_ante_clicked)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.activated.connect(self.save)

    # -- state ---------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def _show_detail(self, detail: GoalDetail) -> None:
        """Show a freshly loaded goal; keeps the current cell where it was."""
        self.detail = detail
        current = self.grid.currentIndex()
        self.header.set_detail(detail)
        self.grid_model.set_rows(detail.indicators)
        locked = not detail.editable
        self.grid.set_read_only(locked)
        self.header.set_read_only(locked)
        self.toolbar.set_read_only(locked)
        self.library.add_button.setEnabled(not locked)
        self.suggestions.set_read_only(locked)
        self.banner.show_status(detail)
        self.ex_ante_banner.show_notice(ex_ante_notice(self._db, detail.project_id, self._rules))
        self.history.set_rows(detail.history)
        submitted = detail.status is GoalStatus.SUBMITTED
        self.save_button.setEnabled(not locked)
        self.submit_button.setEnabled(not locked)
        self.approve_button.setEnabled(submitted)
        self.return_button.setEnabled(submitted)
        self.setWindowTitle(window_title(detail))
        self._dirty = False
        self._points_undo = None
        self.toolbar.undo_points_button.setEnabled(False)
        if current.isValid():
            self.grid.go_to(min(current.row(), self.grid_model.rowCount() - 1), current.column())
        self.run_checks()

    def current_edit(self) -> GoalEdit:
        edit = replace(self.detail.to_edit(), indicators=self.grid_model.rows())
        return self.header.apply_to(edit)

    def _on_content_edited(self) -> None:
        if self._points_undo is not None and self.grid_model.rows() != self._points_undo[1]:
            self._points_undo = None  # edited since: the old points no longer fit the rows
            self.toolbar.undo_points_button.setEnabled(False)
        self._dirty = True
        self.saved_label.setText("有未保存的修改")
        self._check_timer.start()

    def run_checks(self) -> None:
        """Check the edit as it stands (also run by the timer after typing stops)."""
        self._check_timer.stop()
        edit = self.current_edit()
        self.problems = check_goal_edit(edit, self._rules, self._context)
        returned = self.detail.status is GoalStatus.RETURNED
        comments = self.detail.return_comments if returned else ()
        self.problems_panel.set_problems(self.problems, comments)
        self.grid_model.set_problems(self.problems)
        self.toolbar.show_points(total_points(edit.indicators), self._rules.goals)
        self.checks_updated.emit()

    def go_to_problem(self, problem: Problem) -> None:
        if problem.row is not None and 1 <= problem.row <= self.grid_model.rowCount():
            self.grid.go_to(problem.row - 1, PROBLEM_COLUMNS.get(problem.column, COL_NAME))
            self.grid.setFocus()
            return
        widget = self.header.widget_for(problem.column)
        if widget is not None and widget.isVisible():
            widget.setFocus()
        elif problem.column in PROBLEM_COLUMNS:
            self.grid.go_to(0, PROBLEM_COLUMNS[problem.column])
            self.grid.setFocus()

    # -- grid helpers --------------------------------------------------------------------
    def spread_points(self) -> None:
        """Spread each 一级's points equally over its rows (blank rows get none), in the rule
        set's step; asks before overwriting points already typed. 撤销分配 restores them."""
        if self.grid.read_only:
            return
        self.grid.commit_open_editor()
        rows = self.grid_model.rows()
        drafts = [_draft(r) for r in rows]
        filled = [i for i, d in enumerate(drafts) if not is_placeholder(d)]
        step = self._rules.goals.points_step
        try:
            points = spread_points([drafts[i] for i in filled], self._rules, step=step)
        except UserError as exc:
            show_error(self, exc)
            return
        result: list[Decimal | None] = [None] * len(rows)
        for i, value in zip(filled, points, strict=True):
            result[i] = value
        before = [r.points for r in rows]
        overwritten = sum(
            1 for old, new in zip(before, result, strict=True) if old not in (None, new)
        )
        if overwritten and not confirm(
            self,
            "分配分值",
            f"有 {overwritten} 行已填写的分值将被覆盖。",
            "覆盖",
            "分配后可点“撤销分配”（Ctrl+Z）恢复原来的分值。",
        ):
            return
        self.grid_model.set_points(result)
        self._points_undo = (before, self.grid_model.rows())
        self.toolbar.undo_points_button.setEnabled(True)

    def undo_spread_points(self) -> None:
        """Put back the points the last 分配分值 replaced, if the table is still as it left it."""
        if self._points_undo is None or self.grid.read_only:
            return
        before, after = self._points_undo
        if self.grid_model.rows() != after:
            show_error(self, "分配分值之后表格又有修改，不能撤销分配")
            return
        self._points_undo = None
        self.grid_model.set_points(before)
        self.toolbar.undo_points_button.setEnabled(False)

    def add_library_item(self, item: LibraryItem) -> None:
        """Add a library indicator next to the rows of its 二级, ready for its target."""
        if self.grid.read_only:
            show_error(self, self.banner.text() or "该绩效目标当前不能修改")
            return
        new = IndicatorRow(
            level1=item.level1,
            level2=item.level2,
            name=item.name,
            comparator=item.comparator,
            target=None,
            unit=item.unit,
            explanation=item.explanation,
            library_indicator_id=item.id,
        )
        self.grid.go_to(self._place_row(new), COL_TARGET)
        self.grid.setFocus()

    def add_suggested_rows(self, chosen: list[IndicatorRow]) -> None:
        """Add the ticked 历史参考 indicators the goal does not have yet."""
        if self.grid.read_only:
            show_error(self, self.banner.text() or "该绩效目标当前不能修改")
            return
        rows = new_rows(self.grid_model.rows(), chosen)
        if not rows:
            show_info(self, "添加指标", "勾选的指标都已在指标表中，未重复添加")
            return
        first = min(self._place_row(row) for row in rows)
        self.grid.go_to(first, COL_TARGET)
        self.grid.setFocus()

    def _place_row(self, new: IndicatorRow) -> int:
        """Fill a blank row of the same 二级, else insert after its 二级 (or 一级); the row."""
        rows = self.grid_model.rows()
        blank = next((i for i, r in enumerate(rows) if is_placeholder(_draft(r))), None)
        if blank is not None and rows[blank].level2 in ("", new.level2):
            self.grid_model.replace_row(blank, new)
            return blank
        at = _insert_position(rows, new)
        self.grid_model.insert_rows_at(at, [new])
        return at

    def save_row_to_library(self) -> None:
        row = self.grid.currentIndex().row()
        if row < 0:
            show_error(self, "请先在指标表中选中要存入指标库的指标")
            return
        r = self.grid_model.row_at(row)
        field = self.library.field_combo.currentData() or GENERAL_FIELD
        entry = NewLibraryEntry(
            r.level1, r.level2, r.name, r.comparator, r.unit, r.explanation, field
        )
        try:
            result = save_to_library(self._db, entry)
        except UserError as exc:
            show_error(self, exc)
            return
        if result.added:
            self.library.set_items(library_items(self._db))
            show_info(self, "存入指标库", f"已将“{result.item.name}”存入指标库（行业：{field}）")
        else:
            show_info(
                self, "存入指标库", f"指标库中已有“{result.item.name}”（行业：{field}），未重复添加"
            )

    # -- saving and review ---------------------------------------------------------------
    def save(self) -> bool:
        if not self.detail.editable:
            return False
        self.grid.commit_open_editor()  # Ctrl+S while a cell is being typed keeps the text
        try:
            edit, loaded = self.current_edit(), self.detail.version
            result = save_goal(self._db, self.detail.id, edit, self._rules, loaded)
        except StaleRecordError as exc:  # another seat saved first: choose, then save again
            return self.resolve_conflict(exc) and self.save()
        except UserError as exc:
            show_error(self, exc)
            return False
        self._show_detail(load_goal(self._db, result.goal_id))
        blocking = len(result.blocking)
        note = f"，仍有 {blocking} 个问题须修改后才能提交" if blocking else ""
        self.saved_label.setText(f"已保存{note}")
        self.goal_changed.emit(self.detail.id)
        return True

    def request_print(self) -> None:
        """Print what is saved: unsaved edits are saved first (the table is read from the
        database), then the 报告 page previews the goal table."""
        if self._dirty and not self.save():
            return
        if self.detail.scope is Scope.DEPARTMENT:
            self.print_requested.emit(self.detail.department_code, True)
        else:
            self.print_requested.emit(self.detail.project_code, False)

    def _on_ex_ante_clicked(self) -> None:
        self.ex_ante_requested.emit(self.detail.project_code)

    def submit(self) -> None:
        if self._dirty and not self.save():
            return
        self._review(lambda: submit_goal(self._db, self.detail.id, self._rules), "已提交审核")

    def approve(self) -> None:
        self._review(lambda: approve_goal(self._db, self.detail.id, self._rules), "已审核通过")

    def return_goal(self) -> None:
        reasons = ask_return_reasons(self, self.detail)
        if reasons is None:
            return
        self._review(
            lambda: return_goal(self._db, self.detail.id, reasons.overall, reasons.by_indicator),
            "已退回",
        )

    def _review(self, action: Callable[[], GoalDetail], done: str) -> None:
        try:
            detail = action()
        except ValidationFailed as exc:
            self.problems_panel.set_problems(exc.problems)
            self.grid_model.set_problems(exc.problems)
            show_error(self, exc)
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self._show_detail(detail)
        self.saved_label.setText(done)
        self.goal_changed.emit(detail.id)

    # -- closing (EditingDialog asks about unsaved changes) --------------------------------
    def is_dirty(self) -> bool:
        return self._dirty and self.detail.editable

    def save_changes(self) -> bool:
        return self.save()

    def finish_editing(self) -> None:
        if self.detail.editable:
            self.grid.commit_open_editor()

    def conflict_labels(self) -> dict[str, str]:
        return conflict_fields(self.detail.scope)

    def form_values(self) -> dict[str, Any]:
        edit = self.current_edit()
        return {key: getattr(edit, key) for key in self.conflict_labels()}

    def stored_values(self) -> tuple[dict[str, Any], int]:
        self._stored = load_goal(self._db, self.detail.id)
        return {
            key: getattr(self._stored, key) for key in self.conflict_labels()
        }, self._stored.version

    def take_values(self, values: dict[str, Any], version: int) -> None:
        self._show_detail(replace(self._stored, **values, version=version))
        self._on_content_edited()  # chosen, not saved yet
        self.saved_label.setText("已按您的选择合并，尚未保存")

    def shown_value(self, key: str, value: Any) -> str:
        if key == "indicators":
            return "\n".join(indicator_line(row) for row in value) or "（无指标）"
        if isinstance(value, Enum):
            return str(value.value)
        if key in MONEY_FIELDS and value is not None:
            return wan_text(value)
        return super().shown_value(key, value)


def _draft(row: IndicatorRow) -> IndicatorDraft:
    return IndicatorDraft(
        row.level1,
        row.level2,
        row.name,
        row.comparator,
        row.target,
        row.target_text,
        row.unit,
        row.points,
    )


def _insert_position(rows: tuple[IndicatorRow, ...], item: LibraryItem | IndicatorRow) -> int:
    """After the last row of the same 二级, else of the same 一级, else at the end."""
    for same in (lambda r: r.level2 == item.level2, lambda r: r.level1 == item.level1):
        matches = [i for i, r in enumerate(rows) if same(r)]
        if matches:
            return matches[-1] + 1
    return len(rows)
