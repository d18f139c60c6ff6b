"""项目支出绩效自评表 of one project (docs/domain.md §6): data first (tested exactly), then
the form.

The form is the official layout (money block, 年度总体目标, indicator grid, footer) with
the score computed by the rule set. Where the department's own score differs, the cell
shows both ("19.17（自评20.00）") and a 计分说明 table after the form gives every row's
one-line explanation and flag, so the reader sees why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Scope
from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.reports import (
    Align,
    Block,
    Cell,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    merge_repeats,
)
from app.services.evaluation import DEPARTMENT_SUFFIX, ProjectScore, evaluation_detail
from app.services.reports.evaluation_common import (
    DASH,
    center,
    left,
    money,
    percent,
    points,
)
from app.services.reports.evaluation_common import score as fmt
from app.storage.database import Database
from app.storage.models import Department, FiscalYear, Project, SelfEvaluation
from app.storage.models import SelfEvaluationIndicator as Row

TITLE = "项目支出绩效自评表"


@dataclass(frozen=True)
class MoneyRow:
    label: str  # 年度资金总额 / 其中：本年财政拨款 / 上年结转资金 / 其他资金
    initial: Decimal | None  # 年初预算数; None when the split by source is unknown
    budget: Decimal
    spent: Decimal


@dataclass(frozen=True)
class TableIndicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    points: Decimal
    score: Decimal  # by the rules
    claimed: Decimal | None  # the department's
    explanation: str
    flags: tuple[str, ...]
    reason: str  # 偏差原因分析及改进措施

    @property
    def differs(self) -> bool:
        return self.claimed is not None and self.claimed != self.score


@dataclass(frozen=True)
class SelfEvalTableData:
    year: int
    code: str
    name: str
    department: str  # 实施单位
    supervisor: str  # 主管部门 (the parent unit, else the unit itself)
    money: tuple[MoneyRow, ...]
    execution_points: Decimal
    execution_rate: Decimal | None
    execution_score: Decimal
    execution_claimed: Decimal | None
    execution_explanation: str
    expected: str
    actual: str
    indicators: tuple[TableIndicator, ...]
    total_points: Decimal
    total: Decimal
    grade: str
    claimed_total: Decimal | None
    claimed_grade: str
    total_explanation: str
    flags: tuple[str, ...]  # every flag of the evaluation


def selfeval_table_data(db: Database, year: int, code: str, rules: RuleSet) -> SelfEvalTableData:
    """The form's content for project ``code`` (or ``单位编码-整体``) of ``year``."""
    with db.session() as session:
        evaluation = _evaluation(session, year, code)
        supervisor = _supervisor(session, evaluation.department_id)
        reasons = list(
            session.scalars(
                select(Row.reason).where(Row.evaluation_id == evaluation.id).order_by(Row.position)
            )
        )
        head = _head(evaluation)
    scored = evaluation_detail(db, evaluation.id, rules)
    return _data(year, scored, head, supervisor, reasons, rules)


@dataclass(frozen=True)
class _Head:
    money: tuple[MoneyRow, ...]
    expected: str
    actual: str


def _evaluation(session: Session, year: int, code: str) -> SelfEvaluation:
    stmt = select(SelfEvaluation).join(FiscalYear).where(FiscalYear.year == year)
    if code.endswith(DEPARTMENT_SUFFIX):
        stmt = stmt.join(Department, SelfEvaluation.department_id == Department.id).where(
            Department.code == code.removesuffix(DEPARTMENT_SUFFIX),
            SelfEvaluation.scope == Scope.DEPARTMENT.value,
        )
    else:
        stmt = stmt.join(Project, SelfEvaluation.project_id == Project.id).where(
            Project.code == code
        )
    found = session.scalar(stmt)
    if found is None:
        raise UserError(f"{year}年没有项目编码为“{code}”的绩效自评。")
    return found


def _supervisor(session: Session, department_id: int) -> tuple[str, str]:
    dept = session.get(Department, department_id)
    assert dept is not None
    parent = dept.parent.name if dept.parent is not None else dept.name
    return dept.name, parent


def _head(e: SelfEvaluation) -> _Head:
    # Only the total 年初预算数 is recorded. When the budget was not adjusted during the
    # year, each source's year-start amount is its 全年预算数 (0.00 included); otherwise the
    # split is unknown and the cell is "—" rather than an invented or zero figure.
    unadjusted = e.initial_budget is not None and e.initial_budget == e.annual_budget
    sources = (
        ("其中：本年财政拨款", e.budget_fiscal, e.spent_fiscal),
        ("上年结转资金", e.budget_carryover, e.spent_carryover),
        ("其他资金", e.budget_other, e.spent_other),
    )
    rows = (
        MoneyRow("年度资金总额", e.initial_budget, e.annual_budget, e.spent),
        *(MoneyRow(label, b if unadjusted else None, b, x) for label, b, x in sources),
    )
    return _Head(rows, e.expected_outcome, e.actual_outcome)


def _data(
    year: int,
    s: ProjectScore,
    head: _Head,
    supervisor: tuple[str, str],
    reasons: list[str],
    rules: RuleSet,
) -> SelfEvalTableData:
    if len(reasons) != len(s.indicators):
        reasons = [""] * len(s.indicators)  # never misplace a reason on another row
    indicators = tuple(
        TableIndicator(
            i.level1,
            i.level2,
            i.name,
            i.target,
            i.actual,
            i.points,
            i.score,
            i.claimed_score,
            i.explanation,
            i.flags,
            reason,
        )
        for i, reason in zip(s.indicators, reasons, strict=True)
    )
    return SelfEvalTableData(
        year=year,
        code=s.project_code,
        name=s.name,
        department=supervisor[0],
        supervisor=supervisor[1],
        money=head.money,
        execution_points=s.execution.points,
        execution_rate=s.execution.rate,
        execution_score=s.execution.score,
        execution_claimed=s.execution.claimed_score,
        execution_explanation=s.execution.explanation,
        expected=head.expected,
        actual=head.actual,
        indicators=indicators,
        total_points=rules.goals.total_points,
        total=s.total,
        grade=s.grade.value,
        claimed_total=s.claimed_total,
        claimed_grade=s.claimed_grade.value if s.claimed_grade else "",
        total_explanation=s.total_explanation,
        flags=s.flags,
    )


# ---------------------------------------------------------------- composition


def build_selfeval_table(db: Database, year: int, code: str, rules: RuleSet) -> Document:
    return compose_selfeval_table(selfeval_table_data(db, year, code, rules))


def compose_selfeval_table(d: SelfEvalTableData) -> Document:
    blocks: list[Block] = [
        _head_table(d),
        _indicator_table(d),
        Heading(1, "计分说明"),
        Paragraph(
            "表中得分按规则集计算；单位自评得分与之不同的，在得分下注明“自评”分数，并在下表列明计分过程。",
        ),
        _explanations(d),
    ]
    if d.flags:
        blocks += [Heading(1, "需核实事项")]
        blocks += [Paragraph(f"{n}. {flag}") for n, flag in enumerate(d.flags, 1)]
    return Document(
        title=TITLE,
        subtitle=f"（{d.year}年度）",
        blocks=tuple(blocks),
        metadata={"项目编码": d.code},
    )


# Both parts of the form share 8 columns so they line up as one form:
# 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因
_WIDTHS = (1.3, 1.7, 2.3, 1.5, 1.4, 0.9, 1.5, 2.4)


def _head_table(d: SelfEvalTableData) -> Table:
    """Project, money block and 年度总体目标 (row spans are safe here: it stays on page 1)."""
    rows: list[tuple[Cell | str, ...]] = [
        (center("项目名称"), left(d.name, colspan=3), center("项目编码"), left(d.code, colspan=3)),
        (
            center("主管部门"), left(d.supervisor, colspan=3),
            center("实施单位"), left(d.department, colspan=3),
        ),
    ]  # fmt: skip
    rows += _money_rows(d)
    rows += [
        (center("年度总体目标", rowspan=2), center("预期目标", colspan=3),
         center("实际完成情况", colspan=4)),
        (left(d.expected or DASH, colspan=3), left(d.actual or DASH, colspan=4)),
    ]  # fmt: skip
    return Table(tuple(Column(w) for w in _WIDTHS), (), tuple(rows), font_size=9)


def _money_rows(d: SelfEvalTableData) -> list[tuple[Cell | str, ...]]:
    label = center("项目资金（万元）", rowspan=len(d.money) + 1)
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    rows: list[tuple[Cell | str, ...]] = [(label, center(""), *(center(h) for h in heads))]
    for n, m in enumerate(d.money):
        initial = money(m.initial) if m.initial is not None else DASH
        tail: tuple[str, ...] = (DASH, DASH, DASH)
        if n == 0:
            rate = percent(d.execution_rate)
            tail = (
                points(d.execution_points),
                rate,
                _scored(d.execution_score, d.execution_claimed),
            )
        rows.append((left(m.label), initial, money(m.budget), money(m.spent), *tail))
    return rows


def _indicator_table(d: SelfEvalTableData) -> Table:
    """The indicator grid, 一级/二级 merged as on the paper form (the engine splits merged
    cells at page breaks and names them again on the next page)."""
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施")  # fmt: skip
    rows = [
        (
            ind.level1,
            ind.level2,
            left(ind.name),
            ind.target,
            ind.actual,
            points(ind.points),
            _scored(ind.score, ind.claimed),
            left(ind.reason),
        )
        for ind in d.indicators
    ]
    columns = tuple(Column(w) for w in _WIDTHS)
    return Table(columns, (heads,), (*merge_repeats(rows, 2), _footer(d)), font_size=9)


def _scored(value: Decimal, claimed: Decimal | None) -> str:
    if claimed is None or claimed == value:
        return fmt(value)
    return f"{fmt(value)}\n自评{fmt(claimed)}"


def _footer(d: SelfEvalTableData) -> tuple[Cell | str, ...]:
    result = f"{fmt(d.total)}（{d.grade}）"
    if d.claimed_total is not None and d.claimed_total != d.total:
        claimed_grade = f"（{d.claimed_grade}）" if d.claimed_grade else ""
        result += f"；单位自评{fmt(d.claimed_total)}{claimed_grade}"
    return (
        center("总分", bold=True), center(points(d.total_points)),
        center("自评得分（按规则计算）", colspan=2, bold=True),
        Cell(result, colspan=4, align=Align.LEFT, bold=True),
    )  # fmt: skip


def _explanations(d: SelfEvalTableData) -> Table:
    rows: list[tuple[Cell | str, ...]] = [
        (left("预算执行率"), points(d.execution_points), fmt(d.execution_score),
         fmt(d.execution_claimed) if d.execution_claimed is not None else "",
         left(d.execution_explanation)),
    ]  # fmt: skip
    for ind in d.indicators:
        text = ind.explanation
        if ind.flags:
            text += "。" + "；".join(ind.flags)
        claimed = fmt(ind.claimed) if ind.claimed is not None else ""
        rows.append((left(ind.name), points(ind.points), fmt(ind.score), claimed, left(text)))
    claimed_total = fmt(d.claimed_total) if d.claimed_total is not None else ""
    total_text = left(d.total_explanation)
    rows.append(
        (left("合计", bold=True), points(d.total_points), fmt(d.total), claimed_total, total_text)
    )
    return Table(
        (Column(2.2), Column(0.8), Column(1.0), Column(1.0), Column(5.0, Align.LEFT)),
        (("指标", "分值", "按规则得分", "单位自评", "计分说明"),),
        tuple(rows),
        font_size=9,
    )
