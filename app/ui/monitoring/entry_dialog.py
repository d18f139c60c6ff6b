"""The entry form of one project in a round: money, the budget lamp's 偏差原因, conclusion
and the indicator grid.

Keyboard first: Tab moves through the money fields into the grid, typing starts editing a
cell, Ctrl+S saves, Ctrl+Enter saves and closes, Esc closes (asking first when something is
unsaved). Lamps are lit again after every keystroke by the services' own preview (the same
rules saving applies). A closed round opens read-only under a banner.
"""

from __future__ import annotations

import re
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
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import MonitoringConclusion
from app.domain.errors import Problem, StaleRecordError, UserError, ValidationFailed
from app.domain.money import YUAN_PER_WAN, format_percent
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.monitoring import EntryEdit, ProjectMonitoringRow, update_entry
from app.services.monitoring.entry_form import EntryForm, entry_form, preview
from app.storage.database import Database
from app.ui.monitoring import entry_conflict
from app.ui.monitoring.budget_reason import FIELD_OF, BudgetReasonBox
from app.ui.monitoring.form_dialog import MonitoringFormDialog
from app.ui.monitoring.indicator_table import (
    COL_ACTION,
    COL_CURRENT,
    COL_NAME,
    COL_REASON,
    COLUMN_OF,
    ChoiceDelegate,
    IndicatorDraft,
    IndicatorTableModel,
    parse_number,
)
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.lamp import LampChip
from app.ui.widgets.messages import show_error

CLOSED_BANNER = "本轮监控已关闭，以下数据只能查看，不能修改。"
BANNER_STYLE = "background: #fff4ce; border: 1px solid #e0c060; padding: 6px; font-weight: bold;"
_COLUMN_WIDTHS = {  # sample text per grid column: Chinese must fit
    0: "家庭经济困难学生资助覆盖率",
    1: "≥1200万元/年",
    2: "部分达成（空）",
    3: "完全不可能 ▾",
    4: "全年预计完成值",
    5: "● 未亮灯",
    6: "硬件条件保障 ▾",
}
_NAMED = re.compile(r"指标“([^”]+)”")


def open_entry_dialog(
    parent: QWidget, db: Database, rules: RuleSet, entry_id: int, year: int
) -> EntryDialog | None:
    """Read the entry and open its form (window-modal, not blocking); None on a UserError."""
    try:
        form = entry_form(db, entry_id, rules)
    except UserError as exc:
        show_error(parent, exc)
        return None
    dialog = EntryDialog(db, rules, form, year, parent)
    dialog.open()
    return dialog


class EntryDialog(MonitoringFormDialog):
    shape = entry_conflict.PROJECT
    unsaved_question = "本项目的监控填报有未保存的修改，关闭前保存吗？"
    entry_saved = Signal(object)  # ProjectMonitoringRow as saved

    def __init__(
        self, db: Database, rules: RuleSet, form: EntryForm, year: int, parent: QWidget | None
    ) -> None:
        super().__init__(db, rules, form.closed, parent)
        self._form, self._year = form, year
        self.model = IndicatorTableModel(self)
        self.budget_edit = QLineEdit()
        self.spent_edit = QLineEdit()
        self.conclusion_combo = QComboBox()
        self.note_edit = QLineEdit()
        self.rate_label = QLabel()
        self.budget_chip = LampChip()
        self.project_chip = LampChip()
        self.budget_explanation = QLabel()
        self.budget_reason = BudgetReasonBox()
        self.problem_list = QListWidget()
        self.banner = QLabel(CLOSED_BANNER)
        self._saved_problems: list[Problem] = []
        self._build()
        self._fill(form.row)
        self.setWindowTitle(f"{year}年{form.row.month}月绩效监控 — {form.row.project_code}")
        self.resize(1220, 700)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(self.read_only)
        layout.addWidget(self.banner)
        row = self._form.row
        title = QLabel(f"{row.project_code}　{row.project_name}")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where = f"{row.department_name}（{row.section}）　{self._year}年{row.month}月监控"
        layout.addWidget(title)
        layout.addWidget(QLabel(f"{where}　序时进度 {format_percent(row.time_progress)}"))
        layout.addLayout(self._money_grid())
        self._setup_table()
        layout.addWidget(self.table, 1)
        problems_label = QLabel("须处理的问题（单击定位）：")
        problems_label.setVisible(not self.read_only)
        self.problem_list.setVisible(not self.read_only)
        layout.addWidget(problems_label)
        self.problem_list.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.problem_list.itemClicked.connect(self._on_problem_list_item_clicked)
        self.problem_list.itemActivated.connect(self._on_problem_list_item_clicked)
        layout.addWidget(self.problem_list)
        layout.addLayout(self._buttons())

    def _money_grid(self) -> QGridLayout:
        grid = QGridLayout()
        row = self._form.row
        grid.addWidget(QLabel(f"年初预算：{wan_text(row.initial_budget)} 万元"), 0, 0)
        for column, (label, edit) in enumerate(
            (("调整后预算(A)", self.budget_edit), ("执行数(B)", self.spent_edit)), start=1
        ):
            box = QHBoxLayout()
            box.addWidget(QLabel(f"{label}："))
            edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("0" * 14))
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setReadOnly(self.read_only)
            edit.textChanged.connect(self._on_form_changed)
            box.addWidget(edit)
            box.addWidget(QLabel("万元"))
            grid.addLayout(box, 0, column)
        grid.addWidget(self.rate_label, 0, 3)
        grid.addWidget(QLabel("预算灯："), 0, 4, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.budget_chip, 0, 5)
        self.budget_explanation.setStyleSheet("color: #555555;")
        grid.addWidget(self.budget_explanation, 1, 1, 1, 5)
        self.budget_reason.set_read_only(self.read_only)
        self.budget_reason.changed.connect(self._on_form_changed)
        grid.addWidget(self.budget_reason.title, 2, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.budget_reason, 2, 1, 1, 5)
        grid.addWidget(QLabel("处理意见："), 3, 0, Qt.AlignmentFlag.AlignRight)
        self.conclusion_combo.addItems(["（未填写）", *(c.value for c in MonitoringConclusion)])
        self.conclusion_combo.setEnabled(not self.read_only)
        self.conclusion_combo.currentIndexChanged.connect(self._on_form_changed)
        grid.addWidget(self.conclusion_combo, 3, 1)
        note = QHBoxLayout()
        note.addWidget(QLabel("说明："))
        self.note_edit.setReadOnly(self.read_only)
        self.note_edit.setPlaceholderText("处理意见的说明，如整改要求、调整金额")
        self.note_edit.textChanged.connect(self._on_form_changed)
        note.addWidget(self.note_edit, 1)
        grid.addLayout(note, 3, 2, 1, 2)
        grid.addWidget(QLabel("项目灯："), 3, 4, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.project_chip, 3, 5)
        grid.setColumnStretch(3, 1)
        return grid

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setItemDelegate(ChoiceDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        table.setWordWrap(True)  # reasons and actions are sentences: wrap, never clip
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, sample in _COLUMN_WIDTHS.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Stretch)
        self.model.edited.connect(self._on_form_changed)

    # -- state -----------------------------------------------------------------------------
    @property
    def row(self) -> ProjectMonitoringRow:
        return self._form.row

    def _fill(self, row: ProjectMonitoringRow) -> None:
        for edit, amount in ((self.budget_edit, row.adjusted_budget), (self.spent_edit, row.spent)):
            blocker = edit.blockSignals(True)
            edit.setText(plain(amount / YUAN_PER_WAN))  # exact: no 元 lost to rounding
            edit.blockSignals(blocker)
        blocker = self.conclusion_combo.blockSignals(True)
        position = self.conclusion_combo.findText(row.conclusion) if row.conclusion else 0
        self.conclusion_combo.setCurrentIndex(max(position, 0))
        self.conclusion_combo.blockSignals(blocker)
        blocker = self.note_edit.blockSignals(True)
        self.note_edit.setText(row.conclusion_note)
        self.note_edit.blockSignals(blocker)
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

    def _money(self, edit: QLineEdit, column: str) -> tuple[Decimal | None, list[Problem]]:
        try:
            wan = parse_number(edit.text())
        except ValueError:
            edit.setStyleSheet("background: #fbd3d0;")
            return None, [Problem(f"{column}“{edit.text()}”不是数字（单位：万元）", column=column)]
        edit.setStyleSheet("")
        if wan is None:
            return Decimal(0), []
        return wan * YUAN_PER_WAN, []

    def current_edit(self) -> tuple[EntryEdit, list[Problem]]:
        """The form as an EntryEdit, and the input problems that keep it from being saved."""
        budget, problems = self._money(self.budget_edit, "调整后预算")
        spent, more = self._money(self.spent_edit, "执行数")
        problems += more + self.model.problems()
        conclusion = self.conclusion_combo.currentText()
        category, reason, action = self.budget_reason.values()
        edit = EntryEdit(
            adjusted_budget=self.row.adjusted_budget if budget is None else budget,
            spent=self.row.spent if spent is None else spent,
            conclusion="" if self.conclusion_combo.currentIndex() == 0 else conclusion,
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
        # The budget lamp's missing reasons are the ones without an indicator row.
        self.budget_reason.set_required({p.column for p in seen.missing if p.row is None})
        self.rate_label.setText(f"执行率：{format_percent(seen.execution_rate) or '—'}")
        self.budget_chip.set_lamp(seen.lamps.budget.lamp)
        self.budget_explanation.setText(seen.lamps.budget.explanation)
        self.project_chip.set_lamp(seen.lamps.project)
        missing = [
            Problem(f"关闭本轮前须填写：{p.message}", row=p.row, column=p.column)
            for p in seen.missing
        ]
        self._show_problems([*problems, *self._saved_problems, *missing])

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problem_list.clear()
        for problem in problems:
            where = f"第{problem.row}行 " if problem.row is not None else ""
            item = QListWidgetItem(f"{where}{problem.message}")
            item.setData(Qt.ItemDataRole.UserRole, (problem.row, problem.column, problem.message))
            self.problem_list.addItem(item)

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save through update_entry; True when saved. Problems are listed where they are."""
        if self.read_only:
            return False
        edit, problems = self.current_edit()
        if problems:
            self._saved_problems = []
            self._relight()
            show_error(self, ValidationFailed(problems, "填写的内容有误，未保存："))
            return False
        try:
            result = update_entry(self._db, self.row.entry_id, edit, self._rules, self.row.version)
        except StaleRecordError as exc:  # another seat saved first: choose, then save again
            return self.resolve_conflict(exc) and self.save()
        except ValidationFailed as exc:
            self._saved_problems = list(exc.problems)
            self._relight()
            show_error(self, exc)
            return False
        except UserError as exc:
            show_error(self, exc)
            return False
        self._form = EntryForm(result.row, self._form.basis, closed=False)
        self._saved_problems = [p for p in result.warnings if p.blocking is False]
        self._relight()
        self._dirty = False
        self.state_label.setText("已保存")
        self.entry_saved.emit(result.row)
        return True

    def reload(self) -> EntryForm:
        return entry_form(self._db, self.row.entry_id, self._rules)

    # -- locating problems -----------------------------------------------------------------
    def locate(self, row: int | None, column: str, message: str = "") -> None:
        """Put the cursor where a problem is: a grid cell, a money or budget-reason field."""
        if column in ("调整后预算", "执行数") and row is None:
            (self.budget_edit if column == "调整后预算" else self.spent_edit).setFocus()
            return
        if row is None:  # the services name the indicator, not its row
            found = _NAMED.search(message)
            names = [d.source.name for d in self.model.drafts]
            row = names.index(found.group(1)) + 1 if found and found.group(1) in names else None
        if row is None:  # no indicator named: about the project, e.g. its budget lamp
            if column in FIELD_OF:
                self.budget_reason.focus_field(column)
            return
        index = self.model.index(row - 1, COLUMN_OF.get(column, COL_CURRENT))
        if not column:
            index = self.model.index(row - 1, COL_NAME)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    def _on_problem_list_item_clicked(self, item: QListWidgetItem) -> None:
        row, column, message = item.data(Qt.ItemDataRole.UserRole)
        self.locate(row, column, message)

    def focus_first_required(self) -> None:
        """Jump to the first field the round cannot close without (from the close check):
        the budget lamp's reason (above the grid) first, then the grid's cells."""
        field = self.budget_reason.first_required()
        if field is not None:
            self.budget_reason.focus_field(field)
            return
        for row in range(self.model.rowCount()):
            for column in range(self.model.columnCount()):
                if self.model.is_required(row, column):
                    self.locate(row + 1, self.model.headerData(column, Qt.Orientation.Horizontal))
                    return
