"""Both backends list text in one order: code point order (SQLite's BINARY, PostgreSQL's "C"),
whatever collation the server was created with."""

from __future__ import annotations

import os

import pytest

from app.services.library.search import library_items
from app.services.setup.units import list_units
from app.storage.database import Database, open_database
from app.storage.models import Department, LibraryIndicator

# In pinyin (a Chinese collation) 阿 comes first and 张 last; by code point 张 < 李 < 王 < 阿.
NAMES = ["阿强满意度", "王五完成率", "李四覆盖率", "张三及时率"]
CODES = ["Z-9", "a-1", "B_2", "b-1"]  # case and punctuation also sort apart under a locale


def _fill(db: Database) -> None:
    with db.transaction() as session:
        for name in NAMES:
            session.add(
                LibraryIndicator(level1="产出指标", level2="数量指标", name=name, comparator="≥")
            )
        for code, name in zip(CODES, NAMES, strict=True):
            session.add(Department(code=code, name=name))


def _assert_code_point_order(db: Database) -> None:
    assert [item.name for item in library_items(db)] == sorted(NAMES)
    assert [unit.code for unit in list_units(db)] == sorted(CODES)


def test_names_and_codes_are_listed_in_code_point_order(db):
    _fill(db)
    _assert_code_point_order(db)


@pytest.mark.skipif(not os.environ.get("BPM_TEST_DATABASE_URL"), reason="needs a PostgreSQL server")
def test_a_server_made_with_a_chinese_collation_lists_them_alike(test_server):
    chinese = "LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8' TEMPLATE template0"
    name = test_server.new_database(chinese)
    db = open_database(test_server.database_url(name))
    try:
        _fill(db)
        _assert_code_point_order(db)
    finally:
        db.close()
        test_server.drop(name)
