"""Reports composed from the database: data first (plain, tested exactly), then documents.

Each report has a data function reading the database and a composer turning that data
into an `app.reports.Document`; `build_report` / `export_report` do both for a request.
"""

from app.reports import Document  # the composed report, handed back to render()
from app.services.reports.api import (
    KINDS,
    KindInfo,
    ReportKind,
    ReportRequest,
    SampledProject,
    build_report,
    export_report,
    sampled_projects,
)
from app.services.reports.common import check_output_path, font_warnings, render, save_copy
from app.services.reports.drafts import draft_notes
from app.services.reports.kinds import Need
from app.services.reports.templates import Templates, ensure_user_template, template_path

__all__ = [
    "KINDS",
    "Document",
    "KindInfo",
    "Need",
    "ReportKind",
    "ReportRequest",
    "SampledProject",
    "Templates",
    "build_report",
    "check_output_path",
    "draft_notes",
    "ensure_user_template",
    "export_report",
    "font_warnings",
    "render",
    "sampled_projects",
    "save_copy",
    "template_path",
]
