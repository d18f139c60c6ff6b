"""Two seats editing one record: each form's save names the version it loaded, and a record
changed, created or deleted by the other seat since then is refused (storage/versions.py),
with who and when from the audit trail; nothing already stored is overwritten."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from app.domain.enums import AssessmentConclusion
from app.domain.errors import StaleRecordError, UserError
from app.domain.rectification import Status
from app.domain.units import UnitInput
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.services.assessment.records import AssessmentInput, load_assessment, record_assessment
from app.services.common.recycle_bin import delete_project
from app.services.monitoring import EntryEdit, round_rows, update_entry
from app.services.setup import operator, sections, units
from app.services.spotcheck import ReviewEdit, draw_sample, review_sheet, save_review
from app.storage import versions
from app.storage.models import Review, SpotCheckBatch
from tests.integration import test_rectification_service as rectification_tests

TODAY, YEAR = rectification_tests.TODAY, rectification_tests.YEAR
county = rectification_tests.county  # that county has records of every step


def _as(name: str) -> None:
    operator.choose(name)


def test_a_monitoring_entry_saved_by_another_seat_is_not_overwritten(county, rules):
    mine = round_rows(county, YEAR, 6, rules)[0]
    _as("张三")
    saved = update_entry(county, mine.entry_id, EntryEdit(D(100), D(40)), rules, mine.version)
    assert saved.row.version == mine.version + 1  # the form saves again against this one
    _as("李四")
    with pytest.raises(StaleRecordError) as caught:
        update_entry(county, mine.entry_id, EntryEdit(D(100), D(70)), rules, mine.version)
    assert caught.value.change.who == "张三"
    assert "已被张三于 " in caught.value.message
    assert caught.value.version == saved.row.version
    stored = next(r for r in round_rows(county, YEAR, 6, rules) if r.entry_id == mine.entry_id)
    assert stored.spent == D(40)  # 张三's figure stands


def test_a_save_never_brings_back_a_project_binned_since_loading(county, rules):
    mine = round_rows(county, YEAR, 6, rules)[0]
    _as("张三")
    delete_project(county, mine.project_id)
    with pytest.raises(StaleRecordError) as caught:
        update_entry(county, mine.entry_id, EntryEdit(D(100), D(70)), rules, mine.version)
    assert caught.value.gone
    assert "删除或移入回收站" in caught.value.message


def test_two_reviewers_of_one_sample_the_second_is_told(county, rules):
    sample_id = review_sheet_sample(county)
    first = review_sheet(county, sample_id, rules)
    second = review_sheet(county, sample_id, rules)
    _as("张三")
    save_review(county, sample_id, ReviewEdit(), rules, "张三的意见", first.version)
    _as("李四")
    with pytest.raises(StaleRecordError, match=r"已被张三于 .* 修改（保存复核）"):
        save_review(county, sample_id, ReviewEdit(), rules, "李四的意见", second.version)
    assert review_sheet(county, sample_id, rules).opinion == "张三的意见"


def test_a_rectification_item_changed_elsewhere_is_refused(county, rules):
    rect.generate_items(county, YEAR, rules, TODAY)
    row = rect.ledger(county, YEAR, TODAY).rows[0]
    theirs = rect.ItemEdit(row.action, row.deadline, Status.OPEN, "对方填写的反馈")
    rect.update_item(county, row.id, theirs, TODAY, row.version)
    mine = rect.ItemEdit("我改的要求", row.deadline, Status.OPEN)
    with pytest.raises(StaleRecordError, match="整改事项"):
        rect.update_item(county, row.id, mine, TODAY, row.version)
    assert rect.ledger(county, YEAR, TODAY).rows[0].reply == "对方填写的反馈"


def test_a_key_evaluation_changed_elsewhere_is_refused(county, rules):
    row = ke.list_evaluations(county, YEAR, rules)[0]
    ke.save_evaluation(county, row.id, replace(row.plan, agency="甲机构"), rules, None, row.version)
    with pytest.raises(StaleRecordError, match="重点评价"):
        ke.save_evaluation(county, row.id, replace(row.plan, team="乙组"), rules, None, row.version)
    assert ke.list_evaluations(county, YEAR, rules)[0].plan.agency == "甲机构"


def test_two_seats_recording_the_first_assessment_of_a_project(county, rules):
    project_id = round_rows(county, YEAR, 6, rules)[0].project_id
    assert load_assessment(county, project_id) is None  # both forms open empty: version 0
    data = AssessmentInput(
        "优", "良", "良", "中", "优", AssessmentConclusion.SUPPORT, D(1000), None, date(2025, 3, 1)
    )
    record_assessment(county, project_id, data, versions.NOT_CREATED)
    with pytest.raises(StaleRecordError, match="事前绩效评估"):
        record_assessment(county, project_id, replace(data, notes="我的"), versions.NOT_CREATED)
    stored = load_assessment(county, project_id)
    assert stored is not None and stored.data.notes == ""


def test_units_and_sections_changed_elsewhere_are_refused(county):
    unit = units.list_units(county)[0]
    units.edit_unit(county, unit.id, UnitInput(unit.code, "对方改的名称", unit.section))
    with pytest.raises(StaleRecordError, match="预算单位"):
        units.edit_unit(county, unit.id, UnitInput(unit.code, "我改的名称"), unit.version)
    section = sections.list_sections(county)[0]
    sections.rename_section(county, section.id, "对方股")
    with pytest.raises(StaleRecordError, match="股室"):
        sections.rename_section(county, section.id, "我的股", section.version)
    assert sections.list_sections(county)[0].name == "对方股"


def test_one_sample_per_year_is_held_by_the_schema(county, rules):
    with county.session() as s:  # another seat's draw, committed while this one ran
        batch = s.scalars(select(SpotCheckBatch)).one()
        batch_year = batch.year_id
    with pytest.raises(UserError, match="刚刚已由其他操作人员抽取"), county.transaction() as s:
        s.add(SpotCheckBatch(year_id=batch_year, ratio=D(1), seed=2, drawn_by="李四",
                             drawn_at=batch.drawn_at))  # fmt: skip
        versions.flush_first(s, "本年度的复核样本刚刚已由其他操作人员抽取，请刷新后查看。")
    with pytest.raises(UserError, match=r"已于.*抽取复核样本"):
        draw_sample(county, YEAR, rules, seed=3)
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(SpotCheckBatch)) == 1


def test_a_second_review_row_for_one_sample_is_a_clear_message(county):
    sample_id = review_sheet_sample(county)
    with pytest.raises(UserError, match="刚刚已由其他操作人员开始"), county.transaction() as s:
        s.add(Review(sample_id=sample_id, reviewer="张三", status="草稿"))
        s.flush()
        s.add(Review(sample_id=sample_id, reviewer="李四", status="草稿"))
        versions.flush_first(s, "项目的复核刚刚已由其他操作人员开始或保存。")


def review_sheet_sample(db) -> int:
    """A sampled project nobody has reviewed yet."""
    with db.session() as s:
        reviewed = set(s.scalars(select(Review.sample_id)))
        batch = s.scalars(select(SpotCheckBatch)).one()
        return next(x.id for x in batch.samples if x.id not in reviewed)
