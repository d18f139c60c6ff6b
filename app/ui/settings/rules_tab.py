"""设置 → 规则集: the active rule set's name, file and main figures; choose another file.

Every page computes with the database's active rule set and notices the change when it is
shown next (app/ui/settings/active_rules.py), so choosing a file here is all it takes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
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
from app.services.common.settings import RuleSetSummary, rule_set_summary, set_active_rule_set_path
from app.storage.database import Database
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes

FIELDS = ("名称", "文件", "评分权重", "等级", "资金执行亮灯", "指标完成亮灯", "抽查比例")


RULES_FILTER = "规则集文件 (*.toml);;所有文件 (*)"
CHANGED_NOTE = "各页面的计算得分、等级、预警灯和抽查比例将按此规则集重新计算。"


def open_folder(url: QUrl) -> bool:
    """Open a folder in the file manager (replaced in tests)."""
    return QDesktopServices.openUrl(url)


def choose_rules_file(parent: QWidget, folder: Path) -> Path | None:
    """Ask for a rule file (replaced in tests)."""
    name, _ = QFileDialog.getOpenFileName(parent, "选择规则集文件", str(folder), RULES_FILTER)
    return Path(name) if name else None


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
        self.summary: RuleSetSummary | None = None
        self.fields = {
            key: QLabel()
            for key in (
                "名称",
                "文件",
                "评分权重",
                "等级",
                "资金执行亮灯",
                "指标完成亮灯",
                "抽查比例",
            )
        }
        self.problem_label = QLabel()
        self.choose_button = QPushButton("选择规则集文件…")
        self.default_button = QPushButton("恢复默认规则集")
        writes(self.choose_button, self.default_button)
        self.open_folder_button = QPushButton("打开规则集文件所在文件夹")
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        for key, label in self.fields.items():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{key}：", label)
        box = QGroupBox("当前使用的规则集")
        box.setLayout(form)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        note = QLabel(
            "规则集是一个文本文件（TOML 格式），规定评分权重、等级分数线、监控亮灯和抽查比例。"
            "各地做法不同时，复制默认规则集文件，按本地规定修改后，点“选择规则集文件…”选用"
            "（本数据库记住所选文件的位置，请勿移动或删除该文件）。更换后，各页面的得分、"
            "等级和预警灯按新规则重新计算，已填报和已审核的数据不变。"
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.default_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.problem_label)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.default_button.clicked.connect(self._on_default_button_clicked)

    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        s = self.summary = rule_set_summary(self._db)
        origin = "（程序自带的默认规则）" if s.is_default else ""
        values = {
            "名称": s.name or "—",
            "文件": f"{s.path}{origin}",
            "评分权重": _weights(s),
            "等级": _pairs(s.grade_bands),
            "资金执行亮灯": _pairs(s.budget_lamps),
            "指标完成亮灯": _pairs(s.indicator_lamps),
            "抽查比例": _sampling(s),
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self.problem_label.setText(f"规则集文件无法读取：{s.problem}" if s.problem else "")
        self.problem_label.setVisible(bool(s.problem))
        writable = not self._db.read_only
        self.choose_button.setEnabled(writable)
        self.default_button.setEnabled(writable and not s.is_default)

    def _on_open_folder_button_clicked(self) -> None:
        if self.summary is not None:
            open_folder(QUrl.fromLocalFile(str(self.summary.path.parent)))

    def _on_choose_button_clicked(self) -> None:
        folder = self.summary.path.parent if self.summary else Path.home()
        path = choose_rules_file(self, folder)
        if path is not None:
            self.use_rules_file(path)

    def _on_default_button_clicked(self) -> None:
        self.use_rules_file(None)

    def use_rules_file(self, path: Path | None) -> bool:
        """Make `path` (None: the shipped default) the database's rule set."""
        try:
            set_active_rule_set_path(self._db, path)
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload()
        assert self.summary is not None
        show_info(self, "已更换规则集", f"现在使用“{self.summary.name}”。{CHANGED_NOTE}")
        return True
