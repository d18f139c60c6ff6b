"""One entry point for every report: a request names the report, `build_report` composes
it from the database and `export_report` also renders it to .docx or .pdf."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.reports import Document
from app.services.reports.annual_data import annual_report_data
from app.services.reports.annual_doc import annual_report_document
from app.services.reports.common import check_output_path, render
from app.services.reports.goal_data import (
    department_goal_table_data,
    goal_book_data,
    goal_table_data,
)
from app.services.reports.goal_doc import goal_book_document, goal_table_document
from app.services.reports.templates import Templates
from app.storage.database import Database


class ReportKind(StrEnum):
    GOAL_TABLE = "goal-table"
    DEPARTMENT_GOAL_TABLE = "department-goal-table"
    GOAL_BOOK = "goal-book"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ReportKind.GOAL_TABLE: "项目支出绩效目标表",
    ReportKind.DEPARTMENT_GOAL_TABLE: "部门整体支出绩效目标表",
    ReportKind.GOAL_BOOK: "项目支出绩效目标汇编",
    ReportKind.ANNUAL: "预算绩效管理工作情况报告",
}


@dataclass(frozen=True)
class ReportRequest:
    """What to build. `project_code` for a goal table, `department_code` for a unit's
    goal table or book (None: the whole year's book)."""

    kind: ReportKind
    year: int
    project_code: str = ""
    department_code: str | None = None
    approved_only: bool = False

    def file_stem(self) -> str:
        """A file name a clerk recognises, e.g. 2025年项目支出绩效目标表_219001001."""
        scope = self.project_code if self.kind is ReportKind.GOAL_TABLE else self.department_code
        return f"{self.year}年{self.kind.label}" + (f"_{scope}" if scope else "")


def build_report(
    db: Database,
    request: ReportRequest,
    rules: RuleSet,
    progress: Progress = NO_PROGRESS,
    templates: Templates | None = None,
    today: dt.date | None = None,
) -> Document:
    """Read the figures and compose the document (no file is written)."""
    year = request.year
    if request.kind is ReportKind.GOAL_TABLE:
        return goal_table_document(goal_table_data(db, year, request.project_code, rules))
    if request.kind is ReportKind.DEPARTMENT_GOAL_TABLE:
        code = request.department_code or ""
        return goal_table_document(department_goal_table_data(db, year, code, rules))
    if request.kind is ReportKind.GOAL_BOOK:
        progress.step(0, 1, "正在读取绩效目标…")
        book = goal_book_data(db, year, rules, request.department_code, request.approved_only)
        return goal_book_document(book, today)
    data = annual_report_data(db, year, rules, progress)
    return annual_report_document(data, templates or Templates.load(), today)


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
