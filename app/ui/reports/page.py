"""报告 page: pick a report, its year and scope; preview, export to Word or PDF, print.

The preview is the exported PDF itself, rasterised: what the clerk sees is what is saved
and what is printed. Building runs through run_task (progress and cancel); the document is
kept, so exporting to Word or PDF after a preview does not read the database again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, QTemporaryDir, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path
from app.services.catalog import project_rows, section_tree
from app.services.reports import (
    Document,
    ReportKind,
    ReportRequest,
    build_report,
    ensure_user_template,
    render,
    save_copy,
)
from app.storage.database import Database
from app.ui.reports.pdf_pages import PdfPages, print_pages
from app.ui.reports.preview import PdfPreview
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.tasks import run_task

WHOLE_YEAR = "全年（全部单位）"
FILTERS = {".docx": "Word 文档 (*.docx)", ".pdf": "PDF 文件 (*.pdf)"}


@dataclass
class _Built:
    request: ReportRequest
    document: Document
    pages: PdfPages


class ReportsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self._lists_year: int | None = -1  # the year the pickers were filled for
        self._rules: RuleSet | None = None
        self._built: _Built | None = None
        self._folder = QTemporaryDir()  # previews; removed with the page
        self._last_dir = Path.home()
        self.kind_combo = QComboBox()
        self.project_edit = QLineEdit()
        self.department_combo = QComboBox()
        self.approved_check = QCheckBox("只收录已通过审核的目标")
        self.templates_button = QPushButton("修改报告文字模板…")
        self.preview_button = QPushButton("预览")
        self.word_button = QPushButton("导出 Word…")
        self.pdf_button = QPushButton("导出 PDF…")
        self.print_button = QPushButton("打印…")
        self.status_label = QLabel()
        self.preview = PdfPreview()
        self._projects = QStringListModel(self)
        self._form = QFormLayout()
        self._build()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        for kind in ReportKind:
            self.kind_combo.addItem(kind.label, kind)
        completer = QCompleter(self._projects, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.project_edit.setCompleter(completer)
        self.project_edit.setPlaceholderText("输入项目编码或名称")
        self.project_edit.setClearButtonEnabled(True)
        self.status_label.setWordWrap(True)
        form = self._form
        form.addRow("报告：", self.kind_combo)
        form.addRow("项目：", self.project_edit)
        form.addRow("单位：", self.department_combo)
        form.addRow("", self.approved_check)
        form.addRow("", self.templates_button)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.word_button, self.pdf_button, self.print_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        title = QLabel("报告")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        left.addWidget(title)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.status_label)
        left.addStretch(1)
        panel = QWidget()
        panel.setLayout(left)
        panel.setFixedWidth(420)
        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.preview, 1)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.project_edit.textChanged.connect(self._on_scope_changed)
        self.department_combo.currentIndexChanged.connect(self._on_scope_changed)
        self.approved_check.toggled.connect(self._on_scope_changed)
        self.templates_button.clicked.connect(self._on_templates_button_clicked)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.word_button.clicked.connect(lambda: self.export(".docx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self._show_scope_fields()

    @property
    def kind(self) -> ReportKind:
        return ReportKind(self.kind_combo.currentData())

    def _show_scope_fields(self) -> None:
        kind = self.kind
        shown = {
            self.project_edit: kind is ReportKind.GOAL_TABLE,
            self.department_combo: kind in (ReportKind.DEPARTMENT_GOAL_TABLE, ReportKind.GOAL_BOOK),
            self.approved_check: kind is ReportKind.GOAL_BOOK,
            self.templates_button: kind is ReportKind.ANNUAL,
        }
        for widget, visible in shown.items():
            self._form.setRowVisible(widget, visible)
        whole = self.department_combo.findText(WHOLE_YEAR)
        if kind is ReportKind.GOAL_BOOK and whole < 0:
            self.department_combo.insertItem(0, WHOLE_YEAR, None)
            self.department_combo.setCurrentIndex(0)
        elif kind is not ReportKind.GOAL_BOOK and whole >= 0:
            self.department_combo.removeItem(whole)

    # -- the year and the pickers (loaded lazily) --------------------------------------
    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self._lists_year = -1
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self._year = year
        self._forget()
        if self.isVisible():
            self._load_lists()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._load_lists()

    def _load_lists(self) -> None:
        if self._lists_year == self._year:
            return
        self._lists_year = self._year
        rows = project_rows(self._db, self._year) if self._year is not None else []
        self._projects.setStringList([f"{r.code}　{r.name}（{r.department_name}）" for r in rows])
        blocker = self.department_combo.blockSignals(True)
        try:
            self.department_combo.clear()
            for section in section_tree(self._db):
                for dept in section.departments:
                    self.department_combo.addItem(f"{dept.code}　{dept.name}", dept.code)
        finally:
            self.department_combo.blockSignals(blocker)
        self._show_scope_fields()

    def show_goal_table(self, project_code: str) -> None:
        """Open the goal table of a project (for a 绩效目标 page action)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(ReportKind.GOAL_TABLE))
        self.project_edit.setText(project_code)

    # -- the request -------------------------------------------------------------------
    def request(self) -> ReportRequest:
        if self._year is None:
            raise UserError("请先在窗口上方选择年度")
        kind = self.kind
        if kind is ReportKind.GOAL_TABLE:
            code = self.project_edit.text().strip().split("　")[0].split(" ")[0]
            if not code:
                raise UserError("请输入要生成绩效目标表的项目编码或名称")
            return ReportRequest(kind, self._year, project_code=code)
        department = self.department_combo.currentData()
        if kind is ReportKind.DEPARTMENT_GOAL_TABLE and not department:
            raise UserError("请选择单位")
        approved = self.approved_check.isChecked() and kind is ReportKind.GOAL_BOOK
        return ReportRequest(kind, self._year, department_code=department, approved_only=approved)

    def _rules_set(self) -> RuleSet:
        if self._rules is None:
            self._rules = load_rule_set(default_rules_path())
        return self._rules

    # -- preview -----------------------------------------------------------------------
    def build_preview(self) -> bool:
        """Build the chosen report and show its PDF pages; False if it did not happen."""
        try:
            request = self.request()
            rules = self._rules_set()
            path = Path(self._folder.path()) / f"{request.file_stem()}.pdf"
            document = run_task(
                self, "生成报告", lambda progress: self._build_pdf(request, rules, path, progress)
            )
            pages = PdfPages(path)
        except Cancelled:
            self.status_label.setText("已取消生成报告。")
            return False
        except UserError as exc:
            show_error(self, exc)
            return False
        self._forget()
        self._built = _Built(request, document, pages)
        self.preview.show_pages(pages)
        self.status_label.setText(f"{request.kind.label}：共 {len(pages)} 页。")
        return True

    def _build_pdf(
        self, request: ReportRequest, rules: RuleSet, path: Path, progress: Progress
    ) -> Document:  # worker thread: services only, no widgets
        document = build_report(self._db, request, rules, progress)
        render(document, path, progress)
        return document

    def _forget(self) -> None:
        if self._built is not None:
            self._built.pages.close()
            self._built = None
        self.preview.show_pages(None)
        self.status_label.clear()

    def _current(self) -> _Built | None:
        """The built report for the current choices, building it first when needed."""
        try:
            request = self.request()
        except UserError as exc:
            show_error(self, exc)
            return None
        if self._built is None or self._built.request != request:
            self.build_preview()
        return self._built

    # -- export and print --------------------------------------------------------------
    def export(self, suffix: str) -> Path | None:
        built = self._current()
        if built is None:
            return None
        start = str(self._last_dir / (built.request.file_stem() + suffix))
        name, _filter = QFileDialog.getSaveFileName(self, "导出报告", start, FILTERS[suffix])
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        try:
            if suffix == ".pdf":
                save_copy(built.pages.path, target)
            else:
                run_task(
                    self,
                    "导出 Word 文档",
                    lambda progress: render(built.document, target, progress),
                )
        except Cancelled:
            self.status_label.setText("已取消导出。")
            return None
        except UserError as exc:
            show_error(self, exc)
            return None
        self._last_dir = target.parent
        self.status_label.setText(f"已导出：{target}")
        return target

    def _on_print_button_clicked(self) -> None:
        built = self._current()
        if built is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(built.request.file_stem())
        printer.setFromTo(1, len(built.pages))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print the previewed pages (the printer's page range, if set); pages printed."""
        built = self._built
        if built is None:
            return 0
        first, last = printer.fromPage(), printer.toPage()
        first, last = (first, last) if first > 0 else (1, len(built.pages))
        progress = QProgressDialog("正在打印…", "取消", 0, last - first + 1, self)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(500)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            printed = print_pages(built.pages, printer, first, last, step)
        except UserError as exc:
            show_error(self, exc)
            return 0
        finally:
            progress.close()
            progress.deleteLater()
        self.status_label.setText(f"已送打印 {printed} 页。")
        return printed

    # -- slots -------------------------------------------------------------------------
    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self._show_scope_fields()
        self._forget()

    def _on_scope_changed(self, *_args: object) -> None:
        if self._built is not None:
            self._forget()

    def _on_preview_button_clicked(self) -> None:
        self.build_preview()

    def _on_templates_button_clicked(self) -> None:
        try:
            path = ensure_user_template()
        except UserError as exc:
            show_error(self, exc)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            show_info(self, "报告文字模板", f"请用记事本打开并修改：\n{path}")
