"""结果应用 page: next year's proposed adjustments per department and project, the user's
decisions (a changed amount needs a reason) and the totals; the list exports to Excel
for the department selected on the left, else for every one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QCheckBox,
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
from app.domain.progress import Progress
from app.services.results.records import (
    AdjustmentRow,
    decide_adjustment,
    propose_results,
    results_by_department,
)
from app.storage.database import Database
from app.storage.kinds import (
    BUDGET_ADJUSTMENT,
    DEPARTMENT,
    MONITORING_ENTRY,
    PRE_ASSESSMENT,
    PROJECT,
    SECTION,
    SELF_EVALUATION,
    SETTINGS,
    SPOT_CHECK_REVIEW,
)
from app.ui.evaluation.lazy import LazyPage, run_guarded
from app.ui.results.carry_dialog import CarryDialog
from app.ui.results.models import (
    COL_CODE,
    COL_NAME,
    AdjustmentTableModel,
    DepartmentTableModel,
    department_lines,
)
from app.ui.widgets import import_flow, workbook_kinds
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.messages import show_info
from app.ui.widgets.row_table import setup_table
from app.ui.widgets.writes import writes

EMPTY_TEXT = (
    "尚未生成本年度的结果应用建议。点“生成建议”按评价等级、监控结论和事前评估提出调整建议。"
)
PROBLEM_STYLE = "color: #c62828; font-weight: bold;"
SAVED_STYLE = "color: #1b5e20;"


class ResultsPage(LazyPage):
    shows = frozenset(
        {SECTION, DEPARTMENT, PROJECT, PRE_ASSESSMENT, MONITORING_ENTRY, SELF_EVALUATION}
        | {SPOT_CHECK_REVIEW, BUDGET_ADJUSTMENT, SETTINGS}
    )

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.generate_button = QPushButton("生成建议")
        self.accept_button = QPushButton("采纳所选建议")
        self.export_button = QPushButton("导出调整建议（Excel）…")
        self.carry_button = QPushButton("计入下年度…")
        self.assessment_button = QPushButton("导出综合考核表…")
        writes(self.generate_button, self.accept_button)
        self.cuts_only = QCheckBox("只看建议调减或已调整的项目")
        self.search = QLineEdit()
        self.department_model = DepartmentTableModel(self)
        self.department_table = QTableView()
        self.model = AdjustmentTableModel(self)
        self.table = QTableView()
        self.message = QLabel()
        self.totals_label = QLabel(EMPTY_TEXT)
        self._department: str | None = None
        self.carry_dialog: CarryDialog | None = None
        self._build()
        self.generate_button.clicked.connect(self._on_generate_button_clicked)
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.carry_button.clicked.connect(self._on_carry_button_clicked)
        self.assessment_button.clicked.connect(self._on_assessment_button_clicked)
        self.export_button.setEnabled(False)
        self.export_button.setToolTip("导出左侧所选单位（未选或选“合计”则全部单位）的调整建议")
        self.cuts_only.toggled.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.model.decision_requested.connect(self._on_model_decision_requested)
        self.model.problem_found.connect(self._on_model_problem_found)
        self.department_table.selectionModel().selectionChanged.connect(
            self._on_department_selection_changed
        )

    def _build(self) -> None:
        title = QLabel("结果应用")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.cuts_only.setChecked(True)
        self.search.setPlaceholderText("搜索项目编码、名称或单位")
        self.search.setClearButtonEnabled(True)
        top = QHBoxLayout()
        for widget in (title, self.generate_button, self.cuts_only):
            top.addWidget(widget)
        top.addWidget(self.search, 1)
        top.addWidget(self.accept_button)
        top.addWidget(self.export_button)
        top.addWidget(self.carry_button)
        top.addWidget(self.assessment_button)
        setup_table(self.department_table, self.department_model, sortable=False)
        setup_table(self.table, self.model, stretch=None, editable=True)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_NAME, self.table.horizontalHeader().ResizeMode.Interactive
        )
        self.table.horizontalHeader().setSortIndicator(COL_CODE, Qt.SortOrder.AscendingOrder)
        self.message.setWordWrap(True)
        self.totals_label.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.department_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        # The department table as wide as its columns; the projects take the rest.
        left = self.department_table.horizontalHeader().length() + 24
        splitter.setSizes([left, max(1240 - left, 600)])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.load_bar)
        layout.addWidget(self.totals_label)
        layout.addWidget(splitter, 1)

    # -- loading -------------------------------------------------------------------------
    def set_year(self, year: int | None) -> None:
        super().set_year(year)
        self.export_button.setEnabled(year is not None)

    def load(self) -> bool:
        db, year = self.db, self.year
        assert year is not None

        def read(progress: Progress) -> list[AdjustmentRow]:  # worker thread
            progress.step(0, 1, f"正在读取 {year} 年的结果应用建议…")
            return [row for group in results_by_department(db, year) for row in group.rows]

        return self.load_in_background(read, self._show, label="正在读取结果应用建议…")

    def clear(self) -> None:
        self.model.set_rows([])
        self.department_model.set_rows([])
        self.message.clear()
        self.totals_label.setText(EMPTY_TEXT if self.year is not None else "请先选择年度。")

    def _show(self, rows: list[AdjustmentRow]) -> None:
        self.model.set_rows(rows)
        self._department = None
        self.department_model.set_rows(department_lines(rows) if rows else [])
        self._refilter()
        self._show_totals()

    def generate(self) -> bool:
        """Compute the proposals (decisions already made are kept)."""
        year, rules, db = self.year, self.rules(), self.db
        if year is None:
            return False
        rows = run_guarded(self, "生成结果应用建议", lambda _p: propose_results(db, year, rules))
        if rows is None:
            return False
        # The proposals replace what a load would show, also one started meanwhile when
        # this very commit was announced.
        self.loader.cancel()
        self._show(rows)
        self._stale = False
        self.showed_own_change()
        return True

    # -- filtering and totals ------------------------------------------------------------
    def _refilter(self) -> None:
        department = self._department
        cuts_only = self.cuts_only.isChecked()
        terms = [t.casefold() for t in self.search.text().split()]

        def keep(row: AdjustmentRow) -> bool:
            if department is not None and row.department_code != department:
                return False
            if cuts_only and row.proposed_cut <= 0 and row.decided_cut is None:
                return False
            text = f"{row.project_code}\n{row.project_name}\n{row.department}".casefold()
            return all(t in text for t in terms)

        self.model.set_predicate(keep)

    def _show_totals(self) -> None:
        rows = self.model.all_rows()
        if not rows:
            self.totals_label.setText(EMPTY_TEXT)
            return
        total = department_lines(rows)[0]
        cut = sum(r.proposed_cut > 0 for r in rows)
        # 确定调减 counts confirmed decisions only; a proposal is not a cut until confirmed.
        self.totals_label.setText(
            f"金额单位：万元。{self.year}年：共 {total.count} 个项目，建议调减 {cut} 个；"
            f"下年度基数 {wan_text(total.base)}，建议调减 {wan_text(total.proposed_cut)}；"
            f"已确定 {total.decided} 个，确定调减 <b>{wan_text(total.decided_cut)}</b>。"
        )

    def _refresh_department_totals(self) -> None:
        lines = department_lines(self.model.all_rows())
        selected = self._department
        self.department_model.set_rows(lines)
        for n, line in enumerate(self.department_model.visible_rows()):
            if line.code == selected and selected is not None:
                self.department_table.selectRow(n)

    # -- deciding ------------------------------------------------------------------------
    def decide(self, adjustment_id: int, cut: Decimal, reason: str) -> bool:
        try:
            row = decide_adjustment(self.db, adjustment_id, cut, reason)
        except UserError as exc:
            self._on_model_problem_found(exc.message)
            return False
        self.model.update_row(row)
        self.message.setStyleSheet(SAVED_STYLE)
        cut_text = wan_text(row.decided_cut or Decimal(0))
        self.message.setText(f"已保存：项目“{row.project_code}”确定调减 {cut_text} 万元。")
        self._refresh_department_totals()
        self._show_totals()
        self.showed_own_change()  # other rows' pending entries stay on screen
        return True

    # -- slots ---------------------------------------------------------------------------
    def _on_generate_button_clicked(self) -> None:
        self.generate()

    def _on_accept_button_clicked(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.table.currentIndex().row()}
        for row in [self.model.row_at(n) for n in sorted(rows)]:
            if not self.decide(row.adjustment_id, row.proposed_cut, row.decision_reason):
                break

    def _on_export_button_clicked(self) -> None:
        self.export_workbook()

    def export_workbook(self) -> object:
        if self.year is None:
            return None
        lines = self.department_model.visible_rows()
        line = next((x for x in lines if x.code is not None and x.code == self._department), None)
        scope = workbook_kinds.Scope(line.code, line.name) if line else workbook_kinds.Scope()
        job = workbook_kinds.results_export(self.db, self.year, scope)
        return import_flow.run_export(self, job)

    def open_carry_dialog(self) -> CarryDialog | None:
        """The cuts carried into next year (调减, with reasons; undo until approved)."""
        if self.year is None:
            return None
        self.carry_dialog = CarryDialog(self.db, self.year, self)
        self.carry_dialog.show()
        return self.carry_dialog

    def export_assessment(self, path: Path) -> int | None:
        """Per-unit grades, cuts and 整改 status for the budget 股 and the 综合考核."""
        from app.services.results.unit_export import export_unit_results  # openpyxl on use

        year, db, rules = self.year, self.db, self.rules()
        if year is None:
            return None
        return run_guarded(
            self, "导出综合考核表",
            lambda _p: export_unit_results(db, year, path, rules, date.today()),
        )  # fmt: skip

    def _on_carry_button_clicked(self) -> None:
        self.open_carry_dialog()

    def _on_assessment_button_clicked(self) -> None:
        if self.year is None:
            return
        name = import_flow.safe_file_name("综合考核", self.year)
        path = import_flow.choose_save_path(self, "导出综合考核表", name)
        if path is not None and self.export_assessment(path) is not None:
            show_info(self, "导出综合考核表", f"已导出：{path}")

    def _on_filter_changed(self, *_args: object) -> None:
        self._refilter()

    def _on_model_decision_requested(self, adjustment_id: int, cut: object, reason: str) -> None:
        assert isinstance(cut, Decimal)
        self.decide(adjustment_id, cut, reason)

    def _on_model_problem_found(self, message: str) -> None:
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.setText(message)

    def _on_department_selection_changed(self, selected: QItemSelection, _old: object) -> None:
        rows = {i.row() for i in selected.indexes()}
        if rows:
            self._department = self.department_model.row_at(min(rows)).code
            self._refilter()
