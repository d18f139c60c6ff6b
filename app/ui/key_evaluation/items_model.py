"""The editable framework of one evaluation: 一级 / 二级 / 三级, weight, score, evidence.

Cells hold text while the user types; `items()` turns them into ItemEdits and names every
number that cannot be read (row and column), so nothing half-read reaches the service.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.domain.errors import Problem, ValidationFailed
from app.domain.numbers import plain
from app.services.key_evaluation import ItemEdit

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "得分", "评分依据")
COL_LEVEL1, COL_LEVEL2, COL_NAME, COL_POINTS, COL_SCORE, COL_EVIDENCE = range(6)
_FIELDS = ("level1", "level2", "name", "points", "score", "evidence")


@dataclass(frozen=True)
class _Draft:
    level1: str
    level2: str
    name: str
    points: str
    score: str
    evidence: str
    guidance: str = ""


class ItemsTableModel(QAbstractTableModel):
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Draft] = []

    def set_items(self, items: tuple[ItemEdit, ...] | list[ItemEdit]) -> None:
        self.beginResetModel()
        self._rows = [_draft(i) for i in items]
        self.endResetModel()

    def add_row(self, after: int) -> int:
        """A blank item under row `after` (or at the end), in the same 一级 and 二级."""
        at = len(self._rows) if after < 0 else after + 1
        like = self._rows[at - 1] if at > 0 else None
        row = _Draft(like.level1 if like else "产出", like.level2 if like else "", "", "", "", "")
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, row)
        self.endInsertRows()
        self.edited.emit()
        return at

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def items(self) -> list[ItemEdit]:
        """The rows as items; ValidationFailed naming each unreadable number."""
        items: list[ItemEdit] = []
        problems: list[Problem] = []
        for n, r in enumerate(self._rows, 1):
            points = _number(r.points, n, HEADERS[COL_POINTS], problems, required=True)
            score = _number(r.score, n, HEADERS[COL_SCORE], problems, required=False)
            items.append(
                ItemEdit(r.level1, r.level2, r.name, points or Decimal(0), r.guidance, score,
                         r.evidence)
            )  # fmt: skip
        if problems:
            raise ValidationFailed(problems, "指标表中有无法识别的数字，未保存：")
        return items

    def total_text(self) -> tuple[Decimal, Decimal]:
        """Weights and scores typed so far (unreadable cells count as 0), for the live sum."""
        weights = sum((_loose(r.points) for r in self._rows), Decimal(0))
        scores = sum((_loose(r.score) for r in self._rows), Decimal(0))
        return weights, scores

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(row, _FIELDS[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_NAME and row.guidance:
            return f"评分要点：{row.guidance}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_POINTS, COL_SCORE):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = _FIELDS[index.column()]
        text = str(value or "").strip()
        row = self._rows[index.row()]
        if getattr(row, field) == text:
            return False
        self._rows[index.row()] = replace(row, **{field: text})
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return section + 1


def _draft(i: ItemEdit) -> _Draft:
    score = "" if i.score is None else plain(i.score)
    return _Draft(i.level1, i.level2, i.name, plain(i.points), score, i.evidence, i.guidance)


def _number(
    text: str, row: int, column: str, problems: list[Problem], *, required: bool
) -> Decimal | None:
    if not text:
        if required:
            problems.append(Problem("未填写", row=row, column=column))
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        problems.append(Problem(f"“{text}”不是数字", row=row, column=column))
        return None


def _loose(text: str) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
