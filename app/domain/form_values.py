"""Values as real tables print them: tolerant reading, strict meaning (DOMAIN §12).

- A qualitative actual counts as 达成 when it repeats the target's own words (target 有效,
  actual 有效) or is one of the rule set's words for "achieved" (完成, 达到, 是, 良好…).
  Anything else is not guessed: the caller keeps it as written and asks for a band.
- Numbers may carry their unit or %, full-width digits and thousands separators
  (`735人次`, `≥95%`, `２,000,000`); amounts are in the table's 万元 or 元, or say so
  themselves (`5万元`). Every failure is a ValueError with a Chinese sentence; the caller
  adds the label and the cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from app.domain.indicator_values import normalize_name, parse_indicator_value
from app.domain.money import YUAN_PER_WAN

_QUOTES = "“”\"'‘’「」。；;，,！!"
_DASHES = {"", "—", "——", "-", "/", "无"}


def _plain_words(text: object) -> str:
    return normalize_name(text).strip(_QUOTES)


def achieved_by_wording(actual: str, target: str, achieved_words: Iterable[str]) -> bool:
    """Whether a qualitative actual plainly says the target was met."""
    said = _plain_words(actual)
    if not said:
        return False
    if said == _plain_words(target):
        return True
    return said in {_plain_words(word) for word in achieved_words}


def read_number(text: str) -> Decimal:
    """A number from a printed cell: `735人次` → 735, `≥95%` → 95, `１,２００` → 1200."""
    parsed = parse_indicator_value(text)
    if parsed.number is None:
        raise ValueError(f"“{text}”不是数字")
    return parsed.number


def read_optional_number(text: str) -> Decimal | None:
    """None for a blank or a dash cell (— / - / 无), else as read_number."""
    return None if normalize_name(text) in _DASHES else read_number(text)


def read_amount(text: str, table_unit: str) -> Decimal | None:
    """An amount in 元 from a cell in the table's unit (万元 or 元); blank or dash → None."""
    if normalize_name(text) in _DASHES:
        return None
    parsed = parse_indicator_value(text)
    if parsed.number is None or parsed.unit not in ("", "元", "万元"):
        raise ValueError(f"“{text}”不是金额")
    unit = parsed.unit or table_unit
    yuan = parsed.number * YUAN_PER_WAN if unit == "万元" else parsed.number
    if yuan < 0:
        raise ValueError(f"金额“{text}”不能为负数")
    return yuan.quantize(Decimal("0.01"))
