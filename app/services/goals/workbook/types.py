"""Plain data of the goals workbook: what a file says, what the database holds, the outcome.

Contents are compared with ==, so a value is normalised once when it is read (blank 分值 is
0, blank 财政拨款 is 0, labels tidy): what the import stores is exactly what it compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from app.domain.errors import Problem


@dataclass(frozen=True)
class IndicatorContent:
    level1: str
    level2: str
    name: str
    comparator: str  # Comparator value, "" when unknown
    target_value: Decimal | None
    target_text: str
    unit: str
    points: Decimal
    explanation: str
    standard_source: str

    @property
    def match_key(self) -> tuple[str, str, str]:
        """Rows keep their database id when this key matches (monitoring points at ids)."""
        return (self.level1, self.level2, self.name)


@dataclass(frozen=True)
class ProjectHeader:
    department_code: str
    name: str
    kind: str
    fund_source: str
    fund_level: str
    functional_class: str
    start_year: int | None
    end_year: int | None
    total: Decimal
    fiscal: Decimal
    other: Decimal


@dataclass(frozen=True)
class GoalContent:
    overall_target: str
    long_term_target: str
    budget: Decimal | None  # department-wide goals only
    indicators: tuple[IndicatorContent, ...]


@dataclass(frozen=True)
class UnitIn:
    row: int
    code: str
    name: str
    parent_code: str
    section: str


@dataclass
class EntryIn:
    """One project (code = 项目编码) or department-wide goal (code = 单位编码) of the file."""

    row: int
    code: str
    department_code: str
    header: ProjectHeader | None  # None for a department-wide goal
    goal: GoalContent | None = None  # None: the file says nothing about the goal
    indicator_rows: list[int] = field(default_factory=list)


class Outcome(StrEnum):
    ADDED = "新增"
    CHANGED = "修改"
    UNCHANGED = "未变"
    LEFT_ALONE = "未导入"


@dataclass(frozen=True)
class EntryOutcome:
    """What the import did (or would do) with one project or department-wide goal."""

    scope: str  # "project" / "department"
    code: str  # 项目编码, or 单位编码 for a department-wide goal
    name: str
    outcome: Outcome
    reason: str = ""

    @property
    def label(self) -> str:
        return f"项目 {self.code}" if self.scope == "project" else f"单位 {self.code} 部门整体"


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    year: int | None
    outcomes: tuple[EntryOutcome, ...]
    departments_added: tuple[str, ...]
    sections_added: tuple[str, ...]
    warnings: tuple[Problem, ...]
    backup_path: Path | None = None
    year_created: bool = False
    losses: tuple[str, ...] = ()  # stored values blanked and indicators deleted, by project

    def _codes(self, outcome: Outcome) -> tuple[EntryOutcome, ...]:
        return tuple(o for o in self.outcomes if o.outcome is outcome)

    @property
    def added(self) -> tuple[EntryOutcome, ...]:
        return self._codes(Outcome.ADDED)

    @property
    def changed(self) -> tuple[EntryOutcome, ...]:
        return self._codes(Outcome.CHANGED)

    @property
    def unchanged(self) -> tuple[EntryOutcome, ...]:
        return self._codes(Outcome.UNCHANGED)

    @property
    def left_alone(self) -> tuple[EntryOutcome, ...]:
        return self._codes(Outcome.LEFT_ALONE)

    @property
    def wrote_anything(self) -> bool:
        return bool(self.added or self.changed or self.departments_added or self.year_created)

    def describe(self) -> str:
        """One line for a message box or the terminal."""
        year = f"{self.year} 年度" if self.year else "绩效目标"
        text = (
            f"{year}：新增 {len(self.added)} 个，修改 {len(self.changed)} 个，"
            f"未变 {len(self.unchanged)} 个，未导入 {len(self.left_alone)} 个"
        )
        if self.departments_added:
            text += f"；新建单位 {len(self.departments_added)} 个"
        if self.losses:
            text += f"；删除或清空已保存的数据 {len(self.losses)} 处"
        if self.warnings:
            text += f"；提示 {len(self.warnings)} 条"
        return text


@dataclass(frozen=True)
class ExportResult:
    path: Path
    year: int
    departments: int
    projects: int
    indicators: int
    blank: bool
