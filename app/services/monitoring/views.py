"""The round's project list with lamps: loaded in two queries, lamps lit by the domain.

Design decisions:
- Rows are read through loading.evaluated: one query for the entries and one for their
  indicators, whatever the number of projects (not one per project).
- A red or yellow lamp, the budget lamp as much as an indicator's, needs its 偏差原因
  (category and text) before the round closes (docs/domain.md §5). The budget lamp's reason is
  kept on the entry, an indicator's on its indicator row.
- Missing reasons are located as data, not only in the message: ReasonNeeded (a Problem)
  carries the project code and the indicator's 1-based position among the project's
  indicators (None for the budget lamp), so a screen can jump to the right project and
  field without parsing text. Problem.row stays None: in a message such as the close
  refusal, "第2行" would read as a row of some sheet, which it is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from app.domain.enums import Comparator, Lamp
from app.domain.errors import Problem
from app.domain.indicator_values import format_target
from app.domain.lamps import missing_reasons, time_progress
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.monitoring.loading import (
    COMPARATORS,
    EntryRecord,
    Evaluated,
    IndicatorRecord,
    evaluated,
    find_round,
)
from app.storage.database import Database

NO_SECTION = "未分配股室"
BUDGET_SUBJECT = "预算执行"  # how a reason line names the budget lamp ("指标名：…" otherwise)
# The budget lamp's reason fields, named apart from the indicators' (as on the 项目 sheet).
BUDGET_COLUMNS = {
    "偏差原因类别": "预算偏差原因类别",
    "偏差原因": "预算偏差原因",
    "纠偏措施": "预算纠偏措施",
}


@dataclass(frozen=True)
class ReasonNeeded(Problem):
    """A 偏差原因 a red or yellow lamp still needs before the round can close."""

    project_code: str = ""
    indicator: int | None = None  # 1-based position among the project's indicators

    @property
    def for_budget(self) -> bool:
        """About the budget lamp (its fields are on the entry, not on an indicator row)."""
        return self.indicator is None


@dataclass(frozen=True, slots=True)
class IndicatorLampRow:
    id: int  # monitoring_indicators.id
    indicator_id: int
    level1: str
    level2: str
    name: str
    target: str  # display form, e.g. "≥1200人"
    current: str  # display form of the current value or qualitative progress
    current_value: Decimal | None
    current_text: str
    likelihood: str
    expected_value: Decimal | None
    lamp: Lamp | None
    explanation: str
    deviation_category: str
    deviation_reason: str
    corrective_action: str
    comparator: Comparator | None = None  # how the target reads (定性 for qualitative)
    unit: str = ""


@dataclass(frozen=True, slots=True)
class ProjectMonitoringRow:
    entry_id: int
    round_id: int
    month: int
    project_id: int
    project_code: str
    project_name: str
    section: str
    department_code: str
    department_name: str
    initial_budget: Decimal
    adjusted_budget: Decimal  # A
    spent: Decimal  # B
    execution_rate: Decimal | None  # B/A as a fraction; None when A is 0
    time_progress: Decimal  # month/12 as a fraction
    budget_lamp: Lamp | None
    budget_explanation: str
    project_lamp: Lamp | None
    indicators: tuple[IndicatorLampRow, ...]
    reasons: tuple[str, ...]  # "预算执行/指标：类别——原因；纠偏措施：…", budget first
    notices: tuple[str, ...]  # the city rules' notices
    missing_reasons: tuple[ReasonNeeded, ...]  # blocking ones prevent closing the round
    conclusion: str
    conclusion_note: str
    budget_deviation_category: str = ""  # 偏差原因 of the budget lamp
    budget_deviation_reason: str = ""
    budget_corrective_action: str = ""
    version: int = 0  # of the stored entry when loaded; a save names it (storage/versions.py)

    @property
    def gap(self) -> Decimal | None:
        """How far spending lags 序时进度 (positive = behind), as a fraction."""
        return None if self.execution_rate is None else self.time_progress - self.execution_rate


def round_rows(
    db: Database,
    year: int,
    month: int,
    rules: RuleSet,
    *,
    section: str | None = None,
    department: str | None = None,
    lamp: Lamp | None = None,
) -> list[ProjectMonitoringRow]:
    """Every project of the round with its lamps, optionally filtered (see filter_rows)."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        rows = load_rows(session, [rnd.id], rules)
    return filter_rows(rows, section=section, department=department, lamp=lamp)


def filter_rows(
    rows: Iterable[ProjectMonitoringRow],
    *,
    section: str | None = None,
    department: str | None = None,
    lamp: Lamp | None = None,
) -> list[ProjectMonitoringRow]:
    """Rows of a 股室 (by name), a department (by code) and/or with a given project lamp."""
    return [
        row
        for row in rows
        if (section is None or row.section == section)
        and (department is None or row.department_code == department)
        and (lamp is None or row.project_lamp is lamp)
    ]


def lagging(rows: Iterable[ProjectMonitoringRow]) -> list[ProjectMonitoringRow]:
    """Projects spending behind 序时进度, the largest gap first (ties by project code)."""
    behind = [row for row in rows if row.gap is not None and row.gap > 0]
    return sorted(behind, key=lambda row: (-(row.gap or 0), row.project_code))


def load_rows(
    session: Session, round_ids: Sequence[int], rules: RuleSet, entry_id: int | None = None
) -> list[ProjectMonitoringRow]:
    """Rows of the given rounds (or of one entry), ordered by month, department, project."""
    return [_build_row(ev) for ev in evaluated(session, round_ids, rules, entry_id)]


def _build_row(ev: Evaluated) -> ProjectMonitoringRow:
    e, items, lamps = ev.record, ev.items, ev.lamps
    indicators = tuple(
        indicator_row(item, result.lamp, result.explanation)
        for item, result in zip(items, lamps.indicators, strict=True)
    )
    return ProjectMonitoringRow(
        entry_id=e.entry_id,
        round_id=e.round_id,
        month=e.month,
        project_id=e.project_id,
        project_code=e.project_code,
        project_name=e.project_name,
        section=e.section or NO_SECTION,
        department_code=e.department_code,
        department_name=e.department_name,
        initial_budget=e.initial_budget,
        adjusted_budget=e.adjusted_budget,
        spent=e.spent,
        execution_rate=None if e.adjusted_budget == 0 else e.spent / e.adjusted_budget,
        time_progress=time_progress(e.month),
        budget_lamp=lamps.budget.lamp,
        budget_explanation=lamps.budget.explanation,
        project_lamp=lamps.project,
        indicators=indicators,
        reasons=tuple(_reasons(e, indicators)),
        notices=lamps.notices,
        missing_reasons=tuple(located_reasons(ev)),
        conclusion=e.conclusion,
        conclusion_note=e.conclusion_note,
        budget_deviation_category=e.budget_deviation_category,
        budget_deviation_reason=e.budget_deviation_reason,
        budget_corrective_action=e.budget_corrective_action,
        version=e.version,
    )


def indicator_row(item: IndicatorRecord, lamp: Lamp | None, explanation: str) -> IndicatorLampRow:
    comparator = COMPARATORS[item.comparator]
    if item.current_value is not None:
        current = f"{plain(item.current_value)}{item.unit}"
    else:
        current = item.current_text
    return IndicatorLampRow(
        id=item.id,
        indicator_id=item.indicator_id,
        level1=item.level1,
        level2=item.level2,
        name=item.name,
        target=format_target(comparator, item.target_value, item.unit, item.target_text),
        current=current,
        current_value=item.current_value,
        current_text=item.current_text,
        likelihood=item.likelihood,
        expected_value=item.expected_value,
        lamp=lamp,
        explanation=explanation,
        deviation_category=item.deviation_category,
        deviation_reason=item.deviation_reason,
        corrective_action=item.corrective_action,
        comparator=comparator,
        unit=item.unit,
    )


def _reasons(e: EntryRecord, indicators: Iterable[IndicatorLampRow]) -> Iterator[str]:
    """The stated reasons: the budget lamp's first, then the indicators' in order."""
    if e.budget_deviation_reason.strip():
        yield reason_text(
            BUDGET_SUBJECT,
            e.budget_deviation_category,
            e.budget_deviation_reason,
            e.budget_corrective_action,
        )
    for row in indicators:
        if row.deviation_reason.strip():
            yield reason_text(
                row.name, row.deviation_category, row.deviation_reason, row.corrective_action
            )


def reason_text(subject: str, category: str, reason: str, action: str) -> str:
    """A reason line: subject：类别——原因；纠偏措施：… (the measure only when given)."""
    text = f"{subject}：{category or '未分类'}——{reason.strip()}"
    if action.strip():
        text += f"；纠偏措施：{action.strip()}"
    return text


def located_reasons(ev: Evaluated) -> list[ReasonNeeded]:
    """The domain's missing reasons (budget lamp and indicators), named by project."""
    code, name = ev.record.project_code, ev.record.project_name
    return [
        ReasonNeeded(
            f"项目 {code}（{name}）：{p.message}",
            column=p.column if p.row is not None else BUDGET_COLUMNS.get(p.column, p.column),
            project_code=code,
            indicator=p.row,
        )
        for p in missing_reasons(ev.entry, ev.lamps)
    ]
