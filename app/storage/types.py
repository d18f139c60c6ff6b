"""Column types that keep money and scores exact on SQLite and PostgreSQL alike.

SQLite's NUMERIC passes through float, so money is stored as integer 分, scores as integer
hundredths of a point, and free-precision values (targets, actuals) as canonical text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.types import TypeDecorator

from app.domain.money import fen_to_yuan, round2, yuan_to_fen


class Money(TypeDecorator[Decimal]):
    """Decimal 元 in Python, integer 分 in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else yuan_to_fen(Decimal(value))

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else fen_to_yuan(value)


class Points(TypeDecorator[Decimal]):
    """Scores and points: Decimal with 2 places, stored as integer hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else int(round2(Decimal(value)) * 100)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal of any precision stored as its exact text (targets, actual values, ratios)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)
