"""设置 → 规则集: one year's rule set (name and main figures), edited in a form, imported from
or exported to a TOML file shared between counties.

Every page computes with its year's rules and notices a change when it is shown next
(app/ui/settings/active_rules.py), so saving here is all it takes. Other years never change.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.numbers import plain
from app.services.common.catalog import list_years
from app.services.common.settings import RuleSetSummary, rule_set_summary
from app.services.common.year_rules import export_rules_file, import_rules_file
from app.storage.database import Database
from app.ui.settings.rules_editor import RulesEditorDialog
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes

RULES_FILTER = "规则集文件 (*.toml);;所有文件 (*)"
CHANGED_NOTE = "该年度各页面的计算得分、等级、预警灯和抽查比例将按此规则集重新计算；其他年度不变。"


def choose_rules_file(parent: QWidget, folder: Path) -> Path | None:
    """Ask for a rule file to import (replaced in tests)."""
    name, _ = QFileDialog.getOpenFileName(parent, "导入规则集文件", str(folder), RULES_FILTER)
    return Path(name) if name else None


def choose_export_file(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to export (replaced in tests)."""
    name, _ = QFileDialog.getSaveFileName(parent, "导出规则集文件", str(suggested), RULES_FILTER)
    return Path(name) if name else None


def open_editor(dialog: RulesEditorDialog) -> None:
    """Show the editor modally (replaced in tests)."""
    dialog.exec()


def _pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{label}：{text}" for label, text in pairs) or "—"


def _weights(summary: RuleSetSummary) -> str:
    parts = [f"{name} {plain(points)} 分" for name, points in summary.weights]
    total = f"（合计 {plain(summary.total_points)} 分）" if summary.total_points else ""
    return "，".join(parts) + total if parts else "—"


def _sampling(summary: RuleSetSummary) -> str:
    if summary.sampling_ratio is None:
        return "—"
    percent = plain(summary.sampling_ratio * Decimal(100))
    return f"按股室抽取 {percent}% 的自评项目，每个股室至少 {summary.sampling_min_per_section} 个"


class RulesTab(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self.summary: RuleSetSummary | None = None
        keys = ["名称", "来源", "评分权重", "等级", "监控月份"]
        keys += ["资金执行亮灯", "指标完成亮灯", "抽查比例"]
        self.fields = {key: QLabel() for key in keys}
        self.year_combo = QComboBox()
        self.problem_label = QLabel()
        self.edit_button = QPushButton("编辑规则…")
        self.import_button = QPushButton("导入规则集文件…")
        self.export_button = QPushButton("导出规则集文件…")
        writes(self.edit_button, self.import_button)
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        for key, label in self.fields.items():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{key}：", label)
        box = QGroupBox("该年度的规则集")
        box.setLayout(form)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        note = QLabel(
            "规则集规定评分权重、等级分数线、监控月份和亮灯界限、抽查比例等，每个年度一套，"
            "保存在本数据库中（备份和复制数据库时一并带走）。新年度从上一年度的规则集复制而来；"
            "修改某一年度的规则集，不会改变其他年度已计算的得分和等级。"
            "与其他县区交流时，可导出或导入规则集文件（TOML 格式）。"
        )
        note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_combo)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(self.problem_label)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.year_combo.activated.connect(self._on_year_combo_activated)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)

    def set_database(self, db: Database) -> None:
        self._db = db

    def set_year(self, year: int | None) -> None:
        """The year shown first: the main window's."""
        self._year = year

    def reload(self) -> None:
        years = list_years(self._db)
        if self._year not in years:
            self._year = years[-1] if years else None
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(f"{year} 年度", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(self._year))
        s = self.summary = rule_set_summary(self._db, self._year)
        values = {
            "名称": s.name or "—",
            "来源": _origin(s),
            "评分权重": _weights(s),
            "等级": _pairs(s.grade_bands),
            "监控月份": "、".join(f"{m} 月" for m in s.months) or "—",
            "资金执行亮灯": _pairs(s.budget_lamps),
            "指标完成亮灯": _pairs(s.indicator_lamps),
            "抽查比例": _sampling(s),
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self.problem_label.setText(f"规则集不能使用：{s.problem}" if s.problem else "")
        self.problem_label.setVisible(bool(s.problem))
        writable = not self._db.read_only and self._year is not None
        self.edit_button.setEnabled(writable and not s.problem)
        self.import_button.setEnabled(writable)
        self.export_button.setEnabled(self._year is not None)

    def _on_year_combo_activated(self, _index: int) -> None:
        self._year = self.year_combo.currentData()
        self.reload()

    def _on_edit_button_clicked(self) -> None:
        if self._year is None:
            return
        dialog = RulesEditorDialog(self._db, self._year, self)
        open_editor(dialog)
        if dialog.saved:
            self.reload()

    def _on_import_button_clicked(self) -> None:
        path = choose_rules_file(self, Path.home())
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        if self._year is None:
            return False
        try:
            rules = import_rules_file(self._db, self._year, path)
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload()
        show_info(self, "已导入规则集", f"{self._year} 年度现在使用“{rules.name}”。{CHANGED_NOTE}")
        return True

    def _on_export_button_clicked(self) -> None:
        if self._year is None:
            return
        suggested = Path.home() / f"{self._year}年度规则集.toml"
        path = choose_export_file(self, suggested)
        if path is None:
            return
        try:
            export_rules_file(self._db, self._year, path)
        except UserError as exc:
            show_error(self, exc)
            return
        show_info(self, "已导出规则集", f"已写出：{path}")


def _origin(s: RuleSetSummary) -> str:
    if s.year is None:
        return "尚无年度：程序自带的默认规则"
    if s.source_year == s.year:
        return f"{s.year} 年度自己的规则集（保存在数据库中）"
    if s.source_year is None:
        return "程序自带的默认规则（编辑或导入后成为该年度自己的规则集）"
    return f"沿用 {s.source_year} 年度的规则集（编辑或导入后成为该年度自己的规则集）"
