"""导入表格（纸质表样）: drop or choose a folder of departments' forms, see the boards.

Two boards: by file (状态, which forms, which units and projects, the problems located
below the list) and by unit (已收 / 有问题 / 未收). A refused file can be fixed and imported
again on its own (重新导入所选文件); the others are not touched. The import runs off the GUI
thread through run_task; every file is all-or-nothing in the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.progress import Cancelled
from app.services.common.settings import active_rule_set
from app.services.forms import (
    IMPORTED,
    MISSING,
    RECEIVED,
    REFUSED,
    FileReport,
    UnitStatus,
    form_files,
    import_forms,
    unit_board,
)
from app.storage.database import Database
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import Column, RowTableModel, setup_table
from app.ui.widgets.tasks import run_task

FILE_FILTER = "表格文件 (*.xlsx *.xls *.et *.docx);;所有文件 (*)"
_REFUSED_BACKGROUND = QColor("#fde2e1")
_MISSING_FOREGROUND = QColor("#777777")


@dataclass(frozen=True)
class FileRow:
    report: FileReport

    @property
    def forms(self) -> str:
        return "、".join(dict.fromkeys(t.kind for t in self.report.tables)) or "—"

    @property
    def units(self) -> str:
        return "、".join(dict.fromkeys(t.unit for t in self.report.tables if t.unit)) or "—"

    @property
    def projects(self) -> str:
        return "、".join(t.project for t in self.report.tables if t.project) or "—"


def _tint(refused: bool) -> QColor | None:
    return _REFUSED_BACKGROUND if refused else None


FILE_COLUMNS = (
    Column[FileRow]("文件", lambda r: r.report.name, sample="001上犹县教育局自评表.xlsx"),
    Column[FileRow](
        "状态", lambda r: r.report.status, lambda r: (r.report.status != REFUSED, r.report.name),
        sample="有问题", background=lambda r: _tint(r.report.status == REFUSED),
    ),
    Column[FileRow]("表样", lambda r: r.forms, sample="项目支出绩效自评表", tooltip=True),
    Column[FileRow]("单位", lambda r: r.units, sample="上犹县教育局"),
    Column[FileRow]("项目", lambda r: r.projects, tooltip=True),
    Column[FileRow](
        "问题", lambda r: str(len(r.report.blocking)), lambda r: len(r.report.blocking), sample="99"
    ),
)  # fmt: skip
UNIT_COLUMNS = (
    Column[UnitStatus]("单位编码", lambda u: u.code, sample="219001001"),
    Column[UnitStatus]("单位", lambda u: u.name, sample="上犹县卫生健康委员会"),
    Column[UnitStatus](
        "状态", lambda u: u.status, sample="有问题",
        background=lambda u: _tint(u.status == REFUSED),
        foreground=lambda u: _MISSING_FOREGROUND if u.status == MISSING else None,
    ),
    Column[UnitStatus](
        "表样与项目", lambda u: "；".join(u.forms) or "—", tooltip=True,
        sample="项目支出绩效自评表：家庭经济困难学生资助；部门整体支出绩效自评表：部门整体支出",
    ),
    Column[UnitStatus]("文件", lambda u: "、".join(u.files) or "—", tooltip=True),
)  # fmt: skip


class FormsImportDialog(QDialog):
    forms_imported = Signal()  # something was written: pages should reload

    def __init__(self, db: Database, year: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._reports: dict[Path, FileReport] = {}
        self.setWindowTitle("导入表格（纸质表样）")
        self.setAcceptDrops(True)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(0, 2199)
        self.year_spin.setSpecialValueText("按表头")
        self.year_spin.setValue(year or 0)
        self.folder_button = QPushButton("选择文件夹…")
        self.files_button = QPushButton("选择文件…")
        self.reimport_button = QPushButton("重新导入所选文件")
        self.summary_label = QLabel("把各单位报送的表格文件或文件夹拖到这里，或点“选择文件夹…”。")
        self.file_model = RowTableModel[FileRow](FILE_COLUMNS, self)
        self.file_view = QTableView()
        self.problem_list = QListWidget()
        self.unit_model = RowTableModel[UnitStatus](UNIT_COLUMNS, self)
        self.unit_view = QTableView()
        self.tabs = QTabWidget()
        self._build()
        self._refresh()

    def _build(self) -> None:
        top = QHBoxLayout()
        for widget in (self.folder_button, self.files_button, self.reimport_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(QLabel("表头未写年度时按："))
        top.addWidget(self.year_spin)
        setup_table(self.file_view, self.file_model, stretch=4)
        self.file_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # files to fix first
        setup_table(self.unit_view, self.unit_model, stretch=4)
        self.problem_list.setWordWrap(True)
        files = QSplitter(Qt.Orientation.Vertical)
        files.addWidget(self.file_view)
        files.addWidget(self.problem_list)
        files.setSizes([400, 200])
        self.tabs.addTab(files, "按文件")
        self.tabs.addTab(self.unit_view, "按单位")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.files_button.clicked.connect(self._on_files_button_clicked)
        self.reimport_button.clicked.connect(self._on_reimport_button_clicked)
        self.file_view.selectionModel().currentRowChanged.connect(self._on_file_row_changed)
        self.resize(1100, 700)

    # -- actions --------------------------------------------------------------------------
    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders; the boards show the latest result of every file."""
        files = form_files(paths)
        if not files:
            show_error(self, "所选位置没有 .xlsx、.xls 或 .docx 文件。")
            return
        year = self.year_spin.value() or None
        rules = active_rule_set(self._db)
        try:
            reports = run_task(
                self, "导入表格",
                lambda progress: import_forms(self._db, files, rules, year=year, progress=progress),
                label="正在导入表格…",
            )  # fmt: skip
        except Cancelled:
            reports = []
        except UserError as exc:
            show_error(self, exc)
            return
        for report in reports:
            self._reports[report.path] = report
        self._refresh()
        if any(r.status == IMPORTED for r in reports):
            self.forms_imported.emit()

    def _selected(self) -> FileReport | None:
        index = self.file_view.currentIndex()
        return self.file_model.row_at(index.row()).report if index.isValid() else None

    def _on_folder_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择各单位报送表格所在的文件夹")
        if folder:
            self.import_paths([Path(folder)])

    def _on_files_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择表格文件", "", FILE_FILTER)
        if names:
            self.import_paths([Path(n) for n in names])

    def _on_reimport_button_clicked(self) -> None:
        report = self._selected()
        if report is not None:
            self.import_paths([report.path])

    def _on_file_row_changed(self, *_args: object) -> None:
        report = self._selected()
        self.reimport_button.setEnabled(report is not None)
        self.problem_list.clear()
        if report is None:
            return
        lines = [
            f"{t.kind}（{t.place}）：{t.unit} {t.project}，指标 {t.rows} 行" for t in report.tables
        ]
        lines += [p.describe() for p in report.problems]
        self.problem_list.addItems(lines or ["没有问题。"])

    # -- boards ---------------------------------------------------------------------------
    def _refresh(self) -> None:
        reports = list(self._reports.values())
        # Files to fix first; the rest in the order they were imported.
        self.file_model.set_rows(
            [FileRow(r) for r in sorted(reports, key=lambda r: r.status != REFUSED)]
        )
        board = unit_board(self._db, reports)
        self.unit_model.set_rows(board)
        refused = sum(r.status == REFUSED for r in reports)
        counts = {s: sum(u.status == s for u in board) for s in (RECEIVED, REFUSED, MISSING)}
        if reports:
            self.summary_label.setText(
                f"文件 {len(reports)} 个：{len(reports) - refused} 个已导入或无变化，"
                f"{refused} 个有问题。"
                f"　单位 {len(board)} 个：已收 {counts[RECEIVED]}，有问题 {counts[REFUSED]}，"
                f"未收 {counts[MISSING]}。"
            )
        self._on_file_row_changed()

    # -- drag and drop --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        if paths:
            self.import_paths(paths)
