"""Money: Decimal 元 in code, integer 分 in storage, 万元 on screen and in forms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100
YUAN_PER_WAN = Decimal(10000)
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up (the rule for money, scores and percentages)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_to_fen(yuan: Decimal) -> int:
    return int((yuan * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(fen) / FEN_PER_YUAN


def wan_to_fen(wan: Decimal) -> int:
    return yuan_to_fen(wan * YUAN_PER_WAN)


def fen_to_wan(fen: int) -> Decimal:
    """Exact 万元 value of an amount in 分 (not rounded)."""
    return Decimal(fen) / (YUAN_PER_WAN * FEN_PER_YUAN)


def format_wan(fen: int | None, *, grouping: bool = False) -> str:
    """万元 with two decimals, e.g. 1234500 分 → '1.23'."""
    if fen is None:
        return ""
    value = round2(fen_to_wan(fen))
    return f"{value:,.2f}" if grouping else f"{value:.2f}"


def format_percent(ratio: Decimal | None) -> str:
    """A ratio (0.8512) shown as a percentage with two decimals ('85.12%')."""
    if ratio is None:
        return ""
    return f"{round2(ratio * 100):.2f}%"


def parse_decimal(text: object) -> Decimal:
    """A number from user input or a spreadsheet cell, exactly.

    Floats go through str() so 0.1 stays 0.1. Raises ValueError on anything else.
    """
    if isinstance(text, bool):
        raise ValueError("不是数字")
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int | float):
        return Decimal(str(text))
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise ValueError(f"“{text}”不是数字") from exc
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有限数字")
    return value


def parse_wan(text: str) -> Decimal | None:
    """An amount a person typed in 万元 ('1,234.5') → exact 元; None when blank.

    Thousands separators (, or ，) are allowed; anything else that is not a number raises
    ValueError naming the text and the unit."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        return parse_decimal(cleaned) * YUAN_PER_WAN
    except ValueError as exc:
        raise ValueError(f"“{text.strip()}”不是数字（单位：万元）") from exc
