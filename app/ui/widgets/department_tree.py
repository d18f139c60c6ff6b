"""Departments grouped by 股室 under an "全部单位" root; selecting a node filters a list.

A 主管部门 shows its subordinate units beneath it; selecting it selects them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from app.services.common.catalog import DepartmentNode, SectionNode

ALL_UNITS = "全部单位"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ALL_KEY = "all"


def section_key(name: str) -> str:
    return f"section:{name}"


def department_key(department_id: int) -> str:
    return f"department:{department_id}"


class DepartmentTree(QTreeView):
    """Emits `departments_selected(frozenset[int] | None)`; None means every unit."""

    departments_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self._model.setHorizontalHeaderLabels(["单位", "项目数"])
        self._ids: dict[str, frozenset[int] | None] = {}
        self.setModel(self._model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def set_sections(self, sections: Sequence[SectionNode], counts: Mapping[int, int]) -> None:
        """Rebuild the tree; keep the selected node if it still exists, else select the root."""
        previous = self.selected_key()
        blocker = self.selectionModel().blockSignals(True)
        try:
            self._model.removeRows(0, self._model.rowCount())
            self._ids.clear()
            root = self._add_row(self._model.invisibleRootItem(), ALL_UNITS, ALL_KEY, None, counts)
            for section in sections:
                key = section_key(section.name)
                ids = frozenset(d.id for d in section.departments)
                item = self._add_row(root, section.name, key, ids, counts)
                self._add_departments(item, section.departments, counts)
        finally:
            self.selectionModel().blockSignals(blocker)
        self.expandToDepth(0)
        if not self.select_key(previous):
            self.select_key(ALL_KEY)

    def selected_key(self) -> str:
        indexes = self.selectionModel().selectedRows(0)
        return str(indexes[0].data(KEY_ROLE)) if indexes else ALL_KEY

    def selected_department_ids(self) -> frozenset[int] | None:
        return self._ids.get(self.selected_key())

    def select_key(self, key: str) -> bool:
        """Select the node with this key; False if there is none."""
        index = self.index_of_key(key)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def index_of_key(self, key: str) -> QModelIndex:
        if self._model.rowCount() == 0:
            return QModelIndex()
        found = self._model.match(
            self._model.index(0, 0),
            KEY_ROLE,
            key,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else QModelIndex()

    def _add_departments(
        self, parent: QStandardItem, nodes: Sequence[DepartmentNode], counts: Mapping[int, int]
    ) -> None:
        ids = {n.id for n in nodes}
        children: dict[int | None, list[DepartmentNode]] = {}
        for node in nodes:
            under = node.parent_id if node.parent_id in ids else None
            children.setdefault(under, []).append(node)

        def add(item: QStandardItem, under: int | None) -> None:
            for node in children.get(under, []):
                subtree = frozenset(_descendants(node.id, children))
                key = department_key(node.id)
                row = self._add_row(item, node.name, key, subtree, counts, node.code)
                add(row, node.id)

        add(parent, None)

    def _add_row(
        self,
        parent: QStandardItem,
        label: str,
        key: str,
        ids: frozenset[int] | None,
        counts: Mapping[int, int],
        code: str = "",
    ) -> QStandardItem:
        item = QStandardItem(label)
        item.setData(key, KEY_ROLE)
        self._ids[key] = ids
        item.setToolTip(f"{label}（单位编码 {code}）" if code else label)
        total = sum(counts.values()) if ids is None else sum(counts.get(i, 0) for i in ids)
        count = QStandardItem(str(total))
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        parent.appendRow([item, count])
        return item

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.departments_selected.emit(self.selected_department_ids())


def _descendants(root: int, children: Mapping[int | None, Iterable[DepartmentNode]]) -> set[int]:
    result = {root}
    for child in children.get(root, ()):
        result |= _descendants(child.id, children)
    return result
