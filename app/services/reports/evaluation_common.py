"""Shared pieces of the evaluation reports: who signs, number formats, small table helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.money import format_percent, round2
from app.domain.numbers import plain, wan_printed
from app.reports import Align, Cell
from app.storage.models import Setting

BUREAU_KEY = "county.bureau"
COUNTY_KEY = "county.name"
DEFAULT_BUREAU = "县财政局"
DASH = "—"


def bureau_name(session: Session) -> str:
    """The signing bureau (settings ``county.bureau``), or a neutral name when unset."""
    value = session.scalar(select(Setting.value).where(Setting.key == BUREAU_KEY))
    return (value or "").strip() or DEFAULT_BUREAU


def today() -> dt.date:
    return dt.date.today()


def money(yuan: Decimal | None) -> str:
    """万元 with two decimals; blank for no amount."""
    return "" if yuan is None else wan_printed(yuan)


def score(value: Decimal | None) -> str:
    """A score with two decimals (forms print 19.17, 20.00); blank for none."""
    return "" if value is None else f"{round2(value):.2f}"


def points(value: Decimal | None) -> str:
    """分值 without trailing zeros (20, 7.5)."""
    return "" if value is None else plain(value)


def percent(ratio: Decimal | None) -> str:
    return format_percent(ratio) if ratio is not None else DASH


def signed(value: Decimal | None) -> str:
    """偏离 with its sign: -10.50, +2.00, 0.00."""
    if value is None:
        return ""
    rounded = round2(value)
    return f"+{rounded:.2f}" if rounded > 0 else f"{rounded:.2f}"


def left(text: str, colspan: int = 1, rowspan: int = 1, bold: bool = False) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align=Align.LEFT, bold=bold)


def center(text: str, colspan: int = 1, rowspan: int = 1, bold: bool = False) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align=Align.CENTER, bold=bold)
