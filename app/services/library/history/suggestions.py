"""Suggestions while writing a goal: what this project used last year and what similar
projects of the county used, with their typical targets.

Similar projects are past approved projects of the same 行业 (功能分类), ranked by how many
two-character pieces their names share with this one; the same code last year is the
project itself and comes first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import Comparator
from app.domain.indicator_values import format_target, normalize_level_label, normalize_name
from app.domain.library_history import HistoryRecord, field_of, indicator_key, target_spread
from app.domain.rules import RuleSet
from app.services.goals.records import get_goal
from app.services.library.history.context import history_years_back
from app.services.library.history.records import history_records
from app.storage.database import Database
from app.storage.models import FiscalYear

SIMILAR_PROJECTS = 12
MAX_SUGGESTIONS = 30
LAST_YEAR, SIMILAR = "上年本项目", "同类项目"


@dataclass(frozen=True)
class Suggestion:
    source: str  # 上年本项目 / 同类项目
    level1: str
    level2: str
    name: str
    comparator: Comparator | None
    unit: str
    typical: Decimal | None  # median target of similar projects (same unit)
    typical_text: str  # `≥95%（90–100）`, or the qualitative text
    projects: int  # how many similar projects used it
    last_target: str  # this project's target last year
    last_actual: str  # and what it reached
    explanation: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (normalize_level_label(self.level2), indicator_key(self.name, self.unit))


def goal_suggestions(db: Database, goal_id: int, rules: RuleSet) -> list[Suggestion]:
    """Last year's indicators of this project first, then those of similar projects."""
    with db.session() as s:
        goal = get_goal(s, goal_id)
        if goal.project is None:
            return []
        year = s.get_one(FiscalYear, goal.year_id).year
        back = max(history_years_back(rules), 1)
        code, name = goal.project.code, goal.project.name
        fclass = goal.project.functional_class
        field = field_of(fclass)
        own = history_records(s, year - 1, year - 1, project_code=code)
        # Same 类 in SQL; field_of below keeps the same 行业 (a 款 may differ, e.g. 林业).
        records = history_records(s, year - back, year - 1, class_prefix=fclass[:3])
    similar = _similar_records(records, code, name, field)
    result = [_from_last_year(r, similar) for r in own]
    taken = {s.key for s in result}
    for suggestion in _from_similar(similar):
        if suggestion.key not in taken:
            result.append(suggestion)
    return result[:MAX_SUGGESTIONS]


def _bigrams(text: str) -> set[str]:
    text = normalize_name(text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar_records(
    records: list[HistoryRecord], code: str, name: str, field: str
) -> list[HistoryRecord]:
    """Records of the most similar other projects of the same 行业."""
    words = _bigrams(name)
    score: dict[str, int] = {}
    for r in records:
        if r.project_code != code and r.field == field:
            score.setdefault(r.project_code, len(words & _bigrams(r.project_name)))
    chosen = sorted(score, key=lambda c: (-score[c], c))[:SIMILAR_PROJECTS]
    keep = set(chosen)
    return [r for r in records if r.project_code in keep]


def _groups(records: list[HistoryRecord]) -> dict[tuple[str, str], list[HistoryRecord]]:
    groups: dict[tuple[str, str], list[HistoryRecord]] = {}
    for r in records:
        groups.setdefault((normalize_level_label(r.level2), r.key), []).append(r)
    return groups


def _typical(records: list[HistoryRecord], unit: str) -> tuple[Decimal | None, str, int]:
    same = [r for r in records if normalize_name(r.unit) == normalize_name(unit)]
    spread = target_spread(same)
    projects = len({r.project_code for r in records})
    if spread is None:
        texts = Counter(r.target_text for r in records if r.target_text)
        return None, (texts.most_common(1)[0][0] if texts else ""), projects
    comparator = Counter(r.comparator for r in same).most_common(1)[0][0]
    shown = format_target(comparator, spread.median, unit)
    if spread.low != spread.high:
        shown += f"（{format_target(None, spread.low)}–{format_target(None, spread.high)}）"
    return spread.median, shown, projects


def _from_last_year(r: HistoryRecord, similar: list[HistoryRecord]) -> Suggestion:
    others = _groups(similar).get((normalize_level_label(r.level2), r.key), [])
    typical, text, projects = _typical(others, r.unit) if others else (None, "", 0)
    actual = ""
    if r.actual is not None:
        actual = format_target(None, r.actual, r.unit)
    elif r.actual_text:
        actual = r.actual_text
    return Suggestion(
        source=LAST_YEAR,
        level1=r.level1,
        level2=r.level2,
        name=normalize_name(r.name),  # a stray space is not worth carrying into this year
        comparator=r.comparator,
        unit=r.unit,
        typical=typical,
        typical_text=text,
        projects=projects,
        last_target=format_target(r.comparator, r.target, r.unit, r.target_text),
        last_actual=actual,
        explanation=r.explanation,
    )


def _from_similar(similar: list[HistoryRecord]) -> list[Suggestion]:
    result = []
    for rs in _groups(similar).values():
        names = Counter(normalize_name(r.name) for r in rs)
        first = next(r for r in rs if normalize_name(r.name) == names.most_common(1)[0][0])
        unit = Counter(normalize_name(r.unit) for r in rs).most_common(1)[0][0]
        typical, text, projects = _typical(rs, unit)
        result.append(
            Suggestion(
                source=SIMILAR,
                level1=first.level1,
                level2=first.level2,
                name=normalize_name(first.name),
                comparator=first.comparator,
                unit=unit,
                typical=typical,
                typical_text=text,
                projects=projects,
                last_target="",
                last_actual="",
                explanation=first.explanation,
            )
        )
    result.sort(key=lambda s: (-s.projects, s.level1, s.level2, s.name))
    return result
