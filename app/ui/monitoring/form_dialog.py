"""What the project and the 部门整体 monitoring forms share (entry_dialog, department_dialog):
the state line and 保存 / 保存并关闭 / 关闭 (Ctrl+S, Ctrl+Enter), the unsaved-changes rule
and the save-conflict view of EditingDialog, compared field by field in the form's `shape`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.domain.errors import Problem
from app.domain.rules import RuleSet
from app.storage.database import Database
from app.ui.monitoring import entry_conflict
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.writes import writes


class MonitoringFormDialog(EditingDialog):
    shape: entry_conflict.Shape
    _form: Any  # EntryForm or DepartmentForm: the row shown and the domain's basis

    def __init__(self, db: Database, rules: RuleSet, read_only: bool, parent: QWidget | None):
        super().__init__(parent)
        self._db, self._rules, self.read_only = db, rules, read_only
        self._dirty = False
        self.table = QTableView()
        self.state_label = QLabel()
        self.save_button = QPushButton("保存(&S)")
        self.save_close_button = QPushButton("保存并关闭")
        self.close_button = QPushButton("关闭")
        writes(self.save_button, self.save_close_button)

    # -- what each form says ---------------------------------------------------------------
    def reload(self) -> Any:
        """The form (EntryForm or DepartmentForm) as stored now."""
        raise NotImplementedError

    def current_edit(self) -> tuple[Any, list[Problem]]:
        raise NotImplementedError

    def save(self) -> bool:
        raise NotImplementedError

    def _fill(self, row: Any) -> None:
        raise NotImplementedError

    def _relight(self) -> None:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------
    def _buttons(self) -> QHBoxLayout:
        box = QHBoxLayout()
        box.addWidget(self.state_label, 1)
        for button in (self.save_button, self.save_close_button):
            button.setVisible(not self.read_only)
            box.addWidget(button)
        box.addWidget(self.close_button)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_close_button.clicked.connect(self._on_save_close_button_clicked)
        self.close_button.clicked.connect(self.reject)
        if not self.read_only:
            QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_button_clicked)
            QShortcut(QKeySequence("Ctrl+Return"), self, self._on_save_close_button_clicked)
        self.close_button.setDefault(self.read_only)
        return box

    def is_dirty(self) -> bool:
        return self._dirty and not self.read_only

    def save_changes(self) -> bool:
        return self.save()

    def finish_editing(self) -> None:
        """A cell still being typed counts, as in a spreadsheet."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            editor = self.table.indexWidget(self.table.currentIndex())
            if editor is not None:
                self.table.commitData(editor)

    def conflict_labels(self) -> dict[str, str]:
        return self.shape.labels(self._form.row)

    def form_values(self) -> dict[str, Any]:
        return self.shape.values_of(self.current_edit()[0])

    def stored_values(self) -> tuple[dict[str, Any], int]:
        self._stored = self.reload()
        stored = self.shape.stored_values(self._stored.row, self._stored.basis)
        return stored, self._stored.row.version

    def take_values(self, values: dict[str, Any], version: int) -> None:
        row = replace(self.shape.merged_row(self._stored.row, values), version=version)
        self._form = replace(self._stored, row=row)
        self._fill(row)
        self._on_form_changed()  # chosen, not saved yet

    def shown_value(self, key: str, value: Any) -> str:
        return entry_conflict.shown(value)

    def _on_form_changed(self, *_args: object) -> None:
        self._dirty = True
        self.state_label.setText("有未保存的修改")
        self._relight()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_save_close_button_clicked(self) -> None:
        if self.save():
            self.accept()
