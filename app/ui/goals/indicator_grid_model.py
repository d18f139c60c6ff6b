"""The indicator grid's item model: rows are IndicatorRow dataclasses, replaced on each edit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.errors import Problem
from app.domain.rules import GoalRules
from app.services.goals import IndicatorRow
from app.ui.goals.indicator_grid_cells import (
    COL_NAME,
    COL_POINTS,
    COL_TARGET,
    COLUMNS,
    blank_row,
    cell_text,
    paste_block,
    set_cell,
)

Index = QModelIndex | QPersistentModelIndex

# goal_checks column names → grid columns.
PROBLEM_COLUMNS = {name: i for i, name in enumerate(COLUMNS)}
BLOCKING_BRUSH = QBrush(QColor("#fbdada"))
WARNING_BRUSH = QBrush(QColor("#fdf0cc"))
CENTERED = (3, COL_POINTS)
RIGHT_ALIGNED = (COL_TARGET,)


class IndicatorGridModel(QAbstractTableModel):
    """Emits `rows_edited` after any change made by the user (typing, paste, add, move)."""

    rows_edited = Signal()

    def __init__(self, rules: GoalRules, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules = rules
        self._rows: list[IndicatorRow] = []
        self._read_only = False
        self._marks: dict[tuple[int, int], Problem] = {}

    @property
    def rules(self) -> GoalRules:
        return self._rules

    # -- data in and out -----------------------------------------------------------------
    def set_rows(self, rows: Sequence[IndicatorRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._marks.clear()
        self.endResetModel()

    def rows(self) -> tuple[IndicatorRow, ...]:
        return tuple(self._rows)

    def row_at(self, row: int) -> IndicatorRow:
        return self._rows[row]

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Colour the cells problems point at (blocking wins over a warning in one cell)."""
        marks: dict[tuple[int, int], Problem] = {}
        for p in problems:
            if p.row is None or not 1 <= p.row <= len(self._rows):
                continue
            key = (p.row - 1, PROBLEM_COLUMNS.get(p.column, COL_NAME))
            if key not in marks or (p.blocking and not marks[key].blocking):
                marks[key] = p
        if marks == self._marks:
            return
        self._marks = marks
        if self._rows:
            last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])

    # -- editing (each emits rows_edited) ------------------------------------------------
    def replace_row(self, row: int, value: IndicatorRow) -> None:
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.rows_edited.emit()

    def insert_blank(self, at: int, like: IndicatorRow | None = None) -> int:
        """Insert an empty row at `at`, in the same 一级/二级 as `like`; returns its row."""
        at = max(0, min(at, len(self._rows)))
        new = blank_row(like.level1, like.level2) if like else blank_row()
        self.insert_rows_at(at, [new])
        return at

    def insert_rows_at(self, at: int, rows: Sequence[IndicatorRow]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self._rows[at:at] = list(rows)
        self.endInsertRows()
        self.rows_edited.emit()

    def remove_rows_at(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        self.rows_edited.emit()

    def move_row(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns where it is now."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        # Qt's destination is the row before which the moved row lands.
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        self.rows_edited.emit()
        return target

    def paste(self, top: int, left: int, block: Sequence[Sequence[str]]) -> tuple[int, int]:
        """Paste a block at (top, left); returns (first row, rows written)."""
        result = paste_block(self._rows, top, left, block, self._rules)
        grown = len(result.rows) - len(self._rows)
        if grown > 0:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(result.rows) - 1)
            self._rows = list(result.rows)
            self.endInsertRows()
        else:
            self._rows = list(result.rows)
        if result.count:
            last = result.first + result.count - 1
            self.dataChanged.emit(self.index(top, 0), self.index(last, len(COLUMNS) - 1))
        self.rows_edited.emit()
        return result.first, result.count

    def set_points(self, points: Sequence[Any]) -> None:
        self._rows = [replace(r, points=p) for r, p in zip(self._rows, points, strict=True)]
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_POINTS), self.index(len(self._rows) - 1, COL_POINTS)
            )
        self.rows_edited.emit()

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return cell_text(self._rows[row], column)
        if role == Qt.ItemDataRole.BackgroundRole:
            mark = self._marks.get((row, column))
            if mark is not None:
                return BLOCKING_BRUSH if mark.blocking else WARNING_BRUSH
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = self._marks.get((row, column))
            text = cell_text(self._rows[row], column)
            return mark.message if mark is not None else (text or None)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in CENTERED:
                return int(Qt.AlignmentFlag.AlignCenter)
            if column in RIGHT_ALIGNED:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._read_only:
            return False
        row = self._rows[index.row()]
        text = "" if value is None else str(value)
        changed = set_cell(row, index.column(), text, self._rules)
        if changed is None:
            return False
        if changed != row:
            self.replace_row(index.row(), changed)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return section + 1
        return None
