"""绩效目标 page: the department tree, a search box and the year's project list.

Double-click (or Enter on) a project to open its goal editor; the action bar above the
list opens the 部门整体 goal of the selected unit and runs the review actions, one goal
or many selected rows at once; 删除项目… (or the Delete key) moves the selected projects to
the 回收站 (project_delete). The Excel bar imports and exports the goals workbook (for the
unit selected in the tree, else every unit) and the indicator library (import_flow).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.common.catalog import ProjectRow, SectionNode, project_rows, section_tree
from app.services.common.year_rules import rules_for_year
from app.services.goals import department_goal, goal_for_project
from app.services.goals.ex_ante import ex_ante_due
from app.storage.database import Database
from app.storage.kinds import DEPARTMENT, GOAL, PROJECT, SECTION, YEAR
from app.ui.goals import project_delete, review_actions
from app.ui.goals.project_table import (
    ALL,
    COL_AMOUNT,
    COL_CODE,
    COL_DEPARTMENT,
    COL_INDICATORS,
    COL_NAME,
    COL_STATUS,
    EX_ANTE_DUE,
    STATUS_FILTERS,
    ProjectTableModel,
    format_wan_yuan,
)
from app.ui.widgets import import_flow, workbook_kinds
from app.ui.widgets.department_tree import DepartmentTree
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import list_look, size_columns
from app.ui.widgets.writes import writes

if TYPE_CHECKING:  # the editor (grids, library, checks) loads when a goal is first opened
    from app.ui.goals.editor import GoalEditorDialog

SEARCH_PLACEHOLDER = "搜索项目编码、名称或单位"
# Each column is made as wide as a typical value (the name column takes the rest).
_COLUMN_SAMPLES = {
    COL_DEPARTMENT: "县住房和城乡建设局",
    COL_CODE: "21900120250001",
    COL_AMOUNT: "资金总额（万元）",
    COL_STATUS: "未填报",
    COL_INDICATORS: "指标数",
}


@dataclass(frozen=True)
class GoalsPageData:
    """Everything the page shows for one year; plain data, so loading can move to a worker."""

    year: int | None
    sections: list[SectionNode]
    rows: list[ProjectRow]


def load_goals_page_data(db: Database, year: int | None) -> GoalsPageData:
    """All the page's database reads, in one place (需事前评估 is read when chosen)."""
    rows = project_rows(db, year) if year is not None else []
    return GoalsPageData(year, section_tree(db), rows)


def empty_text(
    search: str, year: int | None, year_count: int, unit_selected: bool, status: str = ALL
) -> str:
    """What the list says when it shows no row: why, and what the clerk can do."""
    if year is None:
        return "尚无年度数据"
    if year_count == 0:
        return "本年度尚无项目，可通过“导入目标…”导入"
    if status != ALL and not search.strip():
        what = "需事前评估的" if status == EX_ANTE_DUE else f"状态为“{status}”的"
        return f"{'所选单位中' if unit_selected else ''}没有{what}项目"
    if search.strip():
        where = "所选单位中" if unit_selected else ""
        return f"{where}没有符合“{search.strip()}”的项目，可按项目编码、名称或单位搜索"
    return "所选单位本年度没有项目"


class _ProjectTable(QTableView):
    """Enter opens the current project's goal, like a double-click; Delete asks to move the
    selected projects to the 回收站. `empty_label` sits in the middle of the empty list."""

    delete_pressed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #666666; font-size: 11pt;")
        self.empty_label.hide()
        layout = QVBoxLayout(self.viewport())
        layout.addWidget(self.empty_label)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            event.accept()
            return
        if event.key() == Qt.Key.Key_Delete and event.modifiers() in _PLAIN:
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


_WRITING_ACTIONS = ("提交审核", "审核通过", "退回…", "批量通过…", "批量退回…", "删除项目…")


class GoalsPage(QWidget):
    """Emits `goal_table_requested(code, is_department)` for 打印绩效目标表."""

    goal_table_requested = Signal(str, bool)
    ex_ante_requested = Signal(str)  # project code: show it on the 事前评估 page
    shows = frozenset({YEAR, SECTION, DEPARTMENT, PROJECT, GOAL})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self._stale = False
        self.editors: list[GoalEditorDialog] = []
        self.model = ProjectTableModel(self)
        self.tree = DepartmentTree()
        self.search = QLineEdit()
        self.status_filter = QComboBox()
        self.count_label = QLabel()
        self.table = _ProjectTable()
        self.actions_bar = QHBoxLayout()
        self.excel_bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        self._sections: list[SectionNode] = []
        self._ex_ante_due: frozenset[int] | None = None  # read when 需事前评估 is shown
        self._year_count = 0
        self._build()
        self.search.textChanged.connect(self._on_search_text_changed)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.tree.departments_selected.connect(self._on_tree_departments_selected)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.delete_pressed.connect(self.delete_selected_projects)

    def _build(self) -> None:
        self._build_status_filter()
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        title = QLabel("项目绩效目标")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.search, 1)
        top.addSpacing(8)
        top.addWidget(QLabel("状态："))
        top.addWidget(self.status_filter)
        top.addSpacing(16)
        top.addWidget(self.count_label)

        self._setup_table()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top)
        self._build_actions()
        right_layout.addLayout(self.actions_bar)
        self._build_excel_bar()
        right_layout.addLayout(self.excel_bar)
        right_layout.addWidget(self.table, 1)

        self.tree.setMinimumWidth(200)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 950])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_status_filter(self) -> None:
        for status in STATUS_FILTERS:
            self.status_filter.addItem(status, status)
        self.status_filter.setToolTip(
            "只列出某一状态的项目：待审核的审核队列、退回待改的、需事前评估的"
        )
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def _build_actions(self) -> None:
        actions = (
            ("打开目标", "打开当前项目的绩效目标（双击或回车）", self.open_current_goal),
            ("部门整体目标", "打开左侧所选单位的部门整体绩效目标", self.open_department_goal),
            ("提交审核", "提交当前项目的绩效目标", self._on_submit_clicked),
            ("审核通过", "审核通过当前项目的绩效目标", self._on_approve_clicked),
            ("退回…", "退回当前项目的绩效目标，并填写退回原因", self._on_return_clicked),
            ("批量通过…", "审核通过所有选中的项目（按住 Ctrl 或 Shift 多选）", self.bulk_approve),
            ("批量退回…", "退回所有选中的项目", self.bulk_return),
            ("审核记录", "查看当前项目绩效目标的审核记录", self._on_history_clicked),
            (
                "打印绩效目标表",
                "在“报告”中预览、打印或导出当前项目的绩效目标表",
                self.print_goal_table,
            ),
            (
                "删除项目…",
                "把选中的项目连同绩效目标移到回收站（Delete 键），可在“设置 → 回收站”中恢复",
                self.delete_selected_projects,
            ),
        )
        for text, tip, slot in actions:
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.buttons[text] = button
            if text in _WRITING_ACTIONS:
                writes(button)
            if text == "删除项目…":  # at the far end, away from the everyday buttons
                self.actions_bar.addStretch(1)
            self.actions_bar.addWidget(button)
            if text in ("部门整体目标", "退回…", "审核记录"):
                self.actions_bar.addSpacing(12)  # 10 buttons fit the default 1280 px window

    def _build_excel_bar(self) -> None:
        actions = (
            ("导入目标…", "从 Excel 导入绩效目标工作簿（先检查全部内容，有错误则不导入）"),
            ("导出目标…", "导出左侧所选单位（未选则全部单位）的绩效目标，供单位填报或存档"),
            ("导出空白模板…", "导出左侧所选单位（未选则全部单位）的空白绩效目标模板"),
            ("导入指标库…", "从 Excel 导入指标库：新增或更新指标，不删除已有指标"),
            ("导出指标库…", "把整个指标库导出为 Excel"),
        )
        slots = (self.import_goals, self.export_goals, self.export_blank, self.import_library)
        self.excel_bar.addWidget(QLabel("Excel："))
        for (text, tip), slot in zip(actions, (*slots, self.export_library), strict=True):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.buttons[text] = button
            if text.startswith("导入"):
                writes(button)
            self.excel_bar.addWidget(button)
            if text == "导出空白模板…":
                self.excel_bar.addSpacing(16)
        self.excel_bar.addStretch(1)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        list_look(table, QAbstractItemView.SelectionMode.ExtendedSelection)
        size_columns(table, _COLUMN_SAMPLES, stretch=COL_NAME)
        header = table.horizontalHeader()
        header.setSortIndicator(COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)

    # -- loading -------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self._year

    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self._year = year
        for text in ("导入目标…", "导出目标…", "导出空白模板…"):
            self.buttons[text].setEnabled(year is not None)
        self.buttons["删除项目…"].setEnabled(year is not None)
        self.reload()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Reload the list, keeping the selected projects selected."""
        self._stale = False
        keep = {r.id for r in self.selected_rows()}
        current = self.current_row()
        self._apply(load_goals_page_data(self._db, self._year))
        self._select_projects(keep, current.id if current else None)

    def _apply(self, data: GoalsPageData) -> None:
        counts = Counter(r.department_id for r in data.rows)
        self._year_count = len(data.rows)
        self._sections = data.sections
        self._ex_ante_due = None  # stale: read again when 需事前评估 is shown
        self._count_statuses(data.rows)
        self.model.set_rows(data.rows)
        self.tree.set_sections(data.sections, counts)
        self._refilter()

    # -- filtering -----------------------------------------------------------------------
    def _count_statuses(self, rows: list[ProjectRow]) -> None:
        """Each queue's size in the filter's item text: 待审核（12）. 需事前评估 is counted
        once shown: finding it runs the ex-ante triggers over the year (slow on big years)."""
        counts = Counter(r.status for r in rows)
        counts[ALL] = len(rows)
        for i in range(self.status_filter.count()):
            status = self.status_filter.itemData(i)
            due = self._ex_ante_due
            if status == EX_ANTE_DUE:
                text = status if due is None else f"{status}（{len(due)}）"
            else:
                text = f"{status}（{counts[status]}）"
            self.status_filter.setItemText(i, text)

    def _due_projects(self) -> frozenset[int]:
        if self._ex_ante_due is None:
            due = ex_ante_due(self._db, self._year, self.rules()) if self._year else frozenset()
            self._ex_ante_due = due
            self._count_statuses(self.model.all_rows())
        return self._ex_ante_due

    @property
    def status(self) -> str:
        return str(self.status_filter.currentData() or ALL)

    def show_status(self, status: str) -> None:
        """Show one queue (a STATUS_FILTERS entry), as choosing it in the list does."""
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    def _refilter(self) -> None:
        status = self.status
        due = self._due_projects() if status == EX_ANTE_DUE else frozenset()
        self.model.set_filter(self.search.text(), self.tree.selected_department_ids(), status, due)
        total = format_wan_yuan(self.model.total_amount())
        self.count_label.setText(f"共 {self.model.rowCount()} 个项目，资金合计 {total} 万元")
        empty = self.model.rowCount() == 0
        if empty:
            unit_selected = self.tree.selected_department_ids() is not None
            self.table.empty_label.setText(
                empty_text(
                    self.search.text(), self._year, self._year_count, unit_selected, self.status
                )
            )
        self.table.empty_label.setVisible(empty)

    def _on_search_text_changed(self, _text: str) -> None:
        self._refilter()

    def _on_status_filter_changed(self, _index: int) -> None:
        self._refilter()

    def _on_tree_departments_selected(self, _ids: object) -> None:
        self._refilter()

    # -- selection -----------------------------------------------------------------------
    def current_row(self) -> ProjectRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[ProjectRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def select_codes(self, codes: set[str]) -> None:
        """Select the visible projects with these codes (for keyboard users and tests)."""
        ids = {r.id for r in self.model.visible_rows() if r.code in codes}
        self._select_projects(ids, None)

    def _select_projects(self, ids: set[int], current: int | None) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row, project in enumerate(self.model.visible_rows()):
            if project.id in ids:
                selection.select(self.model.index(row, 0), flags)
            if project.id == current:
                selection.setCurrentIndex(
                    self.model.index(row, 0), selection.SelectionFlag.NoUpdate
                )

    # -- editors -------------------------------------------------------------------------
    def rules(self) -> RuleSet:
        """The year's rule set, read on each use (the list shows nothing the rules
        compute, so there is nothing to recompute when they change)."""
        return rules_for_year(self._db, self._year)

    def open_current_goal(self) -> GoalEditorDialog | None:
        row = self.current_row()
        if row is None:
            show_error(self, "请先在列表中选择一个项目")
            return None
        return self.open_project_goal(row.id)

    def open_project_goal(self, project_id: int) -> GoalEditorDialog | None:
        """Open the project's goal (a project without one gets an empty 草稿)."""
        try:
            detail = goal_for_project(self._db, project_id)
        except UserError as exc:
            show_error(self, exc)
            return None
        editor = self._open_editor(detail.id)
        if editor is not None and not detail.history and not detail.indicators:
            self.reload()  # likely a 草稿 just created for a 未填报 project: show its status
        return editor

    def open_department_goal(self) -> GoalEditorDialog | None:
        department_id = self._chosen_department()
        if department_id is None or self._year is None:
            show_error(self, "请先在左侧选择一个单位（或在列表中选择该单位的项目）")
            return None
        try:
            detail = department_goal(self._db, self._year, department_id)
        except UserError as exc:
            show_error(self, exc)
            return None
        return self._open_editor(detail.id)

    def _chosen_department(self) -> int | None:
        key = self.tree.selected_key()
        if key.startswith("department:"):
            return int(key.split(":", 1)[1])
        row = self.current_row()
        return row.department_id if row else None

    def _open_editor(self, goal_id: int) -> GoalEditorDialog | None:
        """One editor per goal: opening it again brings the open one to the front."""
        for open_editor in self.editors:
            if open_editor.detail.id == goal_id:
                if open_editor.isMinimized():
                    open_editor.showNormal()
                open_editor.activateWindow()
                return open_editor
        try:
            from app.ui.goals.editor import GoalEditorDialog

            editor = GoalEditorDialog(self._db, goal_id, self.rules(), self)
        except UserError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.goal_changed.connect(self._on_editor_goal_changed)
        editor.print_requested.connect(self.goal_table_requested)
        editor.ex_ante_requested.connect(self.ex_ante_requested)
        editor.destroyed.connect(lambda _obj=None, e=editor: self._forget_editor(e))
        self.editors.append(editor)
        editor.show()
        return editor

    def print_goal_table(self) -> None:
        row = self._need_current()
        if row is not None:
            self.goal_table_requested.emit(row.code, False)

    def _forget_editor(self, editor: GoalEditorDialog) -> None:
        if editor in self.editors:
            self.editors.remove(editor)

    def _on_editor_goal_changed(self, _goal_id: int) -> None:
        self.reload()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_project_goal(self.model.row_at(index.row()).id)

    # -- review actions ------------------------------------------------------------------
    def _on_submit_clicked(self) -> None:
        row = self._need_current()
        if row and review_actions.submit_one(self, self._db, self.rules(), row):
            self.reload()

    def _on_approve_clicked(self) -> None:
        row = self._need_current()
        if row and review_actions.approve_one(self, self._db, self.rules(), row):
            self.reload()

    def _on_return_clicked(self) -> None:
        row = self._need_current()
        if row and review_actions.return_one(self, self._db, row):
            self.reload()

    def _on_history_clicked(self) -> None:
        row = self._need_current()
        if row:
            review_actions.show_goal_history(self, self._db, row)

    def bulk_approve(self) -> None:
        if review_actions.bulk_approve(self, self._db, self.rules(), self.selected_rows()):
            self.reload()

    def bulk_return(self) -> None:
        if review_actions.bulk_return(self, self._db, self.selected_rows()):
            self.reload()

    def delete_selected_projects(self) -> None:
        if project_delete.delete_projects(self, self._db, self.selected_rows()):
            self.reload()

    def _need_current(self) -> ProjectRow | None:
        row = self.current_row()
        if row is None:
            show_error(self, "请先在列表中选择一个项目")
        return row

    # -- Excel ---------------------------------------------------------------------------
    def excel_scope(self) -> workbook_kinds.Scope:
        """The unit selected in the tree (with the units under it), else every unit."""
        key = self.tree.selected_key()
        if key.startswith("department:"):
            department_id = int(key.split(":", 1)[1])
            for section in self._sections:
                for node in section.departments:
                    if node.id == department_id:
                        return workbook_kinds.Scope(node.code, node.name)
        return workbook_kinds.Scope()

    def import_goals(self) -> object:
        if self._year is None:
            return None
        kind = workbook_kinds.goals_import(self._db, self.rules(), self._year)
        return import_flow.run_import(self, kind, lambda _result: self.reload())

    def export_goals(self) -> object:
        return self._export_goals(blank=False)

    def export_blank(self) -> object:
        return self._export_goals(blank=True)

    def _export_goals(self, blank: bool) -> object:
        if self._year is None:
            return None
        job = workbook_kinds.goals_export(self._db, self._year, self.excel_scope(), blank=blank)
        return import_flow.run_export(self, job)

    def import_library(self) -> object:
        kind = workbook_kinds.library_import(self._db, self.rules())
        return import_flow.run_import(self, kind)

    def export_library(self) -> object:
        return import_flow.run_export(self, workbook_kinds.library_export(self._db))
