"""整改 status on plain values: 逾期 follows from the deadline and today, never stored."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.rectification import Status, default_deadline, effective_status, is_overdue

DEADLINE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("stored", "today", "shown"),
    [
        (Status.OPEN, date(2026, 3, 31), Status.OPEN),  # due today: not late yet
        (Status.OPEN, date(2026, 4, 1), Status.OVERDUE),
        (Status.IN_PROGRESS, date(2026, 4, 1), Status.OVERDUE),
        (Status.IN_PROGRESS, date(2026, 3, 1), Status.IN_PROGRESS),
        (Status.DONE, date(2027, 1, 1), Status.DONE),  # closed items never turn late
    ],
)
def test_overdue_is_derived_from_the_deadline_and_today(stored, today, shown):
    assert effective_status(stored, DEADLINE, today) is shown
    assert is_overdue(stored, DEADLINE, today) == (shown is Status.OVERDUE)


def test_the_default_deadline_is_sixty_days_later():
    assert default_deadline(date(2026, 1, 1)) == date(2026, 3, 2)
    assert default_deadline(date(2026, 1, 1), 10) == date(2026, 1, 11)
