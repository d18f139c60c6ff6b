"""报告文字: one year's annual report wording, a text editor per section.

Left the sections (each paragraph template), in the middle the selected section's text and
its preview filled with this year's figures, right the placeholders (double-click inserts
one). 从上一年度复制 fills the editor with last year's saved text — offered, never used
silently. 关闭, Esc and X with unsaved changes ask 保存 / 不保存 / 取消.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.reports.wording import (
    placeholder_names,
    preview,
    previous_wording,
    save_wording,
    sections,
    with_sections,
    wording_for_year,
    year_values,
)
from app.storage.database import Database
from app.ui.widgets.choice import Choice, ask
from app.ui.widgets.messages import show_error

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class WordingEditorDialog(QDialog):
    def __init__(
        self, db: Database, year: int, rules: RuleSet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{year} 年度报告文字")
        self._db, self._year, self._rules = db, year, rules
        stored = wording_for_year(db, year)
        self._base = stored.text
        self._saved = {s.key: s.text for s in sections(stored.text)}
        self.texts = dict(self._saved)
        self._values: dict[str, str] | None = None  # this year's figures, read on first preview
        self.origin_label = QLabel(
            f"{year} 年度自己的报告文字。"
            if stored.own
            else "程序自带的报告文字（尚未保存本年度的文字）。"
        )
        self.section_list = QListWidget()
        self.editor = QPlainTextEdit()
        self.preview_label = QLabel()
        self.placeholder_list = QListWidget()
        self.copy_button = QPushButton("从上一年度复制")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self._previous = previous_wording(db, year)
        self.saved = False  # whether anything was saved (the page's preview is rebuilt then)
        self._build()
        self.section_list.setCurrentRow(0)

    def _build(self) -> None:
        for section in sections(self._base):
            item = QListWidgetItem(section.label)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(section.key)
            self.section_list.addItem(item)
        for name, text in placeholder_names():
            item = QListWidgetItem(f"{text}　{{{name}}}" if text else f"{{{name}}}")
            item.setData(Qt.ItemDataRole.UserRole, "{" + name + "}")
            self.placeholder_list.addItem(item)
        self.placeholder_list.setToolTip("双击插入到光标处")
        self.preview_label.setWordWrap(True)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview_label.setStyleSheet("background: white; padding: 6px;")
        middle = QVBoxLayout()
        middle.addWidget(QLabel("文字（花括号中的名称生成报告时替换为数字）："))
        middle.addWidget(self.editor, 2)
        middle.addWidget(QLabel("预览（按本年度数据）："))
        middle.addWidget(self.preview_label, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("可用占位符："))
        right.addWidget(self.placeholder_list)
        body = QHBoxLayout()
        body.addWidget(self.section_list, 2)
        body.addLayout(middle, 4)
        body.addLayout(right, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.origin_label)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        if self._previous is None:
            self.copy_button.setEnabled(False)
            self.copy_button.setToolTip("上一年度没有保存的报告文字")
        else:
            self.copy_button.setToolTip(f"用 {self._previous.year} 年度保存的文字替换编辑中的文字")
        self.save_button.setEnabled(not self._db.read_only)
        self.section_list.currentRowChanged.connect(self._on_section_changed)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.placeholder_list.itemDoubleClicked.connect(self._on_placeholder_double_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.resize(1100, 640)

    # -- editing -------------------------------------------------------------------------
    def current_key(self) -> str:
        item = self.section_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def _on_section_changed(self) -> None:
        key = self.current_key()
        if key in self.texts:
            self.editor.setPlainText(self.texts[key])  # textChanged refreshes the preview

    def _on_editor_text_changed(self) -> None:
        key = self.current_key()
        if key:
            self.texts[key] = self.editor.toPlainText()
            self.refresh_preview()

    def refresh_preview(self) -> None:
        key = self.current_key()
        try:
            if self._values is None:
                self._values = year_values(self._db, self._year, self._rules)
            self.preview_label.setText(preview(self.texts[key], key, self._values))
            self.preview_label.setStyleSheet("background: white; padding: 6px;")
        except UserError as exc:
            self.preview_label.setText(exc.message)
            self.preview_label.setStyleSheet("background: white; padding: 6px; color: #b00020;")

    def _on_placeholder_double_clicked(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText(item.data(Qt.ItemDataRole.UserRole))
        self.editor.setFocus()

    def _on_copy_button_clicked(self) -> None:
        if self._previous is None:
            return
        copied = {s.key: s.text for s in sections(self._previous.text)}
        self.texts.update({k: v for k, v in copied.items() if k in self.texts})
        self._on_section_changed()

    # -- saving and leaving ----------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self.texts != self._saved

    def save_changes(self) -> bool:
        edited = {k: v for k, v in self.texts.items() if v != self._saved.get(k)}
        try:
            text = with_sections(self._base, edited)
            save_wording(self._db, self._year, text, how="在报告页修改")
        except UserError as exc:  # ValidationFailed lists every wrong section
            show_error(self, exc)
            return False
        self._base, self._saved, self.saved = text, dict(self.texts), True
        self.origin_label.setText(f"{self._year} 年度自己的报告文字。")
        return True

    def _on_save_button_clicked(self) -> None:
        if self.save_changes():
            self.accept()

    def may_close(self) -> bool:
        if not self.is_dirty():
            return True
        choices = [
            Choice(SAVE, "保存"),
            Choice(DISCARD, "不保存", QMessageBox.ButtonRole.DestructiveRole),
            Choice(CANCEL, "取消", QMessageBox.ButtonRole.RejectRole),
        ]
        question = f"{self._year} 年度报告文字有未保存的修改，关闭前保存吗？"
        key = ask(self, "未保存的修改", question, choices, default=SAVE, escape=CANCEL)
        if key == SAVE:
            return self.save_changes()
        return key == DISCARD

    def reject(self) -> None:
        # 关闭, Esc and X all end here (QDialog.closeEvent calls reject).
        if self.may_close():
            super().reject()
