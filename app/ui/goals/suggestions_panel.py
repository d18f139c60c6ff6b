"""历史参考 beside the grid: what this project used last year (target and actual side by side)
and what similar projects of the county used, with their typical targets.

Tick the indicators wanted (all are ticked at first) and add them with one button; rows
already in the goal are left out. Last year's own indicators come without a target: the
point is to set a new one with last year's actual in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.domain.indicator_values import normalize_level_label
from app.domain.library_history import indicator_key
from app.services.goals import IndicatorRow
from app.services.library.history.suggestions import LAST_YEAR, Suggestion
from app.ui.widgets.row_table import CENTER, Column, RowTableModel, list_look, size_columns

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[Column[Suggestion], ...] = (
    Column(
        "来源", lambda s: "本项目" if s.source == LAST_YEAR else "同类", tooltip=lambda s: s.source
    ),
    Column("指标名称", lambda s: s.name, tooltip=lambda s: f"{s.level1} / {s.level2}\n{s.name}"),
    Column("上年目标", lambda s: s.last_target, align=CENTER),
    Column("上年实际", lambda s: s.last_actual, align=CENTER),
    Column("同类典型目标", lambda s: s.typical_text, tooltip=True),
    Column("项目", lambda s: str(s.projects) if s.projects else "", align=CENTER),
)
COL_SOURCE, COL_NAME, COL_LAST_TARGET, COL_LAST_ACTUAL, COL_TYPICAL, COL_PROJECTS = range(6)


class SuggestionTableModel(RowTableModel[Suggestion]):
    """Suggestions with a tick box in the first column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._unticked: set[int] = set()

    def set_suggestions(self, rows: Sequence[Suggestion]) -> None:
        self._unticked = set()
        self.set_rows(rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == COL_SOURCE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == COL_SOURCE:
            ticked = id(self.row_at(index.row())) not in self._unticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != COL_SOURCE:
            return False
        key = id(self.row_at(index.row()))
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._unticked.discard(key)
        else:
            self._unticked.add(key)
        self.dataChanged.emit(index, index, [role])
        return True

    def ticked(self) -> list[Suggestion]:
        return [s for s in self.visible_rows() if id(s) not in self._unticked]


def suggested_row(s: Suggestion) -> IndicatorRow:
    """The grid row a suggestion becomes: a similar project's typical target is filled in,
    this project's own from last year is left for the user to raise."""
    target = None if s.source == LAST_YEAR else s.typical
    text = s.typical_text if s.typical is None and s.source != LAST_YEAR else ""
    return IndicatorRow(
        s.level1, s.level2, s.name, s.comparator, target, text, s.unit, explanation=s.explanation
    )


def new_rows(
    existing: Sequence[IndicatorRow], chosen: Sequence[IndicatorRow]
) -> list[IndicatorRow]:
    """The chosen rows whose indicator (same 二级 and key) the goal does not have yet."""
    have = {(normalize_level_label(r.level2), indicator_key(r.name, r.unit)) for r in existing}
    result = []
    for row in chosen:
        key = (normalize_level_label(row.level2), indicator_key(row.name, row.unit))
        if key not in have:
            have.add(key)
            result.append(row)
    return result


class SuggestionsPanel(QWidget):
    """Emits `rows_chosen(list[IndicatorRow])` when the user adds the ticked suggestions."""

    rows_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SuggestionTableModel(self)
        self.table = QTableView()
        self.note = QLabel()
        self.add_button = QPushButton("添加勾选的指标")
        self.table.setModel(self.model)
        list_look(self.table, row_padding=8)
        size_columns(
            self.table,
            {
                COL_SOURCE: "☐ 本项目",
                COL_LAST_TARGET: "≥5100亩",
                COL_LAST_ACTUAL: "5388亩",
                COL_TYPICAL: "≥95%（80–98）",
                COL_PROJECTS: "项目",
            },
            stretch=COL_NAME,
            padding=18,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.add_button.setToolTip("把勾选的指标加入指标表；已在表中的指标不会重复添加")
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def set_suggestions(self, rows: Sequence[Suggestion]) -> None:
        self.model.set_suggestions(rows)
        own = sum(1 for s in rows if s.source == LAST_YEAR)
        for column in (COL_LAST_TARGET, COL_LAST_ACTUAL):  # a new project has no last year
            self.table.setColumnHidden(column, not own)
        if not rows:
            self.note.setText("本县往年没有同类项目的已批复目标可供参考。")
        elif own:
            self.note.setText(
                f"延续项目：上年本项目 {own} 个指标（目标与实际并列），"
                f"另有同类项目常用指标 {len(rows) - own} 个。"
            )
        else:
            self.note.setText(f"同类项目常用指标 {len(rows)} 个，典型目标为中位数（范围）。")
        self.add_button.setEnabled(bool(rows))

    def set_read_only(self, locked: bool) -> None:
        self.add_button.setEnabled(not locked and self.model.rowCount() > 0)

    def _on_add_button_clicked(self) -> None:
        chosen = [suggested_row(s) for s in self.model.ticked()]
        if chosen:
            self.rows_chosen.emit(chosen)
