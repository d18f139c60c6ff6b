"""Monitoring reports: 项目支出绩效运行监控表 per project, 绩效监控情况报告 per round.

Data first (tested exactly), then a renderer-neutral app.reports Document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.domain.rules import RuleSet
from app.reports import CancelCheck, Document, ProgressCallback, render_to_file
from app.services.monitoring.report.data import (
    Execution,
    LaggingProject,
    MonitoringReportData,
    MonitoringTableData,
    monitoring_report_data,
    monitoring_table_data,
)
from app.services.monitoring.report.round_report import compose_monitoring_report
from app.services.monitoring.report.table import compose_monitoring_table
from app.storage.database import Database


def build_monitoring_table(
    db: Database, year: int, month: int, project_code: str, rules: RuleSet
) -> Document:
    """The 项目支出绩效运行监控表 of one project in a round."""
    return compose_monitoring_table(monitoring_table_data(db, year, month, project_code, rules))


def build_monitoring_report(
    db: Database, year: int, month: int, rules: RuleSet, date: dt.date | None = None
) -> Document:
    """The round's 绩效监控情况报告, dated `date` (default: today)."""
    data = monitoring_report_data(db, year, month, rules)
    return compose_monitoring_report(data, date or dt.date.today())


def write_monitoring_table(
    db: Database,
    year: int,
    month: int,
    project_code: str,
    rules: RuleSet,
    path: str | Path,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> Path:
    """Build and render the 监控表 to .docx or .pdf (by extension); returns the path."""
    document = build_monitoring_table(db, year, month, project_code, rules)
    return render_to_file(document, path, progress, cancel)


def write_monitoring_report(
    db: Database,
    year: int,
    month: int,
    rules: RuleSet,
    path: str | Path,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> Path:
    """Build and render the 绩效监控情况报告 to .docx or .pdf; returns the path."""
    return render_to_file(build_monitoring_report(db, year, month, rules), path, progress, cancel)


__all__ = [
    "Execution",
    "LaggingProject",
    "MonitoringReportData",
    "MonitoringTableData",
    "build_monitoring_report",
    "build_monitoring_table",
    "monitoring_report_data",
    "monitoring_table_data",
    "write_monitoring_report",
    "write_monitoring_table",
]
