"""Score the year's self-evaluations by the rule set and compare with the claims.

A score's indicator rows are built, and their explanations formatted, when first read (a
screen or report shows a few; the year's list shows none); ``ProjectScore.to_json`` spells
everything out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from app.domain.enums import Grade
from app.domain.errors import UserError
from app.domain.numbers import plain
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.domain.scoring import EvaluationResult, Explain, score_evaluation
from app.services.common.bulk import collector_paused
from app.services.evaluation.inputs import LoadedEvaluation, load_evaluations
from app.storage.database import Database

_RATE_PLACES = Decimal("0.0001")  # a ratio to 4 places is a percentage to 2
_PROGRESS_EVERY = 100


@dataclass(frozen=True)
class IndicatorRow:
    level1: str
    level2: str
    name: str
    target: str  # as displayed: ≥1200人
    points: Decimal
    actual: str  # 实际完成值 as displayed
    score: Decimal
    claimed_score: Decimal | None
    explain: Explain = field(repr=False, compare=False)
    flags: tuple[str, ...]

    @cached_property
    def explanation(self) -> str:
        return self.explain()

    def to_json(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["explain"] = self.explanation
        return {("explanation" if k == "explain" else k): v for k, v in values.items()}


Rows = Callable[[], tuple[IndicatorRow, ...]]


@dataclass(frozen=True)
class ExecutionRow:
    budget: Decimal  # 全年预算数, 元
    spent: Decimal  # 全年执行数, 元
    rate: Decimal | None  # B/A to 4 places
    points: Decimal
    score: Decimal
    claimed_score: Decimal | None
    explanation: str


@dataclass(frozen=True)
class ProjectScore:
    evaluation_id: int
    scope: str
    project_code: str  # department code + "-整体" for a department-wide evaluation
    name: str
    department_code: str
    department: str
    section: str
    total: Decimal
    grade: Grade
    claimed_total: Decimal | None
    claimed_grade: Grade | None
    total_explanation: str
    flags: tuple[str, ...]  # every flag of the evaluation, each naming its row
    execution: ExecutionRow
    rows: Rows = field(repr=False, compare=False)

    @cached_property
    def indicators(self) -> tuple[IndicatorRow, ...]:
        """The indicator rows, built when first read (a year's list reads none)."""
        return self.rows()

    def to_json(self) -> dict[str, Any]:
        """Every field as plain values, explanations included."""
        head = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}
        head["execution"] = asdict(self.execution)
        head["indicators"] = [row.to_json() for row in self.indicators]
        return head


def score_year(
    db: Database,
    year: int,
    rules: RuleSet,
    project_code: str | None = None,
    progress: Progress = NO_PROGRESS,
    *,
    keep_rows: bool = True,
) -> list[ProjectScore]:
    """Every self-evaluation of the year (or one project's), scored; [] when there is none.

    ``keep_rows=False``: a score's indicator rows are read again from the database when
    first asked for, so a list that shows one evaluation at a time does not hold the
    year's 20,000 indicators (some 45 MB) while it is on screen."""
    with collector_paused():
        with db.session() as session:
            loaded = load_evaluations(session, year=year, project_code=project_code)
        total = len(loaded)
        scores = []
        for done, item in enumerate(loaded):
            if done % _PROGRESS_EVERY == 0:
                progress.step(done, total, f"正在计算自评得分（{done}/{total}）")
            rows = None if keep_rows else _read_again(db, item.id, rules)
            scores.append(project_score(item, score_evaluation(item.input, rules), rows))
    progress.step(total, total, "计分完成")
    return scores


def evaluation_detail(db: Database, evaluation_id: int, rules: RuleSet) -> ProjectScore:
    """One self-evaluation, scored with every explanation and flag."""
    with db.session() as session:
        loaded = load_evaluations(session, evaluation_ids=[evaluation_id])
    if not loaded:
        raise UserError(f"未找到编号为 {evaluation_id} 的绩效自评。")
    return project_score(loaded[0], score_evaluation(loaded[0].input, rules))


def _read_again(db: Database, evaluation_id: int, rules: RuleSet) -> Rows:
    def rows() -> tuple[IndicatorRow, ...]:
        with db.session() as session:
            loaded = load_evaluations(session, evaluation_ids=[evaluation_id])
        if not loaded:
            return ()  # deleted since the list was read: its page reloads
        return project_score(loaded[0], score_evaluation(loaded[0].input, rules)).indicators

    return rows


def project_score(
    item: LoadedEvaluation, result: EvaluationResult, rows: Rows | None = None
) -> ProjectScore:
    """Plain rows for screens, reports and JSON from a domain result; `rows` builds the
    indicator rows when first read (default: from `item` and `result`)."""
    ex = result.execution
    rate = None if ex.rate is None else ex.rate.quantize(_RATE_PLACES, ROUND_HALF_UP)
    execution = ExecutionRow(
        ex.budget, ex.spent, rate, ex.points, ex.score, ex.claimed_score, ex.explanation
    )

    def built() -> tuple[IndicatorRow, ...]:
        return tuple(
            IndicatorRow(
                level1=ind.level1,
                level2=ind.level2,
                name=ind.name,
                target=ref.target_text,
                points=scored.points,
                actual=_actual_text(ind.actual, ref.actual_text, ind.band),
                score=scored.score,
                claimed_score=scored.claimed_score,
                explain=scored.explain,
                flags=scored.flags,
            )
            for ind, ref, scored in zip(
                item.input.indicators, item.rows, result.indicator_scores, strict=True
            )
        )

    return ProjectScore(
        evaluation_id=item.id,
        scope=item.scope.value,
        project_code=item.key,
        name=item.name,
        department_code=item.department_code,
        department=item.department,
        section=item.section,
        total=result.total,
        grade=result.grade,
        claimed_total=result.claimed_total,
        claimed_grade=result.claimed_grade,
        total_explanation=result.total_explanation,
        flags=result.all_flags(),
        execution=execution,
        rows=built if rows is None else rows,
    )


def _actual_text(value: Decimal | None, text: str, band: object) -> str:
    if value is not None:
        return plain(value)
    return text or (str(band) if band else "")
