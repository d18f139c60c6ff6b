"""Small editing dialogs of 设置 → 基础信息: a name, a unit, a new year, pasted units.

Each is opened window-modal with open() and does its work in accept(): a refused change
keeps the dialog open with the message, so nothing typed is lost. 取消, Esc and X on a
dialog with changes ask before throwing them away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.units import UnitInput
from app.services.setup import years
from app.services.setup.units import UnitRow
from app.ui.setup.unit_grid import UnitGrid
from app.ui.widgets import choice
from app.ui.widgets.choice import Choice
from app.ui.widgets.messages import show_error

DISCARD, KEEP = "discard", "keep"


class EditDialog(QDialog):
    """OK runs `save` (a UserError keeps the dialog open); cancelling asks when changed."""

    def __init__(self, title: str, save: Callable[[], object], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form, 1)
        layout.addWidget(self.buttons)

    def changed(self) -> bool:
        return True

    def accept(self) -> None:
        try:
            self._save()
        except UserError as exc:
            show_error(self, exc)
            return
        super().accept()

    def reject(self) -> None:
        if self.changed() and choice.ask(
            self, self.windowTitle(), "修改尚未保存，确定放弃吗？",
            [Choice(DISCARD, "放弃修改", QMessageBox.ButtonRole.DestructiveRole),
             Choice(KEEP, "继续编辑", QMessageBox.ButtonRole.RejectRole)],
            default=KEEP, escape=KEEP,
        ) != DISCARD:  # fmt: skip
            return
        super().reject()


class TextDialog(EditDialog):
    """One name: a 股室 added or renamed."""

    def __init__(
        self, title: str, label: str, text: str, save: Callable[[str], object], parent: QWidget
    ) -> None:
        super().__init__(title, lambda: save(self.edit.text()), parent)
        self._original = text
        self.edit = QLineEdit(text)
        self.edit.setMinimumWidth(280)
        self.form.addRow(label, self.edit)

    def changed(self) -> bool:
        return self.edit.text().strip() != self._original


class UnitDialog(EditDialog):
    """A unit's code, name, 股室 and 主管部门 (new or edited)."""

    def __init__(
        self,
        unit: UnitRow | None,
        sections: list[str],
        parents: list[UnitRow],
        save: Callable[[UnitInput], object],
        parent: QWidget,
    ) -> None:
        super().__init__(
            "编辑预算单位" if unit else "新增预算单位", lambda: save(self.unit()), parent
        )
        self.code_edit = QLineEdit(unit.code if unit else "")
        self.code_edit.setPlaceholderText("3 至 21 位数字或大写字母")
        self.name_edit = QLineEdit(unit.name if unit else "")
        self.name_edit.setMinimumWidth(320)
        self.section_combo = QComboBox()
        self.section_combo.addItem("（未分配）", "")
        for name in sections:
            self.section_combo.addItem(name, name)
        self.parent_combo = QComboBox()
        self.parent_combo.addItem("（本单位是主管部门）", "")
        for row in parents:
            if unit is None or row.id != unit.id:
                self.parent_combo.addItem(f"{row.code} {row.name}", row.code)
        if unit is not None:
            self.section_combo.setCurrentIndex(max(0, self.section_combo.findData(unit.section)))
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(unit.parent_code)))
        self.form.addRow("单位编码：", self.code_edit)
        self.form.addRow("单位名称：", self.name_edit)
        self.form.addRow("所属股室：", self.section_combo)
        self.form.addRow("主管部门：", self.parent_combo)
        self._original = self.unit()

    def unit(self) -> UnitInput:
        return UnitInput(
            self.code_edit.text(),
            self.name_edit.text(),
            self.section_combo.currentData(),
            self.parent_combo.currentData(),
        ).tidy()

    def changed(self) -> bool:
        return self.unit() != self._original


class YearDialog(EditDialog):
    """A new fiscal year, empty or rolled forward from the year before."""

    def __init__(self, latest: int | None, save: Callable[[int, bool], object], parent: QWidget):
        super().__init__("新建年度", lambda: save(self.year_spin.value(), self.rolled()), parent)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(years.FIRST_YEAR, years.LAST_YEAR)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setValue((latest or 2025) + 1)
        self.empty_radio = QRadioButton("空白年度（项目和绩效目标另行导入或填写）")
        self.rolled_radio = QRadioButton("从上一年度结转：延续项目及其绩效目标复制为草稿")
        group = QButtonGroup(self)
        group.addButton(self.empty_radio)
        group.addButton(self.rolled_radio)
        (self.rolled_radio if latest else self.empty_radio).setChecked(True)
        self.rolled_radio.setEnabled(latest is not None)
        self.form.addRow("年度：", self.year_spin)
        self.form.addRow("方式：", self.empty_radio)
        self.form.addRow("", self.rolled_radio)

    def rolled(self) -> bool:
        return self.rolled_radio.isChecked()

    def changed(self) -> bool:
        return False  # nothing typed worth asking about


class PasteUnitsDialog(EditDialog):
    """Several units at once: typed, pasted from Excel, or read from a 单位 sheet."""

    def __init__(self, save: Callable[[list[UnitInput]], object], parent: QWidget) -> None:
        super().__init__("批量添加预算单位", lambda: save(self.grid.units()), parent)
        note = QLabel(
            "每行一个单位：单位编码、单位名称、股室、主管部门编码。已有的编码不能重复添加。"
        )
        note.setWordWrap(True)
        self.grid = UnitGrid()
        self.form.addRow(note)
        self.form.addRow(self.grid)
        self.resize(820, 520)

    def changed(self) -> bool:
        return bool(self.grid.units())
