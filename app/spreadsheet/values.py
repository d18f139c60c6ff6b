"""Turning one cell's raw value into the typed value its column declares.

Every function here raises ValueError with a Chinese sentence about the value; the reader
adds the sheet, row and column. Untidy but unambiguous input is accepted (full-width digits,
thousands separators, stray spaces); anything that could be read two ways is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from app.domain.money import YUAN_PER_WAN

from .columns import KIND_LABELS, Column, Kind, normalise_label

MIN_YEAR, MAX_YEAR = 1900, 2199
# Excel keeps 15 significant digits: a longer code stored as a number has lost digits.
_EXACT_DIGITS = 15
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_STRIP = " \t\r\n\u3000\xa0\u200b\ufeff"
# Sane bounds, checked where the cell is read so no overflow reaches the database: a county's
# amounts stay far below 一万亿元 (10^8 万元); counts and other numbers below 10^12.
MAX_WAN = Decimal(10) ** 8
MAX_NUMBER = Decimal(10) ** 12


class FormulaWithoutResult:
    """A formula cell saved without a cached value (written by a tool, never opened in
    Excel): there is nothing to import."""

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_RESULT"


FORMULA_WITHOUT_RESULT = FormulaWithoutResult()


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error such as #DIV/0! or #N/A."""

    code: str


@dataclass(frozen=True)
class PercentNumber:
    """A number cell formatted as a percentage: Excel stores 95% as 0.95."""

    value: int | float


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(_STRIP))


def trimmed(value: Any) -> Any:
    """A cell's raw value with text trimmed as convert() trims it; None when blank."""
    if isinstance(value, str):
        return value.strip(_STRIP) or None
    return value


def is_plain_text(column: Column) -> bool:
    """convert() gives such a column's trimmed, non-blank text back unchanged, so a reader
    may skip the call for text cells (a workbook has a quarter of a million of them)."""
    return column.kind is Kind.TEXT and column.parser is None


def convert(column: Column, value: Any) -> Any:
    """The typed value of one non-blank cell, or ValueError."""
    if value is FORMULA_WITHOUT_RESULT:
        raise ValueError("单元格含公式但没有计算结果，请在 Excel 中打开并保存后再导入")
    if isinstance(value, ErrorValue):
        raise ValueError(f"单元格是错误值 {value.code}，请改正公式或填写数值")
    if isinstance(value, str):
        value = value.strip(_STRIP)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("单元格不是有效数字（NaN 或无穷大），请填写数值")
    if column.parser is not None:
        return _bounded(column.parser(value))
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        if column.kind is Kind.TEXT:
            return _date_text(value)
        raise ValueError(
            f"单元格是日期/时间，但该列应填{KIND_LABELS[column.kind]}；"
            "请把单元格格式改为“常规”后重新填写"
        )
    return _CONVERTERS[column.kind](column, value)


def _bounded(value: Any, limit: Decimal = MAX_NUMBER) -> Any:
    """The value, unless it is a number too large to be meant (or to be stored)."""
    number = Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(number, Decimal) and abs(number) >= limit:
        raise ValueError("数值过大，超出合理范围（绝对值应小于 1 万亿），请检查")
    return value


def _date_text(value: dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)


def _text(column: Column, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, PercentNumber):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _code(column: Column, value: Any) -> str:
    if isinstance(value, PercentNumber | bool):
        raise ValueError(f"“{_shown(value)}”不是编码")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"编码“{value}”含小数，请把该列设为文本后重新填写")
        if abs(value) >= 10**_EXACT_DIGITS:
            raise ValueError(
                "编码被存成了数字且超过 15 位，末尾数字已丢失；请把该列设为文本后重新填写"
            )
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    # A leading apostrophe is Excel's "type as text" marker leaking from other tools.
    return "".join(text.split()).lstrip("'")


def _number(column: Column, value: Any) -> Decimal:
    """A Decimal from a number cell or from number-like text."""
    if isinstance(value, bool):
        raise ValueError(f"“{_shown(value)}”不是数字")
    if isinstance(value, PercentNumber):
        number = Decimal(str(value.value))
        return number * 100 if column.percent else number
    if isinstance(value, int | float):
        return Decimal(str(value))
    return _number_from_text(column, str(value))


def _number_from_text(column: Column, raw: str) -> Decimal:
    text = unicodedata.normalize("NFKC", raw).replace("\u2212", "-")
    text = "".join(text.split())
    if text.endswith("%"):
        if not column.percent:
            raise ValueError(f"“{raw}”带百分号，但该列不是百分比")
        text = text[:-1]
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError(f"“{raw}”中的逗号不是千位分隔符，无法识别为数字")
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{raw}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{raw}”不是有限数字")
    return number


def _decimal(column: Column, value: Any) -> Decimal:
    number = _bounded(_number(column, value))
    if column.places is not None:
        number = number.quantize(Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP)
    return number


def _money_wan(column: Column, value: Any) -> Decimal:
    # Rounded to 分: float noise from formulas (0.30000000000000004) must not reach storage.
    wan = _number(column, value)
    if abs(wan) >= MAX_WAN:
        raise ValueError("金额过大，超出合理范围（应小于 1 万亿元），请检查单位是否为万元")
    yuan = wan * YUAN_PER_WAN
    return yuan.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _integer(column: Column, value: Any) -> int:
    number = _bounded(_number(column, value))
    if number != number.to_integral_value():
        raise ValueError(f"“{_shown(value)}”不是整数")
    return int(number)


def _year(column: Column, value: Any) -> int:
    if isinstance(value, str):
        value = value.strip(_STRIP).removesuffix("年")
    year = _integer(column, value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"“{_shown(value)}”不是四位年份")
    return year


def _choice(column: Column, value: Any) -> str:
    wanted = normalise_label(_text(column, value))
    for choice in column.choices:
        if normalise_label(choice) == wanted:
            return choice
    allowed = "、".join(column.choices[:12]) + ("等" if len(column.choices) > 12 else "")
    raise ValueError(f"“{_shown(value)}”不在可选范围内（{allowed}）")


def _shown(value: Any) -> str:
    if isinstance(value, PercentNumber):
        return f"{Decimal(str(value.value)) * 100}%"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.CODE: _code,
    Kind.DECIMAL: _decimal,
    Kind.MONEY_WAN: _money_wan,
    Kind.INTEGER: _integer,
    Kind.YEAR: _year,
    Kind.CHOICE: _choice,
}
