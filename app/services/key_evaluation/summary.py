"""The year's 重点评价 in figures, for the annual report and the 综合考核 export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import Grade
from app.domain.key_evaluation import ObjectKind
from app.domain.rules import RuleSet
from app.services.common.year_rules import rules_for_year
from app.services.key_evaluation.records import list_evaluations
from app.storage.database import Database


@dataclass(frozen=True)
class EvaluatedObject:
    code: str
    object_kind: str
    subject: str
    department_code: str
    department: str
    amount: Decimal  # 元
    total: Decimal | None  # None until every item is scored
    grade: str
    problems: int


@dataclass(frozen=True)
class KeyEvaluationSummary:
    year: int
    count: int
    by_kind: dict[str, int]  # 部门整体 / 政策 / 项目 → count
    amount: Decimal  # 元, all evaluations
    finished: int  # every item scored
    grades: dict[str, int]  # 优/良/中/差 → count (finished only)
    problems: int  # 发现的问题, lines
    objects: tuple[EvaluatedObject, ...]

    @property
    def poor(self) -> int:
        """中 and 差: the evaluations whose results call for cuts and 整改."""
        return self.grades[Grade.FAIR.value] + self.grades[Grade.POOR.value]


def key_evaluation_summary(
    db: Database, year: int, rules: RuleSet | None = None
) -> KeyEvaluationSummary:
    """Plain figures of the year's key evaluations (the active rule set grades them)."""
    rows = list_evaluations(db, year, rules or rules_for_year(db, year))
    kinds = Counter(r.object_kind for r in rows)
    grades = Counter(r.grade for r in rows if r.grade)
    objects = tuple(
        EvaluatedObject(
            r.code, r.object_kind, r.subject, r.department_code, r.department, r.plan.amount,
            r.total if r.complete else None, r.grade, len(r.problem_lines),
        )
        for r in rows
    )  # fmt: skip
    return KeyEvaluationSummary(
        year=year,
        count=len(rows),
        by_kind={k.value: kinds[k.value] for k in ObjectKind},
        amount=sum((r.plan.amount for r in rows), Decimal(0)),
        finished=sum(r.complete for r in rows),
        grades={g.value: grades[g.value] for g in Grade},
        problems=sum(o.problems for o in objects),
        objects=objects,
    )
