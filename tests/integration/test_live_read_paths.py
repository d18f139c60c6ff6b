"""Moving a project to the 回收站 takes it out of every read path; restoring it brings it back.

One demo county (both years, with a drawn spot-check sample and result proposals); each
read path is a function of the database returning what it shows as plain text. For each:
pick a project the output shows, bin it, and the output no longer names it (a report of
that one project refuses instead) and differs; restore it, and the output is exactly as
before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import Enum
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.assessment.records import assessment_candidates, assessment_summary
from app.services.common.catalog import project_rows
from app.services.common.info import database_info
from app.services.common.recycle_bin import delete_project, restore_item
from app.services.demo import build_demo
from app.services.evaluation.scores import score_year
from app.services.evaluation.workbook.export import export_selfeval
from app.services.goals.queue import goal_queue
from app.services.goals.workbook.export import export_goals
from app.services.library.history.checks import year_findings
from app.services.monitoring.dashboard import dashboard
from app.services.monitoring.rounds import list_rounds
from app.services.monitoring.views import round_rows
from app.services.monitoring.workbook.service import export_monitoring_workbook
from app.services.reports.api import build_report
from app.services.reports.kinds import ReportKind, ReportRequest
from app.services.results.records import propose_results, results_by_department
from app.services.results.workbook import export_results
from app.services.spotcheck import (
    ReviewEdit,
    draw_sample,
    review_list,
    sample_summary,
    save_review,
)
from app.storage.database import Database, open_database
from app.storage.models import Project, SelfEvaluation, SpotCheckSample

YEAR = 2024  # the demo's finished year: self-evaluations, sample, results
TODAY = dt.date(2025, 6, 30)


@dataclasses.dataclass(frozen=True)
class County:
    db: Database
    rules: RuleSet
    folder: Path
    month: int  # a monitoring round of YEAR
    sampled: tuple[str, ...]  # project codes in the spot-check sample
    reviewed: set[str]  # sampled projects reviewed so far (see _review_opinion)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, rules: RuleSet) -> Iterator[County]:
    folder = tmp_path_factory.mktemp("live")
    db = open_database(folder / "demo.sqlite3")
    build_demo(db, year=YEAR + 1, seed=3, scale=0.05)
    sample = draw_sample(db, YEAR, rules, seed=12345)
    propose_results(db, YEAR, rules)
    month = list_rounds(db, YEAR)[-1].month
    codes = tuple(c for s in sample.sections for c in s.project_codes)
    yield County(db, rules, folder, month, codes, set())
    db.close()


def _text(value: object) -> str:
    """Every string and number in a result (dataclasses, lists, documents), in order."""
    return "\n".join(_strings(value))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | Decimal | float | dt.date) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, Enum):
        yield str(value.value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name.endswith("id") or f.name in {"drawn_at", "opened_at", "closed_at"}:
                continue  # row ids and clock times are not what a person reads
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        for item in items:
            yield from _strings(item)


def _cells(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v
        )
    finally:
        book.close()


def _report(kind: ReportKind, project: bool = False, month: bool = False) -> Callable:
    def read(c: County, code: str) -> str:
        request = ReportRequest(
            kind, YEAR, project_code=code if project else "", month=c.month if month else None
        )
        return _text(build_report(c.db, request, c.rules, today=TODAY))

    read.per_project = project  # type: ignore[attr-defined]
    return read


def _review_opinion(c: County, code: str) -> str:
    """The opinion needs a finished review: review the project once (after the redraw,
    which a started review would refuse)."""
    if code not in c.reviewed:
        with c.db.session() as s:
            sample_id = s.scalar(
                select(SpotCheckSample.id)
                .join(SelfEvaluation, SpotCheckSample.evaluation_id == SelfEvaluation.id)
                .join(Project, SelfEvaluation.project_id == Project.id)
                .where(Project.code == code)
            )
        save_review(c.db, sample_id, ReviewEdit(), c.rules)
        c.reviewed.add(code)
    return _report(ReportKind.REVIEW_OPINION, project=True)(c, code)


_review_opinion.per_project = True  # type: ignore[attr-defined]


def _export(write: Callable[[County, Path], object]) -> Callable:
    def read(c: County, _code: str) -> str:
        path = c.folder / "export.xlsx"
        write(c, path)
        return _cells(path)

    return read


READ_PATHS: dict[str, Callable[[County, str], str]] = {
    "score": lambda c, _: _text(score_year(c.db, YEAR, c.rules)),
    "sample listing": lambda c, _: _text(sample_summary(c.db, YEAR)),
    "review list": lambda c, _: _text(review_list(c.db, YEAR, c.rules)),
    "redraw": lambda c, _: _text(
        draw_sample(c.db, YEAR, c.rules, ratio=Decimal(1), seed=7, replace=True)
    ),
    "monitoring rows and lamps": lambda c, _: _text(round_rows(c.db, YEAR, c.month, c.rules)),
    "monitoring dashboard": lambda c, _: _text(dashboard(c.db, YEAR, c.rules)),
    "results": lambda c, _: _text(results_by_department(c.db, YEAR)),
    "result proposals": lambda c, _: _text(propose_results(c.db, YEAR, c.rules)),
    "ex-ante candidates": lambda c, _: _text(assessment_candidates(c.db, YEAR + 1, c.rules)),
    "ex-ante summary": lambda c, _: _text(assessment_summary(c.db, YEAR + 1)),
    "project list": lambda c, _: _text(project_rows(c.db, YEAR)),
    "database counts": lambda c, _: _text(database_info(c.db).years),
    "goals queue": lambda c, _: _text(goal_queue(c.db, YEAR)),
    "goals check findings": lambda c, _: _text(year_findings(c.db, YEAR, c.rules)),
    # (a key evaluation's report is of one evaluation, not a read path over projects)
    **{f"report {k.value}": _report(k) for k in ReportKind if not k.info.needs_project
       and not k.info.needs_department and not k.info.month and not k.info.evaluation},
    "report monitoring": _report(ReportKind.MONITORING, month=True),
    "report goal-table": _report(ReportKind.GOAL_TABLE, project=True),
    "report monitoring-table": _report(ReportKind.MONITORING_TABLE, project=True, month=True),
    "report selfeval-table": _report(ReportKind.SELFEVAL_TABLE, project=True),
    "report working-paper": _report(ReportKind.WORKING_PAPER, project=True),
    "report review-opinion": _review_opinion,
    "export goals": _export(lambda c, p: export_goals(c.db, p, YEAR)),
    "export monitoring": _export(
        lambda c, p: export_monitoring_workbook(c.db, YEAR, c.month, p, c.rules)
    ),
    "export self-evaluations": _export(lambda c, p: export_selfeval(c.db, YEAR, p)),
    "export results": _export(lambda c, p: export_results(c.db, YEAR, p)),
}  # fmt: skip


def _project(db: Database, code: str, year: int) -> int:
    with db.session() as s:
        return s.scalar(
            select(Project.id)
            .join(Project.year)
            .where(Project.code == code, Project.year.has(year=year))
        )


def _codes(db: Database, year: int) -> list[str]:
    return [r.code for r in project_rows(db, year)]


def _assessed(c: County) -> str:
    rows = assessment_candidates(c.db, YEAR + 1, c.rules)
    return next(r.project_code for r in rows if r.conclusion is not None)


# Paths that show only totals: the project to bin is one they count.
COUNTED = {"ex-ante summary": _assessed}


@pytest.mark.parametrize("name", list(READ_PATHS))
def test_a_binned_project_leaves_every_read_path(county: County, name: str) -> None:
    read = READ_PATHS[name]
    year = YEAR + 1 if name.startswith("ex-ante") else YEAR
    candidates = [*county.sampled, *_codes(county.db, year)]
    per_project = getattr(read, "per_project", False)
    code = county.sampled[0]
    before = read(county, code)
    if name in COUNTED:
        code = COUNTED[name](county)
    elif not per_project:
        code = next((c for c in candidates if c in before), county.sampled[0])
    project_id = _project(county.db, code, year)

    delete_project(county.db, project_id)
    try:
        if per_project:
            with pytest.raises(UserError):
                read(county, code)
        else:
            binned = read(county, code)
            assert code not in binned
            assert binned != before
    finally:
        restore_item(county.db, "project", project_id)
    assert read(county, code) == before
