"""The draw's settings: ratio, seed (typed, or 随机), must-include rules from the rule set."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Grade
from app.domain.errors import UserError
from app.domain.money import YUAN_PER_WAN
from app.domain.rules import RuleSet
from app.services.spotcheck import MustInclude
from app.services.spotcheck.draw import MAX_SEED, new_seed
from app.ui.widgets.writes import writes

DEFAULT_LAST_GRADES = (Grade.FAIR, Grade.POOR)
DEFAULT_RED_MONTH = 9


class DrawForm(QGroupBox):
    """Collects a draw's settings; `settings()` raises UserError on a missing seed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("抽取设置", parent)
        self.ratio = QSpinBox()
        self.seed = QLineEdit()
        self.random_button = QPushButton("随机")
        self.amount_check = QCheckBox("金额达到")
        self.amount = QDoubleSpinBox()
        self.last_grade_check = QCheckBox("上年等级为中、差的项目")
        self.full_score_check = QCheckBox("自评100分但执行率不足100%的项目")
        self.red_check = QCheckBox("监控红灯（第")
        self.red_month = QSpinBox()
        self.draw_button = QPushButton("抽取样本")
        writes(self.draw_button)
        self._last_grades: tuple[Grade, ...] = DEFAULT_LAST_GRADES
        self._build()
        self.random_button.clicked.connect(self._on_random_button_clicked)

    def _build(self) -> None:
        self.ratio.setRange(1, 100)
        self.ratio.setSuffix(" %")
        self.seed.setValidator(QIntValidator(0, MAX_SEED, self))
        self.seed.setPlaceholderText("留空则随机生成")
        self.seed.setMaximumWidth(130)
        self.amount.setRange(0, 10**7)
        self.amount.setDecimals(2)
        self.amount.setSuffix(" 万元")
        self.red_month.setRange(1, 12)
        self.red_month.setSuffix(" 月）")
        self.draw_button.setStyleSheet("font-weight: bold; padding: 4px 14px;")
        self.ratio.setMaximumWidth(90)
        self.amount.setMaximumWidth(150)
        first = QHBoxLayout()
        first.addWidget(QLabel("每个股室至少抽取"))
        first.addWidget(self.ratio)
        first.addSpacing(24)
        first.addWidget(QLabel("随机种子"))
        first.addWidget(self.seed)
        first.addWidget(self.random_button)
        first.addStretch(1)
        first.addWidget(self.draw_button)
        second = QHBoxLayout()
        second.addWidget(QLabel("必抽："))
        second.addWidget(self.amount_check)
        second.addWidget(self.amount)
        second.addWidget(QLabel("的项目"))
        for widget in (self.last_grade_check, self.full_score_check):
            second.addSpacing(16)
            second.addWidget(widget)
        second.addSpacing(16)
        second.addWidget(self.red_check)
        second.addWidget(self.red_month)
        second.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)

    def set_rules(self, rules: RuleSet) -> None:
        """Start from the rule set's defaults."""
        s = rules.sampling
        self.ratio.setValue(int(s.ratio * 100))
        amount = s.must_include_amount_yuan / YUAN_PER_WAN
        self.amount_check.setChecked(amount > 0)
        self.amount.setValue(float(amount) if amount > 0 else 500.0)  # widget only
        self._last_grades = s.must_include_last_grades or DEFAULT_LAST_GRADES
        names = "、".join(g.value for g in self._last_grades)
        self.last_grade_check.setText(f"上年等级为{names}的项目")
        self.last_grade_check.setChecked(bool(s.must_include_last_grades))
        self.full_score_check.setChecked(s.must_include_full_score_unspent)
        self.red_check.setChecked(s.must_include_red_at_month > 0)
        self.red_month.setValue(s.must_include_red_at_month or DEFAULT_RED_MONTH)

    def ratio_value(self) -> Decimal:
        return Decimal(self.ratio.value()) / 100

    def seed_value(self) -> int | None:
        text = self.seed.text().strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError as exc:
            raise UserError(f"随机种子应为 0 到 {MAX_SEED} 之间的整数，实际为“{text}”。") from exc

    def must_include(self) -> MustInclude:
        amount = Decimal(str(round(self.amount.value(), 2)))
        return MustInclude(
            amount_wan=amount if self.amount_check.isChecked() else Decimal(0),
            last_grades=self._last_grades if self.last_grade_check.isChecked() else (),
            full_score_unspent=self.full_score_check.isChecked(),
            red_at_month=self.red_month.value() if self.red_check.isChecked() else 0,
        )

    def _on_random_button_clicked(self) -> None:
        self.seed.setText(str(new_seed()))
