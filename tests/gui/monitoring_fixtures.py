"""Fixtures of the 绩效监控 page tests, loaded with `pytest_plugins` (never import it).

small_county (2025) with one approved project per department, each with the standard six
indicators: 219001001 and 219002001 (教科文股), 301001001 and 301002001 (农业农村股).
"""

from __future__ import annotations

import pytest

from app.services.monitoring import EntryEdit, open_round, round_rows, update_entry
from tests import factories
from tests.gui.monitoring_helpers import BUDGET_REASONS, BUDGETS, JUNE_SPENT


@pytest.fixture
def county_db(db):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    return db


@pytest.fixture
def june_db(county_db, rules):
    """June open, with the spending above entered (no indicator figures yet) and the
    budget lamps' reasons of the red and yellow ones, so the round can close as it is."""
    open_round(county_db, 2025, 6, rules)
    for row in round_rows(county_db, 2025, 6, rules):
        edit = EntryEdit(
            BUDGETS[row.project_code],
            JUNE_SPENT[row.project_code],
            **BUDGET_REASONS.get(row.project_code, {}),
        )
        update_entry(county_db, row.entry_id, edit, rules)
    return county_db
