"""绩效目标表 and the goal book as `app.reports` documents (docs/domain.md §3).

One table per goal on a six-column grid: the header block as label/value pairs, the money
block, 年度总体目标, the indicators with 一级 and 二级 merged over their rows, 预算执行率,
the total, and the two review boxes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import groupby

from app.domain.enums import GoalStatus, Scope
from app.domain.numbers import plain
from app.reports import (
    Align,
    Cell,
    Column,
    Cover,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from app.reports.model import Block, Row
from app.services.goals.report.data import GoalBookData, GoalTableData, IndicatorLine
from app.services.reports.common import wan_text

# Relative widths in mm of the 156 mm type area: label, 二级, 三级 (two), 指标值, 分值.
COLUMNS = (
    Column(25),
    Column(27),
    Column(36, Align.LEFT),
    Column(30),
    Column(24),
    Column(14),
)
VALUE_SPAN = len(COLUMNS) - 1
REVIEW_BOX = "\n\n审核人：　　　　　　（盖章）　　　　　年　　月　　日"
REVIEWERS = ("主管部门\n审核意见", "财政部门\n审核意见")


def goal_table_document(data: GoalTableData) -> Document:
    """A single 绩效目标表 (project or department-wide) as a document of its own."""
    title = "项目支出绩效目标表" if data.scope is Scope.PROJECT else "部门整体支出绩效目标表"
    return Document(
        title=title,
        subtitle=f"（{data.year}年度）",
        blocks=(goal_table(data),),
        metadata={"kind": "goal-table"},
    )


def goal_table(data: GoalTableData) -> Table:
    header = _project_header(data) if data.scope is Scope.PROJECT else _department_header(data)
    rows = [
        *header,
        *_targets(data),
        *_indicator_block(data.indicators),
        (Cell("预算执行率", colspan=VALUE_SPAN), plain(data.execution_points)),
        (Cell("合计", colspan=VALUE_SPAN, bold=True), Cell(plain(data.total_points), bold=True)),
        *_review_boxes(),
    ]
    # 小五 (9 pt) keeps a typical goal (up to 15 indicators) with both review boxes on one page.
    return Table(columns=COLUMNS, body_rows=tuple(rows), repeat_header=False, font_size=9)


def _value(text: str, span: int = 2, align: Align = Align.LEFT) -> Cell:
    return Cell(text, colspan=span, align=align)


def _period(start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return ""
    return f"{start}年" if start == end else f"{start}年—{end}年"


def _project_header(d: GoalTableData) -> list[Row]:
    money = Cell("项目资金\n（万元）", rowspan=3)
    return [
        ("项目名称", _value(d.project_name, VALUE_SPAN)),
        ("项目编码", _value(d.project_code), "年度", _value(f"{d.year}年")),
        ("单位名称", _value(f"{d.department_name}（{d.department_code}）"), "主管部门",
         _value(d.parent_department)),
        ("项目属性", _value(d.kind), "实施期", _value(_period(d.start_year, d.end_year))),
        ("资金来源", _value(_fund_source(d)), "功能分类科目", _value(d.functional_class)),
        (money, Cell("年度资金总额", colspan=2), _value(wan_text(d.total_amount), 3, Align.RIGHT)),
        (Cell("其中：财政拨款", colspan=2), _value(wan_text(d.fiscal_amount), 3, Align.RIGHT)),
        (Cell("其他资金", colspan=2), _value(wan_text(d.other_amount), 3, Align.RIGHT)),
    ]  # fmt: skip


def _fund_source(d: GoalTableData) -> str:
    return f"{d.fund_source}（{d.fund_level}）" if d.fund_level else d.fund_source


def _department_header(d: GoalTableData) -> list[Row]:
    return [
        ("单位名称", _value(d.department_name), "单位编码", _value(d.department_code)),
        ("主管部门", _value(d.parent_department), "年度", _value(f"{d.year}年")),
        (
            Cell("年度预算资金\n（万元）"),
            _value(wan_text(d.total_amount), VALUE_SPAN, Align.RIGHT),
        ),
    ]


def _targets(d: GoalTableData) -> list[Row]:
    rows: list[Row] = [("年度总体目标", _value(d.overall_target, VALUE_SPAN))]
    if d.long_term_target.strip():
        rows.append(("长期目标", _value(d.long_term_target, VALUE_SPAN)))
    return rows


def _indicator_block(lines: Sequence[IndicatorLine]) -> list[Row]:
    head = (
        Cell("一级指标", bold=True),
        Cell("二级指标", bold=True),
        Cell("三级指标", colspan=2, bold=True),
        Cell("指标值", bold=True),
        Cell("分值", bold=True),
    )
    rows: list[Row] = [head]
    for start, end in _runs(lines, lambda line: line.level1):
        level2_starts = dict(_runs(lines[start:end], lambda line: line.level2, offset=start))
        for k in range(start, end):
            line = lines[k]
            cells: list[Cell | str] = []
            if k == start:
                cells.append(Cell(line.level1, rowspan=end - start))
            if k in level2_starts:
                cells.append(Cell(line.level2, rowspan=level2_starts[k] - k))
            cells += [Cell(line.name, colspan=2), line.target, plain(line.points)]
            rows.append(tuple(cells))
    return rows


def _runs(
    items: Sequence[IndicatorLine], key: Callable[[IndicatorLine], str], offset: int = 0
) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of consecutive items with the same key: merged cells."""
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or key(items[i]) != key(items[start]):
            yield offset + start, offset + i
            start = i


def _review_boxes() -> list[Row]:
    return [(who, _value(REVIEW_BOX, VALUE_SPAN, Align.RIGHT)) for who in REVIEWERS]


# -- the goal book --------------------------------------------------------------------
def goal_book_document(book: GoalBookData, today: dt.date | None = None) -> Document:
    """Every goal table in one document: cover, table of contents, grouped by 股室 and unit."""
    today = today or dt.date.today()
    scope = book.department_name if book.department_code else book.org.county
    title = f"{scope}{book.year}年度项目支出绩效目标汇编"
    # The first goal table starts on a page of its own, as every other one does.
    blocks: list[Block] = [_book_intro(book), PageBreak()]
    if book.department_code:
        blocks += _department_chapter(book.goals, level=1, first=True)
    else:
        blocks += _whole_year(book.goals)
    return Document(
        title=title,
        blocks=tuple(blocks),
        cover=Cover(title=title, org=book.org.bureau, date=today),
        toc=True,
        toc_levels=1 if book.department_code else 2,
        metadata={"kind": "goal-book"},
    )


def _book_intro(book: GoalBookData) -> Paragraph:
    goals = book.goals
    approved = sum(g.status is GoalStatus.APPROVED for g in goals)
    amount = sum((g.total_amount or Decimal(0) for g in goals), Decimal(0))
    text = f"本汇编收录项目支出绩效目标{len(goals)}个，资金总额{wan_text(amount)}万元"
    if book.approved_only:
        text += "，均已通过审核"
        if book.left_out:
            text += f"；另有{book.left_out}个项目的绩效目标尚未通过审核，未收录"
    else:
        text += f"，其中已通过审核{approved}个"
    if book.projects_without_goal:
        text += f"；另有{book.projects_without_goal}个项目尚未填报绩效目标"
    return Paragraph(text + "。")


def _whole_year(goals: Sequence[GoalTableData]) -> list[Block]:
    """Goals come sorted by 股室 and unit, so consecutive runs are the chapters."""
    blocks: list[Block] = []
    for section, in_section in groupby(goals, key=lambda g: g.section):
        if blocks:
            blocks.append(PageBreak())
        blocks.append(Heading(1, section))
        first = True
        for _code, members in groupby(in_section, key=lambda g: g.department_code):
            blocks += _department_chapter(list(members), level=2, first=first)
            first = False
    return blocks


def _department_chapter(goals: Sequence[GoalTableData], level: int, first: bool) -> list[Block]:
    """A unit's goals, each table on a page of its own under its project heading."""
    blocks: list[Block] = []
    if level == 2:
        if not first:
            blocks.append(PageBreak())
        head = goals[0]
        blocks.append(Heading(2, f"{head.department_name}（{head.department_code}）"))
        first = True
    for goal in goals:
        if not first:
            blocks.append(PageBreak())
        first = False
        heading_level = 1 if level == 1 else 3
        blocks.append(
            Heading(heading_level, f"{goal.project_code}　{goal.project_name}", numbered=False)
        )
        blocks.append(goal_table(goal))
    return blocks
