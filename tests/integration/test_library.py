"""The default indicator library: coverage, idempotent loading, located errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import ValidationFailed
from app.domain.rules import RuleSet
from app.services.library.records import default_library_path, load_default_library, read_library
from app.storage.database import Database
from app.storage.models import LibraryIndicator


def test_default_library_covers_every_class(rules: RuleSet) -> None:
    entries = read_library(default_library_path())
    assert len(entries) >= 150
    classes = Counter(e.level2 for e in entries)
    for l1 in rules.goals.level1:
        for level2 in l1.level2:
            assert classes[level2] > 0, level2
    assert all(rules.goals.level1_of(e.level2) == e.level1 for e in entries)
    assert all(e.explanation and e.field for e in entries)
    assert {"通用", "教育", "卫生健康", "农业农村", "交通", "社会保障"} <= {
        e.field for e in entries
    }


def test_load_is_idempotent(db: Database) -> None:
    expected = len(read_library(default_library_path()))
    assert load_default_library(db) == expected
    assert load_default_library(db) == 0
    with db.session() as s:
        assert s.scalar(select(func.count(LibraryIndicator.id))) == expected


BAD = """
[[group]]
field = "教育"
level1 = "产出指标"
level2 = "数量指标"
items = [
  ["补助学生人数", "≥", "人", "享受补助的学生人数。"],
  ["受助幼儿人数", ">>", "人", "享受资助的幼儿人数。"],
  ["新增学位数", "≥", "", "新增的学位数。"],
  ["校舍面积", "≥", "平方米"],
]
"""


def test_malformed_file_names_every_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "indicators.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_library(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 3
    assert "第1组（教育/数量指标）第2项“受助幼儿人数”" in problems[0] and ">>" in problems[0]
    assert "“新增学位数”" in problems[1] and "计量单位" in problems[1]
    assert "第4项" in problems[2]
    assert "indicators.toml" in caught.value.message


def test_broken_toml_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "indicators.toml"
    path.write_text("[[group]\nfield = ", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="格式错误"):
        read_library(path)
