"""Numbers as they appear in explanations and flags: exact, no exponent, no noise."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from app.domain.money import YUAN_PER_WAN, round2


@lru_cache(maxsize=4096)
def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 1150.00 → '1150', 4.50 → '4.5'.

    Cached: every score's explanation prints the same points and targets again and again."""
    if value == 0:
        return "0"  # also turns -0 into 0
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"  # 1E+3 → '1000', never '1E+3'
    return f"{value.normalize():f}"


def wan(yuan: Decimal) -> str:
    """An amount in 元 shown in 万元 with two decimals: 3500000 → '350.00'."""
    return f"{round2(yuan / YUAN_PER_WAN):.2f}"


def wan_printed(yuan: Decimal) -> str:
    """How every printed report (Word and PDF) shows money: 万元, two decimals, thousands
    separated — 3500000 元 → '350.00', 731732000 元 → '73,173.20'. One format in all twelve
    reports, in tables and sentences alike; the screens keep their own column formats."""
    return f"{round2(yuan / YUAN_PER_WAN):,.2f}"
