"""The monitoring workbook (绩效运行监控表): export per department or for all, import back."""

from app.services.monitoring.workbook.service import (
    ExportSummary,
    ImportSummary,
    export_monitoring_workbook,
    import_monitoring_workbook,
)

__all__ = [
    "ExportSummary",
    "ImportSummary",
    "export_monitoring_workbook",
    "import_monitoring_workbook",
]
