"""A grid of 预算单位 rows to type, paste from Excel/WPS (Ctrl+V) or fill from the 单位 sheet
of the goals workbook template. It only collects rows; the services check and save them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.units import UnitInput, parse_pasted
from app.ui.widgets.messages import show_error

HEADERS = ("单位编码", "单位名称", "股室", "主管部门编码")
EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"


class _Table(QTableWidget):
    pasted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.pasted.emit()
            return
        super().keyPressEvent(event)


class UnitGrid(QWidget):
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _Table(0, len(HEADERS))
        self.add_button = QPushButton("添加一行")
        self.remove_button = QPushButton("删除所选行")
        self.paste_button = QPushButton("粘贴 Excel 中复制的行")
        self.import_button = QPushButton("从 Excel 导入“单位”工作表…")
        self._build()

    def _build(self) -> None:
        table = self.table
        table.setHorizontalHeaderLabels(HEADERS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        for column, sample in enumerate(
            ("2190010001", "县第一中学附属幼儿园", "农业农村股", "2190010001")
        ):
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 32)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setToolTip(
            "可从 Excel 或 WPS 复制四列（单位编码、单位名称、股室、主管部门编码），再按 Ctrl+V 粘贴"
        )
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.paste_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(table, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.paste_button.clicked.connect(self.paste_clipboard)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        table.pasted.connect(self.paste_clipboard)
        table.itemChanged.connect(lambda _item: self.rows_changed.emit())

    def units(self) -> list[UnitInput]:
        """The rows typed so far, tidied; blank rows left out."""
        rows = []
        for row in range(self.table.rowCount()):
            cells = [self._text(row, column) for column in range(len(HEADERS))]
            if any(cells):
                rows.append(UnitInput(*cells).tidy())
        return rows

    def append_units(self, units: list[UnitInput]) -> None:
        blocker = self.table.blockSignals(True)
        try:
            for unit in units:
                row = self.table.rowCount()
                self.table.insertRow(row)
                for column, text in enumerate(
                    (unit.code, unit.name, unit.section, unit.parent_code)
                ):
                    self.table.setItem(row, column, QTableWidgetItem(text))
        finally:
            self.table.blockSignals(blocker)
        self.rows_changed.emit()

    def paste_clipboard(self) -> None:
        units = parse_pasted(QGuiApplication.clipboard().text())
        if not units:
            show_error(self, "剪贴板中没有可粘贴的单位：请在 Excel 中选中“单位编码、单位名称、"
                             "股室、主管部门编码”四列的行，复制后再粘贴。")  # fmt: skip
            return
        self._drop_blank_rows()
        self.append_units(units)

    def import_sheet(self, path: Path) -> None:
        from app.services.setup.units import read_units_sheet

        try:
            rows = read_units_sheet(path)
        except UserError as exc:
            show_error(self, exc)
            return
        self._drop_blank_rows()
        self.append_units([unit for _row, unit in rows])

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _drop_blank_rows(self) -> None:
        for row in reversed(range(self.table.rowCount())):
            if not any(self._text(row, c) for c in range(len(HEADERS))):
                self.table.removeRow(row)

    def _on_add_button_clicked(self) -> None:
        """A blank row, its 单位编码 cell ready for typing."""
        self.append_units([UnitInput("", "")])
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)

    def _on_remove_button_clicked(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self.rows_changed.emit()

    def _on_import_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "选择绩效目标工作簿或空白模板", "", EXCEL_FILTER
        )
        if name:
            self.import_sheet(Path(name))
