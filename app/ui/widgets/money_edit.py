"""An amount typed in 万元 with up to two decimals, held as Decimal 元.

Stored amounts are exact 元 (123,456.78 元 is 12.345678 万元): the field shows 万元 rounded
to 2 decimals but gives back the exact stored amount until the user changes the text.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.money import YUAN_PER_WAN, parse_wan, round2

_PATTERN = QRegularExpression(r"^[0-9][0-9,]*(\.[0-9]{0,2})?$|^$")


def wan_text(amount_yuan: Decimal | None) -> str:
    """How an amount in 元 shows in the field: 万元, two decimals, thousands separators."""
    return "" if amount_yuan is None else f"{round2(amount_yuan / YUAN_PER_WAN):,.2f}"


class MoneyEdit(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._exact: Decimal | None = None
        self._shown = ""
        self.setValidator(QRegularExpressionValidator(_PATTERN, self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("万元")
        self.editingFinished.connect(self._on_self_editing_finished)

    def set_value_yuan(self, amount: Decimal | None) -> None:
        self._exact = amount
        self._shown = wan_text(amount)
        self.setText(self._shown)

    def value_yuan(self) -> Decimal | None:
        if self.text() == self._shown:
            return self._exact
        try:
            return parse_wan(self.text())
        except ValueError:  # the validator lets only digits through; a lone "," is blank
            return None

    def _on_self_editing_finished(self) -> None:
        """Show what was typed in the field's own format (1234.5 → 1,234.50)."""
        value = self.value_yuan()
        if self.text() != self._shown and value is not None:
            self._exact = value
            self._shown = wan_text(value)
            self.setText(self._shown)
