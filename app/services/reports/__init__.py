"""Reports composed from the database: data first (plain, tested exactly), then documents.

Each report has a data function reading the database and a composer turning that data
into an `app.reports.Document`; `build_report` / `export_report` do both for a request.

The names below load on first use (PEP 562), so that reading the list of kinds — which the
command line does to build its parser for any command — does not import the report engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.reports import Document
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

_HOMES = {
    "Document": "app.reports",
    "KINDS": "app.services.reports.kinds",
    "KindInfo": "app.services.reports.kinds",
    "Need": "app.services.reports.kinds",
    "ReportKind": "app.services.reports.kinds",
    "ReportRequest": "app.services.reports.api",
    "SampledProject": "app.services.reports.api",
    "build_report": "app.services.reports.api",
    "export_report": "app.services.reports.api",
    "sampled_projects": "app.services.reports.api",
    "render": "app.services.reports.common",
    "check_output_path": "app.services.reports.common",
    "font_warnings": "app.services.reports.common",
    "draft_notes": "app.services.reports.drafts",
    "save_copy": "app.services.reports.common",
    "Templates": "app.services.reports.templates",
    "ensure_user_template": "app.services.reports.templates",
    "template_path": "app.services.reports.templates",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
