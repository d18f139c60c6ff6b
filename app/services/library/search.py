"""The indicator library as the goal editor uses it: list every entry, save a goal's row.

Filtering happens in the GUI over the full list (a few hundred entries): typing in the
search box must not query the database on every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.enums import Comparator
from app.domain.errors import Problem, ValidationFailed
from app.domain.indicator_values import normalize_level_label, normalize_name
from app.services.common import audit
from app.storage.database import Database
from app.storage.models import LibraryIndicator

GENERAL_FIELD = "通用"
USER_SOURCE = "user"
# Column widths of library_indicators.
_LIMITS: tuple[tuple[str, str, int], ...] = (
    ("一级指标", "level1", 20), ("二级指标", "level2", 30), ("指标名称", "name", 200),
    ("计量单位", "unit", 30), ("行业", "field", 30),
)  # fmt: skip


@dataclass(frozen=True)
class LibraryItem:
    id: int
    level1: str
    level2: str
    name: str
    comparator: Comparator
    unit: str
    explanation: str
    field: str  # 行业
    source: str  # builtin / user


@dataclass(frozen=True)
class NewLibraryEntry:
    """What "save this row to the library" sends; names are tidied before saving."""

    level1: str
    level2: str
    name: str
    comparator: Comparator | None
    unit: str = ""
    explanation: str = ""
    field: str = GENERAL_FIELD


@dataclass(frozen=True)
class LibrarySaveResult:
    item: LibraryItem
    added: bool  # False: the library already had this indicator (nothing changed)


def library_items(db: Database) -> list[LibraryItem]:
    """Every library entry, grouped by 一级, 二级 and 行业, then by name."""
    stmt = select(LibraryIndicator).order_by(
        LibraryIndicator.level1,
        LibraryIndicator.level2,
        LibraryIndicator.field,
        LibraryIndicator.name,
    )
    with db.session() as session:
        return [_item(row) for row in session.scalars(stmt)]


def save_to_library(db: Database, entry: NewLibraryEntry) -> LibrarySaveResult:
    """Add a goal's indicator to the library; saving the same indicator again changes nothing.

    The same indicator means the same 一级, 二级, name and 行业 (the library's unique key).
    """
    tidy = _tidy(entry)
    _validate(tidy)
    assert tidy.comparator is not None  # checked by _validate
    key = (tidy.level1, tidy.level2, tidy.name, tidy.field)
    with db.transaction() as s:
        existing = s.scalar(
            select(LibraryIndicator).where(
                LibraryIndicator.level1 == key[0],
                LibraryIndicator.level2 == key[1],
                LibraryIndicator.name == key[2],
                LibraryIndicator.field == key[3],
            )
        )
        if existing is not None:
            return LibrarySaveResult(_item(existing), added=False)
        row = LibraryIndicator(
            level1=tidy.level1,
            level2=tidy.level2,
            name=tidy.name,
            comparator=tidy.comparator.value,
            unit=tidy.unit,
            explanation=tidy.explanation,
            field=tidy.field,
            source=USER_SOURCE,
        )
        s.add(row)
        s.flush()
        after = {
            "一级指标": row.level1,
            "二级指标": row.level2,
            "指标名称": row.name,
            "指标性质": row.comparator,
            "计量单位": row.unit,
            "行业": row.field,
        }
        audit.record(s, "指标存入指标库", audit.LIBRARY_INDICATOR, row.id, row.name, None, after)
        return LibrarySaveResult(_item(row), added=True)


def _tidy(entry: NewLibraryEntry) -> NewLibraryEntry:
    return NewLibraryEntry(
        level1=normalize_level_label(entry.level1),
        level2=normalize_level_label(entry.level2),
        name=normalize_name(entry.name),
        comparator=entry.comparator,
        unit=normalize_name(entry.unit) if entry.comparator is not Comparator.QUALITATIVE else "",
        explanation=entry.explanation.strip(),
        field=normalize_name(entry.field) or GENERAL_FIELD,
    )


def _validate(entry: NewLibraryEntry) -> None:
    where = f"指标“{entry.name}”" if entry.name else "该指标"
    problems = [
        Problem(f"{label}超过 {limit} 个字", column=label)
        for label, attr, limit in _LIMITS
        if len(getattr(entry, attr)) > limit
    ]
    for label, value in (("一级指标", entry.level1), ("二级指标", entry.level2)):
        if not value:
            problems.append(Problem(f"{label}未填写", column=label))
    if not entry.name:
        problems.append(Problem("三级指标名称未填写", column="三级指标"))
    if entry.comparator is None:
        problems.append(Problem("指标性质未填写", column="指标性质"))
    elif entry.comparator.is_quantitative and not entry.unit:
        problems.append(Problem("定量指标缺少计量单位", column="计量单位"))
    if problems:
        raise ValidationFailed(problems, f"{where}不能存入指标库：")


def _item(row: LibraryIndicator) -> LibraryItem:
    return LibraryItem(
        id=row.id,
        level1=row.level1,
        level2=row.level2,
        name=row.name,
        comparator=Comparator(row.comparator),
        unit=row.unit,
        explanation=row.explanation,
        field=row.field,
        source=row.source,
    )
