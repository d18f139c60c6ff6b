"""Indicator library as a workbook: round trip, updates, located errors, nothing half-saved."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.errors import ValidationFailed
from app.services.library.records import load_default_library
from app.services.library.workbook import export_library, import_library
from app.storage.models import LibraryIndicator
from tests.integration.goals_workbook_data import checksum


def _library(db) -> set[tuple[str, ...]]:
    with db.session() as s:
        return {
            (e.field, e.level1, e.level2, e.name, e.comparator, e.unit, e.explanation)
            for e in s.scalars(select(LibraryIndicator))
        }


def _headers(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}


def test_round_trip_into_an_empty_library_then_no_change(db, tmp_path, rules):
    from app.storage.database import open_database

    load_default_library(db)
    path = tmp_path / "库.xlsx"
    count = export_library(db, path)
    other = open_database(tmp_path / "b" / "b.sqlite3")
    try:
        result = import_library(other, path, rules)
        assert len(result.added) == count and result.backup_path is not None
        assert _library(other) == _library(db)
        before = checksum(other)
        again = import_library(other, path, rules)
        assert (len(again.added), len(again.changed), again.unchanged) == (0, 0, count)
        assert checksum(other) == before
    finally:
        other.close()


def test_an_edited_row_updates_and_a_new_row_is_added_as_user_entry(db, tmp_path, rules):
    load_default_library(db)
    path = tmp_path / "库.xlsx"
    export_library(db, path)
    book = openpyxl.load_workbook(path)
    ws = book["指标库"]
    col = _headers(ws)
    name = ws.cell(2, col["三级指标"]).value
    ws.cell(2, col["指标解释"]).value = "新的解释"
    ws.append(["教育", "产出指标", "数量", "新建校舍面积", ">=", "平方米", "新建面积"])
    book.save(path)
    result = import_library(db, path, rules)
    assert result.changed == (name,) and result.added == ("新建校舍面积",)
    with db.session() as s:
        new = s.scalars(
            select(LibraryIndicator).where(LibraryIndicator.name == "新建校舍面积")
        ).one()
        assert (new.level2, new.comparator, new.source) == ("数量指标", "≥", "user")


def test_bad_rows_are_located_and_nothing_is_saved(db, tmp_path, rules):
    path = tmp_path / "库.xlsx"
    export_library(db, path)  # empty library: header only
    book = openpyxl.load_workbook(path)
    ws = book["指标库"]
    ws.append(["通用", "产出指标", "数量指标", "甲", "大约", "个", ""])
    ws.append(["通用", "产出指标", "数量指标", "乙", "≥", None, ""])
    ws.append(["通用", "产出指标", "数量指标", "丙", "定性", "个", ""])
    ws.append(["通用", "产出指标", "数量指标", "丁", "≥", "个", ""])
    ws.append(["通用", "产出指标", "数量", "丁", "≥", "个", ""])
    book.save(path)
    before = checksum(db)
    with pytest.raises(ValidationFailed) as caught:
        import_library(db, path, rules)
    located = {(p.row, p.column) for p in caught.value.problems if p.blocking}
    assert located == {(2, "指标性质"), (3, "计量单位"), (4, "计量单位"), (6, "三级指标")}
    assert checksum(db) == before
