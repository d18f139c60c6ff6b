"""新出台重大政策 in 事前评估: the year's policy assessments and the form to add or edit one.

The form is the project form's (AssessmentForm: five dimensions, conclusion, 送审/审定)
with the policy's name and 主管单位 above it. Selecting a listed policy edits it; 新增
starts a blank one. 关闭, Esc and the window's X ask before unsaved changes are dropped.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError, ValidationFailed
from app.domain.pre_assessment import policy_problems
from app.services.assessment.policies import PolicyRow, list_policies, record_policy
from app.services.common.catalog import section_tree
from app.storage.database import Database
from app.ui.assessment.assessment_form import AssessmentForm
from app.ui.widgets.confirm import ask
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel, setup_table
from app.ui.widgets.writes import writes

COLUMNS: tuple[Column[PolicyRow], ...] = (
    Column("主管单位", lambda r: r.department_name, sample="县人力资源和社会保障局"),
    Column("政策名称", lambda r: r.name, sample="县级农业产业化扶持政策"),
    Column("送审（万元）", lambda r: wan_text(r.data.requested), lambda r: r.data.requested,
           align=RIGHT),
    Column("审定（万元）", lambda r: wan_text(r.data.approved), lambda r: r.data.approved,
           align=RIGHT),
    Column("评估结论", lambda r: r.data.conclusion.value),
)  # fmt: skip


class PolicyDialog(QDialog):
    saved = Signal()  # a policy assessment was recorded

    def __init__(self, db: Database, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._year = db, year
        self._editing: int | None = None  # the policy shown, None for a new one
        self._version: int | None = None  # of the policy shown when loaded
        self.dirty = False
        self.model: RowTableModel[PolicyRow] = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.name_edit = QLineEdit()
        self.department_combo = QComboBox()
        self.form = AssessmentForm(db)
        self.new_button = QPushButton("新增政策评估")
        self.save_button = QPushButton("保存")
        self.close_button = QPushButton("关闭")
        self.state_label = QLabel()
        self._build()
        self.setWindowTitle(f"{year}年度新出台重大政策事前绩效评估")
        self.resize(980, 720)
        self.reload()
        self.start_new()

    def _build(self) -> None:
        setup_table(self.table, self.model, stretch=1)
        self.table.activated.connect(self._on_table_activated)
        self.table.clicked.connect(self._on_table_activated)
        for section in section_tree(self._db):
            for d in section.departments:
                self.department_combo.addItem(f"{d.name}（{d.code}）", d.code)
        self.department_combo.setCurrentIndex(-1)
        self.department_combo.setPlaceholderText("请选择主管单位")
        self.name_edit.setPlaceholderText("如：县级农业产业化扶持政策")
        top = QFormLayout()
        top.addRow("政策名称", self.name_edit)
        top.addRow("主管单位", self.department_combo)
        self.form.save_button.setVisible(False)
        self.form.title.setVisible(False)
        self.name_edit.textChanged.connect(self._on_changed)
        self.department_combo.currentIndexChanged.connect(self._on_changed)
        for box in (*self.form.ratings.values(), self.form.conclusion):
            box.currentIndexChanged.connect(self._on_changed)
        for edit in (self.form.requested, self.form.approved, self.form.assessor):
            edit.textChanged.connect(self._on_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        writes(self.save_button)  # the list stays readable in a read-only window
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本年度已评估的政策（单击修改）："))
        layout.addWidget(self.table, 1)
        layout.addLayout(top)
        layout.addWidget(self.form, 2)
        layout.addLayout(buttons)

    def reload(self) -> None:
        self.model.set_rows(list_policies(self._db, self._year))

    def start_new(self) -> None:
        self._show(None)

    def _show(self, row: PolicyRow | None) -> None:
        self._editing = row.id if row else None
        self._version = row.version if row else None
        widgets = (self.name_edit, self.department_combo)
        blockers = [w.blockSignals(True) for w in widgets]
        self.name_edit.setText(row.name if row else "")
        index = self.department_combo.findData(row.department_code) if row else -1
        self.department_combo.setCurrentIndex(index)
        for w, blocked in zip(widgets, blockers, strict=True):
            w.blockSignals(blocked)
        self.form.show_input(row.data if row else None)
        self.dirty = False
        self.state_label.setText(f"修改：{row.name}" if row else "新增一项政策评估")

    def save(self) -> bool:
        code = self.department_combo.currentData() or ""
        name = self.name_edit.text()
        data, problems = self.form.current_input()
        problems = policy_problems(name, code) + problems  # every problem at once
        if problems or data is None:
            show_error(self, ValidationFailed(problems, "填写的内容有误，未保存："))
            return False
        try:
            saved = record_policy(
                self._db, self._year, code, name, data, self._editing, self._version
            )
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self._show(next(r for r in self.model.all_rows() if r.id == saved.id))
        self.state_label.setText(f"已保存：{saved.name}")
        self.saved.emit()
        return True

    def _on_changed(self, *_args: object) -> None:
        self.dirty = True
        self.state_label.setText("有未保存的修改")

    def _may_leave(self) -> bool:
        """True unless unsaved work is kept: 保存 that fails keeps the dialog as it is."""
        if not self.dirty:
            return True
        question = "政策评估有未保存的修改，保存吗？"
        return not ask(self, "保存修改", question, "保存", "不保存") or self.save()

    def _on_new_button_clicked(self) -> None:
        if self._may_leave():
            self.start_new()

    def _on_table_activated(self, index: object) -> None:
        row = self.model.row_at(index.row())  # type: ignore[attr-defined]
        if row.id != self._editing and self._may_leave():
            self._show(row)

    def reject(self) -> None:
        """关闭, Esc and the window's X (QDialog's closeEvent rejects) all come here."""
        if self._may_leave():
            self.dirty = False
            super().reject()
