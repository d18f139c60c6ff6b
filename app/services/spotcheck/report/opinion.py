"""审核意见: the bureau's short official opinion on one reviewed project, or on every reviewed
project of one department in the year's sample. Signed with settings ``county.bureau``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.reports import Block, Column, Document, Heading, Paragraph, SignatureBlock, Table
from app.services.reports.evaluation_common import bureau_name, signed, today
from app.services.reports.evaluation_common import score as fmt
from app.services.spotcheck import review_list
from app.services.spotcheck.report.findings import ProjectFindings, project_findings
from app.services.spotcheck.report.working_paper import working_paper_data
from app.storage.database import Database
from app.storage.models import Department, FiscalYear, SelfEvaluation, SpotCheckSample


@dataclass(frozen=True)
class OpinionData:
    year: int
    recipient: str  # the department
    bureau: str
    date: dt.date
    projects: tuple[ProjectFindings, ...]

    @property
    def corrections(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for p in self.projects for c in p.corrections))


def review_opinion_data(
    db: Database,
    rules: RuleSet,
    *,
    sample_id: int | None = None,
    year: int | None = None,
    department: str | None = None,
    date: dt.date | None = None,
) -> OpinionData:
    """One sampled project (``sample_id``), or a department's reviewed ones (year + code)."""
    if sample_id is not None:
        sample_ids, year_value = [sample_id], _year_of(db, sample_id)
    elif year is not None and department is not None:
        sample_ids, year_value = _department_samples(db, year, department, rules), year
    else:
        raise ValueError("give sample_id, or year and department")
    projects = tuple(project_findings(working_paper_data(db, i, rules)) for i in sample_ids)
    if not any(p.review_total is not None for p in projects):
        raise UserError("所选项目尚未完成复核，无法出具审核意见。")
    projects = tuple(p for p in projects if p.review_total is not None)
    with db.session() as session:
        bureau = bureau_name(session)
    return OpinionData(year_value, projects[0].department, bureau, date or today(), projects)


def _year_of(db: Database, sample_id: int) -> int:
    with db.session() as session:
        found = session.scalar(
            select(FiscalYear.year)
            .join(SelfEvaluation, SelfEvaluation.year_id == FiscalYear.id)
            .join(SpotCheckSample, SpotCheckSample.evaluation_id == SelfEvaluation.id)
            .where(SpotCheckSample.id == sample_id)
        )
    if found is None:
        raise UserError(f"未找到编号为 {sample_id} 的复核样本。")
    return found


def _department_samples(db: Database, year: int, code: str, rules: RuleSet) -> list[int]:
    with db.session() as session:
        name = session.scalar(select(Department.name).where(Department.code == code))
    if name is None:
        raise UserError(f"单位编码“{code}”不存在。")
    summary = review_list(db, year, rules)
    if summary is None:
        raise UserError(f"{year}年尚未抽取复核样本。")
    ids = [r.sample_id for r in summary.rows if r.department == name]
    if not ids:
        raise UserError(f"{year}年的复核样本中没有单位“{name}”的项目。")
    return ids


# ---------------------------------------------------------------- composition


def build_review_opinion(
    db: Database,
    rules: RuleSet,
    *,
    sample_id: int | None = None,
    year: int | None = None,
    department: str | None = None,
    date: dt.date | None = None,
) -> Document:
    data = review_opinion_data(
        db, rules, sample_id=sample_id, year=year, department=department, date=date
    )
    return compose_review_opinion(data)


def compose_review_opinion(d: OpinionData) -> Document:
    single = len(d.projects) == 1
    subject = f"“{d.projects[0].name}”项目" if single else f"{len(d.projects)}个项目"
    blocks: list[Block] = [
        Paragraph(
            f"根据预算绩效管理工作安排，我局对你单位报送的{d.year}年度{subject}绩效自评"
            "情况进行了抽查复核。现将审核意见反馈如下："
        ),
        Heading(1, "复核结果"),
    ]
    if single:
        blocks.append(Paragraph(_result_sentence(d.projects[0])))
    else:
        blocks.append(_results_table(d.projects))
        blocks += [Paragraph(f"{p.name}：{p.finding}。") for p in d.projects if p.inflated]
    blocks.append(Heading(1, "发现的问题"))
    for p in d.projects:
        if not single:
            blocks.append(Heading(2, f"{p.name}（{p.code}）"))
        blocks += _problem_paragraphs(p)
    blocks.append(Heading(1, "整改要求"))
    blocks += [Paragraph(f"{n}. {text}") for n, text in enumerate(d.corrections, 1)]
    blocks.append(Paragraph("请于收到本意见后15个工作日内将整改情况书面报送我局。"))
    return Document(
        title=f"关于{d.year}年度{subject}绩效自评抽查复核的审核意见",
        recipient=d.recipient,
        blocks=tuple(blocks),
        signature=SignatureBlock(d.bureau, d.date),
    )


def _result_sentence(p: ProjectFindings) -> str:
    assert p.review_total is not None
    text = (
        f"你单位自评得分{fmt(p.self_total)}分，等级为“{p.self_grade}”；经复核，得分"
        f"{fmt(p.review_total)}分，等级为“{p.review_grade}”，"
        f"偏离{signed(p.review_total - p.self_total)}分。"
    )
    return text + (f"经认定，该项目{p.finding}。" if p.inflated else "未发现自评不实。")


def _results_table(projects: tuple[ProjectFindings, ...]) -> Table:
    rows = tuple(
        (
            p.code,
            p.name,
            f"{fmt(p.self_total)}（{p.self_grade}）",
            f"{fmt(p.review_total)}（{p.review_grade}）",
            signed(p.review_total - p.self_total) if p.review_total is not None else "",
            "是" if p.inflated else "否",
        )
        for p in projects
    )
    columns = (Column(1.6), Column(3.0), Column(1.4), Column(1.4), Column(1.0), Column(0.9))
    heads = ("项目编码", "项目名称", "自评得分", "复核得分", "偏离", "自评不实")
    return Table(columns, (heads,), rows, font_size=10.5)


def _problem_paragraphs(p: ProjectFindings) -> list[Paragraph]:
    paragraphs = [
        Paragraph(f"{n}. “{name}”：{text}。") for n, (name, _, text) in enumerate(p.problems, 1)
    ] or [Paragraph("未发现明显问题。")]
    if p.opinion:
        paragraphs.append(Paragraph(f"复核意见：{p.opinion}"))
    return paragraphs
