"""编辑规则集: one year's rule values in a form, checked field by field when saved.

The form and its checks are the service's (app/services/common/rules_form.py): a wrong value
is listed with its group, label and key, and its field is marked; nothing is saved then.
关闭, Esc and X with unsaved changes ask 保存 / 不保存 / 取消.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError, ValidationFailed
from app.services.common.rules_form import CHOICE, Field, apply_form, field_of, form_fields
from app.services.common.rules_form import form_values as read_values
from app.services.common.year_rules import rules_text_for_year, save_year_rules
from app.storage.database import Database
from app.ui.widgets.choice import Choice, ask
from app.ui.widgets.messages import show_error
from app.ui.widgets.writes import writes

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
MARKED = "border: 1px solid #b00020;"
NAME_GROUP = "名称"


class RulesEditorDialog(QDialog):
    def __init__(self, db: Database, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"编辑 {year} 年度规则集")
        self._db, self._year = db, year
        self._text = rules_text_for_year(db, year).text
        self.fields = form_fields(self._text)
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.problem_label = QLabel()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self._build()
        self._saved = self.values()
        self.saved = False  # whether anything was saved (the tab reloads then)

    def _build(self) -> None:
        groups: dict[str, QFormLayout] = {}
        grid = QGridLayout()
        head = QFormLayout()  # the name, above the groups
        for field in self.fields:
            if field.group == NAME_GROUP:
                self.editors[field.key] = self._editor(field)
                head.addRow(field.label + "：", self.editors[field.key])
                continue
            if field.group not in groups:
                box = QGroupBox(field.group)
                groups[field.group] = QFormLayout(box)
                index = len(groups) - 1
                grid.addWidget(box, index // 2, index % 2)
            editor = self._editor(field)
            self.editors[field.key] = editor
            label = QLabel(field.label + "：")
            if field.hint:
                editor.setToolTip(field.hint)
                label.setToolTip(field.hint)
            groups[field.group].addRow(label, editor)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        note = QLabel(
            f"只改变 {self._year} 年度的规则；其他年度（包括已评分的年度）不变。"
            "比例用小数填写（0.6 表示 60%），把鼠标停在输入框上可看说明。"
        )
        note.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.save_button.setEnabled(not self._db.read_only)
        writes(self.save_button)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.resize(900, 640)

    def _editor(self, field: Field) -> QLineEdit | QComboBox:
        value = read_values(self._text)[field.key]
        if field.kind == CHOICE:
            combo = QComboBox()
            for key, text in field.choices:
                combo.addItem(text, key)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        edit = QLineEdit(value)
        edit.setPlaceholderText(field.hint)
        return edit

    # -- values ------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {
            key: editor.currentData() if isinstance(editor, QComboBox) else editor.text()
            for key, editor in self.editors.items()
        }

    def set_value(self, key: str, text: str) -> None:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(text))
        else:
            editor.setText(text)

    def is_dirty(self) -> bool:
        return self.values() != self._saved

    def save_changes(self) -> bool:
        """Check and save; on problems list them, mark their fields and stay open."""
        for editor in self.editors.values():
            editor.setStyleSheet("")
        try:
            text = apply_form(self._text, self.values())
            save_year_rules(self._db, self._year, text, how="在设置中修改")
        except ValidationFailed as exc:
            self._show_problems([p.message for p in exc.problems])
            return False
        except UserError as exc:
            show_error(self, exc)
            return False
        self._text, self._saved, self.saved = text, self.values(), True
        self.problem_label.hide()
        return True

    def _show_problems(self, messages: list[str]) -> None:
        self.problem_label.setText("未保存，请修改：\n" + "\n".join(messages))
        self.problem_label.show()
        marked = [f for m in messages if (f := field_of(m, self.fields)) is not None]
        for field in marked:
            self.editors[field.key].setStyleSheet(MARKED)
        if marked:  # show the first wrong field, which may be scrolled out of sight
            first = self.editors[marked[0].key]
            self.scroll_area.ensureWidgetVisible(first)
            first.setFocus()

    # -- leaving -----------------------------------------------------------------------
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
        question = f"{self._year} 年度规则集有未保存的修改，关闭前保存吗？"
        key = ask(self, "未保存的修改", question, choices, default=SAVE, escape=CANCEL)
        if key == SAVE:
            return self.save_changes()
        return key == DISCARD

    def reject(self) -> None:
        # 关闭, Esc and X all end here (QDialog.closeEvent calls reject).
        if self.may_close():
            super().reject()
