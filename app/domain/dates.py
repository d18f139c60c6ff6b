"""Dates a clerk types: 2025-03-31, 2025/3/31, 2025.3.31 or 2025年3月31日."""

from __future__ import annotations

import datetime as dt
import re

from app.domain.errors import UserError

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str, what: str = "日期") -> dt.date:
    """The date `text` names; UserError naming `what` and the text when it is not one."""
    found = _DATE.match(text)
    if found:
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            pass
    raise UserError(f"{what}“{text}”不对：请写成 2025-03-31 或 2025年3月31日 这样的日期。")
