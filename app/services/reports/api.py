"""One entry point for every report: a request names the report (kinds.py lists them all),
`build_report` composes it from the database and `export_report` also renders it to .docx
or .pdf."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from app.domain.errors import UserError
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.reports import Document
from app.services.reports.annual_data import annual_report_data
from app.services.reports.annual_doc import annual_report_document
from app.services.reports.common import check_output_path, marked_if_demo, render
from app.services.reports.drafts import finish
from app.services.reports.kinds import KINDS, KindInfo, ReportKind, ReportRequest
from app.services.reports.templates import Templates
from app.services.reports.wording import templates_for_year
from app.storage.database import Database

__all__ = [
    "KINDS",
    "KindInfo",
    "ReportKind",
    "ReportRequest",
    "SampledProject",
    "build_report",
    "export_report",
    "sampled_projects",
]


@dataclass(frozen=True)
class _Context:
    db: Database
    request: ReportRequest
    rules: RuleSet
    progress: Progress
    templates: Templates | None
    today: dt.date | None


def build_report(
    db: Database,
    request: ReportRequest,
    rules: RuleSet,
    progress: Progress = NO_PROGRESS,
    templates: Templates | None = None,
    today: dt.date | None = None,
) -> Document:
    """Read the figures and compose the document (no file is written): a 草稿 when text is
    still to be filled in, refused (UserError) when `request.final` asks for a 定稿."""
    request.check()
    progress.step(0, 1, f"正在汇总{request.kind.label}…")
    today = request.date or today
    context = _Context(db, request, rules, progress, templates, today)
    document = _BUILDERS[request.kind](context)
    if request.doc_number.strip():
        document = replace(document, doc_number=request.doc_number.strip())
    document = finish(document, request.final)
    with db.session() as session:
        return marked_if_demo(session, document)


def export_report(
    db: Database,
    request: ReportRequest,
    path: Path,
    rules: RuleSet,
    progress: Progress = NO_PROGRESS,
    templates: Templates | None = None,
    today: dt.date | None = None,
) -> Path:
    """Build the report and write it to `path` (.docx or .pdf by extension), atomically."""
    check_output_path(path)
    document = build_report(db, request, rules, progress, templates, today)
    return render(document, path, progress)


# -- one builder per kind (imports are local: each pulls in its workflow's services) ------
def _goal_table(c: _Context) -> Document:
    from app.services.goals.report.data import goal_table_data
    from app.services.goals.report.doc import goal_table_document

    r = c.request
    return goal_table_document(goal_table_data(c.db, r.year, r.project_code, c.rules))


def _department_goal_table(c: _Context) -> Document:
    from app.services.goals.report.data import department_goal_table_data
    from app.services.goals.report.doc import goal_table_document

    r = c.request
    code = r.department_code or ""
    return goal_table_document(department_goal_table_data(c.db, r.year, code, c.rules))


def _goal_book(c: _Context) -> Document:
    from app.services.goals.report.data import goal_book_data
    from app.services.goals.report.doc import goal_book_document

    r = c.request
    book = goal_book_data(c.db, r.year, c.rules, r.department_code, r.approved_only)
    return goal_book_document(book, c.today)


def _annual(c: _Context) -> Document:
    data = annual_report_data(c.db, c.request.year, c.rules, c.progress, c.today)
    templates = c.templates or templates_for_year(c.db, c.request.year)
    return annual_report_document(data, templates, c.today)


def _preassessment(c: _Context) -> Document:
    from app.services.assessment.report import (
        preassessment_document,
        preassessment_report_data,
    )

    data = preassessment_report_data(c.db, c.request.year, c.rules)
    return preassessment_document(data, c.today)


def _monitoring_table(c: _Context) -> Document:
    from app.services.monitoring.report import build_monitoring_table

    r = c.request
    return build_monitoring_table(c.db, r.year, r.month or 0, r.project_code, c.rules)


def _monitoring(c: _Context) -> Document:
    from app.services.monitoring.report import build_monitoring_report

    r = c.request
    return build_monitoring_report(c.db, r.year, r.month or 0, c.rules, c.today)


def _selfeval_table(c: _Context) -> Document:
    from app.services.evaluation.report import build_selfeval_table

    return build_selfeval_table(c.db, c.request.year, c.request.project_code, c.rules)


def _working_paper(c: _Context) -> Document:
    from app.services.spotcheck.report.working_paper import build_working_paper

    sample_id = _sample_id(c.db, c.request.year, c.request.project_code, c.rules)
    return build_working_paper(c.db, sample_id, c.rules)


def _review_opinion(c: _Context) -> Document:
    from app.services.spotcheck.report.opinion import build_review_opinion

    r = c.request
    if r.project_code:
        sample_id = _sample_id(c.db, r.year, r.project_code, c.rules)
        return build_review_opinion(c.db, c.rules, sample_id=sample_id, date=c.today)
    department = r.department_code
    return build_review_opinion(c.db, c.rules, year=r.year, department=department, date=c.today)


def _review_summary(c: _Context) -> Document:
    from app.services.spotcheck.report.summary import build_review_summary

    return build_review_summary(c.db, c.request.year, c.rules, c.today)


def _results_list(c: _Context) -> Document:
    from app.services.results.report import build_results_list

    return build_results_list(c.db, c.request.year, c.request.department_code)


def _key_evaluation(c: _Context) -> Document:
    from app.services.key_evaluation.report import build_key_evaluation_report

    r = c.request
    return build_key_evaluation_report(c.db, r.year, r.evaluation_code, c.rules, c.today)


def _rectification(c: _Context) -> Document:
    from app.services.rectification.report import build_rectification_ledger

    r = c.request
    return build_rectification_ledger(c.db, r.year, r.department_code, c.today)


_BUILDERS: dict[ReportKind, Callable[[_Context], Document]] = {
    ReportKind.GOAL_TABLE: _goal_table,
    ReportKind.DEPARTMENT_GOAL_TABLE: _department_goal_table,
    ReportKind.GOAL_BOOK: _goal_book,
    ReportKind.PREASSESSMENT: _preassessment,
    ReportKind.MONITORING_TABLE: _monitoring_table,
    ReportKind.MONITORING: _monitoring,
    ReportKind.SELFEVAL_TABLE: _selfeval_table,
    ReportKind.WORKING_PAPER: _working_paper,
    ReportKind.REVIEW_OPINION: _review_opinion,
    ReportKind.REVIEW_SUMMARY: _review_summary,
    ReportKind.RESULTS_LIST: _results_list,
    ReportKind.KEY_EVALUATION: _key_evaluation,
    ReportKind.RECTIFICATION: _rectification,
    ReportKind.ANNUAL: _annual,
}


# -- the spot-check sample, for the working paper and the per-project opinion --------------
@dataclass(frozen=True)
class SampledProject:
    code: str
    name: str
    department: str
    reviewed: bool


def sampled_projects(db: Database, year: int, rules: RuleSet) -> list[SampledProject]:
    """The projects in the year's spot-check sample (empty when none was drawn)."""
    from app.services.spotcheck import review_list

    summary = review_list(db, year, rules)
    if summary is None:
        return []
    return [
        SampledProject(r.project_code, r.name, r.department, r.review_total is not None)
        for r in summary.rows
    ]


def _sample_id(db: Database, year: int, code: str, rules: RuleSet) -> int:
    from app.services.spotcheck import review_list

    summary = review_list(db, year, rules)
    if summary is None:
        raise UserError(f"{year}年尚未抽取复核样本，请先在“抽查复核”中抽取样本。")
    found = next((r.sample_id for r in summary.rows if r.project_code == code), None)
    if found is None:
        raise UserError(f"项目“{code}”不在{year}年的复核抽查样本中。")
    return found
