"""事前评估 page: projects that trigger an ex-ante assessment, the assessment form, the
totals (送审 / 审定 / 审减 / 审减率), exemptions, the summary table export and the roll
forward of the year (结转到下一年度)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import StaleRecordError, UserError
from app.domain.money import format_percent
from app.domain.pre_assessment import AssessmentSummary
from app.domain.progress import Cancelled
from app.domain.rules import RuleSet
from app.services.assessment.records import (
    CandidateRow,
    assessment_candidates,
    assessment_summary,
    set_exemption,
)
from app.services.assessment.report import export_preassessment_summary
from app.services.common.rollover import RolloverResult, roll_forward
from app.storage.database import Database
from app.storage.kinds import DEPARTMENT, GOAL, PRE_ASSESSMENT, PROJECT, SETTINGS
from app.ui.assessment.assessment_form import AssessmentForm
from app.ui.assessment.candidates_table import (
    COL_AMOUNT,
    COL_CODE,
    COL_DEPARTMENT,
    COL_NAME,
    COL_STATE,
    FILTERS,
    CandidateTableModel,
    wan_text,
)
from app.ui.assessment.exemption_dialog import ask_exemption
from app.ui.assessment.policy_dialog import PolicyDialog
from app.ui.settings.active_rules import PageRules
from app.ui.widgets.editing_dialog import CANCEL, SAVE, ask_unsaved
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.tasks import run_task
from app.ui.widgets.writes import writes

REPORT_FILTER = "Word 文档 (*.docx);;PDF 文件 (*.pdf)"
_COLUMN_SAMPLES = {
    COL_DEPARTMENT: "县住房和城乡建设局",
    COL_CODE: "21900120250001",
    COL_NAME: "农村义务教育学生营养改善计划",
    COL_AMOUNT: "资金总额（万元）",
    COL_STATE: "免于评估",
}


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask yes/no (tests replace this)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def choose_save_path(parent: QWidget | None, title: str, suggested: str) -> Path | None:
    """Where to save a report (tests replace this)."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, REPORT_FILTER)
    return Path(name) if name else None


def totals_text(summary: AssessmentSummary, rows: list[CandidateRow]) -> str:
    rate = format_percent(summary.cut_rate) if summary.cut_rate is not None else "—"
    waiting = sum(1 for r in rows if r.required and r.conclusion is None)
    return (
        f"已评估 {summary.count} 个　送审 {wan_text(summary.submitted)} 万元　"
        f"审定 {wan_text(summary.approved)} 万元　审减 {wan_text(summary.cut)} 万元　"
        f"审减率 {rate}　｜　达到评估条件 {len(rows)} 个，待评估 {waiting} 个"
    )


def rollover_text(result: RolloverResult) -> str:
    lines = [
        f"已把 {result.from_year} 年度的延续项目结转到 {result.to_year} 年度（草稿）：",
        f"结转项目 {len(result.copied)} 个，部门整体绩效目标 {result.department_goals} 个；",
        f"{result.to_year} 年度已有、跳过的项目 {len(result.skipped)} 个。",
    ]
    if result.need_attention:
        shown = "、".join(result.need_attention[:10])
        more = f"等 {len(result.need_attention)} 个" if len(result.need_attention) > 10 else ""
        lines.append(f"按现行规则须修改后才能提交的目标：{shown}{more}。")
    return "\n".join(lines)


class AssessmentPage(QWidget):
    shows = frozenset({DEPARTMENT, PROJECT, GOAL, PRE_ASSESSMENT, SETTINGS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self._rules = PageRules()
        self._stale = True
        self._seen = -1  # the database's change_count when what is shown was read
        self._rows: list[CandidateRow] = []
        self.model = CandidateTableModel(self)
        self.table = QTableView()
        self.filter_box = QComboBox()
        self.search = QLineEdit()
        self.totals_label = QLabel()
        self.form = AssessmentForm(db)
        self.exempt_button = QPushButton("免评设置…")
        self.policy_button = QPushButton("新出台重大政策…")
        self.policy_dialog: PolicyDialog | None = None
        self.export_button = QPushButton("导出汇总表…")
        self.rollover_button = QPushButton("结转到下一年度…")
        writes(self.exempt_button, self.rollover_button)
        self._build()
        self._connect()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("事前绩效评估")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.filter_box.addItems(list(FILTERS))
        self.search.setPlaceholderText("搜索项目编码、名称或单位")
        self.search.setClearButtonEnabled(True)
        top = QHBoxLayout()
        for widget in (title, self.filter_box):
            top.addWidget(widget)
        top.addWidget(self.search, 1)
        for button in (
            self.exempt_button,
            self.policy_button,
            self.export_button,
            self.rollover_button,
        ):
            top.addWidget(button)
        self.totals_label.setStyleSheet("padding: 4px; background: #f3f6fa;")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._setup_table()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([820, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals_label)
        layout.addWidget(splitter, 1)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)

    def _connect(self) -> None:
        self.filter_box.currentIndexChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.form.assessment_saved.connect(self._on_form_assessment_saved)
        self.exempt_button.clicked.connect(self._on_exempt_button_clicked)
        self.policy_button.clicked.connect(self._on_policy_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.rollover_button.clicked.connect(self._on_rollover_button_clicked)

    # -- loading -------------------------------------------------------------------------
    @property
    def rules(self) -> RuleSet:
        """The year's rule set (raises UserError when the stored rules are wrong)."""
        return self._rules.get(self._db, self._year)

    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self.form.set_database(db)
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self._year = year
        self._stale = True
        if self.isVisible():
            self.reload()

    def mark_stale(self) -> None:
        if self._db.change_count == self._seen:
            return  # read after the last commit (e.g. reloaded after the form saved)
        self._stale = True
        if self.isVisible():
            current = self.selected()
            self.reload(keep=current.project_id if current else None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self._rules.changed(self._db, self._year):  # thresholds may have changed
            self.reload()

    def reload(self, keep: int | None = None) -> None:
        """Read the year's candidates and totals; keep the selected project if still there."""
        self._stale = False
        self._seen = self._db.change_count
        year = self._year
        self._rows = assessment_candidates(self._db, year, self.rules) if year else []
        summary = assessment_summary(self._db, year) if year else None
        self.model.set_rows(self._rows)
        self.totals_label.setText(totals_text(summary, self._rows) if summary else "尚无年度数据")
        for button in (
            self.exempt_button,
            self.policy_button,
            self.export_button,
            self.rollover_button,
        ):
            button.setEnabled(year is not None)
        self._select(keep)

    def _select(self, project_id: int | None) -> None:
        row = self.model.row_of(project_id) if project_id is not None else None
        if row is None:
            self.table.clearSelection()
            self.form.show_candidate(None)
            return
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def selected(self) -> CandidateRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_project(self, project_code: str) -> bool:
        row = next((r for r in self._rows if r.project_code == project_code), None)
        if row is not None:
            self._select(row.project_id)
        return row is not None

    # -- actions -------------------------------------------------------------------------
    def export_summary(self, path: Path) -> Path | None:
        """Write the ex-ante summary table (.docx or .pdf) off the GUI thread."""
        year, rules = self._year, self.rules
        assert year is not None
        try:
            done = run_task(
                self,
                "导出事前评估汇总表",
                lambda p: export_preassessment_summary(self._db, year, rules, path, p),
                label="正在生成事前绩效评估汇总表…",
            )
        except Cancelled:
            return None
        except UserError as exc:
            show_error(self, exc)
            return None
        show_info(self, "导出完成", f"事前绩效评估汇总表已保存到：\n{done}")
        return done

    def roll_forward(self) -> RolloverResult | None:
        year, rules = self._year, self.rules
        assert year is not None
        text = (
            f"将把 {year} 年度的延续项目及其绩效目标复制到 {year + 1} 年度，作为草稿。\n"
            f"{year + 1} 年度已有的项目编码会跳过，重复执行不会重复复制。\n\n是否继续？"
        )
        if not confirm(self, "结转到下一年度", text):
            return None
        try:
            result = run_task(self, "年度结转", lambda _p: roll_forward(self._db, year, rules))
        except UserError as exc:
            show_error(self, exc)
            return None
        show_info(self, "年度结转完成", rollover_text(result))
        return result

    # -- slots ---------------------------------------------------------------------------
    def _on_filter_changed(self, *_args: object) -> None:
        current = self.selected()
        self.model.set_filter(self.filter_box.currentText(), self.search.text())
        self._select(current.project_id if current else None)

    def _on_table_current_row_changed(self, *_args: object) -> None:
        chosen, shown = self.selected(), self.form.candidate
        leaving = shown is not None and (chosen is None or chosen.project_id != shown.project_id)
        if leaving and shown is not None and self.form.is_dirty():
            question = f"项目 {shown.project_code} 的事前评估结果有未保存的修改，保存吗？"
            key = ask_unsaved(self, question)
            if key == CANCEL or (key == SAVE and not self.form.save()):
                self._select_quietly(shown.project_id)  # back to the typed form, as it is
                return
            if key == SAVE:
                self.reload(keep=chosen.project_id if chosen else None)  # the new conclusion
                return
        self.form.show_candidate(chosen)

    def _select_quietly(self, project_id: int) -> None:
        """Select a row without refilling the form from the database."""
        selection = self.table.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            self._select(project_id)
        finally:
            selection.blockSignals(blocked)
        self.table.viewport().update()

    def _on_form_assessment_saved(self, project_id: int) -> None:
        self.reload(keep=project_id)

    def _on_exempt_button_clicked(self) -> None:
        candidate = self.selected()
        if candidate is None:
            show_error(self, "请先在列表中选择一个项目")
            return
        choice = ask_exemption(self, candidate)
        if choice is None:
            return
        try:
            set_exemption(
                self._db,
                candidate.project_id,
                choice.exempt,
                choice.reason,
                choice.kind,
                loaded=candidate.stored_exemption,
            )
        except StaleRecordError as exc:
            show_error(self, exc)  # another seat changed it: show theirs
        except UserError as exc:
            show_error(self, exc)
            return
        self.reload(keep=candidate.project_id)

    def _on_policy_button_clicked(self) -> None:
        if self._year is None:
            return
        self.policy_dialog = PolicyDialog(self._db, self._year, self)
        self.policy_dialog.open()

    def _on_export_button_clicked(self) -> None:
        suggested = f"{self._year}年度事前绩效评估汇总表.docx"
        path = choose_save_path(self, "导出事前绩效评估汇总表", suggested)
        if path is not None:
            self.export_summary(path)

    def _on_rollover_button_clicked(self) -> None:
        self.roll_forward()
