"""The round's project list: filters (股室, 单位, 灯, search, 滞后项目), lamp counts, the table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Lamp
from app.domain.money import format_percent
from app.services.monitoring import ProjectMonitoringRow
from app.ui.monitoring.round_table import (
    COL_BUDGET,
    COL_BUDGET_LAMP,
    COL_CODE,
    COL_CONCLUSION,
    COL_DEPARTMENT,
    COL_GAP,
    COL_NAME,
    COL_PROJECT_LAMP,
    COL_RATE,
    COL_SPENT,
    COL_TIME,
    UNLIT,
    RoundTableModel,
)
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.lamp import LAMPS, LampChip, lamp_icon, lamp_text
from app.ui.widgets.row_table import list_look, size_columns

SEARCH_PLACEHOLDER = "搜索项目编码、名称或单位"
ALL_SECTIONS, ALL_DEPARTMENTS, ALL_LAMPS = "全部股室", "全部单位", "全部灯"
# Width of each column: its widest typical value (the name column takes the rest).
_COLUMN_SAMPLES = {
    COL_BUDGET: "调整后预算(A)",
    COL_SPENT: "123,456.78",
    COL_RATE: "100.00%",
    COL_TIME: "序时进度",
    COL_BUDGET_LAMP: "●● 未亮灯",
    COL_PROJECT_LAMP: "●● 未亮灯",
    COL_CONCLUSION: "调整预算",
    COL_GAP: "落后序时进度",
}


class RoundListView(QWidget):
    project_activated = Signal(object)  # ProjectMonitoringRow (Enter or double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RoundTableModel(self)
        self.table = QTableView()
        self.section_combo = QComboBox()
        self.department_combo = QComboBox()
        self.lamp_combo = QComboBox()
        self.search = QLineEdit()
        self.lagging_button = QPushButton("滞后项目")
        self.count_label = QLabel()
        self.chips = {lamp: LampChip(lamp) for lamp in LAMPS}
        self.unlit_chip = LampChip(None)
        self._departments: dict[str, dict[str, str]] = {}  # 股室 → code → name
        self._build()

    def _build(self) -> None:
        filters = QHBoxLayout()
        for label, combo in (
            ("股室：", self.section_combo),
            ("单位：", self.department_combo),
            ("项目灯：", self.lamp_combo),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.section_combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("农业农村股") + 40)
        self.department_combo.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("县人力资源和社会保障局") + 40
        )
        self.lamp_combo.addItem(ALL_LAMPS, None)
        for lamp in (*LAMPS, None):
            self.lamp_combo.addItem(lamp_icon(lamp), lamp_text(lamp), lamp or UNLIT)
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self._on_filter_changed)
        filters.addWidget(self.search, 1)
        self.lagging_button.setCheckable(True)
        self.lagging_button.setToolTip("只看执行率落后序时进度的项目，落后最多的排在最前")
        self.lagging_button.toggled.connect(self._on_lagging_button_toggled)
        filters.addWidget(self.lagging_button)
        summary = QHBoxLayout()
        summary.addWidget(self.count_label, 1)
        for chip in (*self.chips.values(), self.unlit_chip):
            summary.addWidget(chip)
        self._setup_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(summary)
        layout.addWidget(self.table, 1)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        list_look(table)
        size_columns(table, _COLUMN_SAMPLES, stretch=COL_NAME, padding=28)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        header.setMinimumSectionSize(metrics.horizontalAdvance("项目名称") + 28)
        header.setSortIndicator(COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.setColumnHidden(COL_GAP, True)
        table.activated.connect(self._on_table_activated)

    # -- data ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[ProjectMonitoringRow]) -> None:
        """A round's rows; the filters stay where they were when their values still exist."""
        self._fill_sections(rows)
        self._fit_columns(rows)
        self.model.set_rows(rows)
        self._refilter()

    def _fit_columns(self, rows: Sequence[ProjectMonitoringRow]) -> None:
        """Unit and code columns as wide as this round's longest values (names get the
        rest); a very long unit name is cut at 11 characters and shown in its tooltip."""
        metrics, header = self.table.fontMetrics(), self.table.horizontalHeader()
        for column, values, floor in (
            (COL_DEPARTMENT, [r.department_name[:11] for r in rows], "县财政局"),
            (COL_CODE, [r.project_code for r in rows], "项目编码"),
        ):
            widest = max((metrics.horizontalAdvance(v) for v in {*values, floor}), default=0)
            header.resizeSection(column, widest + 24)

    def replace_row(self, row: ProjectMonitoringRow) -> None:
        self.model.replace_row(row)
        self._show_counts()

    def select_entry(self, entry_id: int) -> bool:
        """Select a project's row, clearing the filters if they hide it."""
        if self.model.row_of_entry(entry_id) < 0:
            self.clear_filters()
        row = self.model.row_of_entry(entry_id)
        if row < 0:
            return False
        index = self.model.index(row, COL_CODE)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def clear_filters(self) -> None:
        for combo in (self.section_combo, self.lamp_combo):
            combo.setCurrentIndex(0)
        self.search.clear()
        self.lagging_button.setChecked(False)

    # -- filters ---------------------------------------------------------------------------
    def _fill_sections(self, rows: Sequence[ProjectMonitoringRow]) -> None:
        self._departments = {}
        for row in rows:
            self._departments.setdefault(row.section, {})[row.department_code] = row.department_name
        _refill(self.section_combo, ALL_SECTIONS, [(s, s) for s in self._departments])
        self._fill_departments()

    def _fill_departments(self) -> None:
        section = self.section_combo.currentData()
        chosen = [self._departments.get(section, {})] if section else self._departments.values()
        pairs = sorted((code, name) for group in chosen for code, name in group.items())
        _refill(self.department_combo, ALL_DEPARTMENTS, [(f"{n}（{c}）", c) for c, n in pairs])

    def _on_filter_changed(self, *_args: object) -> None:
        if self.sender() is self.section_combo:
            self._fill_departments()
        self._refilter()

    def _refilter(self) -> None:
        lamp = self.lamp_combo.currentData()
        self.model.set_filter(
            self.search.text(),
            section=self.section_combo.currentData(),
            department=self.department_combo.currentData(),
            lamp=Lamp(lamp) if lamp and lamp != UNLIT else lamp,
        )
        self._show_counts()

    def _on_lagging_button_toggled(self, on: bool) -> None:
        self.model.set_lagging(on)
        self.table.setColumnHidden(COL_GAP, not on)
        column, order = self.model.sort_state
        self.table.horizontalHeader().setSortIndicator(column, order)
        self._show_counts()

    def _show_counts(self) -> None:
        rows = self.model.visible_rows()
        budget = sum((r.adjusted_budget for r in rows), Decimal(0))
        spent = sum((r.spent for r in rows), Decimal(0))
        rate = format_percent(spent / budget) if budget else "—"
        what = "滞后项目" if self.lagging_button.isChecked() else "项目"
        self.count_label.setText(
            f"共 {len(rows)} 个{what}，调整后预算 {wan_text(budget)} 万元，"
            f"执行 {wan_text(spent)} 万元，执行率 {rate}"
        )
        counts = Counter(r.project_lamp for r in rows)
        for lamp, chip in self.chips.items():
            chip.set_lamp(lamp, counts[lamp])
        self.unlit_chip.set_lamp(None, counts[None])
        self.unlit_chip.setVisible(counts[None] > 0)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.project_activated.emit(self.model.row_at(index.row()))


def _refill(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
    """Replace a filter's choices, keeping the current one if it still exists."""
    current = combo.currentData()
    blocker = combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
    finally:
        combo.blockSignals(blocker)
