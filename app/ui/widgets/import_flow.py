"""The one Excel import flow and the one export flow every page uses.

Import: choose a file → run the kind's import through run_task (progress bar, cancel: the
service rolls back, nothing is saved) → a refused file (ValidationFailed) opens the problems
dialog (every problem located, exportable); a file that would blank stored values or delete
indicators (DeletionsNotConfirmed) asks first, listing them, and imports only when the user
confirms (through the kind's `confirmed` run); any other expected problem (a locked, damaged or
hostile file) goes through show_error; success reloads the page, then shows what was added,
changed and left alone. Export: choose where (a suggested name that says year and scope) →
run_task → a message with the path and "打开所在文件夹".

A kind is plain data (ImportKind / ExportJob, built in workbook_kinds.py), so this module
knows nothing of goals or monitoring. Dialogs open with open(), never exec(): the caller
gets them back (tests read them) and the window stays responsive. The services (and with
them openpyxl) are imported when a button is used, not when the window starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DeletionsNotConfirmed, Problem, UserError, ValidationFailed
from app.domain.progress import Cancelled, Progress
from app.ui.widgets import choice
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.problem_table import (
    ChangeLine,
    ChangeTableModel,
    ProblemsDialog,
    ProblemTableModel,
    setup_rows_table,
)
from app.ui.widgets.tasks import run_task

MESSAGE_COLUMN = ProblemTableModel.COL_MESSAGE
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
LISTED_LOSSES = 12  # lines in the question; all of them under "显示详细信息"
HINT_PREFIX = "（提醒）"  # some services mark hints in the text; the table has a column for it
_UNSAFE_IN_NAMES = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


@dataclass(frozen=True)
class ImportReport:
    """What a successful import did, as the summary dialog shows it."""

    headline: str
    changed: bool  # anything written (the page reloads only then)
    lines: tuple[ChangeLine, ...] = ()  # added / changed / left alone, one per object
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # backup taken, departments created…


@dataclass(frozen=True)
class ImportKind:
    title: str  # "导入绩效目标": window titles
    run: Callable[[Path, Progress], Any]  # the service's import
    report: Callable[[Any], ImportReport]
    # None: the generic writer (services.problem_export); the goals workbook has its own.
    export_problems: Callable[[Path, Sequence[Problem]], Path] | None = None
    label: str = "正在读取并检查文件…"
    # The import allowed to blank or delete stored data, run once the user confirmed the list.
    confirmed: Callable[[Path, Progress], Any] | None = None


@dataclass(frozen=True)
class ExportJob:
    title: str  # "导出绩效目标"
    file_name: str  # the suggested name, e.g. 绩效目标_2025_县教育局.xlsx
    run: Callable[[Path, Progress], Any]  # the service's export
    describe: Callable[[Any], str]  # one sentence: what was written
    label: str = "正在生成 Excel 文件…"


def safe_file_name(*parts: object) -> str:
    """`绩效目标_2025_县教育局.xlsx` from its parts, without characters Windows refuses."""
    return "_".join(str(p).translate(_UNSAFE_IN_NAMES).strip() for p in parts if p) + ".xlsx"


# -- choosing files ----------------------------------------------------------------------
class _Folder:
    """The folder the last file was chosen in, offered next time (this session only)."""

    path: Path = Path.home()


def choose_open_path(parent: QWidget | None, title: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title, str(_Folder.path), XLSX_FILTER)
    if not name:
        return None
    _Folder.path = Path(name).parent
    return Path(name)


def choose_save_path(parent: QWidget | None, title: str, file_name: str) -> Path | None:
    start = str(_Folder.path / file_name)
    name, _filter = QFileDialog.getSaveFileName(parent, title, start, XLSX_FILTER)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    _Folder.path = path.parent
    return path


def open_folder(parent: QWidget | None, path: Path) -> bool:
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
        return True
    show_error(parent, f"无法打开文件夹：{path.parent}")
    return False


# -- import ------------------------------------------------------------------------------
def run_import(
    parent: QWidget, kind: ImportKind, on_imported: Callable[[Any], None] | None = None
) -> QDialog | None:
    """Ask for a file and import it; the dialog shown (problems or summary), else None."""
    path = choose_open_path(parent, f"{kind.title}：选择 Excel 文件")
    return import_file(parent, kind, path, on_imported) if path else None


def import_file(
    parent: QWidget,
    kind: ImportKind,
    path: Path,
    on_imported: Callable[[Any], None] | None = None,
) -> QDialog | None:
    label = f"{kind.label}\n{path.name}"
    try:
        result = run_task(parent, kind.title, lambda p: kind.run(path, p), label=label)
    except Cancelled:
        show_info(parent, kind.title, "已取消导入，未保存任何数据。")
        return None
    except ValidationFailed as exc:
        return _show_problems(parent, kind, path, exc.problems)
    except DeletionsNotConfirmed as exc:
        if kind.confirmed is None or not confirm_losses(parent, kind.title, exc):
            show_info(parent, kind.title, "未导入，没有保存任何数据。")
            return None
        allowed = replace(kind, run=kind.confirmed, confirmed=None)
        return import_file(parent, allowed, path, on_imported)
    except UserError as exc:
        show_error(parent, exc)
        return None
    report = kind.report(result)
    if report.changed and on_imported is not None:
        on_imported(result)
    dialog = ImportSummaryDialog(parent, f"{kind.title}完成", path.name, report)
    dialog.open()
    return dialog


def confirm_losses(parent: QWidget, title: str, exc: DeletionsNotConfirmed) -> bool:
    """Ask before an import blanks stored values or deletes indicators, listing them (the
    first ones in the question, every one under "显示详细信息")."""
    lines = list(exc.losses[:LISTED_LOSSES])
    if len(exc.losses) > LISTED_LOSSES:
        lines.append(f"……另有 {len(exc.losses) - LISTED_LOSSES} 处，见“显示详细信息”")
    choices = [
        choice.Choice("ok", "删除并导入"),
        choice.Choice("cancel", "取消", QMessageBox.ButtonRole.RejectRole),
    ]
    box = choice.build_box(
        parent,
        title,
        f"文件“{exc.file_name}”将删除或清空 {len(exc.losses)} 处已保存的数据，是否继续导入？",
        choices,
        icon=QMessageBox.Icon.Warning,
        informative="\n".join(lines),
        default="cancel",
        escape="cancel",
    )
    if len(exc.losses) > LISTED_LOSSES:
        box.setDetailedText("\n".join(exc.losses))
    return choice.answer(box) == "ok"


def _show_problems(
    parent: QWidget, kind: ImportKind, path: Path, problems: Sequence[Problem]
) -> ProblemsDialog:
    tidy = [
        p if p.blocking else replace(p, message=p.message.removeprefix(HINT_PREFIX))
        for p in problems
    ]
    holder: list[ProblemsDialog] = []

    def export_list() -> None:
        export_problem_file(holder[0], kind, path, tidy)

    dialog = ProblemsDialog(parent, f"{kind.title}：文件有问题", path.name, tidy, export_list)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    holder.append(dialog)
    dialog.open()
    return dialog


def export_problem_file(
    parent: QWidget, kind: ImportKind, source: Path, problems: Sequence[Problem]
) -> QMessageBox | None:
    """ "导出问题清单…": the list as .xlsx beside the refused file by default."""
    from app.services.common.problem_export import export_problem_list

    write = kind.export_problems or export_problem_list
    job = ExportJob(
        "导出问题清单",
        safe_file_name("导入问题清单", source.stem),
        lambda path, _progress: write(path, problems),
        lambda _result: f"已导出问题清单，共 {len(problems)} 条。",
    )
    return run_export(parent, job)  # offered in the folder the file was chosen from


# -- export ------------------------------------------------------------------------------
def run_export(parent: QWidget, job: ExportJob) -> QMessageBox | None:
    """Ask where to save, write through run_task, then say where it went."""
    path = choose_save_path(parent, job.title, job.file_name)
    if path is None:
        return None
    try:
        result = run_task(parent, job.title, lambda p: job.run(path, p), label=job.label)
    except Cancelled:
        return None
    except UserError as exc:
        show_error(parent, exc)
        return None
    box = ExportDoneBox(parent, job.title, job.describe(result), path)
    box.open()
    return box


class ExportDoneBox(QMessageBox):
    """ "导出完成" with the path, and a button that opens the folder in the file manager."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        super().__init__(parent)
        self.path = path
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(f"{title}完成")
        self.setText(text)
        self.setInformativeText(f"已保存到：\n{path}")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = self.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        self.close_button = self.addButton("关闭", QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.close_button)
        self.folder_button.clicked.connect(lambda: open_folder(self.parentWidget(), self.path))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


class ImportSummaryDialog(QDialog):
    """What an import added, changed and left alone, and its hints."""

    def __init__(
        self, parent: QWidget | None, title: str, file_name: str, report: ImportReport
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report = report
        self.headline = QLabel(report.headline)
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 12pt; font-weight: bold;")
        status = "已保存。" if report.changed else "文件内容与系统中的数据一致，没有保存任何变化。"
        self.notes = QLabel("\n".join([f"文件“{file_name}”：{status}", *report.notes]))
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_model = ChangeTableModel(self)
        self.change_model.set_rows(report.lines)
        self.warning_model = ProblemTableModel(self)
        self.warning_model.set_rows(report.warnings)
        self.tabs = QTabWidget()
        self.change_table = self._add_tab(self.change_model, ChangeTableModel.COL_NOTE, "变化明细")
        self.warning_table = self._add_tab(self.warning_model, MESSAGE_COLUMN, "提示")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.tabs.setVisible(self.tabs.count() > 0)
        self.resize(860, 480 if self.tabs.count() else 160)

    def _add_tab(self, model: Any, stretch: int, title: str) -> QTableView | None:
        if model.rowCount() == 0:
            return None
        table = QTableView()
        setup_rows_table(table, model, stretch)
        self.tabs.addTab(table, f"{title}（{model.rowCount()}）")
        return table
