"""整改 (rectification, docs/domain.md §11): where findings come from and the status rule.

Decisions:
- A finding comes from a red monitoring lamp, a review that found the self-evaluation untrue
  (自评不实), a 中/差 grade, or a 重点评价's 发现的问题.
- Stored status is what the bureau recorded: 未整改, 整改中 (the unit replied) or 已整改
  (closed). 逾期 is derived, never stored: not closed and the deadline is before today, so
  an item turns overdue the morning after its deadline without anyone saving anything.
- The default deadline is a rule of thumb (60 days after the finding), editable per item.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

DEFAULT_DAYS = 60


class FindingSource(StrEnum):
    RED_LAMP = "监控红灯"
    UNTRUE = "自评不实"
    POOR_GRADE = "评价等级"
    KEY_EVALUATION = "重点评价"


class Status(StrEnum):
    OPEN = "未整改"
    IN_PROGRESS = "整改中"
    DONE = "已整改"
    OVERDUE = "逾期"


STORED = (Status.OPEN, Status.IN_PROGRESS, Status.DONE)


def effective_status(stored: Status, deadline: date, today: date) -> Status:
    """What the ledger shows: 逾期 once an unclosed item's deadline has passed."""
    if stored is not Status.DONE and deadline < today:
        return Status.OVERDUE
    return stored


def is_overdue(stored: Status, deadline: date, today: date) -> bool:
    return effective_status(stored, deadline, today) is Status.OVERDUE


def default_deadline(found_on: date, days: int = DEFAULT_DAYS) -> date:
    return found_on + timedelta(days=days)
