"""Reports composed from the database: data first (plain, tested exactly), then documents.

Each report has a data function reading the database and a composer turning that data
into an `app.reports.Document`; `build_report` / `export_report` do both for a request.
"""

from app.reports import Document  # the composed report, handed back to render()
from app.services.reports.api import ReportKind, ReportRequest, build_report, export_report
from app.services.reports.common import render, save_copy
from app.services.reports.templates import Templates, ensure_user_template, template_path

__all__ = [
    "Document",
    "ReportKind",
    "ReportRequest",
    "Templates",
    "build_report",
    "ensure_user_template",
    "export_report",
    "render",
    "save_copy",
    "template_path",
]
