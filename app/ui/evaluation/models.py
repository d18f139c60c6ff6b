"""Table models of the 绩效自评 page: the year's scores and one evaluation's indicators."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from app.services.evaluation import IndicatorRow, ProjectScore
from app.ui.widgets.formatting import score_text
from app.ui.widgets.row_table import (
    CENTER,
    FLAGGED_BACKGROUND,
    RIGHT,
    Column,
    RowTableModel,
    nullable,
)

SCORE_COLUMNS: tuple[Column[ProjectScore], ...] = (
    Column("股室", lambda r: r.section, sample="社会保障股", loaded_order=True),
    Column("单位", lambda r: r.department, lambda r: (r.department_code, r.project_code),
           sample="县住房和城乡建设", tooltip=True),
    Column("项目编码", lambda r: r.project_code, sample="219001-整体"),
    Column("项目名称", lambda r: r.name, lambda r: (r.name, r.project_code), tooltip=True),
    Column("规则得分", lambda r: score_text(r.total), lambda r: r.total, RIGHT, "100.00"),
    Column("等级", lambda r: r.grade.value, lambda r: (r.grade.value, r.project_code), CENTER),
    Column("自评得分", lambda r: score_text(r.claimed_total),
           lambda r: nullable(r.claimed_total), RIGHT, "100.00"),
    Column("自评等级", lambda r: r.claimed_grade.value if r.claimed_grade else "",
           lambda r: (r.claimed_grade.value if r.claimed_grade else "", r.project_code),
           CENTER),
    Column("疑点", lambda r: str(len(r.flags)) if r.flags else "",
           lambda r: (len(r.flags), r.project_code), RIGHT, "疑点"),
)  # fmt: skip
(
    COL_SECTION, COL_DEPARTMENT, COL_CODE, COL_NAME, COL_TOTAL, COL_GRADE, COL_CLAIMED,
    COL_CLAIMED_GRADE, COL_FLAGS,
) = range(len(SCORE_COLUMNS))  # fmt: skip


class ScoreTableModel(RowTableModel[ProjectScore]):
    """The year's self-evaluations; rows with a flag are tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(SCORE_COLUMNS, parent)

    def row_background(self, row: ProjectScore) -> QColor | None:
        return FLAGGED_BACKGROUND if row.flags else None

    def cell_tooltip(self, row: ProjectScore, column: int) -> str:
        if column == COL_FLAGS and row.flags:
            return "\n".join(row.flags)
        if column == COL_TOTAL:
            return row.total_explanation
        return super().cell_tooltip(row, column)


INDICATOR_COLUMNS: tuple[Column[IndicatorRow], ...] = (
    Column("一级指标", lambda r: r.level1, sample="满意度指标"),
    Column("二级指标", lambda r: r.level2, sample="社会效益指标", tooltip=True),
    Column("三级指标", lambda r: r.name, sample="高标准农田工程验收合格", tooltip=True),
    Column("年度指标值", lambda r: r.target, sample="≤2122元/亩", tooltip=True),
    Column("实际完成值", lambda r: r.actual, sample="部分达成", tooltip=True),
    Column("分值", lambda r: score_text(r.points), lambda r: r.points, RIGHT, "10.00"),
    Column("得分", lambda r: score_text(r.score), lambda r: r.score, RIGHT, "10.00"),
    Column("自评得分", lambda r: score_text(r.claimed_score),
           lambda r: nullable(r.claimed_score), RIGHT, "100.00"),
    Column("计分说明", lambda r: r.explanation, tooltip=True),
)  # fmt: skip
IND_COL_EXPLANATION = len(INDICATOR_COLUMNS) - 1


class IndicatorTableModel(RowTableModel[IndicatorRow]):
    """One evaluation's indicator grid with each score's explanation; flagged rows tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(INDICATOR_COLUMNS, parent)

    def row_background(self, row: IndicatorRow) -> QColor | None:
        return FLAGGED_BACKGROUND if row.flags else None

    def cell_tooltip(self, row: IndicatorRow, column: int) -> str:
        text = super().cell_tooltip(row, column)
        if row.flags:
            text = "\n".join([text, *(f"疑点：{f}" for f in row.flags)]).strip()
        return text
