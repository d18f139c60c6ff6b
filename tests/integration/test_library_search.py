"""The library as the goal editor uses it: listing and saving a goal's row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.enums import Comparator
from app.domain.errors import ValidationFailed
from app.services.library.records import load_default_library
from app.services.library.search import NewLibraryEntry, library_items, save_to_library
from app.storage.models import AuditEntry, LibraryIndicator


def _entry(**kw) -> NewLibraryEntry:
    values = {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "新建 村级 文化书屋数量",
        "comparator": Comparator.GE,
        "unit": "个",
        "explanation": "年内新建并验收的村级文化书屋数量。",
        "field": "文化",
    }
    return NewLibraryEntry(**(values | kw))


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_lists_the_default_library_sorted_with_fields(db):
    added = load_default_library(db)
    items = library_items(db)
    assert len(items) == added >= 150
    keys = [(i.level1, i.level2, i.field, i.name) for i in items]
    assert keys == sorted(keys)
    assert {i.source for i in items} == {"builtin"}
    assert "通用" in {i.field for i in items}


def test_saving_a_row_adds_it_once_with_an_audit_entry(db):
    first = save_to_library(db, _entry())
    assert first.added
    assert first.item.name == "新建村级文化书屋数量"  # stray spaces removed
    assert first.item.source == "user"
    again = save_to_library(db, _entry(explanation="另一段解释"))
    assert not again.added
    assert again.item.id == first.item.id
    assert _count(db, LibraryIndicator) == 1
    with db.session() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert actions == ["指标存入指标库"]


def test_same_name_in_another_field_is_another_entry(db):
    save_to_library(db, _entry())
    assert save_to_library(db, _entry(field="")).item.field == "通用"
    assert _count(db, LibraryIndicator) == 2


def test_level_labels_with_weights_are_tidied(db):
    result = save_to_library(db, _entry(level1="产出指标（50分）", level2="数量 指标"))
    assert (result.item.level1, result.item.level2) == ("产出指标", "数量指标")


def test_qualitative_entry_drops_its_unit(db):
    result = save_to_library(db, _entry(comparator=Comparator.QUALITATIVE, unit="个"))
    assert result.item.unit == ""


def test_incomplete_rows_are_refused_with_every_problem(db):
    with pytest.raises(ValidationFailed) as caught:
        save_to_library(db, _entry(name=" ", comparator=None, level2=""))
    columns = [p.column for p in caught.value.problems]
    assert columns == ["二级指标", "三级指标", "指标性质"]
    with pytest.raises(ValidationFailed) as caught:
        save_to_library(db, _entry(unit=""))
    assert [p.column for p in caught.value.problems] == ["计量单位"]
    assert _count(db, LibraryIndicator) == 0
