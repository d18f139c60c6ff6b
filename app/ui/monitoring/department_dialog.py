"""The entry form of one department as a whole in a round (部门整体 monitoring).

The project form's style (app.ui.monitoring.entry_dialog): money on top, the budget lamp
with its 偏差原因, the conclusion, and the goal's indicator grid; lamps lit again on every
keystroke by the services' preview. The money comes in two parts, 基本支出 and 项目支出,
each with 调整后预算 (A) and 执行数 (B); the lamp judges their sum.

Saving and leaving work as in the project form (app.ui.monitoring.form_dialog): 关闭, Esc
and the window's X ask 保存 / 不保存 / 取消 before unsaved changes are dropped, and a save
refused because another seat saved first offers both versions field by field. A closed
round opens read-only under a banner.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import MonitoringConclusion
from app.domain.errors import Problem, StaleRecordError, UserError, ValidationFailed
from app.domain.money import YUAN_PER_WAN, format_percent
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.monitoring.department import DepartmentMonitoringRow
from app.services.monitoring.department_entries import DepartmentEdit, update_department_entry
from app.services.monitoring.department_form import DepartmentForm, department_form
from app.services.monitoring.department_form import department_preview as preview
from app.storage.database import Database
from app.ui.monitoring import entry_conflict
from app.ui.monitoring.budget_reason import BudgetReasonBox
from app.ui.monitoring.entry_dialog import BANNER_STYLE, CLOSED_BANNER
from app.ui.monitoring.form_dialog import MonitoringFormDialog
from app.ui.monitoring.indicator_table import (
    COL_ACTION,
    COL_REASON,
    ChoiceDelegate,
    IndicatorDraft,
    IndicatorTableModel,
    parse_number,
)
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.lamp import LampChip
from app.ui.widgets.messages import show_error

PARTS = ("基本支出", "项目支出")


def open_department_dialog(
    parent: QWidget, db: Database, rules: RuleSet, entry_id: int, year: int
) -> DepartmentDialog | None:
    """Read the entry and open its form (window-modal, not blocking); None on a UserError."""
    try:
        form = department_form(db, entry_id, rules)
    except UserError as exc:
        show_error(parent, exc)
        return None
    dialog = DepartmentDialog(db, rules, form, year, parent)
    dialog.open()
    return dialog


class DepartmentDialog(MonitoringFormDialog):
    shape = entry_conflict.DEPARTMENT
    unsaved_question = "部门整体监控数据有未保存的修改，关闭前保存吗？"
    entry_saved = Signal(object)  # DepartmentMonitoringRow as saved

    def __init__(
        self, db: Database, rules: RuleSet, form: DepartmentForm, year: int, parent: QWidget | None
    ) -> None:
        super().__init__(db, rules, form.closed, parent)
        self._form, self._year = form, year
        self.model = IndicatorTableModel(self)
        # (调整后预算, 执行数) per part, in PARTS order
        self.money_edits = {part: (QLineEdit(), QLineEdit()) for part in PARTS}
        self.conclusion_combo = QComboBox()
        self.note_edit = QLineEdit()
        self.rate_label = QLabel()
        self.budget_chip = LampChip()
        self.department_chip = LampChip()
        self.budget_explanation = QLabel()
        self.budget_reason = BudgetReasonBox()
        self.problem_list = QListWidget()
        self._saved_problems: list[Problem] = []
        self._build()
        self._fill(form.row)
        row = form.row
        self.setWindowTitle(f"{year}年{row.month}月部门整体绩效监控 — {row.department_code}")
        self.resize(1220, 700)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        banner = QLabel(CLOSED_BANNER)
        banner.setStyleSheet(BANNER_STYLE)
        banner.setVisible(self.read_only)
        layout.addWidget(banner)
        row = self._form.row
        title = QLabel(f"{row.department_code}　{row.department_name}（部门整体）")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(title)
        where = f"{row.section}　{self._year}年{row.month}月监控"
        layout.addWidget(QLabel(f"{where}　序时进度 {format_percent(row.time_progress)}"))
        layout.addLayout(self._money_grid())
        self._setup_table()
        layout.addWidget(self.table, 1)
        self.problem_list.setVisible(not self.read_only)
        self.problem_list.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        layout.addWidget(self.problem_list)
        layout.addLayout(self._buttons())

    def _money_grid(self) -> QGridLayout:
        grid = QGridLayout()
        row = self._form.row
        initial = {"基本支出": row.basic_initial, "项目支出": row.project_initial}
        for line, part in enumerate(PARTS):
            grid.addWidget(QLabel(f"{part}　年初预算：{wan_text(initial[part])} 万元"), line, 0)
            for column, (label, edit) in enumerate(
                zip(("调整后预算(A)", "执行数(B)"), self.money_edits[part], strict=True), start=1
            ):
                box = QHBoxLayout()
                box.addWidget(QLabel(f"{label}："))
                edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("0" * 14))
                edit.setAlignment(Qt.AlignmentFlag.AlignRight)
                edit.setReadOnly(self.read_only)
                edit.setAccessibleName(f"{part}{label}")
                edit.textChanged.connect(self._on_form_changed)
                box.addWidget(edit)
                box.addWidget(QLabel("万元"))
                grid.addLayout(box, line, column)
        grid.addWidget(self.rate_label, 0, 3)
        grid.addWidget(QLabel("预算灯："), 0, 4, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.budget_chip, 0, 5)
        self.budget_explanation.setStyleSheet("color: #555555;")
        grid.addWidget(self.budget_explanation, 2, 1, 1, 5)
        self.budget_reason.set_read_only(self.read_only)
        self.budget_reason.changed.connect(self._on_form_changed)
        grid.addWidget(self.budget_reason.title, 3, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.budget_reason, 3, 1, 1, 5)
        grid.addWidget(QLabel("处理意见："), 4, 0, Qt.AlignmentFlag.AlignRight)
        self.conclusion_combo.addItems(["（未填写）", *(c.value for c in MonitoringConclusion)])
        self.conclusion_combo.setEnabled(not self.read_only)
        self.conclusion_combo.currentIndexChanged.connect(self._on_form_changed)
        grid.addWidget(self.conclusion_combo, 4, 1)
        self.note_edit.setReadOnly(self.read_only)
        self.note_edit.setPlaceholderText("处理意见的说明，如整改要求")
        self.note_edit.textChanged.connect(self._on_form_changed)
        grid.addWidget(self.note_edit, 4, 2, 1, 2)
        grid.addWidget(QLabel("部门整体灯："), 4, 4, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.department_chip, 4, 5)
        grid.setColumnStretch(3, 1)
        return grid

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setItemDelegate(ChoiceDelegate(table))
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.resizeSection(0, table.fontMetrics().horizontalAdvance("“三公”经费控制率等") + 28)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Stretch)
        self.model.edited.connect(self._on_form_changed)

    # -- state -----------------------------------------------------------------------------
    @property
    def row(self) -> DepartmentMonitoringRow:
        return self._form.row

    def _fill(self, row: DepartmentMonitoringRow) -> None:
        amounts = {
            "基本支出": (row.basic_adjusted, row.basic_spent),
            "项目支出": (row.project_adjusted, row.project_spent),
        }
        widgets = [*(e for pair in self.money_edits.values() for e in pair), self.note_edit]
        blockers = [w.blockSignals(True) for w in [*widgets, self.conclusion_combo]]
        for part, edits in self.money_edits.items():
            for edit, amount in zip(edits, amounts[part], strict=True):
                edit.setText(plain(amount / YUAN_PER_WAN))  # exact: no 元 lost to rounding
        position = self.conclusion_combo.findText(row.conclusion) if row.conclusion else 0
        self.conclusion_combo.setCurrentIndex(max(position, 0))
        self.note_edit.setText(row.conclusion_note)
        for w, blocked in zip([*widgets, self.conclusion_combo], blockers, strict=True):
            w.blockSignals(blocked)
        self.budget_reason.set_values(
            row.budget_deviation_category, row.budget_deviation_reason, row.budget_corrective_action
        )
        drafts = [
            IndicatorDraft.of(item, basis)
            for item, basis in zip(row.indicators, self._form.basis.indicators, strict=True)
        ]
        self.model.set_drafts(drafts, self.read_only)
        self._relight()
        self._dirty = False
        self.state_label.setText("只读" if self.read_only else "")

    def _money(self, edit: QLineEdit, column: str) -> tuple[Decimal, list[Problem]]:
        try:
            wan = parse_number(edit.text())
        except ValueError:
            edit.setStyleSheet("background: #fbd3d0;")
            return Decimal(0), [Problem(f"{column}“{edit.text()}”不是数字（单位：万元）")]
        edit.setStyleSheet("")
        return (wan or Decimal(0)) * YUAN_PER_WAN, []

    def current_edit(self) -> tuple[DepartmentEdit, list[Problem]]:
        """The form as a DepartmentEdit, and the input problems that keep it from saving."""
        problems: list[Problem] = []
        money: list[Decimal] = []
        for part, (budget_edit, spent_edit) in self.money_edits.items():
            for field, label in ((budget_edit, "调整后预算"), (spent_edit, "执行数")):
                amount, bad = self._money(field, part + label)
                money.append(amount)
                problems += bad
        problems += self.model.problems()
        category, reason, action = self.budget_reason.values()
        undecided = self.conclusion_combo.currentIndex() == 0
        basic_adjusted, basic_spent, project_adjusted, project_spent = money
        edit = DepartmentEdit(
            basic_adjusted,
            basic_spent,
            project_adjusted,
            project_spent,
            conclusion="" if undecided else self.conclusion_combo.currentText(),
            note=self.note_edit.text(),
            indicators=self.model.edits(),
            budget_deviation_category=category,
            budget_deviation_reason=reason,
            budget_corrective_action=action,
        )
        return edit, problems

    def _relight(self) -> None:
        edit, problems = self.current_edit()
        seen = preview(self._form, edit, self._rules)
        self.model.set_preview(seen.lamps.indicators, seen.missing)
        self.budget_reason.set_required({p.column for p in seen.missing if p.row is None})
        self.rate_label.setText(f"合计执行率：{format_percent(seen.execution_rate) or '—'}")
        self.budget_chip.set_lamp(seen.lamps.budget.lamp)
        self.budget_explanation.setText(seen.lamps.budget.explanation)
        self.department_chip.set_lamp(seen.lamps.project)
        self.problem_list.clear()
        missing = [f"关闭本轮前须填写：{p.message}" for p in seen.missing]
        for problem in [*problems, *self._saved_problems]:
            where = f"第{problem.row}行 " if problem.row is not None else ""
            self.problem_list.addItem(f"{where}{problem.message}")
        self.problem_list.addItems(missing)

    # -- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        """Save through update_department_entry; True when saved."""
        if self.read_only:
            return False
        edit, problems = self.current_edit()
        if problems:
            show_error(self, ValidationFailed(problems, "填写的内容有误，未保存："))
            return False
        try:
            result = update_department_entry(
                self._db, self.row.entry_id, edit, self._rules, self.row.version
            )
        except StaleRecordError as exc:  # another seat saved first: choose, then save again
            return self.resolve_conflict(exc) and self.save()
        except UserError as exc:
            self._saved_problems = list(getattr(exc, "problems", []))
            self._relight()
            show_error(self, exc)
            return False
        self._form = DepartmentForm(result.row, self._form.basis, closed=False)
        self._saved_problems = list(result.warnings)
        self._relight()
        self._dirty = False
        self.state_label.setText("已保存")
        self.entry_saved.emit(result.row)
        return True

    def reload(self) -> DepartmentForm:
        return department_form(self._db, self.row.entry_id, self._rules)
