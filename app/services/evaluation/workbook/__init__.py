"""The self-evaluation workbook (绩效自评表): export pre-filled from approved goals, import.

Sheets are declared in app/spreadsheet/selfeval_sheets.py; the import rules (what blocks,
what is only a reminder) are listed in checks.py.
"""

from app.services.evaluation.workbook.export import SelfEvalExport, export_selfeval
from app.services.evaluation.workbook.importer import SelfEvalImport, import_selfeval

__all__ = ["SelfEvalExport", "SelfEvalImport", "export_selfeval", "import_selfeval"]
