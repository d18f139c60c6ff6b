"""The county's own indicators, learned from its approved goals and self-evaluations.

The same indicator is written many ways (`受益人数（人）`, `★受益 人数`, `受益人数≥**人`), so
names are reduced to a key before grouping. The rule is deliberately conservative: only
spelling noise is removed (spaces, bracket widths, ★ marks, template remnants, a trailing
unit in brackets, 比例/比率 written for 率). Nothing is merged by similarity: 学生资助人数 and
学生资助人次 count different things, 覆盖率 and 达标率 measure different things, and a
wrong merge would hand a project a target that was never meant for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from app.domain.enums import Comparator, QualitativeBand
from app.domain.indicator_values import format_target, normalize_level_label, normalize_name

T = TypeVar("T")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_MARKS = re.compile(r"[★☆※●◆▲△*＊]+")
# `≥**人`, `≥XX%`, `(≥ 95 %)` left from a template or a copied target.
_TEMPLATE = re.compile(r"\(?[≥≤><=≧≦＞＜]+[\dXx.×]*[^()\d]{0,4}\)?$")
_TRAILING_BRACKET = re.compile(r"\(([^()]{1,8})\)$")
# Units that appear in brackets after a name; `(试行)` or `(含...)` are kept.
UNIT_WORDS = frozenset(
    [
        "%",
        "‰",
        "人",
        "人次",
        "户",
        "个",
        "次",
        "项",
        "份",
        "台",
        "套",
        "台(套)",
        "辆",
        "所",
        "家",
        "座",
        "处",
        "场",
        "期",
        "篇",
        "本",
        "件",
        "册",
        "条",
        "天",
        "日",
        "月",
        "年",
        "小时",
        "分钟",
        "分",
        "元",
        "万元",
        "亿元",
        "元/人",
        "万元/个",
        "平方米",
        "亩",
        "公里",
        "千米",
        "米",
        "公顷",
        "吨",
        "立方米",
        "千瓦",
        "kg",
        "km",
    ]
)
RATE_SPELLINGS = (("比例", "率"), ("比率", "率"))
MET_BAND = QualitativeBand.ACHIEVED.value

# 功能分类 类 (and a few 款) to the 行业 names the library uses; others keep their code.
_FIELD_BY_CLASS = {
    "201": "行政",
    "204": "公共安全",
    "205": "教育",
    "206": "科技",
    "207": "文化旅游",
    "208": "社会保障",
    "210": "卫生健康",
    "211": "生态环境",
    "212": "住房城乡建设",
    "213": "农业农村",
    "21302": "林业",
    "21303": "水利",
    "214": "交通",
    "216": "商务",
    "220": "自然资源",
    "221": "住房城乡建设",
    "224": "应急管理",
}


@lru_cache(maxsize=16384)  # a county writes a few hundred distinct names many thousand times
def indicator_key(name: str, unit: str = "") -> str:
    """The grouping key of an indicator name (see the module text for what it removes)."""
    text = normalize_name(name).translate(_BRACKETS)
    text = _MARKS.sub("", text)
    text = _TEMPLATE.sub("", text)
    match = _TRAILING_BRACKET.search(text)
    if match and (match.group(1) in UNIT_WORDS or match.group(1) == normalize_name(unit)):
        text = text[: match.start()]
    for written, meant in RATE_SPELLINGS:
        if text.endswith(written):
            text = text[: -len(written)] + meant
    return text


def field_of(functional_class: str) -> str:
    """The 行业 of a project from its 功能分类科目: the 款 when known, else the 类."""
    code = functional_class.strip()
    for prefix in (code[:5], code[:3]):
        if prefix in _FIELD_BY_CLASS:
            return _FIELD_BY_CLASS[prefix]
    return f"功能分类{code[:3]}" if code else "未分类"


@dataclass(frozen=True)
class HistoryRecord:
    """One indicator of one approved project goal of a past year, with its reported result."""

    year: int
    project_code: str
    project_name: str
    field: str
    level1: str
    level2: str
    name: str
    comparator: Comparator | None
    target: Decimal | None
    target_text: str
    unit: str
    actual: Decimal | None = None
    actual_text: str = ""  # the qualitative band or words reported
    evaluated: bool = False
    explanation: str = ""  # 指标解释, carried into a goal that reuses the indicator

    @property
    def key(self) -> str:
        return indicator_key(self.name, self.unit)

    @property
    def met(self) -> bool | None:
        """Whether the year's result reached the target; None when nothing was reported."""
        return is_met(self.comparator, self.target, self.actual, self.actual_text, self.evaluated)


def is_met(
    comparator: Comparator | None,
    target: Decimal | None,
    actual: Decimal | None,
    actual_text: str = "",
    evaluated: bool = True,
) -> bool | None:
    """Direction matters: a ceiling (≤, <) is met when the result stays under it."""
    if not evaluated or comparator is None:
        return None
    if comparator is Comparator.QUALITATIVE:
        return actual_text == MET_BAND if actual_text else None
    if target is None or actual is None:
        return None
    return {
        Comparator.GE: actual >= target,
        Comparator.GT: actual > target,
        Comparator.EQ: actual >= target,
        Comparator.LE: actual <= target,
        Comparator.LT: actual < target,
    }[comparator]


@dataclass(frozen=True)
class Typical:
    """The county's typical target of an indicator (one unit), from past approved goals."""

    unit: str
    median: Decimal
    projects: int


@dataclass(frozen=True)
class TargetSpread:
    """Numeric targets of one indicator in its most used unit."""

    unit: str
    count: int
    median: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class HistoryGroup:
    """One indicator as the county used it: the proposal for the library."""

    level1: str
    level2: str
    field: str
    key: str
    name: str  # the most used spelling
    comparator: Comparator | None
    unit: str
    projects: int
    years: tuple[int, ...]
    spread: TargetSpread | None
    met: int
    evaluated: int
    variants: tuple[str, ...]  # other spellings seen
    examples: tuple[str, ...]

    @property
    def group_key(self) -> tuple[str, str, str]:
        return (self.field, self.level2, self.key)

    @property
    def typical(self) -> str:
        """`≥50人（30-80）` as shown to people; qualitative groups say 定性."""
        if self.spread is None:
            return "定性" if self.comparator is Comparator.QUALITATIVE else ""
        s = self.spread
        shown = format_target(self.comparator, s.median, s.unit)
        if s.low == s.high:
            return shown
        return f"{shown}（{format_target(None, s.low)}–{format_target(None, s.high)}）"


EXAMPLES_PER_GROUP = 3


def group_history(records: Iterable[HistoryRecord]) -> list[HistoryGroup]:
    """Group records per 行业, 二级 and key; most used indicators first."""
    groups: dict[tuple[str, str, str], list[HistoryRecord]] = {}
    for r in records:
        key = r.key
        if key:
            groups.setdefault((r.field, normalize_level_label(r.level2), key), []).append(r)
    result = [_summarise(field, level2, key, rs) for (field, level2, key), rs in groups.items()]
    result.sort(key=lambda g: (-g.projects, g.field, g.level2, g.key))
    return result


def _summarise(field: str, level2: str, key: str, records: list[HistoryRecord]) -> HistoryGroup:
    names = Counter(normalize_name(r.name) for r in records)
    name = _most_common(names) or ""
    unit = _most_common(Counter(normalize_name(r.unit) for r in records)) or ""
    comparator = _most_common(Counter(r.comparator for r in records if r.comparator))
    results = [m for m in (r.met for r in records) if m is not None]
    return HistoryGroup(
        level1=_most_common(Counter(normalize_level_label(r.level1) for r in records)) or "",
        level2=level2,
        field=field,
        key=key,
        name=name,
        comparator=comparator,
        unit=unit,
        projects=len({r.project_code for r in records}),
        years=tuple(sorted({r.year for r in records})),
        spread=target_spread(r for r in records if normalize_name(r.unit) == unit),
        met=sum(results),
        evaluated=len(results),
        variants=tuple(sorted(n for n in names if n != name)),
        examples=tuple(_example(r) for r in _examples(records)),
    )


def _most_common(counter: Counter[T]) -> T | None:
    """The most frequent value; ties go to the smallest, so the result is reproducible."""
    if not counter:
        return None
    top = max(counter.values())
    return min((v for v, n in counter.items() if n == top), key=str)


def target_spread(records: Iterable[HistoryRecord]) -> TargetSpread | None:
    records = list(records)
    values = sorted(r.target for r in records if r.target is not None and r.comparator is not None)
    units = {normalize_name(r.unit) for r in records}  # the caller filters to one unit
    if not values:
        return None
    return TargetSpread(
        unit=next(iter(units)) if len(units) == 1 else "",
        count=len(values),
        median=median(values),
        low=values[0],
        high=values[-1],
    )


# (project code, 二级, name, unit, target) of one past indicator, as read from the database.
TargetRow = tuple[str, str, str, str, Decimal]


def typical_values(rows: Iterable[TargetRow]) -> dict[tuple[str, str], Typical]:
    """The county-wide typical target per (二级, key): the median in the most used unit,
    with how many projects set it. Rows are grouped by their spelling first, so each
    distinct name is normalised once (a county has thousands of rows, hundreds of names)."""
    spelled: dict[tuple[str, str, str], list[tuple[str, Decimal]]] = {}
    for code, level2, name, unit, target in rows:
        spelled.setdefault((level2, name, unit), []).append((code, target))
    by_key: dict[tuple[str, str], dict[str, list[tuple[str, Decimal]]]] = {}
    for (level2, name, unit), values in spelled.items():
        key = (normalize_level_label(level2), indicator_key(name, unit))
        by_key.setdefault(key, {}).setdefault(normalize_name(unit), []).extend(values)
    result = {}
    for key, units in by_key.items():
        top = max(len(v) for v in units.values())
        unit = min(u for u, v in units.items() if len(v) == top)
        values = units[unit]
        projects = len({code for code, _ in values})
        result[key] = Typical(unit, median([t for _, t in values]), projects)
    return result


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def _examples(records: list[HistoryRecord]) -> list[HistoryRecord]:
    """The latest years first, one per project."""
    seen: set[str] = set()
    chosen = []
    for r in sorted(records, key=lambda r: (-r.year, r.project_code)):
        if r.project_code not in seen:
            seen.add(r.project_code)
            chosen.append(r)
        if len(chosen) == EXAMPLES_PER_GROUP:
            break
    return chosen


def _example(r: HistoryRecord) -> str:
    target = format_target(r.comparator, r.target, r.unit, r.target_text)
    actual = ""
    if r.actual is not None:
        actual = f"，实际 {format_target(None, r.actual)}{r.unit}"
    elif r.actual_text:
        actual = f"，{r.actual_text}"
    return f"{r.year}年 {r.project_code} {r.project_name}：{r.name} {target}{actual}"
