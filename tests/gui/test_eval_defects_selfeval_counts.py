"""QA round 2, 绩效自评 page: project and department-wide evaluations counted apart; the
grade chart and counts cover project evaluations, as the annual report does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.enums import Scope
from app.storage.models import SelfEvaluation
from app.ui.evaluation.page import CHART_TITLE
from tests.gui.evg_data import evaluated_county, open_window, show_page


@pytest.fixture
def page(qtbot, db):
    evaluated_county(db)
    with db.transaction() as s:  # one evaluation becomes the department-wide one
        evaluation = s.scalars(select(SelfEvaluation).order_by(SelfEvaluation.id)).first()
        evaluation.scope, evaluation.project_id = Scope.DEPARTMENT.value, None
    window = open_window(qtbot, db)
    page = show_page(window, "绩效自评")
    qtbot.waitUntil(lambda: page.model.rowCount() == 24)
    yield page


def test_the_summary_says_what_it_counts(page):
    assert (
        "2025年全县：项目自评 <b>23</b> 份<br>部门整体自评 <b>1</b> 份" in page.summary_label.text()
    )
    assert sum(page.grade_counts().values()) == 23
    assert "项目规则等级" in page.summary_label.text()
    assert CHART_TITLE == "项目自评规则等级分布"
    assert page.chart.has_chart()
