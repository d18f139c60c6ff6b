"""Self-evaluation scoring (docs/domain.md §6), driven by the rule set.

Every score is a Decimal rounded half up to 2 places and carries a one-line Chinese
explanation, formatted only when read (a year has 20,000 rows and most are never shown).
Scoring never raises on odd data: it scores 0 (or clamps) and says why in a flag, so a whole
year can be scored and the odd cases reviewed together.

Edge cases the rules leave open, decided here:
- 全年预算数 A ≤ 0: execution score 0 and a flag; no execution cap applies (no rate).
  执行数 B < 0 → 0. B > A → rate counted as 100%, flagged.
- ``≥`` and ``>`` score alike (docs/domain.md §6): actual ≥ target is full marks. A missed positive
  target scores actual/target × points; actual ≤ 0 or target ≤ 0 → 0 (a ratio of
  non-positive numbers means nothing). So target 0: full if actual ≥ 0, else 0.
- ``=`` with target 0: full if actual ≤ 0 else 0 (docs/domain.md §6); any other target as ``≥``.
- ``≤`` / ``<`` with target ≤ 0: full if actual ≤ target else 0 (no partial band).
- A quantitative indicator without target or actual scores 0, flagged.
- 定性: the score must lie in the band's share of points, bounds inclusive (80% fits both
  达成 and 部分达成). The evaluator's entered score is used, else the department's claimed
  score; out of band → clamped to the nearest bound and flagged; neither → the band's upper
  bound, flagged (forms leave full marks implicit for 达成). No band → 0, flagged.
- Over-completion applies to positive comparators with a positive target only.
- Execution caps: a cap applies when the rate is strictly below ``below``; the lowest
  applicable ``max_total`` wins.
- Rule-set options for published layouts: ``rounding`` (one decimal / whole points) rounds
  each indicator, the execution score and the total; ``reverse_formula = "ratio"`` scores a
  missed reverse target as target/actual × points. A 20-point execution share is
  ``goals.execution_points``. A claim equal to the score as the table rounds it (19.17
  printed 19) is not flagged (claims.same_as_printed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from app.domain.claims import evaluation_claim_flags, indicator_claim_flags, same_as_printed
from app.domain.enums import Comparator, Grade, QualitativeBand
from app.domain.money import format_percent, round2
from app.domain.numbers import plain, wan
from app.domain.rules import ExecutionCap, RuleSet, ScoringRules

ZERO = Decimal(0)


@dataclass(frozen=True)
class ApprovedTerms:
    """An indicator's terms as approved in the goal (绩效目标), to spot later changes."""

    comparator: Comparator
    target: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class IndicatorInput:
    """One row of the self-evaluation indicator grid, as filed (target/points from the file)."""

    level1: str
    level2: str
    name: str
    comparator: Comparator
    target: Decimal | None
    unit: str
    points: Decimal
    actual: Decimal | None = None
    actual_text: str = ""
    band: QualitativeBand | None = None
    entered_score: Decimal | None = None  # qualitative only: score entered within the band
    claimed_score: Decimal | None = None  # the department's own 得分
    reason: str = ""  # 偏差原因分析及改进措施 (also the written reason for over-completion)
    approved: ApprovedTerms | None = None


@dataclass(frozen=True)
class EvaluationInput:
    """A self-evaluation (项目支出绩效自评表): money block, indicator grid, claimed footer."""

    budget: Decimal  # 全年预算数 A, 元
    spent: Decimal  # 全年执行数 B, 元
    indicators: tuple[IndicatorInput, ...]
    claimed_execution_score: Decimal | None = None
    claimed_total: Decimal | None = None
    claimed_grade: Grade | None = None
    claimed_subtotals: tuple[tuple[str, Decimal], ...] = ()  # (一级, claimed subtotal score)
    stated_total_points: Decimal | None = None  # the 总分 cell of the form, usually 100


Explain = Callable[[], str]  # an explanation, formatted when called


@dataclass(frozen=True)
class IndicatorScore:
    name: str
    level1: str
    points: Decimal
    score: Decimal
    target_met: bool
    explain: Explain = field(repr=False, compare=False)
    flags: tuple[str, ...] = ()
    claimed_score: Decimal | None = None

    @cached_property
    def explanation(self) -> str:
        return self.explain()


@dataclass(frozen=True)
class ExecutionScore:
    budget: Decimal
    spent: Decimal
    rate: Decimal | None  # exact B/A, None when A ≤ 0
    points: Decimal
    score: Decimal
    explanation: str
    flags: tuple[str, ...] = ()
    claimed_score: Decimal | None = None


@dataclass(frozen=True)
class Total:
    uncapped: Decimal
    total: Decimal
    grade: Grade
    explanation: str


@dataclass(frozen=True)
class EvaluationResult:
    execution: ExecutionScore
    indicator_scores: tuple[IndicatorScore, ...]
    total: Decimal
    uncapped_total: Decimal
    grade: Grade
    total_explanation: str
    claimed_total: Decimal | None = None
    claimed_grade: Grade | None = None
    flags: tuple[str, ...] = ()  # evaluation-level flags (totals, grade, layout)

    @property
    def execution_score(self) -> Decimal:
        return self.execution.score

    def all_flags(self) -> tuple[str, ...]:
        """Every flag, each prefixed with the row it concerns, evaluation-level first."""
        found = list(self.flags)
        found += [f"预算执行率：{f}" for f in self.execution.flags]
        for item in self.indicator_scores:
            found += [f"“{item.name}”：{f}" for f in item.flags]
        return tuple(found)


@dataclass(frozen=True)
class _Outcome:
    score: Decimal
    met: bool
    explain: Explain
    flags: tuple[str, ...] = ()


# ---------------------------------------------------------------- execution


def score_execution(
    budget: Decimal, spent: Decimal, rules: RuleSet, claimed_score: Decimal | None = None
) -> ExecutionScore:
    """预算执行率得分: min(B/A, 1) × execution points."""
    points = rules.goals.execution_points
    amounts = f"（{wan(spent)}/{wan(budget)}万元）"
    rate: Decimal | None = None
    flags: list[str] = []
    if budget <= 0:
        score = ZERO
        text = f"全年预算数为{wan(budget)}万元，无法计算执行率，得 0 分"
        flags.append("全年预算数不大于0，无法计算执行率")
    else:
        rate = spent / budget
        pct = format_percent(rate)
        if spent < 0:
            score, text = ZERO, f"执行数为负数{amounts}，得 0 分"
            flags.append("全年执行数为负数")
        elif rate > 1:
            score = round2(points)
            text = f"执行率 {pct}{amounts}，超过100%按100%计，×{plain(points)} = {plain(score)}"
            flags.append("全年执行数超过全年预算数")
        else:
            score = round2(rate * points)
            text = f"执行率 {pct}{amounts}×{plain(points)} = {plain(score)}"
    score, text = _table_rounded(score, text, rules.scoring)
    if claimed_score is not None:
        if claimed_score > points:
            flags.append(f"自评得分{plain(claimed_score)}超过分值{plain(points)}")
        elif not same_as_printed(claimed_score, score):
            flags.append(f"自评得分{plain(claimed_score)}与按规则计算的{plain(score)}不一致")
    return ExecutionScore(budget, spent, rate, points, score, text, tuple(flags), claimed_score)


# ---------------------------------------------------------------- indicators


def rule_score(ind: IndicatorInput, rules: RuleSet) -> IndicatorScore:
    """The score by the rules alone, with scoring flags but no claim or reason checks."""
    out, score, explain = _by_rules(ind, rules.scoring)
    return IndicatorScore(ind.name, ind.level1, ind.points, score, out.met, explain, out.flags)


def _by_rules(ind: IndicatorInput, scoring: ScoringRules) -> tuple[_Outcome, Decimal, Explain]:
    """The outcome, then its score and explanation as the rule set rounds them."""
    if ind.comparator is Comparator.QUALITATIVE:
        out = _score_qualitative(ind, scoring)
    else:
        out = _score_quantitative(ind, scoring)
    return out, *_rounded(out.score, out.explain, scoring)


_STEPS = {"one_decimal": Decimal("0.1"), "whole": Decimal(1)}
_STEP_NAMES = {"one_decimal": "保留一位小数", "whole": "取整"}


def _table_rounded(score: Decimal, text: str, scoring: ScoringRules) -> tuple[Decimal, str]:
    """The rule set's rounding of a score (none: the 2 decimals it already has)."""
    rounded, explain = _rounded(score, lambda: text, scoring)
    return rounded, explain()


def _rounded(score: Decimal, explain: Explain, scoring: ScoringRules) -> tuple[Decimal, Explain]:
    """_table_rounded with the explanation still unformatted."""
    step = _STEPS.get(scoring.rounding)
    if step is None:
        return score, explain
    rounded = round2(score.quantize(step, rounding=ROUND_HALF_UP))
    if rounded == score:
        return rounded, explain
    name = _STEP_NAMES[scoring.rounding]
    return rounded, lambda: f"{explain()}，按规则集{name}为 {plain(rounded)}"


def score_indicator(ind: IndicatorInput, rules: RuleSet) -> IndicatorScore:
    """Score one self-evaluation row and flag what the department must fix or explain."""
    # rule_score's terms without building its IndicatorScore: a year scores 20,000 rows.
    out, score, explain = _by_rules(ind, rules.scoring)
    flags = list(out.flags)
    if score < ind.points and not ind.reason.strip():
        flags.append("得分低于分值，须填写偏差原因分析及改进措施")
    flags += indicator_claim_flags(ind, score, out.met)
    return IndicatorScore(
        ind.name, ind.level1, ind.points, score, out.met, explain, tuple(flags), ind.claimed_score
    )


def qualitative_range(
    band: QualitativeBand, points: Decimal, rules: RuleSet
) -> tuple[Decimal, Decimal]:
    """The scores allowed for a band, e.g. 达成 on 10 points → (8.00, 10.00)."""
    low, high = rules.scoring.qualitative[band]
    return round2(low * points), round2(high * points)


def _score_qualitative(ind: IndicatorInput, scoring: ScoringRules) -> _Outcome:
    if ind.band is None:
        flag = "定性指标未选择完成档次"
        return _Outcome(ZERO, False, _said(f"{flag}，得 0 分"), (flag,))
    band = ind.band
    low_share, high_share = scoring.qualitative[band]
    low, high = round2(low_share * ind.points), round2(high_share * ind.points)

    def label() -> str:
        return f"定性：{band.value}（{plain(low)}–{plain(high)}分）"

    met = band is QualitativeBand.ACHIEVED
    entered = ind.entered_score if ind.entered_score is not None else ind.claimed_score
    if entered is None:
        flag = "定性指标未填写得分，已按档次上限计"
        return _Outcome(
            high, met, lambda: f"{label()}，未填写得分，按档次上限得 {plain(high)}", (flag,)
        )
    if low <= entered <= high:
        score = round2(entered)
        return _Outcome(score, met, lambda: f"{label()}，评定得分 {plain(score)}")
    clamped = low if entered < low else high
    flag = (
        f"得分{plain(entered)}不在“{band.value}”档次的{plain(low)}–{plain(high)}分之间，"
        f"已按{plain(clamped)}计"
    )
    return _Outcome(
        clamped,
        met,
        lambda: f"{label()}，填写{plain(entered)}超出档次，按 {plain(clamped)} 计",
        (flag,),
    )


def _score_quantitative(ind: IndicatorInput, scoring: ScoringRules) -> _Outcome:
    if ind.target is None:
        return _Outcome(
            ZERO, False, _said("未填写指标值，无法计分，得 0 分"), ("定量指标缺少指标值",)
        )
    if ind.actual is None:
        return _Outcome(ZERO, False, _said("未填写实际完成值，得 0 分"), ("未填写实际完成值",))
    if ind.comparator.is_reverse:
        return _score_reverse(ind, ind.target, ind.actual, scoring.reverse_formula)
    out = _score_positive(ind, ind.target, ind.actual)
    if out.met and ind.target > 0 and ind.actual >= scoring.over_completion_ratio * ind.target:
        return _over_completion(ind, ind.target, ind.actual, out, scoring)
    return out


def _said(text: str) -> Explain:
    return lambda: text


def _describe(ind: IndicatorInput, target: Decimal, actual: Decimal) -> tuple[str, str]:
    got = f"实际{plain(actual)}{ind.unit}"
    want = f"目标{ind.comparator.value}{plain(target)}{ind.unit}"
    return got, want


def _versus(ind: IndicatorInput, target: Decimal, actual: Decimal, sign: str, rest: str) -> str:
    """`实际90人 < 目标≥100人` followed by what it scored."""
    got, want = _describe(ind, target, actual)
    return f"{got} {sign} {want}，{rest}"


def _equal(ind: IndicatorInput, target: Decimal, actual: Decimal, rest: str) -> str:
    """`实际0起，达到目标=0起` followed by what it scored."""
    got, want = _describe(ind, target, actual)
    reached = "达到" if actual <= 0 else "未达到"
    return f"{got}，{reached}{want}，{rest}"


def _score_positive(ind: IndicatorInput, target: Decimal, actual: Decimal) -> _Outcome:
    full = round2(ind.points)
    if ind.comparator is Comparator.EQ and target == 0:
        # "= 0" (e.g. 安全事故 = 0 起): anything above zero misses it entirely.
        if actual <= 0:
            return _Outcome(
                full, True, lambda: _equal(ind, target, actual, f"得满分 {plain(full)}")
            )
        return _Outcome(ZERO, False, lambda: _equal(ind, target, actual, "得 0 分"))
    if actual >= target:
        return _Outcome(
            full, True, lambda: _versus(ind, target, actual, "≥", f"得满分 {plain(full)}")
        )
    if target <= 0 or actual <= 0:
        return _Outcome(
            ZERO, False, lambda: _versus(ind, target, actual, "<", "无法按比例计分，得 0 分")
        )
    score = round2(actual / target * ind.points)

    def ratio() -> str:
        formula = f"{plain(actual)}/{plain(target)}×{plain(ind.points)}"
        return _versus(ind, target, actual, "<", f"按完成比例 {formula} = {plain(score)}")

    return _Outcome(score, False, ratio)


def _score_reverse(
    ind: IndicatorInput, target: Decimal, actual: Decimal, formula: str = "deviation"
) -> _Outcome:
    if actual <= target:
        full = round2(ind.points)
        return _Outcome(
            full, True, lambda: _versus(ind, target, actual, "≤", f"得满分 {plain(full)}")
        )
    if target <= 0:
        return _Outcome(
            ZERO, False, lambda: _versus(ind, target, actual, ">", "目标值不为正，得 0 分")
        )
    if formula == "ratio":  # a rule set's choice: target/actual × points, never below 0
        score = round2(target / actual * ind.points)

        def by_ratio() -> str:
            shown = f"{plain(target)}/{plain(actual)}×{plain(ind.points)}"
            return _versus(ind, target, actual, ">", f"按目标与实际之比 {shown} = {plain(score)}")

        return _Outcome(score, False, by_ratio)
    if actual >= 2 * target:

        def doubled() -> str:
            got, _ = _describe(ind, target, actual)
            return f"{got} ≥ 目标值的2倍（{plain(2 * target)}），得 0 分"

        return _Outcome(ZERO, False, doubled)
    # Reverse indicators lose points with the overshoot; actual/target would reward it.
    score = round2((1 - (actual - target) / target) * ind.points)

    def by_deviation() -> str:
        a, t = plain(actual), plain(target)
        shown = f"(1−({a}−{t})/{t})×{plain(ind.points)}"
        return _versus(ind, target, actual, ">", f"按偏差比例 {shown} = {plain(score)}")

    return _Outcome(score, False, by_deviation)


def _over_completion(
    ind: IndicatorInput, target: Decimal, actual: Decimal, out: _Outcome, scoring: ScoringRules
) -> _Outcome:
    reached = f"超额完成（达到目标的{format_percent(actual / target)}）"
    if scoring.over_completion_mode == "deduct":
        cut = round2(ind.points * scoring.over_completion_deduction)
        score = out.score - cut
        text = f"{out.explain()}；{reached}，扣 {plain(cut)} 分，得 {plain(score)}"
        return _Outcome(score, True, _said(text), out.flags)
    flags = out.flags
    if not ind.reason.strip():
        limit = format_percent(scoring.over_completion_ratio)
        flags = (*flags, f"{reached}，达到{limit}及以上须说明理由")
    return _Outcome(out.score, True, lambda: f"{out.explain()}；{reached}", flags)


# ---------------------------------------------------------------- totals


def total_and_grade(
    execution: ExecutionScore, scores: Sequence[IndicatorScore], rules: RuleSet
) -> Total:
    """Execution score + indicator scores, capped by execution rate, graded by the bands."""
    indicators = sum((s.score for s in scores), ZERO)
    uncapped = execution.score + indicators
    text = (
        f"总分 = 执行率得分 {plain(execution.score)} + 指标得分 {plain(indicators)}"
        f" = {plain(uncapped)}"
    )
    total, text = _table_rounded(uncapped, text, rules.scoring)
    cap = _cap_for(execution.rate, rules.scoring.execution_caps)
    if cap is not None and uncapped > cap.max_total:
        total = cap.max_total
        text += (
            f"；执行率 {format_percent(execution.rate)} 低于 {format_percent(cap.below)}，"
            f"总分最高 {plain(cap.max_total)}，按 {plain(total)} 计"
        )
    grade = rules.grade_for(total)
    return Total(uncapped, total, grade, f"{text}；等级：{grade.value}")


def _cap_for(rate: Decimal | None, caps: Sequence[ExecutionCap]) -> ExecutionCap | None:
    if rate is None:
        return None
    applicable = [c for c in caps if rate < c.below]
    return min(applicable, key=lambda c: c.max_total, default=None)


def score_evaluation(evaluation: EvaluationInput, rules: RuleSet) -> EvaluationResult:
    """Score a whole self-evaluation and compare it with what the department claimed."""
    execution = score_execution(
        evaluation.budget, evaluation.spent, rules, evaluation.claimed_execution_score
    )
    scores = tuple(score_indicator(ind, rules) for ind in evaluation.indicators)
    total = total_and_grade(execution, scores, rules)
    flags = evaluation_claim_flags(evaluation, total.total, total.grade, rules)
    return EvaluationResult(
        execution=execution,
        indicator_scores=scores,
        total=total.total,
        uncapped_total=total.uncapped,
        grade=total.grade,
        total_explanation=total.explanation,
        claimed_total=evaluation.claimed_total,
        claimed_grade=evaluation.claimed_grade,
        flags=tuple(flags),
    )
