"""The tables an import shows: its located problems, and what it added or changed.

Both are plain QAbstractTableModels over lists of frozen dataclasses, sorted in Python
(docs/stack.md: a proxy model is slow on thousands of rows). `ProblemsDialog` is what the user
sees when a file is refused: a headline, every problem, and "导出问题清单…".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import Problem

ERROR_LABEL, HINT_LABEL = "错误", "提示"  # the same words as services.problem_export writes
ERROR_COLOR = QColor("#c62828")
LEFT_ALONE_COLOR = QColor("#9a5b00")  # not an error: the import kept what was there
MAX_COLUMN_WIDTH = 260
_SAMPLE_ROWS = 400  # enough rows to size the columns; sizing all of 10,000 would be slow
HEADLINE_STYLE = "font-size: 12pt; font-weight: bold; color: #c62828;"
Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def severity(problem: Problem) -> str:
    return ERROR_LABEL if problem.blocking else HINT_LABEL


class _RowsTableModel(QAbstractTableModel, Generic[R]):
    """Read-only rows with one text per cell; sorting by a per-column key, in Python."""

    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    EMPHASIS = ERROR_COLOR

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.emphasised(row):
            return QBrush(self.EMPHASIS)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        reverse = order == Qt.SortOrder.DescendingOrder
        self._rows.sort(key=lambda r: self.sort_key(r, column), reverse=reverse)
        self.layoutChanged.emit()

    # -- what a subclass says about its rows ------------------------------------------------
    def cells(self, row: R) -> tuple[str, ...]:
        raise NotImplementedError

    def sort_key(self, row: R, column: int) -> tuple[Any, ...]:
        return (self.cells(row)[column],)

    def tooltip(self, row: R) -> str:
        return ""

    def emphasised(self, row: R) -> bool:
        return False


class ProblemTableModel(_RowsTableModel[Problem]):
    """工作表 / 行 / 列 / 问题 / 严重程度; errors in red."""

    HEADERS = ("工作表", "行", "列", "问题", "严重程度")
    COL_SHEET, COL_ROW, COL_COLUMN, COL_MESSAGE, COL_SEVERITY = range(5)
    RIGHT_ALIGNED = frozenset({1})

    def cells(self, row: Problem) -> tuple[str, ...]:
        number = "" if row.row is None else str(row.row)
        return (row.sheet, number, row.column, row.message, severity(row))

    def sort_key(self, row: Problem, column: int) -> tuple[Any, ...]:
        # Ties keep a reading order: sheet, then row, then column.
        where = (row.sheet, row.row or 0, row.column)
        if column == self.COL_ROW:
            return (row.row or 0, row.sheet, row.column)
        if column == self.COL_SEVERITY:
            return (not row.blocking, *where)
        return (self.cells(row)[column], *where)

    def tooltip(self, row: Problem) -> str:
        return str(row)

    def emphasised(self, row: Problem) -> bool:
        return row.blocking


@dataclass(frozen=True)
class ChangeLine:
    """One object an import added, changed or left alone (with the reason)."""

    outcome: str  # 新增 / 修改 / 未导入
    label: str  # e.g. "项目 219001001"
    name: str
    note: str = ""


class ChangeTableModel(_RowsTableModel[ChangeLine]):
    HEADERS = ("结果", "对象", "名称", "说明")
    COL_NAME, COL_NOTE = 2, 3
    EMPHASIS = LEFT_ALONE_COLOR
    LEFT_ALONE = "未导入"

    def cells(self, row: ChangeLine) -> tuple[str, ...]:
        return (row.outcome, row.label, row.name, row.note)

    def tooltip(self, row: ChangeLine) -> str:
        return f"{row.label} {row.name}：{row.note}" if row.note else ""

    def emphasised(self, row: ChangeLine) -> bool:
        return row.outcome == self.LEFT_ALONE


def setup_rows_table(view: QTableView, model: _RowsTableModel[Any], stretch: int) -> None:
    """Read-only, whole-row selection, sortable by clicking a header; `stretch` takes the rest."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    fit_columns(view, model)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the given order until a click
    view.setSortingEnabled(True)


def fit_columns(view: QTableView, model: _RowsTableModel[Any]) -> None:
    """Each column as wide as its header and its longest text (sampled), within a cap."""
    metrics = view.fontMetrics()
    rows = model.rows()[:_SAMPLE_ROWS]
    for column, title in enumerate(model.HEADERS):
        texts = [title, *(model.cells(r)[column] for r in rows)]
        width = max(metrics.horizontalAdvance(t) for t in texts) + 24
        view.horizontalHeader().resizeSection(column, min(width, MAX_COLUMN_WIDTH))


class ProblemsDialog(QDialog):
    """The refused import: "发现 N 个错误，未导入任何数据", the problems, and an export button.

    `export_list` is called by "导出问题清单…" (it asks where, writes, and reports).
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        file_name: str,
        problems: Sequence[Problem],
        export_list: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.problems = sorted(problems, key=lambda p: not p.blocking)  # errors first, stable
        errors = sum(p.blocking for p in self.problems)
        hints = len(self.problems) - errors
        self.headline = QLabel(f"发现 {errors} 个错误，未导入任何数据")
        self.headline.setStyleSheet(HEADLINE_STYLE)
        extra = f"另有 {hints} 条提示不影响导入。" if hints else ""
        self.explain = QLabel(
            f"文件“{file_name}”：请按下表改正标为“错误”的单元格后重新导入。{extra}"
            "点击表头可排序，选中一行可看到完整说明。"
        )
        self.explain.setWordWrap(True)
        self.model = ProblemTableModel(self)
        self.model.set_rows(self.problems)
        self.table = QTableView()
        setup_rows_table(self.table, self.model, ProblemTableModel.COL_MESSAGE)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.export_button = QPushButton("导出问题清单…")
        self.export_button.setToolTip("把全部问题保存为 Excel 文件，便于发给填报单位改正")
        self.export_button.clicked.connect(lambda: export_list())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.explain):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.resize(960, 520)

    def _on_table_selection_changed(self, selected: QItemSelection, _old: object) -> None:
        rows = {i.row() for i in selected.indexes()}
        problem = self.model.row_at(min(rows)) if rows else None
        self.detail.setText(f"{severity(problem)}：{problem}" if problem else "")
