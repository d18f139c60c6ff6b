"""财政重点评价 page: the year's plan (部门整体, 政策, 项目) with scores and grades; each
evaluation opens in its dialog; the 重点评价报告 is written to Word or PDF from here (or from
the 报告 page, which lists it with the other reports)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.numbers import wan
from app.services.common.catalog import section_tree
from app.services.key_evaluation import (
    EvaluationRow,
    delete_evaluation,
    key_evaluation_summary,
    list_evaluations,
)
from app.services.reports import ReportKind, ReportRequest, export_report
from app.storage.database import Database
from app.storage.kinds import DEPARTMENT, KEY_EVALUATION, PROJECT, SETTINGS
from app.ui.evaluation.lazy import LazyPage, run_guarded
from app.ui.key_evaluation.dialog import KeyEvaluationDialog
from app.ui.widgets.confirm import ask
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.row_table import CENTER, RIGHT, Column, RowTableModel, setup_table
from app.ui.widgets.writes import writes

EMPTY_TEXT = "本年度尚无财政重点评价。点“新增评价”选择评价对象并说明理由。"


def _score(r: EvaluationRow) -> str:
    return f"{r.total:.2f}" if r.complete else f"已评{r.scored}/{len(r.items)}项"


COLUMNS: tuple[Column[EvaluationRow], ...] = (
    Column("评价编号", lambda r: r.code, sample="ZD2025-10"),
    Column("类型", lambda r: r.object_kind, align=CENTER, sample="部门整体"),
    Column("评价对象", lambda r: r.subject, sample="农村义务教育学生营养改善", tooltip=True),
    Column("主管单位", lambda r: r.department, sample="县人力资源和社会保障局", tooltip=True),
    Column("评价资金（万元）", lambda r: wan(r.plan.amount), lambda r: r.plan.amount, RIGHT),
    Column("第三方机构", lambda r: r.plan.agency, sample="示例会计师事务所有限公司"),
    Column("得分", _score, lambda r: r.total, RIGHT, "已评20/20项"),
    Column("等级", lambda r: r.grade, align=CENTER, sample="等级"),
    Column("问题", lambda r: str(len(r.problem_lines)), lambda r: len(r.problem_lines), RIGHT),
)


class EvaluationTableModel(RowTableModel[EvaluationRow]):
    def __init__(self, parent: object = None) -> None:
        super().__init__(COLUMNS, parent)


class KeyEvaluationPage(LazyPage):
    shows = frozenset({DEPARTMENT, KEY_EVALUATION, PROJECT, SETTINGS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.add_button = QPushButton("新增评价…")
        self.open_button = QPushButton("打开评价…")
        self.delete_button = QPushButton("删除评价")
        self.report_button = QPushButton("导出评价报告…")
        writes(self.add_button, self.delete_button)
        self.summary_label = QLabel(EMPTY_TEXT)
        self.model = EvaluationTableModel(self)
        self.table = QTableView()
        self.dialog: KeyEvaluationDialog | None = None
        self._build()

    def _build(self) -> None:
        title = QLabel("财政重点评价")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for button in (self.add_button, self.open_button, self.delete_button, self.report_button):
            top.addWidget(button)
        setup_table(self.table, self.model, stretch=2)
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

    # -- loading -------------------------------------------------------------------------
    def load(self) -> bool:
        assert self.year is not None
        rules = self.rules()
        self.model.set_rows(list_evaluations(self.db, self.year, rules))
        s = key_evaluation_summary(self.db, self.year, rules)
        if not s.count:
            self.summary_label.setText(EMPTY_TEXT)
            return True
        kinds = "，".join(f"{k}{n}项" for k, n in s.by_kind.items())
        grades = "，".join(f"{g}{n}项" for g, n in s.grades.items())
        self.summary_label.setText(
            f"{self.year}年共{s.count}项（{kinds}），涉及资金{wan(s.amount)}万元；"
            f"已完成评分{s.finished}项：{grades}；发现问题{s.problems}个。"
        )
        return True

    def clear(self) -> None:
        self.model.set_rows([])
        self.summary_label.setText(EMPTY_TEXT if self.year is not None else "请先选择年度。")

    def selected(self) -> EvaluationRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # -- actions -------------------------------------------------------------------------
    def open_dialog(self, row: EvaluationRow | None) -> KeyEvaluationDialog | None:
        """Show the dialog (new when `row` is None); the list reloads after each save."""
        if self.year is None:
            show_error(self, "请先在窗口上方选择年度。")
            return None
        try:
            rules = self.rules()
            departments = [(d.code, d.name) for s in section_tree(self.db) for d in s.departments]
        except UserError as exc:
            show_error(self, exc)
            return None
        self.dialog = KeyEvaluationDialog(self.db, self.year, rules, departments, row, self)
        self.dialog.evaluation_saved.connect(self._on_dialog_evaluation_saved)
        self.dialog.show()
        return self.dialog

    def delete_selected(self) -> bool:
        row = self.selected()
        if row is None:
            show_error(self, "请先在列表中选择要删除的重点评价。")
            return False
        if not ask(self, "删除重点评价", f"删除“{row.code} {row.subject}”及其全部评分？", "删除"):
            return False
        try:
            delete_evaluation(self.db, row.id)
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload()
        return True

    def export_report_file(self, path: Path) -> Path | None:
        """Write the selected evaluation's report (.docx or .pdf by the name)."""
        row, year = self.selected(), self.year
        if row is None or year is None:
            show_error(self, "请先在列表中选择一项重点评价。")
            return None
        request = ReportRequest(ReportKind.KEY_EVALUATION, year, evaluation_code=row.code)
        rules, db = self.rules(), self.db
        written = run_guarded(
            self, "生成评价报告", lambda p: export_report(db, request, path, rules, p)
        )
        if written is not None:
            show_info(self, "导出评价报告", f"已生成：{written}")
        return written

    # -- slots ---------------------------------------------------------------------------
    def _on_add_button_clicked(self) -> None:
        self.open_dialog(None)

    def _on_open_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            show_error(self, "请先在列表中选择一项重点评价。")
            return
        self.open_dialog(row)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.open_dialog(self.model.row_at(index.row()))

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_report_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            show_error(self, "请先在列表中选择一项重点评价。")
            return
        name = f"{row.code}_{row.subject}绩效评价报告.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出评价报告", str(Path.home() / name), "PDF 文件 (*.pdf);;Word 文档 (*.docx)"
        )
        if path:
            self.export_report_file(Path(path))

    def _on_dialog_evaluation_saved(self, _evaluation_id: int) -> None:
        self.reload()
