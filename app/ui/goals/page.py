"""绩效目标 page: the department tree, a search box and the year's project list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.catalog import ProjectRow, SectionNode, project_rows, section_tree
from app.storage.database import Database
from app.ui.goals.project_table import (
    COL_AMOUNT,
    COL_CODE,
    COL_DEPARTMENT,
    COL_INDICATORS,
    COL_NAME,
    COL_STATUS,
    ProjectTableModel,
    format_wan_yuan,
)
from app.ui.widgets.department_tree import DepartmentTree

SEARCH_PLACEHOLDER = "搜索项目编码、名称或单位"
# Each column is made as wide as a typical value (the name column takes the rest).
_COLUMN_SAMPLES = {
    COL_DEPARTMENT: "县住房和城乡建设局",
    COL_CODE: "21900120250001",
    COL_AMOUNT: "资金总额（万元）",
    COL_STATUS: "未填报",
    COL_INDICATORS: "指标数",
}


@dataclass(frozen=True)
class GoalsPageData:
    """Everything the page shows for one year; plain data, so loading can move to a worker."""

    year: int | None
    sections: list[SectionNode]
    rows: list[ProjectRow]


def load_goals_page_data(db: Database, year: int | None) -> GoalsPageData:
    """All the page's database reads, in one place."""
    rows = project_rows(db, year) if year is not None else []
    return GoalsPageData(year, section_tree(db), rows)


class GoalsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self.model = ProjectTableModel(self)
        self.tree = DepartmentTree()
        self.search = QLineEdit()
        self.count_label = QLabel()
        self.table = QTableView()
        self._build()
        self.search.textChanged.connect(self._on_search_text_changed)
        self.tree.departments_selected.connect(self._on_tree_departments_selected)

    def _build(self) -> None:
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        title = QLabel("项目绩效目标")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.search, 1)
        top.addSpacing(16)
        top.addWidget(self.count_label)

        self._setup_table()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top)
        right_layout.addWidget(self.table, 1)

        self.tree.setMinimumWidth(200)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 950])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)

    # -- loading -------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self._year

    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self._year = year
        self.reload()

    def reload(self) -> None:
        self._apply(load_goals_page_data(self._db, self._year))

    def _apply(self, data: GoalsPageData) -> None:
        counts = Counter(r.department_id for r in data.rows)
        self.model.set_rows(data.rows)
        self.tree.set_sections(data.sections, counts)
        self._refilter()

    # -- filtering -----------------------------------------------------------------------
    def _refilter(self) -> None:
        self.model.set_filter(self.search.text(), self.tree.selected_department_ids())
        total = format_wan_yuan(self.model.total_amount())
        self.count_label.setText(f"共 {self.model.rowCount()} 个项目，资金合计 {total} 万元")

    def _on_search_text_changed(self, _text: str) -> None:
        self._refilter()

    def _on_tree_departments_selected(self, _ids: object) -> None:
        self._refilter()
