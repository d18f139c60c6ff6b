"""The default indicator library (指标库): reading the bundled file and loading it into a database.

The file groups indicators by 行业 and 二级 class so it stays readable; every entry still
carries its full 一级/二级/name/comparator/unit/explanation/field once read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator
from app.domain.errors import Problem, ValidationFailed
from app.paths import resources_dir
from app.services.common import audit
from app.storage.database import Database
from app.storage.models import LibraryIndicator

COMPARATORS = tuple(c.value for c in Comparator)
ITEM_COLUMNS = ("指标名称", "指标性质", "计量单位", "指标解释")


@dataclass(frozen=True)
class LibraryEntry:
    level1: str
    level2: str
    name: str
    comparator: str
    unit: str
    explanation: str
    field: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.level1, self.level2, self.name, self.field)


def default_library_path() -> Path:
    return resources_dir() / "library" / "indicators.toml"


def read_library(path: Path) -> list[LibraryEntry]:
    """Read and check a library file; raises ValidationFailed naming every bad entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problem = Problem(f"无法读取指标库文件：{exc.strerror}", sheet=path.name)
        raise ValidationFailed([problem]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed([Problem(f"指标库文件格式错误：{exc}", sheet=path.name)]) from exc
    return library_from_dict(data, path.name)


def library_from_dict(data: dict[str, Any], source: str = "指标库") -> list[LibraryEntry]:
    problems: list[Problem] = []
    entries: list[LibraryEntry] = []
    groups = data.get("group")
    if not isinstance(groups, list) or not groups:
        raise ValidationFailed([Problem("缺少 [[group]] 指标分组", sheet=source)])
    for g_no, group in enumerate(groups, start=1):
        entries += _read_group(group, f"第{g_no}组", source, problems)
    seen: set[tuple[str, str, str, str]] = set()
    for entry in entries:
        if entry.key in seen:
            where = f"{entry.field}/{entry.level2}“{entry.name}”"
            problems.append(Problem(f"{where}重复出现", sheet=source))
        seen.add(entry.key)
    if problems:
        raise ValidationFailed(problems, f"指标库“{source}”有 {len(problems)} 处错误：")
    return entries


def _read_group(group: Any, where: str, source: str, problems: list[Problem]) -> list[LibraryEntry]:
    if not isinstance(group, dict):
        problems.append(Problem(f"{where}不是分组表", sheet=source))
        return []
    heads = {}
    for key, label in (("field", "行业"), ("level1", "一级指标"), ("level2", "二级指标")):
        value = group.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{where}缺少“{label}”（{key}）", sheet=source))
            return []
        heads[key] = value.strip()
    where = f"{where}（{heads['field']}/{heads['level2']}）"
    items = group.get("items")
    if not isinstance(items, list) or not items:
        problems.append(Problem(f"{where}没有任何指标（items）", sheet=source))
        return []
    entries = []
    for i_no, item in enumerate(items, start=1):
        entry = _read_item(item, heads, f"{where}第{i_no}项", source, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _read_item(
    item: Any, heads: dict[str, str], where: str, source: str, problems: list[Problem]
) -> LibraryEntry | None:
    if not (isinstance(item, list) and len(item) == 4 and all(isinstance(v, str) for v in item)):
        expected = "、".join(ITEM_COLUMNS)
        problems.append(Problem(f"{where}应为 4 个文字：{expected}，实际为 {item!r}", sheet=source))
        return None
    name, comparator, unit, explanation = (v.strip() for v in item)
    where = f"{where}“{name}”" if name else where
    found = []
    if not name:
        found.append("指标名称为空")
    if comparator not in COMPARATORS:
        found.append(f"指标性质“{comparator}”无效，应为 {' / '.join(COMPARATORS)}")
    elif comparator == Comparator.QUALITATIVE and unit:
        found.append("定性指标不应填写计量单位")
    elif comparator != Comparator.QUALITATIVE and not unit:
        found.append("定量指标缺少计量单位")
    if not explanation:
        found.append("缺少指标解释")
    problems += [Problem(f"{where}：{message}", sheet=source) for message in found]
    if found:
        return None
    return LibraryEntry(
        heads["level1"], heads["level2"], name, comparator, unit, explanation, heads["field"]
    )


def add_missing_entries(session: Session, entries: list[LibraryEntry]) -> int:
    """Insert the entries the library lacks (same 一级/二级/name/field); returns how many."""
    existing = set(
        session.execute(
            select(
                LibraryIndicator.level1,
                LibraryIndicator.level2,
                LibraryIndicator.name,
                LibraryIndicator.field,
            )
        )
    )
    rows = [
        {
            "level1": e.level1,
            "level2": e.level2,
            "name": e.name,
            "comparator": e.comparator,
            "unit": e.unit,
            "explanation": e.explanation,
            "field": e.field,
            "source": "builtin",
        }
        for e in entries
        if e.key not in existing
    ]
    if rows:
        session.execute(insert(LibraryIndicator), rows)
    return len(rows)


def load_default_library(db: Database) -> int:
    """Add the bundled default indicators missing from the database (idempotent)."""
    entries = read_library(default_library_path())
    with db.transaction() as session:
        added = add_missing_entries(session, entries)
        if added:
            after = {"新增条数": added, "文件": default_library_path().name}
            audit.record(
                session, "载入默认指标库", audit.LIBRARY_INDICATOR, None, "默认指标库", None, after
            )
        return added
