"""The header of the 申报表 in the goal editor: who, what, how much, and the goal texts."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.domain.enums import ProjectKind, Scope
from app.services.goals import GoalDetail, GoalEdit
from app.services.goals.records import FUND_LEVELS, FUND_SOURCES
from app.ui.widgets.money_edit import MoneyEdit

NO_YEAR = 1999  # the spin box's "not filled" value, shown as "—"
TEXT_LINES = 3
_LOCKED_STYLE = (
    'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], '
    'QSpinBox[readOnly="true"] { background: #f0f0f0; color: #333; }'
)


def _year_spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(NO_YEAR, 2099)
    spin.setSpecialValueText("—")
    return spin


def _year_value(spin: QSpinBox) -> int | None:
    return None if spin.value() == NO_YEAR else spin.value()


class GoalHeaderForm(QWidget):
    """Emits `edited` on any change made by the user."""

    edited = Signal()

    def __init__(self, detail: GoalDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scope = detail.scope
        self.unit_label = QLabel()
        self.parent_label = QLabel()
        self.code_label = QLabel()
        self.name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        self.start_spin = _year_spin()
        self.end_spin = _year_spin()
        self.fund_source_combo = QComboBox()
        self.fund_level_combo = QComboBox()
        self.functional_edit = QLineEdit()
        self.total_edit = MoneyEdit()
        self.fiscal_edit = MoneyEdit()
        self.other_edit = MoneyEdit()
        self.budget_edit = MoneyEdit()
        self.overall_edit = QPlainTextEdit()
        self.long_term_edit = QPlainTextEdit()
        self.kind_combo.addItems([k.value for k in ProjectKind])
        self.fund_source_combo.addItems(list(FUND_SOURCES))
        self.fund_level_combo.addItems(list(FUND_LEVELS))
        self.functional_edit.setMaxLength(7)
        self.functional_edit.setPlaceholderText("如 2080505")
        self.name_edit.setMaxLength(200)
        self._build(detail)
        self.set_detail(detail)
        self._connect()

    # -- layout --------------------------------------------------------------------------
    def _build(self, detail: GoalDetail) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for edit in (self.overall_edit, self.long_term_edit):
            edit.setTabChangesFocus(True)
            lines = edit.fontMetrics().lineSpacing() * TEXT_LINES
            edit.setFixedHeight(lines + 12)
        year = QLabel(f"{detail.year} 年")
        self._row(
            grid, 0, ("年度", year), ("单位", self.unit_label), ("主管部门", self.parent_label)
        )
        if self._scope is Scope.DEPARTMENT:
            self._row(grid, 1, ("部门整体预算（万元）", self.budget_edit))
            next_row = 2
        else:
            period = QWidget()
            period_layout = QGridLayout(period)
            period_layout.setContentsMargins(0, 0, 0, 0)
            period_layout.addWidget(self.start_spin, 0, 0)
            period_layout.addWidget(QLabel("至"), 0, 1)
            period_layout.addWidget(self.end_spin, 0, 2)
            self._row(grid, 1, ("项目名称", self.name_edit), ("项目编码", self.code_label))
            self._row(
                grid,
                2,
                ("项目属性", self.kind_combo),
                ("实施期", period),
                ("功能分类科目", self.functional_edit),
            )
            self._row(
                grid, 3, ("资金来源", self.fund_source_combo), ("资金级次", self.fund_level_combo)
            )
            self._row(
                grid,
                4,
                ("资金总额（万元）", self.total_edit),
                ("其中：财政拨款", self.fiscal_edit),
                ("其他资金", self.other_edit),
            )
            next_row = 5
        grid.addWidget(QLabel("年度总体目标"), next_row, 0)
        grid.addWidget(self.overall_edit, next_row, 1, 1, 3)
        grid.addWidget(QLabel("长期目标"), next_row, 4)
        grid.addWidget(self.long_term_edit, next_row, 5)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

    @staticmethod
    def _row(grid: QGridLayout, row: int, *pairs: tuple[str, QWidget]) -> None:
        for i, (label, widget) in enumerate(pairs):
            grid.addWidget(QLabel(label), row, i * 2)
            grid.addWidget(widget, row, i * 2 + 1)

    def _connect(self) -> None:
        for line in (self.name_edit, self.functional_edit):
            line.textEdited.connect(self._on_any_edited)
        for money in (self.total_edit, self.fiscal_edit, self.other_edit, self.budget_edit):
            money.textEdited.connect(self._on_any_edited)
        for combo in (self.kind_combo, self.fund_source_combo, self.fund_level_combo):
            combo.activated.connect(self._on_any_edited)
        for spin in (self.start_spin, self.end_spin):
            spin.valueChanged.connect(self._on_any_edited)
        for text in (self.overall_edit, self.long_term_edit):
            text.textChanged.connect(self._on_any_edited)

    def _on_any_edited(self, *_args: object) -> None:
        self.edited.emit()

    # -- values --------------------------------------------------------------------------
    def set_detail(self, detail: GoalDetail) -> None:
        """Show a goal's header without emitting `edited`."""
        blockers = [w.blockSignals(True) for w in self._inputs()]
        try:
            self.unit_label.setText(f"{detail.department_code} {detail.department_name}")
            self.parent_label.setText(detail.parent_department)
            self.code_label.setText(detail.project_code)
            self.name_edit.setText(detail.project_name)
            self.kind_combo.setCurrentText((detail.kind or ProjectKind.NEW).value)
            self.start_spin.setValue(detail.start_year or NO_YEAR)
            self.end_spin.setValue(detail.end_year or NO_YEAR)
            self.fund_source_combo.setCurrentText(detail.fund_source or FUND_SOURCES[0])
            self.fund_level_combo.setCurrentText(detail.fund_level or FUND_LEVELS[0])
            self.functional_edit.setText(detail.functional_class)
            self.total_edit.set_value_yuan(detail.total_amount)
            self.fiscal_edit.set_value_yuan(detail.fiscal_amount)
            self.other_edit.set_value_yuan(detail.other_amount)
            self.budget_edit.set_value_yuan(detail.budget_amount)
            self.overall_edit.setPlainText(detail.overall_target)
            self.long_term_edit.setPlainText(detail.long_term_target)
        finally:
            for widget, blocked in zip(self._inputs(), blockers, strict=True):
                widget.blockSignals(blocked)

    def apply_to(self, edit: GoalEdit) -> GoalEdit:
        """The edit with this form's values."""
        return replace(
            edit,
            overall_target=self.overall_edit.toPlainText(),
            long_term_target=self.long_term_edit.toPlainText(),
            project_name=self.name_edit.text(),
            kind=ProjectKind(self.kind_combo.currentText()),
            fund_source=self.fund_source_combo.currentText(),
            fund_level=self.fund_level_combo.currentText(),
            functional_class=self.functional_edit.text(),
            start_year=_year_value(self.start_spin),
            end_year=_year_value(self.end_spin),
            total_amount=self.total_edit.value_yuan(),
            fiscal_amount=self.fiscal_edit.value_yuan(),
            other_amount=self.other_edit.value_yuan(),
            budget_amount=self.budget_edit.value_yuan(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for widget in self._inputs():
            if isinstance(widget, QLineEdit | QPlainTextEdit | QSpinBox):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
        # Grey read-only fields, so a locked goal does not look editable (set after the
        # readOnly properties: the selectors are matched when the sheet is applied).
        self.setStyleSheet(_LOCKED_STYLE if read_only else "")

    def widget_for(self, column: str) -> QWidget | None:
        """The input a problem's column names (年度总体目标, 资金总额, 实施期...)."""
        return {
            "项目名称": self.name_edit,
            "资金来源": self.fund_source_combo,
            "功能分类科目": self.functional_edit,
            "实施期": self.start_spin,
            "资金总额": self.budget_edit if self._scope is Scope.DEPARTMENT else self.total_edit,
            "财政拨款": self.fiscal_edit,
            "其他资金": self.other_edit,
            "部门整体预算": self.budget_edit,
            "年度总体目标": self.overall_edit,
            "长期目标": self.long_term_edit,
        }.get(column)

    def _inputs(self) -> list[QWidget]:
        return [
            self.name_edit,
            self.kind_combo,
            self.start_spin,
            self.end_spin,
            self.fund_source_combo,
            self.fund_level_combo,
            self.functional_edit,
            self.total_edit,
            self.fiscal_edit,
            self.other_edit,
            self.budget_edit,
            self.overall_edit,
            self.long_term_edit,
        ]
