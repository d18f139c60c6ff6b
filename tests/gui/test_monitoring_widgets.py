"""Reusable pieces: lamp chips and icons, the chart view, and the item models."""

from __future__ import annotations

import pytest

from app.domain.enums import Lamp
from app.services.monitoring import round_rows
from app.services.monitoring.entry_form import entry_form
from app.ui.monitoring.indicator_table import IndicatorDraft, IndicatorTableModel
from app.ui.monitoring.round_table import RoundTableModel
from app.ui.widgets.lamp import LampChip, lamp_icon, lamp_text

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db


@pytest.mark.parametrize(
    ("lamp", "text"),
    [
        (Lamp.RED, "红灯"),
        (Lamp.YELLOW, "黄灯"),
        (Lamp.GREEN, "绿灯"),
        (Lamp.BLUE, "蓝灯"),
        (None, "未亮灯"),
    ],
)
def test_every_lamp_has_words_as_well_as_a_colour(qtbot, lamp, text):
    chip = LampChip(lamp)
    qtbot.addWidget(chip)
    assert lamp_text(lamp) == text
    assert chip.plain_text() == text and text in chip.text()
    chip.set_lamp(lamp, 7)
    assert chip.plain_text() == f"{text} 7"
    assert not lamp_icon(lamp).isNull()


def test_lamp_icons_differ_by_colour(qtbot):
    colours = {
        lamp_icon(lamp).pixmap(14, 14).toImage().pixelColor(7, 7).name()
        for lamp in (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE)
    }
    assert len(colours) == 4


def test_round_table_model_passes_the_model_tester(qtmodeltester, june_db, rules):
    model = RoundTableModel()
    model.set_rows(round_rows(june_db, 2025, 6, rules))
    qtmodeltester.check(model)
    # The tester stays attached and checks the signals of later changes.
    model.set_lagging(True)
    model.set_filter("3010", section="农业农村股", lamp=Lamp.YELLOW)
    model.sort(7)
    model.replace_row(model.all_rows()[0])
    model.set_rows([])


def test_indicator_table_model_passes_the_model_tester(qtmodeltester, june_db, rules):
    row = round_rows(june_db, 2025, 6, rules)[0]
    form = entry_form(june_db, row.entry_id, rules)
    model = IndicatorTableModel()
    drafts = [
        IndicatorDraft.of(item, basis)
        for item, basis in zip(form.row.indicators, form.basis.indicators, strict=True)
    ]
    model.set_drafts(drafts, read_only=False)
    qtmodeltester.check(model)
    model.set_drafts(drafts, read_only=True)
    model.set_drafts(drafts, read_only=False)
    assert model.setData(model.index(0, 2), "12")
    model.set_preview([d.lamp for d in drafts], [])
