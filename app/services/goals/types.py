"""Plain data the goal services take and return (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.domain.enums import Comparator, GoalStatus, ProjectKind, Scope
from app.domain.errors import Problem
from app.domain.history_checks import GoalHistory


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator grid. `id` is None for a row added in the editor; keeping
    the id of a loaded row lets return comments and monitoring keep pointing at it."""

    level1: str
    level2: str
    name: str
    comparator: Comparator | None
    target: Decimal | None
    target_text: str = ""
    unit: str = ""
    points: Decimal | None = None
    explanation: str = ""
    standard_source: str = ""
    library_indicator_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class GoalEdit:
    """What the editor saves. Project fields are ignored for a department-wide goal and
    `budget_amount` for a project goal. Amounts in 元; None means the cell is empty."""

    overall_target: str
    indicators: tuple[IndicatorRow, ...]
    long_term_target: str = ""
    project_name: str = ""
    kind: ProjectKind = ProjectKind.NEW
    fund_source: str = "一般公共预算"
    fund_level: str = "本级"
    functional_class: str = ""
    start_year: int | None = None
    end_year: int | None = None
    total_amount: Decimal | None = None
    fiscal_amount: Decimal | None = None
    other_amount: Decimal | None = None
    budget_amount: Decimal | None = None


@dataclass(frozen=True)
class ReturnCommentRow:
    """A reason given when the goal was returned; `row` is the indicator's current row
    (None for an overall reason or a row deleted since)."""

    revision: int
    indicator_id: int | None
    row: int | None
    indicator_name: str
    text: str


@dataclass(frozen=True)
class RevisionRow:
    """One change of status: who, when, why, and what changed since the previous one."""

    revision: int
    status_from: str
    status_to: str
    actor: str
    at: datetime
    reason: str
    changes: str


@dataclass(frozen=True)
class GoalDetail:
    """The 申报表 of one goal as shown in the editor."""

    id: int
    scope: Scope
    year: int
    department_id: int
    department_code: str
    department_name: str
    parent_department: str  # 主管部门 name; the unit itself when it has no parent
    project_id: int | None
    project_code: str
    project_name: str
    kind: ProjectKind | None
    fund_source: str
    fund_level: str
    functional_class: str
    start_year: int | None
    end_year: int | None
    total_amount: Decimal | None
    fiscal_amount: Decimal | None
    other_amount: Decimal | None
    budget_amount: Decimal | None
    overall_target: str
    long_term_target: str
    status: GoalStatus
    revision: int
    version: int  # of the stored content when loaded; save_goal refuses if it moved on
    submitted_at: datetime | None
    reviewed_at: datetime | None
    reviewer: str
    return_reason: str
    indicators: tuple[IndicatorRow, ...]
    return_comments: tuple[ReturnCommentRow, ...]  # of the latest return only
    history: tuple[RevisionRow, ...]

    @property
    def label(self) -> str:
        """How messages name this goal: the project code, or the unit for a department goal."""
        return goal_label(self.scope, self.project_code, self.department_code)

    @property
    def editable(self) -> bool:
        return self.status in (GoalStatus.DRAFT, GoalStatus.RETURNED)

    def to_edit(self) -> GoalEdit:
        """The editor's starting point; change it with dataclasses.replace."""
        return GoalEdit(
            overall_target=self.overall_target,
            indicators=self.indicators,
            long_term_target=self.long_term_target,
            project_name=self.project_name,
            kind=self.kind or ProjectKind.NEW,
            fund_source=self.fund_source,
            fund_level=self.fund_level,
            functional_class=self.functional_class,
            start_year=self.start_year,
            end_year=self.end_year,
            total_amount=self.total_amount,
            fiscal_amount=self.fiscal_amount,
            other_amount=self.other_amount,
            budget_amount=self.budget_amount,
        )


@dataclass(frozen=True)
class CheckContext:
    """What the live checks need besides the edit; build once per editor with check_context.

    `other_goal_texts` is the copy-check index of every project goal of the year;
    `history` what the history checks compare with (None: no checks against history).
    """

    scope: Scope
    department_code: str
    project_code: str
    other_goal_texts: dict[str, list[tuple[str, str]]]
    history: GoalHistory | None = None


@dataclass(frozen=True)
class SaveResult:
    goal_id: int
    problems: tuple[Problem, ...]

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)


@dataclass(frozen=True)
class Refusal:
    """A goal a bulk action left alone; `label` names it (project code or department)."""

    goal_id: int
    project_code: str
    label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BulkResult:
    done: tuple[int, ...]
    refused: tuple[Refusal, ...]


def goal_label(scope: Scope, project_code: str, department_code: str) -> str:
    if scope is Scope.DEPARTMENT:
        return f"单位 {department_code} 部门整体"
    return f"项目 {project_code}"
