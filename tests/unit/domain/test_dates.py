import datetime as dt

import pytest

from app.domain.dates import parse_date
from app.domain.errors import UserError


@pytest.mark.parametrize("text", ["2026-03-31", "2026/3/31", "2026.03.31", "2026年3月31日"])
def test_dates_a_clerk_types(text):
    assert parse_date(text) == dt.date(2026, 3, 31)


@pytest.mark.parametrize("text", ["2026-02-30", "明天", "31/3/2026", ""])
def test_a_wrong_date_is_named(text):
    with pytest.raises(UserError, match=f"成文日期“{text}”不对"):
        parse_date(text, "成文日期")
