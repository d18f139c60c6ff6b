"""Cuts carried into next year, on plain values."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.domain.carry_forward import Amounts, apply_cut, reversible
from app.domain.enums import GoalStatus


def test_the_cut_comes_out_of_fiscal_money_first():
    after, applied = apply_cut(Amounts(D(500000), D(400000), D(100000)), D(100000))
    assert after == Amounts(D(400000), D(300000), D(100000))
    assert applied == D(100000)


def test_then_out_of_other_money():
    after, applied = apply_cut(Amounts(D(500000), D(400000), D(100000)), D(450000))
    assert after == Amounts(D(50000), D(0), D(50000))
    assert applied == D(450000)


def test_a_cut_above_the_total_is_capped():
    after, applied = apply_cut(Amounts(D(1000), D(1000), D(0)), D(5000))
    assert (after.total, applied) == (D(0), D(1000))


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, True), (GoalStatus.DRAFT, True), (GoalStatus.SUBMITTED, True),
     (GoalStatus.RETURNED, True), (GoalStatus.APPROVED, False)],
)  # fmt: skip
def test_reversible_until_next_years_goal_is_approved(status, expected):
    assert reversible(status) is expected
