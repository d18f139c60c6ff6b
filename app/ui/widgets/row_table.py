"""A read-only table model over a list of row objects, one getter per column.

For the small lists of the settings page and the audit log (hundreds of rows at most):
rows arrive already sorted by the service, so there is no sorting here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[Row]):
    header: str
    text: Callable[[Row], str]
    right_aligned: bool = False
    tooltip: Callable[[Row], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = []

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: Index) -> Row | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index)
        if row is None or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None


def fit_columns(table: QTableView, samples: Sequence[str], stretch: int) -> None:
    """Make each column as wide as a typical value ("" leaves it); `stretch` takes the rest."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, sample in enumerate(samples):
        if sample:
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
