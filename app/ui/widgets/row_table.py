"""A read-only table model over a list of frozen row dataclasses, declared column by column.

Sorting and filtering happen in Python (a proxy model is slow on 2,000+ rows, docs/stack.md).
Without a click on a header the rows keep the order they were given in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
# The exact value of a cell for code and tests (Decimal for scores and money).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGGED_BACKGROUND = QColor("#fde2e1")  # light red: readable, and visible when printed grey
TOTAL_BACKGROUND = QColor("#eef2f7")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)


def nullable(value: Any) -> tuple[bool, Any]:
    """A sort key that puts blanks (None) after every value."""
    return (value is None, Decimal(0) if value is None else value)


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    text: Callable[[R], str]
    value: Callable[[R], Any] | None = None  # the exact value; also the sort key
    align: int = 0  # 0: left; RIGHT or CENTER
    sample: str = ""  # a typical value: the column is made that wide
    # True: show the (long) text whole in a tooltip; a callable: its own tooltip text.
    tooltip: bool | Callable[[R], str | None] = False
    loaded_order: bool = False  # sort by the order the service gave (e.g. the bureau's 股室 order)
    # Per-cell looks, e.g. a lamp's dot and tint, or a hint greyed out.
    decoration: Callable[[R], Any] | None = None
    background: Callable[[R], Any] | None = None
    foreground: Callable[[R], Any] | None = None
    key: Callable[[R], Any] | None = None  # a sort key other than the value (e.g. ties by code)


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows filtered by a predicate and sorted by a column's value; subclasses may colour."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._all: list[R] = []
        self._rank: dict[int, int] = {}  # id(row) → position in the loaded list
        self._rows: list[R] = []
        self._keep: Callable[[R], bool] = lambda _row: True
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- data in -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self._all = list(rows)
        self._rank = {id(row): n for n, row in enumerate(self._all)}
        self._rebuild()

    def set_predicate(self, keep: Callable[[R], bool]) -> None:
        self._keep = keep
        self._rebuild()

    def all_rows(self) -> list[R]:
        return list(self._all)

    def visible_rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def swap_row(self, old: R, new: R) -> None:
        """Put an updated row where the old one was (no re-filter: the row stays visible)."""
        self._all = [new if r is old else r for r in self._all]
        self._rank[id(new)] = self._rank.pop(id(old), len(self._all))
        if old in self._rows:
            position = next(i for i, r in enumerate(self._rows) if r is old)
            self._rows[position] = new
            self.dataChanged.emit(
                self.index(position, 0), self.index(position, len(self.columns) - 1)
            )

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._rows = self.arrange(list(self._all))
        self.endResetModel()

    # -- hooks ---------------------------------------------------------------------------
    def arrange(self, rows: list[R]) -> list[R]:
        """The rows on show: those the predicate keeps, by the clicked column (else as loaded)."""
        rows = [r for r in rows if self._keep(r)]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    def sort_key(self, column: int) -> Callable[[R], Any]:
        spec = self.columns[column]
        if spec.loaded_order:
            return lambda row: self._rank.get(id(row), 0)
        return spec.key or spec.value or spec.text

    def row_background(self, row: R) -> QColor | None:
        return None

    def row_bold(self, row: R) -> bool:
        return False

    def cell_tooltip(self, row: R, column: int) -> str:
        spec = self.columns[column]
        if callable(spec.tooltip):
            return spec.tooltip(row) or ""
        return spec.text(row) if spec.tooltip else ""

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        spec = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.align:
            return spec.align
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_tooltip(row, index.column()) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if spec.background is not None:
                return spec.background(row)
            colour = self.row_background(row)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.DecorationRole and spec.decoration is not None:
            return spec.decoration(row)
        if role == Qt.ItemDataRole.ForegroundRole and spec.foreground is not None:
            return spec.foreground(row)
        if role == Qt.ItemDataRole.FontRole and self.row_bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == VALUE_ROLE:
            return spec.value(row) if spec.value else spec.text(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].align:
                return self.columns[section].align
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self._rebuild()


def list_look(
    view: QTableView,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
    editable: bool = False,
    row_padding: int = 10,
) -> None:
    """The common look of a list: whole-row selection, no wrapping, compact rows."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    if not editable:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + row_padding)


def size_columns(
    view: QTableView, samples: Mapping[int, str], stretch: int, padding: int = 24
) -> None:
    """Make the given columns as wide as a typical value; `stretch` takes the rest."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    for column, sample in samples.items():
        header.resizeSection(column, metrics.horizontalAdvance(sample) + padding)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def setup_table(
    view: QTableView,
    model: RowTableModel[Any],
    stretch: int | None = None,
    sortable: bool = True,
    editable: bool = False,
) -> None:
    """The common look, with every column as wide as its sample (or its header)."""
    view.setModel(model)
    list_look(view, editable=editable)
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    for column, spec in enumerate(model.columns):
        sample = max(spec.sample, spec.header, key=metrics.horizontalAdvance)
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if sortable:
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Qt's default is descending
        view.setSortingEnabled(True)


def fit_columns(table: QTableView, samples: Sequence[str], stretch: int) -> None:
    """Make each column as wide as a typical value ("" leaves it); `stretch` takes the rest."""
    size_columns(table, {i: sample for i, sample in enumerate(samples) if sample}, stretch)
