"""How numbers read on screen: 万元 amounts, scores and percentages (blank for None).

Built on app.domain.money (round2, YUAN_PER_WAN, format_percent): one rounding rule.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.money import YUAN_PER_WAN, format_percent, round2

percent_text = format_percent  # a ratio (0.8512) → '85.12%'; blank for None


def wan_text(yuan: Decimal | None) -> str:
    """元 → '1,234.56' in 万元; blank for None."""
    return "" if yuan is None else f"{round2(yuan / YUAN_PER_WAN):,.2f}"


def score_text(value: Decimal | None) -> str:
    """A score with two decimals: 8.5 → '8.50'; blank for None."""
    return "" if value is None else f"{round2(value):.2f}"
