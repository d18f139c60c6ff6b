"""A target value keeps its unit on the line: it shrinks like a number instead of wrapping."""

from __future__ import annotations

import pytest

from app.reports.layout import is_quantity, shrink_size


@pytest.mark.parametrize("text", ["≤1958元/平方米", "≥39批次", "≥80%", "=0起", "1,350.00"])
def test_quantities(text: str) -> None:
    assert is_quantity(text)


@pytest.mark.parametrize("text", ["得到保障", "明显改善", "≥80%，且不低于上年", "1 2"])
def test_not_quantities(text: str) -> None:
    assert not is_quantity(text)


def test_a_value_with_unit_shrinks_rather_than_wraps() -> None:
    assert shrink_size("≤1958元/平方米", 90, 80, 10.5) == pytest.approx(10.5 * 80 / 90)
    assert shrink_size("明显改善明显改善", 90, 80, 10.5) is None
