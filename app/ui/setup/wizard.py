"""新建本县数据库: a short guided set-up — names and first year, 股室, units, confirm.

The wizard only collects and checks (services.setup.initial.check_setup and friends); the
main window creates the file and calls set_up_county, the same service as `init`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import paths
from app.domain.errors import UserError, ValidationFailed
from app.domain.units import unit_problems
from app.services.setup import county, sections, years
from app.services.setup.initial import CountySetup
from app.ui.opening import DB_FILE_FILTER
from app.ui.setup.unit_grid import UnitGrid
from app.ui.widgets import choice
from app.ui.widgets.choice import Choice
from app.ui.widgets.messages import show_error

SECTIONS_EXAMPLE = "预算股\n教科文股\n农业农村股\n经济建设股\n社会保障股\n行政政法股"
GIVE_UP, GO_ON = "give_up", "go_on"


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class NamesPage(QWizardPage):
    def __init__(self, target: Path | None) -> None:
        super().__init__()
        self.setTitle("第一步：县（区）和第一个年度")
        self.setSubTitle("这些名称会印在报告的标题和落款中，以后可在“设置 → 基础信息”中修改。")
        self.county_edit = QLineEdit()
        self.county_edit.setPlaceholderText("例如：青山县")
        self.bureau_edit = QLineEdit()
        self.bureau_edit.setPlaceholderText("不填则为“县名＋财政局”")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(years.FIRST_YEAR, years.LAST_YEAR)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setMaximumWidth(self.fontMetrics().horizontalAdvance("2026 年") + 60)
        self.path_edit = QLineEdit()
        self.browse_button = QPushButton("选择位置…")
        self._target = target
        self._path_typed = False
        form = QFormLayout(self)
        form.addRow("县（区）名称：", self.county_edit)
        form.addRow("财政局名称：", self.bureau_edit)
        form.addRow("第一个预算年度：", self.year_spin)
        if target is None:
            row = QHBoxLayout()
            row.addWidget(self.path_edit, 1)
            row.addWidget(self.browse_button)
            form.addRow("数据库文件：", row)
            form.addRow("", _note("本县的全部数据保存在这一个文件中；程序每天自动备份。"))
        self.county_edit.textChanged.connect(self._on_county_edit_text_changed)
        self.path_edit.textEdited.connect(self._on_path_edit_text_edited)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self._on_county_edit_text_changed("")

    def path(self) -> Path:
        if self._target is not None:
            return self._target
        return Path(self.path_edit.text().strip()).expanduser()

    def validatePage(self) -> bool:
        try:
            county.checked_names(self.county_edit.text(), self.bureau_edit.text())
            years.checked_year(self.year_spin.value())
            if self._target is None:
                self._check_path()
        except UserError as exc:
            show_error(self, exc)
            return False
        return True

    def _check_path(self) -> None:
        if not self.path_edit.text().strip():
            raise UserError("请选择数据库文件的保存位置。")
        if self.path().exists():
            raise UserError(f"文件“{self.path()}”已经存在，请换一个文件名或位置。")

    def _on_county_edit_text_changed(self, text: str) -> None:
        name = " ".join(text.split()) or "本县"
        self.bureau_edit.setPlaceholderText(f"不填则为“{name}财政局”")
        if not self._path_typed:
            self.path_edit.setText(str(paths.data_dir() / f"{name}预算绩效.sqlite3"))

    def _on_path_edit_text_edited(self, _text: str) -> None:
        self._path_typed = True

    def _on_browse_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "数据库文件", self.path_edit.text(), DB_FILE_FILTER
        )
        if name:
            self._path_typed = True
            self.path_edit.setText(name)


class SectionsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第二步：财政局业务股室")
        self.setSubTitle(
            "每行一个股室，按希望在列表和报告中出现的顺序填写；以后可增加、改名、调整顺序或停用。"
        )
        self.sections_edit = QPlainTextEdit()
        self.sections_edit.setPlaceholderText("例如：\n" + SECTIONS_EXAMPLE)
        self.example_button = QPushButton("填入常见股室")
        layout = QVBoxLayout(self)
        layout.addWidget(self.sections_edit, 1)
        row = QHBoxLayout()
        row.addWidget(self.example_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.example_button.clicked.connect(
            lambda: self.sections_edit.setPlainText(SECTIONS_EXAMPLE)
        )

    def names(self) -> list[str]:
        lines = (" ".join(line.split()) for line in self.sections_edit.toPlainText().splitlines())
        return list(dict.fromkeys(line for line in lines if line))

    def validatePage(self) -> bool:
        try:
            for name in self.names():
                sections.checked_name(name)
        except UserError as exc:
            show_error(self, exc)
            return False
        return True


class UnitsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第三步：预算单位")
        self.setSubTitle("逐行填写、从 Excel 复制后粘贴，或导入“单位”工作表；也可以以后再添加。")
        self.grid = UnitGrid()
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        layout.addWidget(
            _note(
                "“股室”填第二步中的名称；“主管部门编码”填上级主管部门的单位编码，主管部门本身不填。"
                "“单位”工作表即绩效目标工作簿（空白模板）中的同名工作表。"
            )
        )

    def validatePage(self) -> bool:
        problems = unit_problems(self.grid.units())
        if problems:
            show_error(self, ValidationFailed(problems, f"单位列表有 {len(problems)} 个问题："))
            return False
        return True


class ConfirmPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("第四步：确认")
        self.setSubTitle("点“建立数据库”后保存；以后可在“设置 → 基础信息”中修改以上内容。")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def show_summary(self, setup: CountySetup, path: Path) -> None:
        bureau = " ".join(setup.bureau.split()) or f"{' '.join(setup.county.split())}财政局"
        lines = [
            f"县（区）：{' '.join(setup.county.split())}",
            f"财政局：{bureau}",
            f"第一个预算年度：{setup.year} 年",
            f"股室：{'、'.join(setup.sections) or '（暂无）'}",
            f"预算单位：{len(setup.units)} 个",
            f"数据库文件：{path}",
        ]
        self.summary.setText("\n\n".join(lines))


class SetupWizard(QWizard):
    """`target`: set up this (blank, open) database instead of creating a new file."""

    def __init__(self, parent: QWidget | None = None, target: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("建立本县数据库")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.names = NamesPage(target)
        self.sections = SectionsPage()
        self.units = UnitsPage()
        self.confirm = ConfirmPage()
        for page in (self.names, self.sections, self.units, self.confirm):
            self.addPage(page)
        texts = {
            QWizard.WizardButton.BackButton: "< 上一步",
            QWizard.WizardButton.NextButton: "下一步 >",
            QWizard.WizardButton.FinishButton: "建立数据库",
            QWizard.WizardButton.CancelButton: "取消",
        }
        for button, text in texts.items():
            self.setButtonText(button, text)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(820, 600)
        self.currentIdChanged.connect(self._on_current_id_changed)

    def county_setup(self) -> CountySetup:
        n = self.names
        return CountySetup(
            n.county_edit.text(),
            n.bureau_edit.text(),
            n.year_spin.value(),
            self.sections.names(),
            self.units.grid.units(),
        )

    def path(self) -> Path:
        return self.names.path()

    def reject(self) -> None:
        """取消, Esc or X: typed work is not thrown away without asking."""
        if self._typed() and choice.ask(
            self, "建立本县数据库", "已填写的内容尚未保存，确定放弃吗？",
            [Choice(GIVE_UP, "放弃", QMessageBox.ButtonRole.DestructiveRole),
             Choice(GO_ON, "继续填写", QMessageBox.ButtonRole.RejectRole)],
            default=GO_ON, escape=GO_ON,
        ) != GIVE_UP:  # fmt: skip
            return
        super().reject()

    def _typed(self) -> bool:
        setup = self.county_setup()
        return bool(setup.county.strip() or setup.sections or setup.units)

    def _on_current_id_changed(self, _page_id: int) -> None:
        if self.currentPage() is self.confirm:
            self.confirm.show_summary(self.county_setup(), self.path())
