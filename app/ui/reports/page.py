"""报告 page: pick a report, its year and scope; preview, export to Word or PDF, print.

Every report the app prints is offered (app.services.reports.KINDS), with the scope fields
it needs (scope.py). The preview is the exported PDF itself, rasterised: what the clerk
sees is what is saved and what is printed. 预览 builds in the background (progress and
取消 under the buttons, the page usable meanwhile, a newer 预览 wins); exporting or
printing with nothing built yet builds through run_task first, as the file dialog follows.
The document is kept, so exporting after a preview does not read the database again.
The pickers are read when the page is shown (monitoring rounds and the spot-check sample
may change on other pages meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTemporaryDir
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.domain.rules import RuleSet
from app.services.common.catalog import project_rows, section_tree
from app.services.key_evaluation import list_evaluations
from app.services.monitoring import list_rounds
from app.services.reports import (
    Document,
    ReportKind,
    ReportRequest,
    build_report,
    draft_notes,
    font_warnings,
    render,
    sampled_projects,
    save_copy,
)
from app.storage.database import Database
from app.storage.kinds import ALL_KINDS
from app.ui.reports.pdf_pages import PdfPages, print_pages
from app.ui.reports.preview import PdfPreview
from app.ui.reports.scope import WHOLE_YEAR, ReportScopeForm, ScopeLists
from app.ui.reports.wording_editor import WordingEditorDialog
from app.ui.settings.active_rules import PageRules
from app.ui.widgets.background import BackgroundLoader, LoadBar
from app.ui.widgets.messages import show_error
from app.ui.widgets.tasks import run_task

__all__ = ["WHOLE_YEAR", "ReportsPage"]
OUTDATED_NOTE = "数据已有修改：预览是修改前的内容，导出或打印时按最新数据重新生成。"
FILTERS = {".docx": "Word 文档 (*.docx)", ".pdf": "PDF 文件 (*.pdf)"}


def open_wording_editor(dialog: WordingEditorDialog) -> None:
    """Show the wording editor modally (replaced in tests)."""
    dialog.exec()


@dataclass
class _Built:
    request: ReportRequest
    document: Document
    pages: PdfPages
    outdated: bool = False  # the data changed since: still shown, rebuilt before export


class ReportsPage(QWidget):
    shows = ALL_KINDS  # a report may draw on anything

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self._lists_year: int | None = -1  # the year the project and unit lists are for
        self._rules = PageRules()
        self._built: _Built | None = None
        self._folder = QTemporaryDir()  # previews; removed with the page
        self._last_dir = Path.home()
        self.scope = ReportScopeForm()
        # the scope's widgets, by their names (tests and the main window use them)
        self.kind_combo = self.scope.kind_combo
        self.month_combo = self.scope.month_combo
        self.project_edit = self.scope.project_edit
        self.sample_combo = self.scope.sample_combo
        self.opinion_combo = self.scope.opinion_combo
        self.department_combo = self.scope.department_combo
        self.evaluation_combo = self.scope.evaluation_combo
        self.approved_check = self.scope.approved_check
        self.final_check = self.scope.final_check
        self.date_edit = self.scope.date_edit
        self.doc_number_edit = self.scope.doc_number_edit
        self.templates_button = self.scope.templates_button
        self._projects = self.scope.projects
        self.preview_button = QPushButton("预览")
        self.word_button = QPushButton("导出 Word…")
        self.pdf_button = QPushButton("导出 PDF…")
        self.print_button = QPushButton("打印…")
        self.status_label = QLabel()
        self.font_label = QLabel()  # roles printing in a substitute font, named once shown
        self._fonts_checked = False
        self.preview = PdfPreview()
        self.load_bar = LoadBar()
        self.loader = BackgroundLoader(self, self.load_bar)
        self._build()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.word_button, self.pdf_button, self.print_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        title = QLabel("报告")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        left.addWidget(title)
        left.addWidget(self.scope)
        left.addLayout(buttons)
        left.addWidget(self.load_bar)
        left.addWidget(self.status_label)
        self.font_label.setWordWrap(True)
        self.font_label.setStyleSheet("color: #8a5a00;")
        self.font_label.hide()
        left.addWidget(self.font_label)
        left.addStretch(1)
        panel = QWidget()
        panel.setLayout(left)
        panel.setFixedWidth(440)
        layout = QHBoxLayout(self)
        layout.addWidget(panel)
        layout.addWidget(self.preview, 1)
        self.scope.changed.connect(self._on_scope_changed)
        self.templates_button.clicked.connect(self._on_templates_button_clicked)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.word_button.clicked.connect(lambda: self.export(".docx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.print_button.clicked.connect(self._on_print_button_clicked)

    @property
    def kind(self) -> ReportKind:
        return self.scope.kind

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

    def mark_stale(self) -> None:
        """The data changed (here or at another seat): a preview being built starts again on
        the new data; one already shown stays on screen, marked outdated, and is rebuilt
        before it is exported or printed (a colleague's save must not blank what is read)."""
        building = self.loader.busy
        self._lists_year = -1
        if building:
            self.loader.cancel()
        if self.isVisible():
            self._load_lists()
        if building:
            self.build_preview()
        elif self._built is not None and not self._built.outdated:
            self._built.outdated = True
            self.status_label.setText(f"{self.status_label.text()}\n{OUTDATED_NOTE}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._rules.changed(self._db, self._year):  # the preview was built by the old rules
            self._forget()
        self._load_lists()

    def _show_font_warnings(self) -> None:
        """Name the typefaces this machine lacks, once the first report is built: before
        anything is printed or exported, yet not on merely showing the page (resolving the
        fonts reads every CJK face into memory, ~100 MB; building a PDF does it anyway)."""
        if self._fonts_checked:
            return
        self._fonts_checked = True
        lines = font_warnings()
        self.font_label.setText("PDF 字体提示：\n" + "\n".join(lines))
        self.font_label.setVisible(bool(lines))

    def _load_lists(self) -> None:
        """Projects and units once per year; rounds and the sample each time (they change
        on other pages)."""
        year = self._year
        projects, departments = self.scope.projects.stringList(), self._departments()
        if self._lists_year != year:
            rows = project_rows(self._db, year) if year is not None else []
            projects = [f"{r.code}　{r.name}（{r.department_name}）" for r in rows]
            self._lists_year = year
        months: list[tuple[int, str]] = []
        sampled, evaluations = [], []
        if year is not None:
            months = [(r.month, f"{r.month}月（{r.status_label}）") for r in self._rounds(year)]
            rules = self._rules_set()
            sampled = sampled_projects(self._db, year, rules)
            evaluations = [
                (e.code, f"{e.code}　{e.subject}") for e in list_evaluations(self._db, year, rules)
            ]
        lists = ScopeLists(projects, departments, months, sampled, evaluations)
        self.scope.set_lists(lists)

    def _departments(self) -> list[tuple[str, str]]:
        return [(d.code, d.name) for s in section_tree(self._db) for d in s.departments]

    def _rounds(self, year: int) -> list:
        try:
            return list_rounds(self._db, year)
        except UserError:  # a year without data: nothing to pick
            return []

    def show_goal_table(self, code: str, department: bool = False) -> bool:
        """Preview the goal table of a project (or, with `department`, of a unit's 部门整体
        目标), for the 绩效目标 page and the goal editor. False if it was not built."""
        if department:
            self.scope.choose(ReportKind.DEPARTMENT_GOAL_TABLE)
            found = self.department_combo.findData(code)
            if found < 0:
                self._load_lists()
                found = self.department_combo.findData(code)
            self.department_combo.setCurrentIndex(found)
        else:
            self.scope.choose(ReportKind.GOAL_TABLE)
            self.project_edit.setText(code)
        return self.build_preview()

    # -- the request -------------------------------------------------------------------
    def request(self) -> ReportRequest:
        return self.scope.request(self._year)

    def _rules_set(self) -> RuleSet:
        """The year's rule set (raises UserError when the stored rules are wrong)."""
        return self._rules.get(self._db, self._year)

    # -- preview -----------------------------------------------------------------------
    def build_preview(self) -> bool:
        """Start building the chosen report in the background; its PDF pages show when it
        is done. False if it did not start (a wrong choice, already shown)."""
        prepared = self._prepare()
        if prepared is None:
            return False
        request, rules, path = prepared
        self._forget()
        self.loader.start(
            lambda progress: self._build_pdf(request, rules, path, progress),
            lambda document: self._show_built(request, document, path),
            label=f"正在生成{request.kind.label}…",
            failed=self._on_build_failed,
        )
        return True

    def _build_now(self) -> bool:
        """Build the chosen report before exporting or printing it (modal progress)."""
        prepared = self._prepare()
        if prepared is None:
            return False
        request, rules, path = prepared
        self.loader.cancel()  # this build replaces a preview under way
        try:
            document = run_task(
                self, "生成报告", lambda progress: self._build_pdf(request, rules, path, progress)
            )
        except (Cancelled, UserError) as exc:
            self._on_build_failed(exc, shown=False)
            return False
        self._show_built(request, document, path)
        return self._built is not None

    def _prepare(self) -> tuple[ReportRequest, RuleSet, Path] | None:
        try:
            request = self.request()
            rules = self._rules_set()
        except UserError as exc:
            show_error(self, exc)
            return None
        return request, rules, Path(self._folder.path()) / f"{request.file_stem()}.pdf"

    def _show_built(self, request: ReportRequest, document: Document, path: Path) -> None:
        try:
            pages = PdfPages(path)
        except UserError as exc:
            show_error(self, exc)
            return
        self._forget()
        self._built = _Built(request, document, pages)
        self.preview.show_pages(pages)
        status = f"{request.kind.label}：共 {len(pages)} 页。"
        if document.draft:
            status += f"\n这是草稿，定稿前请补充：{'；'.join(draft_notes(document))}。"
        self.status_label.setText(status)
        self._show_font_warnings()

    def _on_build_failed(self, error: BaseException, shown: bool = True) -> None:
        """A cancel says so; a UserError is shown (by the loader when `shown`)."""
        if isinstance(error, Cancelled):
            self.status_label.setText("已取消生成报告。")
        elif isinstance(error, UserError) and not shown:
            show_error(self, error)

    def _build_pdf(
        self, request: ReportRequest, rules: RuleSet, path: Path, progress: Progress
    ) -> Document:  # worker thread: services only, no widgets
        document = build_report(self._db, request, rules, progress)
        render(document, path, progress)
        return document

    def _forget(self) -> None:
        """Drop the preview, and a build under way (what it was for has changed)."""
        self.loader.cancel()
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
        if self._built is None or self._built.request != request or self._built.outdated:
            self._build_now()
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
    def _on_scope_changed(self) -> None:
        if self._built is not None or self.loader.busy:
            self._forget()

    def _on_preview_button_clicked(self) -> None:
        self.build_preview()

    def _on_templates_button_clicked(self) -> None:
        if self._year is None:
            return
        try:
            dialog = WordingEditorDialog(self._db, self._year, self._rules_set(), self)
        except UserError as exc:
            show_error(self, exc)
            return
        open_wording_editor(dialog)
        if dialog.saved:
            self._forget()  # the preview was written with the old wording
