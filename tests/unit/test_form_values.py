"""Printed values read tolerantly, judged strictly (app.domain.form_values)."""

from decimal import Decimal

import pytest

from app.domain.form_values import achieved_by_wording, read_amount, read_number

WORDS = ("完成", "达到", "是", "良好", "显著")


@pytest.mark.parametrize(
    ("actual", "target", "achieved"),
    [
        ("有效", "有效", True),
        ("“有效”", "有效", True),
        ("完 成", "显著提升", True),
        ("是", "", True),
        ("基本完成", "有效", False),
        ("", "有效", False),
        ("无效", "有效", False),
    ],
)
def test_achieved_by_wording(actual, target, achieved):
    assert achieved_by_wording(actual, target, WORDS) is achieved


@pytest.mark.parametrize(
    ("text", "number"),
    [("735人次", "735"), ("≥95%", "95"), ("９６％", "96"), ("1,200", "1200"), ("100%", "100")],
)
def test_read_number(text, number):
    assert read_number(text) == Decimal(number)


def test_unreadable_number_says_what_it_saw():
    with pytest.raises(ValueError, match="“约七百”不是数字"):
        read_number("约七百")


@pytest.mark.parametrize(
    ("text", "unit", "yuan"),
    [
        ("100", "万元", "1000000.00"),
        ("2,000,000", "元", "2000000.00"),
        ("5万元", "元", "50000.00"),
        ("１２.３４", "万元", "123400.00"),
    ],
)
def test_read_amount(text, unit, yuan):
    assert read_amount(text, unit) == Decimal(yuan)


def test_amount_dash_is_blank_and_words_are_refused():
    assert read_amount("—", "万元") is None
    with pytest.raises(ValueError, match="不是金额"):
        read_amount("一百万", "万元")
