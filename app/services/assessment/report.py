"""The ex-ante summary table (事前绩效评估汇总表) as Word or PDF.

The data is built first and tested exactly (`preassessment_report_data`), then composed into
a renderer-neutral Document and rendered through app.reports. The data holds every project
that triggers an assessment; the document lists only the assessed ones (送审/审定/审减) —
exempt and pending projects are one sentence of counts, which also closes the body so the
signature never stands alone on the last page. The totals are those of assessment_summary.
新出台重大政策 assessed that year follow in a table of their own, with their own totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.domain.money import format_percent
from app.domain.numbers import wan_printed
from app.domain.pre_assessment import AssessmentSummary
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.reports import (
    Align,
    Cell,
    Column,
    Document,
    Paragraph,
    SignatureBlock,
    Table,
    render_to_file,
)
from app.services.assessment.policies import PolicyRow, list_policies, policy_summary
from app.services.assessment.records import assessment_candidates, assessment_summary
from app.services.setup.county import read_names
from app.storage.database import Database
from app.storage.models import PreAssessment

NOT_ASSESSED = "未评估"


@dataclass(frozen=True)
class SummaryRow:
    department: str
    project_code: str
    project_name: str
    reasons: str
    requested: Decimal | None  # 元; None when not assessed
    approved: Decimal | None
    conclusion: str  # 予以支持 / 部分支持 / 不予支持 / 免评 / 未评估
    assessed_on: dt.date | None

    @property
    def cut(self) -> Decimal | None:
        if self.requested is None:
            return None
        return self.requested - (self.approved or Decimal(0))


@dataclass(frozen=True)
class PreassessmentReport:
    year: int
    bureau: str
    rows: tuple[SummaryRow, ...]
    summary: AssessmentSummary
    required: int  # projects needing an assessment (not exempt)
    exempt: int
    pending: int  # required but without a conclusion
    policies: tuple[PolicyRow, ...] = ()  # 新出台重大政策 assessed this year


def preassessment_report_data(db: Database, year: int, rules: RuleSet) -> PreassessmentReport:
    candidates = assessment_candidates(db, year, rules)
    ids = [c.project_id for c in candidates]
    with db.session() as session:
        records = {
            a.project_id: a
            for a in session.scalars(select(PreAssessment).where(PreAssessment.project_id.in_(ids)))
        }
        bureau = read_names(session).bureau
    rows = []
    for c in candidates:
        requested: Decimal | None
        approved: Decimal | None
        record = records.get(c.project_id)
        if record is not None and record.conclusion:
            conclusion, requested, approved = (
                record.conclusion,
                record.requested_amount,
                (record.approved_amount),
            )
        else:
            conclusion = "免评" if c.exempt else NOT_ASSESSED
            requested = approved = None
        reasons = "；".join(c.reasons) + (f"。{c.exemption_text}" if c.exempt else "")
        rows.append(
            SummaryRow(
                c.department_name,
                c.project_code,
                c.project_name,
                reasons,
                requested,
                approved,
                conclusion,
                record.assessed_on if record is not None else None,
            )
        )
    # Assessed projects first, then exempt ones, then those still waiting.
    order = {NOT_ASSESSED: 2, "免评": 1}
    rows.sort(key=lambda r: order.get(r.conclusion, 0))
    required = sum(1 for c in candidates if c.required)
    pending = sum(1 for c in candidates if c.required and c.conclusion is None)
    exempt = sum(1 for c in candidates if c.exempt)
    summary = assessment_summary(db, year)
    policies = tuple(list_policies(db, year))
    return PreassessmentReport(
        year, bureau, tuple(rows), summary, required, exempt, pending, policies
    )


def _wan(yuan: Decimal | None) -> str:
    return "" if yuan is None else wan_printed(yuan)


def _rate(row: SummaryRow) -> str:
    if row.requested is None or not row.requested:
        return ""
    return format_percent((row.cut or Decimal(0)) / row.requested)


COLUMNS = (
    Column(0.8),
    Column(2.0, Align.LEFT),
    Column(3.1, Align.LEFT),
    Column(1.4, Align.RIGHT),
    Column(1.4, Align.RIGHT),
    Column(1.4, Align.RIGHT),
    Column(1.1, Align.RIGHT),
    Column(1.5),
)
HEADER = ("序号", "单位", "项目名称", "送审金额", "审定金额", "审减金额", "审减率", "评估结论")


def assessed_rows(data: PreassessmentReport) -> tuple[SummaryRow, ...]:
    return tuple(r for r in data.rows if r.requested is not None)


def _table(data: PreassessmentReport) -> Table:
    return _amount_table(HEADER, assessed_rows(data), data.summary)


def _amount_table(
    header: tuple[str, ...], rows: tuple[SummaryRow, ...], s: AssessmentSummary
) -> Table:
    body = [
        (
            str(n),
            r.department,
            r.project_name,
            _wan(r.requested),
            _wan(r.approved),
            _wan(r.cut),
            _rate(r),
            r.conclusion,
        )
        for n, r in enumerate(rows, start=1)
    ]
    rate = format_percent(s.cut_rate) if s.cut_rate is not None else ""
    total = (
        Cell("合计", colspan=3, bold=True),
        Cell(_wan(s.submitted), bold=True),
        Cell(_wan(s.approved), bold=True),
        Cell(_wan(s.cut), bold=True),
        Cell(rate, bold=True),
        Cell(f"{s.count}个", bold=True),
    )
    return Table(COLUMNS, (header,), (*body, total), font_size=9, unit="单位：万元")


def _policy_blocks(data: PreassessmentReport) -> tuple[Paragraph | Table, ...]:
    """The year's policy assessments: a sentence of totals and their table (none: nothing)."""
    if not data.policies:
        return ()
    s = policy_summary(list(data.policies))
    rate = format_percent(s.cut_rate) if s.cut_rate is not None else "—"
    text = (
        f"新出台重大政策事前绩效评估{s.count}项，送审金额{_wan(s.submitted)}万元，"
        f"审定金额{_wan(s.approved)}万元，审减金额{_wan(s.cut)}万元，审减率{rate}。明细如下："
    )
    rows = tuple(
        SummaryRow(
            p.department_name,
            "",
            p.name,
            "",
            p.data.requested,
            p.data.approved or Decimal(0),
            p.data.conclusion.value,
            p.data.assessed_on,
        )
        for p in data.policies
    )
    return (Paragraph(text), _amount_table(("序号", "单位", "政策名称", *HEADER[3:]), rows, s))


def counts_sentence(data: PreassessmentReport) -> str:
    """The one sentence standing for every project not listed in the table."""
    return (
        f"{data.year}年度共有{len(data.rows)}个项目达到事前绩效评估条件，其中已完成评估"
        f"{data.summary.count}个（见上表），免于评估{data.exempt}个，尚未完成评估"
        f"{data.pending}个，后两类未列入上表。"
    )


def preassessment_document(data: PreassessmentReport, today: dt.date | None = None) -> Document:
    s = data.summary
    rate = format_percent(s.cut_rate) if s.cut_rate is not None else "—"
    intro = (
        f"{data.year}年度已完成事前绩效评估{s.count}个项目，送审金额{_wan(s.submitted)}万元，"
        f"审定金额{_wan(s.approved)}万元，审减金额{_wan(s.cut)}万元，审减率{rate}。明细如下："
    )
    # Portrait on purpose: a landscape section ends with a page break, which would leave
    # the signature alone on a last page; the closing paragraph keeps it company.
    return Document(
        title=f"{data.year}年度事前绩效评估汇总表",
        blocks=(
            Paragraph(intro),
            _table(data),
            *_policy_blocks(data),
            Paragraph(counts_sentence(data)),
        ),
        signature=SignatureBlock(data.bureau, today or dt.date.today()),
        metadata={"subject": "事前绩效评估"},
    )


def export_preassessment_summary(
    db: Database,
    year: int,
    rules: RuleSet,
    path: str | Path,
    progress: Progress = NO_PROGRESS,
) -> Path:
    """Write the summary table as .docx or .pdf (by extension); ReportError when it can't."""
    progress.step(0, 1, "正在汇总事前绩效评估")
    document = preassessment_document(preassessment_report_data(db, year, rules))
    return render_to_file(document, path, progress.step, progress.is_cancelled)
