"""The entry form's service: one entry read for the form, and lamps previewed unsaved."""

from decimal import Decimal

import pytest

from app.domain.enums import Lamp
from app.domain.errors import UserError
from app.services.monitoring import (
    EntryEdit,
    IndicatorEdit,
    close_round,
    open_round,
    round_rows,
    update_entry,
)
from app.services.monitoring.entry_form import entry_form, preview
from tests import factories

CODE = "219001001"  # budget 100,000 元; 补助学生人数 ≥ 1200 人


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    return db


def entry_of(db, rules, code=CODE):
    return next(r for r in round_rows(db, 2025, 6, rules) if r.project_code == code)


def test_the_form_holds_the_row_and_the_lamps_inputs(june, rules):
    row = entry_of(june, rules)
    form = entry_form(june, row.entry_id, rules)
    assert form.row == row and not form.closed
    assert [i.name for i in form.basis.indicators] == [i.name for i in row.indicators]
    assert form.basis.indicators[0].annual_target == Decimal(1200)
    assert form.basis.budget == Decimal(100000)


def test_preview_lights_what_saving_would_light(june, rules):
    row = entry_of(june, rules)
    form = entry_form(june, row.entry_id, rules)
    students = row.indicators[0].indicator_id
    edit = EntryEdit(
        Decimal(100000),
        Decimal(35000),
        indicators=(IndicatorEdit(students, current_value=Decimal(300)),),
    )
    seen = preview(form, edit, rules)
    assert seen.lamps.budget.lamp is Lamp.YELLOW
    assert seen.lamps.indicators[0].lamp is Lamp.RED
    assert seen.lamps.project is Lamp.RED
    assert seen.execution_rate == Decimal("0.35")
    assert [(p.row, p.column) for p in seen.missing] == [
        (None, "偏差原因类别"),  # the yellow budget lamp's (no indicator row)
        (None, "偏差原因"),
        (1, "偏差原因类别"),
        (1, "偏差原因"),
    ]
    # Nothing was saved by the preview ...
    assert entry_of(june, rules).indicators[0].current_value is None
    # ... and saving gives the same lamps.
    saved = update_entry(june, row.entry_id, edit, rules).row
    assert (saved.budget_lamp, saved.indicators[0].lamp, saved.project_lamp) == (
        Lamp.YELLOW,
        Lamp.RED,
        Lamp.RED,
    )


def test_preview_with_the_reason_needs_nothing_more(june, rules):
    row = entry_of(june, rules)
    form = entry_form(june, row.entry_id, rules)
    item = IndicatorEdit(
        row.indicators[0].indicator_id,
        current_value=Decimal(300),
        deviation_category="人员保障",
        deviation_reason="招生人数少于计划",
    )
    seen = preview(form, EntryEdit(Decimal(100000), Decimal(50000), indicators=(item,)), rules)
    assert seen.missing == ()


def test_a_closed_round_form_says_so(june, rules):
    row = entry_of(june, rules)
    with june.transaction() as s:
        factories.explain_budget_lamps(s)
    close_round(june, 2025, 6, rules)
    assert entry_form(june, row.entry_id, rules).closed


def test_an_unknown_entry_is_a_user_error(june, rules):
    with pytest.raises(UserError, match="监控记录（编号 999999）不存在"):
        entry_form(june, 999999, rules)
