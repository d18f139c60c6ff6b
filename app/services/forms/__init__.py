"""Printed forms in: the four national 绩效 tables as departments and the provincial system
produce them (.xlsx, .xls, Word tables), matched to units and projects, saved through the
goals and self-evaluation writers. See importer.py for the rules of a file."""

from .goals import FROM_FORM
from .importer import form_files, import_form_file, import_forms
from .report import (
    IMPORTED,
    MISSING,
    RECEIVED,
    REFUSED,
    UNCHANGED,
    FileReport,
    TableReport,
    UnitStatus,
    unit_board,
)

__all__ = [
    "FROM_FORM", "IMPORTED", "MISSING", "RECEIVED", "REFUSED", "UNCHANGED", "FileReport",
    "TableReport", "UnitStatus", "form_files", "import_form_file", "import_forms", "unit_board",
]  # fmt: skip
