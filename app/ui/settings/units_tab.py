"""设置 → 预算单位: add, edit (move between 股室 or 主管部门), retire, add many (typed,
pasted or from the 单位 sheet). A retired unit stays listed, greyed, with its history."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.units import UnitInput
from app.services.setup import sections, units
from app.services.setup.units import UnitRow
from app.storage.database import Database
from app.ui.settings.basics_dialogs import PasteUnitsDialog, UnitDialog
from app.ui.setup.unit_grid import EXCEL_FILTER
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes

UnitDialogT = TypeVar("UnitDialogT", UnitDialog, PasteUnitsDialog)
HEADERS = ("单位编码", "单位名称", "股室", "主管部门", "状态")


class UnitsTab(QWidget):
    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[UnitRow] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.buttons: dict[str, QPushButton] = {}
        self.dialog: UnitDialog | PasteUnitsDialog | None = None  # the one open, for tests
        self._build()

    def _build(self) -> None:
        table = self.table
        table.setHorizontalHeaderLabels(HEADERS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in enumerate(
            ("219001001", "", "农业农村股", "219001 县教育局", "已停用")
        ):
            table.setColumnWidth(column, metrics.horizontalAdvance(sample or "宽") + 40)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        actions = (
            ("新增单位…", self.add_unit),
            ("编辑…", self.edit_unit),
            ("停用", self.toggle_unit),
            ("批量添加（粘贴）…", self.add_many),
            ("从 Excel 导入…", self.import_file),
        )
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            writes(button)
            self.buttons[text] = button
            bar.addWidget(button)
        bar.addStretch(1)
        note = QLabel("停用的单位保留全部历史数据，只是不再作为新单位的主管部门。双击一行可编辑。")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(table, 1)
        layout.addWidget(note)
        table.itemDoubleClicked.connect(lambda _item: self.edit_unit())
        table.currentCellChanged.connect(self._on_table_current_cell_changed)

    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self, select_code: str = "") -> None:
        current = self.current_unit()
        select_code = select_code or (current.code if current else "")
        self._rows = units.list_units(self._db)
        names = {r.code: r.name for r in self._rows}
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            parent = (
                f"{row.parent_code} {names.get(row.parent_code, '')}" if row.parent_code else ""
            )
            cells = (row.code, row.name, row.section, parent, "在用" if row.active else "已停用")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not row.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(index, column, item)
            if row.code == select_code:
                self.table.selectRow(index)
        for button in self.buttons.values():
            button.setEnabled(not self._db.read_only)

    def current_unit(self) -> UnitRow | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- actions -------------------------------------------------------------------------------
    def add_unit(self) -> UnitDialog:
        def save(unit: UnitInput) -> None:
            units.add_unit(self._db, unit)
            self._changed(unit.code)

        return self._open(UnitDialog(None, self._section_names(), self._parents(), save, self))

    def edit_unit(self) -> UnitDialog | None:
        row = self._need_unit()
        if row is None:
            return None

        def save(unit: UnitInput) -> None:
            units.edit_unit(self._db, row.id, unit, row.version)
            self._changed(unit.code)

        return self._open(UnitDialog(row, self._section_names(), self._parents(), save, self))

    def toggle_unit(self) -> None:
        row = self._need_unit()
        if row is None:
            return
        try:
            units.set_unit_active(self._db, row.id, not row.active)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(row.code)

    def add_many(self) -> PasteUnitsDialog:
        def save(rows: list[UnitInput]) -> None:
            added = units.add_units(self._db, rows)
            self._changed("")
            show_info(self, "已添加", f"已添加单位 {len(added.added)} 个。")

        return self._open(PasteUnitsDialog(save, self))

    def import_file(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "导入“单位”工作表", "", EXCEL_FILTER)
            if not name:
                return
            path = Path(name)
        try:
            result = units.import_units(self._db, path)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed("")
        text = f"已导入单位 {len(result.added)} 个，新建股室 {len(result.new_sections)} 个。"
        if result.skipped:
            text += f"\n系统中已有、未改动的单位 {len(result.skipped)} 个。"
        show_info(self, "导入完成", text)

    # -- helpers -------------------------------------------------------------------------------
    def _open(self, dialog: UnitDialogT) -> UnitDialogT:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _changed(self, select_code: str) -> None:
        self.reload(select_code)
        self.data_changed.emit()

    def _section_names(self) -> list[str]:
        return [s.name for s in sections.list_sections(self._db) if s.active]

    def _parents(self) -> list[UnitRow]:
        return [r for r in self._rows if r.active]

    def _need_unit(self) -> UnitRow | None:
        row = self.current_unit()
        if row is None:
            show_error(self, "请先在列表中选择一个单位。")
        return row

    def _on_table_current_cell_changed(self, *_cells: int) -> None:
        row = self.current_unit()
        self.buttons["停用"].setText("启用" if row and not row.active else "停用")
