"""QA round 2: a department's 确定调减 sums confirmed decisions, not proposals."""

from __future__ import annotations

from decimal import Decimal

from app.services.results.records import decide_adjustment, propose_results, results_by_department
from tests.gui.evg_data import YEAR, evaluated_county


def test_decided_cut_counts_only_confirmed_rows(db, rules):
    evaluated_county(db)
    propose_results(db, YEAR, rules)
    groups = results_by_department(db, YEAR)
    assert sum(g.proposed_cut for g in groups) > 0
    assert all(g.decided_cut == 0 and g.decided_count == 0 for g in groups)
    group = next(g for g in groups if g.proposed_cut > 0)
    row = next(r for r in group.rows if r.proposed_cut > 0)
    decide_adjustment(db, row.adjustment_id, row.proposed_cut)
    after = next(
        g for g in results_by_department(db, YEAR) if g.department_code == group.department_code
    )
    assert (after.decided_cut, after.decided_count) == (row.proposed_cut, 1)
    assert Decimal(0) < after.decided_cut <= after.proposed_cut
