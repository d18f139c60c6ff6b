"""复核底稿 (spot-check working paper) of one sampled project, docs/domain.md §7.

Page 1 (portrait) carries the project, money and conclusion; the indicator grid with the
13 working-paper columns follows on landscape pages (it is too wide for portrait).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Grade
from app.domain.review import inflation_finding
from app.domain.rules import RuleSet
from app.domain.scoring import score_execution
from app.reports import (
    Cell,
    Column,
    Document,
    Heading,
    Landscape,
    Paragraph,
    Table,
    format_date,
    merge_repeats,
)
from app.services.evaluation import evaluation_detail
from app.services.evaluation.inputs import parse_grade
from app.services.reports.evaluation_common import (
    DASH,
    center,
    left,
    money,
    percent,
    points,
    signed,
)
from app.services.reports.evaluation_common import score as fmt
from app.services.spotcheck import ReviewSheet, SheetRow, review_sheet
from app.storage.database import Database
from app.storage.models import FiscalYear, Review, SelfEvaluation, SpotCheckSample

TITLE = "绩效自评抽查复核工作底稿"
HEADERS = (
    "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "单位", "分值",
    "自评完成值", "自评得分", "复核完成值", "复核得分", "偏离", "备注",
)  # fmt: skip
_WIDTHS = (1.1, 1.3, 2.2, 0.8, 1.3, 0.9, 0.7, 1.3, 0.9, 1.3, 0.9, 0.9, 2.6)


@dataclass(frozen=True)
class PaperRow:
    cells: tuple[str, ...]  # the 13 columns, as printed


@dataclass(frozen=True)
class WorkingPaperData:
    year: int
    sheet: ReviewSheet
    self_grade: Grade
    execution_self: tuple[str, str]  # (执行率, 自评得分)
    execution_review: tuple[str, str]  # (复核执行率, 复核得分); blank before review
    rows: tuple[PaperRow, ...]
    finding: str  # 自评不实… or ""
    reviewed_on: dt.date | None
    execution_points: Decimal
    total_points: Decimal

    @property
    def reviewed(self) -> bool:
        return self.sheet.review_total is not None and bool(self.sheet.review_grade)


def working_paper_data(db: Database, sample_id: int, rules: RuleSet) -> WorkingPaperData:
    sheet = review_sheet(db, sample_id, rules)
    with db.session() as session:
        evaluation_id, year, reviewed_at = session.execute(
            select(SpotCheckSample.evaluation_id, FiscalYear.year, Review.reviewed_at)
            .join(SelfEvaluation, SpotCheckSample.evaluation_id == SelfEvaluation.id)
            .join(FiscalYear, SelfEvaluation.year_id == FiscalYear.id)
            .outerjoin(Review, Review.sample_id == SpotCheckSample.id)
            .where(SpotCheckSample.id == sample_id)
        ).one()
    own = evaluation_detail(db, evaluation_id, rules)
    self_grade = own.claimed_grade or rules.grade_for(sheet.self_total)
    review_grade = parse_grade(sheet.review_grade)
    finding = ""
    if sheet.review_total is not None and review_grade is not None:
        finding = inflation_finding(
            sheet.self_total, self_grade, sheet.review_total, review_grade, rules
        )
    claimed_exec = own.execution.claimed_score
    execution_self = (
        percent(own.execution.rate),
        fmt(claimed_exec if claimed_exec is not None else own.execution.score),
    )
    execution_review = ("", "")
    if sheet.status == "已复核":
        spent = sheet.reviewed_spent if sheet.reviewed_spent is not None else sheet.spent
        redone = score_execution(sheet.budget, spent, rules)
        execution_review = (percent(redone.rate), fmt(redone.score))
    rows = tuple(PaperRow(_cells(r, sheet.status == "已复核")) for r in sheet.rows)
    reviewed_on = reviewed_at.date() if reviewed_at else None
    return WorkingPaperData(
        year, sheet, self_grade, execution_self, execution_review, rows, finding, reviewed_on,
        rules.goals.execution_points, rules.goals.total_points,
    )  # fmt: skip


def _cells(r: SheetRow, reviewed: bool) -> tuple[str, ...]:
    self_score = r.self_score if r.self_score is not None else r.rule_score
    if r.reviewed_value is not None:
        reviewed_actual = points(r.reviewed_value)
    elif r.reviewed_band is not None:
        reviewed_actual = r.reviewed_band.value
    else:
        reviewed_actual = r.reviewed_text or (r.self_actual if reviewed else "")
    notes = [n for n in (r.deduction_reason, r.note.strip()) if n]
    if r.self_score is not None and r.self_score != r.rule_score:
        notes.append(f"按规则应得{fmt(r.rule_score)}")
    target = r.target if r.nature != "定性" else (r.target or "定性")
    return (
        r.level1, r.level2, r.name, r.nature, target, r.unit, points(r.points),
        r.self_actual, fmt(self_score), reviewed_actual, fmt(r.reviewed_score),
        signed(r.deviation), "；".join(notes),
    )  # fmt: skip


# ---------------------------------------------------------------- composition


def build_working_paper(db: Database, sample_id: int, rules: RuleSet) -> Document:
    return compose_working_paper(working_paper_data(db, sample_id, rules))


def compose_working_paper(d: WorkingPaperData) -> Document:
    s = d.sheet
    return Document(
        title=TITLE,
        subtitle=f"（{d.year}年度）",
        blocks=(
            _summary_table(d),
            Heading(1, "复核结论"),
            Paragraph(_conclusion(d)),
            *((Paragraph(f"复核意见：{s.opinion}"),) if s.opinion.strip() else ()),
            Paragraph(_signoff(d), indent=False),
            Landscape((_grid(d),)),
        ),
        metadata={"项目编码": s.project_code},
    )


def _summary_table(d: WorkingPaperData) -> Table:
    s = d.sheet
    review = f"{fmt(s.review_total)}（{s.review_grade}）" if d.reviewed else "尚未完成复核"
    spent = money(s.reviewed_spent) if s.reviewed_spent is not None else "同自评"
    rows: tuple[tuple[Cell | str, ...], ...] = (
        (center("项目名称"), left(s.name, colspan=3)),
        (center("项目编码"), left(s.project_code), center("所属股室"), left(s.section)),
        (center("实施单位"), left(s.department, colspan=3)),
        (center("全年预算数（万元）"), money(s.budget),
         center("全年执行数（万元）"), money(s.spent)),
        (center("复核执行数（万元）"), spent if d.reviewed else "", center("执行率"),
         d.execution_self[0]),
        (center("自评得分"), f"{fmt(s.self_total)}（{d.self_grade.value}）",
         center("按规则计算"), f"{fmt(s.computed_total)}（{s.computed_grade.value}）"),
        (center("复核得分"), review, center("偏离"),
         signed(s.review_total - s.self_total) if d.reviewed and s.review_total else ""),
        (center("年度总体目标"), left(s.overall_target or DASH, colspan=3)),
        (center("实际完成情况"), left(s.actual_outcome or DASH, colspan=3)),
    )  # fmt: skip
    columns = (Column(1.5), Column(1.6), Column(1.5), Column(1.6))
    return Table(columns, (), rows, font_size=10.5)


def _conclusion(d: WorkingPaperData) -> str:
    s = d.sheet
    if not d.reviewed:
        return "该项目尚未完成复核。"
    assert s.review_total is not None
    if d.finding:  # it names both scores and grades already: say them once
        return f"{d.finding}。"
    gap = signed(s.review_total - s.self_total)
    return (
        f"单位自评{fmt(s.self_total)}分，等级“{d.self_grade.value}”；经复核，得分"
        f"{fmt(s.review_total)}分，等级“{s.review_grade}”，偏离{gap}分。未发现自评不实。"
    )


def _signoff(d: WorkingPaperData) -> str:
    who = d.sheet.reviewer or "　" * 6
    when = format_date(d.reviewed_on) if d.reviewed_on else "　" * 8
    return f"复核人：{who}　　复核日期：{when}"


def _grid(d: WorkingPaperData) -> Table:
    s = d.sheet
    execution = (
        "预算执行", "", "预算执行率", "≥", "100", "%", points(d.execution_points),
        d.execution_self[0], d.execution_self[1], d.execution_review[0],
        d.execution_review[1], "", "",
    )  # fmt: skip
    body: list[tuple[Cell | str, ...]] = [execution]
    rows = [tuple(left(c) if i in (2, 12) else c for i, c in enumerate(r.cells)) for r in d.rows]
    body += merge_repeats(rows, 2)  # 一级/二级 merged; the engine splits them at page breaks
    total = (
        center("合计", colspan=6, bold=True), points(d.total_points), "", fmt(s.self_total), "",
        fmt(s.review_total), signed(s.review_total - s.self_total) if s.review_total else "", "",
    )  # fmt: skip
    body.append(total)
    return Table(
        tuple(Column(w) for w in _WIDTHS),
        (HEADERS,),
        tuple(body),
        font_size=9,
        caption=f"{s.name}（{s.project_code}）指标复核明细",
    )
