"""设置 → 基础信息: the county's and bureau's names, the 股室 and the fiscal years.

Every change goes through services.setup (audited) and is announced with `data_changed`
so the window's title, year list and pages follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.common.catalog import list_years
from app.services.common.year_rules import rules_for_year
from app.services.setup import county, sections, years
from app.services.setup.sections import SectionRow
from app.storage.database import Database
from app.ui.settings.basics_dialogs import TextDialog, YearDialog
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes

Opened = TypeVar("Opened", TextDialog, YearDialog)


class BasicsTab(QWidget):
    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.county_edit = QLineEdit()
        self.bureau_edit = QLineEdit()
        self.save_names_button = QPushButton("保存名称")
        self.section_list = QListWidget()
        self.section_buttons: dict[str, QPushButton] = {}
        self.year_list = QListWidget()
        self.new_year_button = QPushButton("新建年度…")
        writes(self.save_names_button, self.new_year_button)
        self.dialog: TextDialog | YearDialog | None = None  # the one open, for tests
        self._build()

    def _build(self) -> None:
        names = QGroupBox("县（区）和财政局")
        form = QFormLayout(names)
        self.county_edit.setMaxLength(county.MAX_NAME)
        self.bureau_edit.setMaxLength(county.MAX_NAME)
        form.addRow("县（区）名称：", self.county_edit)
        form.addRow("财政局名称：", self.bureau_edit)
        row = QHBoxLayout()
        row.addWidget(QLabel("报告标题、落款和表头使用这些名称。"), 1)
        row.addWidget(self.save_names_button)
        form.addRow(row)
        layout = QVBoxLayout(self)
        layout.addWidget(names)
        lists = QHBoxLayout()
        lists.addWidget(self._sections_box(), 3)
        lists.addWidget(self._years_box(), 2)
        layout.addLayout(lists, 1)
        self.save_names_button.clicked.connect(self._on_save_names_button_clicked)
        self.new_year_button.clicked.connect(self._on_new_year_button_clicked)

    def _sections_box(self) -> QGroupBox:
        box = QGroupBox("业务股室（按列表和报告中的顺序）")
        buttons = QVBoxLayout()
        actions: tuple[tuple[str, Callable[[], object]], ...] = (
            ("添加…", self.add_section),
            ("改名…", self.rename_section),
            ("上移", lambda: self._move(-1)),
            ("下移", lambda: self._move(1)),
            ("停用", self.toggle_section),
        )
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            writes(button)
            self.section_buttons[text] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(box)
        layout.addWidget(self.section_list, 1)
        layout.addLayout(buttons)
        self.section_list.currentRowChanged.connect(self._on_section_list_current_row_changed)
        return box

    def _years_box(self) -> QGroupBox:
        box = QGroupBox("预算年度")
        layout = QVBoxLayout(box)
        layout.addWidget(self.year_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_year_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # -- the tab protocol ----------------------------------------------------------------------
    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        names = county.county_names(self._db)
        self.county_edit.setText(names.county if names.named else "")
        self.bureau_edit.setText(names.bureau if names.named else "")
        self._fill_sections()
        self.year_list.clear()
        for year in list_years(self._db):
            self.year_list.addItem(f"{year} 年")
        writable = not self._db.read_only
        for widget in (self.county_edit, self.bureau_edit, self.save_names_button,
                       self.new_year_button, *self.section_buttons.values()):  # fmt: skip
            widget.setEnabled(writable)

    def _fill_sections(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self._current_id()
        self.section_list.clear()
        for row in sections.list_sections(self._db):
            text = f"{row.name}（{row.units} 个单位）" + ("　已停用" if not row.active else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row)
            if not row.active:
                item.setForeground(Qt.GlobalColor.gray)
            self.section_list.addItem(item)
            if row.id == current:
                self.section_list.setCurrentItem(item)

    def current_section(self) -> SectionRow | None:
        item = self.section_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _current_id(self) -> int | None:
        row = self.current_section()
        return row.id if row else None

    # -- actions -------------------------------------------------------------------------------
    def save_names(self) -> bool:
        try:
            county.set_county_names(self._db, self.county_edit.text(), self.bureau_edit.text())
        except UserError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self.data_changed.emit()
        return True

    def add_section(self) -> TextDialog:
        def save(name: str) -> None:
            self._changed(sections.add_section(self._db, name))

        return self._open(TextDialog("添加股室", "股室名称：", "", save, self))

    def rename_section(self) -> TextDialog | None:
        row = self._need_section()
        if row is None:
            return None

        def save(name: str) -> None:
            sections.rename_section(self._db, row.id, name, row.version)
            self._changed(row.id)

        return self._open(TextDialog("股室改名", "新名称：", row.name, save, self))

    def toggle_section(self) -> None:
        row = self._need_section()
        if row is not None:
            self._run(lambda: sections.set_section_active(self._db, row.id, not row.active), row.id)

    def new_year(self) -> YearDialog:
        known = list_years(self._db)

        def save(year: int, rolled: bool) -> None:
            added = years.add_year(self._db, year, rules_for_year(self._db, year - 1), rolled)
            self._changed(None)
            if added.rolled_from is not None:
                show_info(self, "已新建年度", f"已新建 {year} 年度，从 {added.rolled_from} 年度"
                          f"结转项目 {added.projects_copied} 个（绩效目标为草稿）。")  # fmt: skip

        return self._open(YearDialog(known[-1] if known else None, save, self))

    def _move(self, step: int) -> None:
        row = self._need_section()
        if row is not None:
            self._run(lambda: sections.move_section(self._db, row.id, step), row.id)

    def _run(self, change: Callable[[], None], select_id: int | None) -> None:
        try:
            change()
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(select_id)

    def _changed(self, select_id: int | None) -> None:
        self.reload()
        self._fill_sections(select_id)
        self.data_changed.emit()

    def _open(self, dialog: Opened) -> Opened:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _need_section(self) -> SectionRow | None:
        row = self.current_section()
        if row is None:
            show_error(self, "请先在列表中选择一个股室。")
        return row

    # -- slots ---------------------------------------------------------------------------------
    def _on_save_names_button_clicked(self) -> None:
        if self.save_names():
            show_info(self, "已保存", "县（区）和财政局名称已保存，新生成的报告将使用这些名称。")

    def _on_new_year_button_clicked(self) -> None:
        self.new_year()

    def _on_section_list_current_row_changed(self, _row: int) -> None:
        row = self.current_section()
        self.section_buttons["停用"].setText("启用" if row and not row.active else "停用")
