"""What a printed form says, kept as printed, each value with the cell it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .grid import Where


class FormKind(StrEnum):
    PROJECT_GOAL = "项目支出绩效目标申报表"
    PROJECT_SELF = "项目支出绩效自评表"
    DEPARTMENT_GOAL = "部门整体支出绩效目标申报表"
    DEPARTMENT_SELF = "部门整体支出绩效自评表"

    @property
    def is_self_evaluation(self) -> bool:
        return self in (FormKind.PROJECT_SELF, FormKind.DEPARTMENT_SELF)

    @property
    def is_department(self) -> bool:
        return self in (FormKind.DEPARTMENT_GOAL, FormKind.DEPARTMENT_SELF)


@dataclass(frozen=True)
class Printed:
    """One value as printed on the form and where it was read."""

    text: str
    where: Where | None = None
    label: str = ""  # the label it was read under (项目名称, 实际完成值…)


BLANK = Printed("")


@dataclass(frozen=True)
class FormProblem:
    """A located problem: file, sheet or table, row, column and the label concerned."""

    message: str
    where: Where | None = None
    label: str = ""
    blocking: bool = True
    file: str = ""

    def describe(self) -> str:
        place = self.where.describe() if self.where else (f"“{self.file}”" if self.file else "")
        label = f"（{self.label}）" if self.label else ""
        kind = "" if self.blocking else "（提醒）"
        return f"{kind}{place}{label}：{self.message}" if place or label else kind + self.message


@dataclass(frozen=True)
class FormIndicator:
    level1: Printed
    level2: Printed
    name: Printed
    target: Printed = BLANK
    actual: Printed = BLANK
    points: Printed = BLANK
    score: Printed = BLANK
    reason: Printed = BLANK
    nature: Printed = BLANK
    unit: Printed = BLANK


@dataclass(frozen=True)
class FormTable:
    """One recognised table. `fields` and `money` are keyed by English names (see recognise)."""

    kind: FormKind
    file: str
    part: str
    source: str  # xlsx / xls / docx
    first_row: int
    year: int | None
    year_read: str  # how the year was found (the title text), "" when not printed
    fields: dict[str, Printed] = field(default_factory=dict)
    money: dict[str, Printed] = field(default_factory=dict)
    money_unit: str = "万元"
    indicators: tuple[FormIndicator, ...] = ()
    notes: tuple[str, ...] = ()  # how it was read, in words

    def get(self, key: str) -> Printed:
        return self.fields.get(key, BLANK)

    @property
    def place(self) -> str:
        return f"{self.part}第{self.first_row}行起的{self.kind.value}"
