"""Table models of the 抽查复核 page: counts per 股室 and the sampled projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor

from app.domain.enums import Grade
from app.services.spotcheck import ReviewListRow, ReviewSummary, SampleResult
from app.ui.widgets.formatting import score_text
from app.ui.widgets.row_table import (
    CENTER,
    FLAGGED_BACKGROUND,
    RIGHT,
    Column,
    RowTableModel,
    nullable,
)

NOT_REVIEWED, REVIEWED, INFLATED = "未复核", "已复核", "自评不实"
STATUSES = (NOT_REVIEWED, REVIEWED, INFLATED)
TOTAL = "合计"


def review_status(row: ReviewListRow) -> str:
    if row.review_total is None:
        return NOT_REVIEWED
    return INFLATED if row.inflated else REVIEWED


@dataclass(frozen=True)
class SectionLine:
    section: str
    population: int
    quota: int
    drawn: int
    reviewed: int
    inflated: int


def section_lines(sample: SampleResult, summary: ReviewSummary | None) -> list[SectionLine]:
    """One line per 股室 (quota from the draw, review counts from the summary) and a total."""
    counts = {c.section: c for c in summary.sections} if summary else {}
    lines = []
    for s in sample.sections:
        c = counts.get(s.section)
        lines.append(
            SectionLine(
                s.section, s.population, s.quota, s.drawn,
                c.reviewed if c else 0, c.inflated if c else 0,
            )
        )  # fmt: skip
    if lines:
        lines.append(
            SectionLine(
                TOTAL,
                sum(x.population for x in lines),
                sum(x.quota for x in lines),
                sum(x.drawn for x in lines),
                sum(x.reviewed for x in lines),
                sum(x.inflated for x in lines),
            )
        )
    return lines


def _ratio(line: SectionLine) -> str:
    if not line.population:
        return ""
    return f"{Decimal(line.drawn * 100) / line.population:.2f}%"


SECTION_COLUMNS: tuple[Column[SectionLine], ...] = (
    Column("股室", lambda r: r.section, sample="农业农村股"),
    Column("自评数", lambda r: str(r.population), lambda r: r.population, RIGHT, "9999"),
    Column("应抽", lambda r: str(r.quota), lambda r: r.quota, RIGHT, "9999"),
    Column("已抽", lambda r: str(r.drawn), lambda r: r.drawn, RIGHT, "9999"),
    Column(
        "比例", _ratio, lambda r: r.drawn / r.population if r.population else 0, RIGHT, "100.00%"
    ),
    Column("已复核", lambda r: str(r.reviewed), lambda r: r.reviewed, RIGHT),
    Column("不实", lambda r: str(r.inflated), lambda r: r.inflated, RIGHT, "不实99"),
)


class SectionTableModel(RowTableModel[SectionLine]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(SECTION_COLUMNS, parent)

    def row_bold(self, row: SectionLine) -> bool:
        return row.section == TOTAL


SAMPLE_COLUMNS: tuple[Column[ReviewListRow], ...] = (
    # 股室 is chosen in the section table beside this one.
    Column("单位", lambda r: r.department, sample="县农业农村局", tooltip=True,
           loaded_order=True),
    Column("项目编码", lambda r: r.project_code, sample="219001-整体"),
    Column("项目名称", lambda r: r.name, lambda r: (r.name, r.project_code),
           sample="乡村振兴衔接资金项目", tooltip=True),
    Column("抽取原因", lambda r: r.reason, sample="必抽：金额达", tooltip=True),
    Column("状态", review_status, lambda r: (review_status(r), r.project_code), CENTER,
           "自评不实"),
    Column("自评", lambda r: _with_grade(r.self_total, r.self_grade), lambda r: r.self_total,
           RIGHT, "100.00(优)"),
    Column("复核", lambda r: _with_grade(r.review_total, r.review_grade),
           lambda r: nullable(r.review_total), RIGHT, "100.00(优)"),
    Column("偏离", lambda r: score_text(r.deviation), lambda r: nullable(r.deviation), RIGHT,
           "-100.00"),
)  # fmt: skip
COL_SAMPLE_NAME = 2
COL_SAMPLE_STATUS = 4


def _with_grade(total: Decimal | None, grade: Grade | None) -> str:
    if total is None:
        return ""
    return f"{score_text(total)}（{grade.value}）" if grade else score_text(total)


class SampleTableModel(RowTableModel[ReviewListRow]):
    """The sampled projects with their review state; 自评不实 rows tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(SAMPLE_COLUMNS, parent)

    def row_background(self, row: ReviewListRow) -> QColor | None:
        return FLAGGED_BACKGROUND if row.inflated else None

    def cell_tooltip(self, row: ReviewListRow, column: int) -> str:
        if column == COL_SAMPLE_STATUS and row.finding:
            return row.finding
        return super().cell_tooltip(row, column)
