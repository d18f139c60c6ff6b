"""spreadsheet layer: sheets declared once (columns), read safely (reader), written (writer)."""

from .columns import Column, Kind, SheetSpec
from .reader import SheetData, SheetRow, WorkbookData, read_workbook
from .writer import SheetContent, write_workbook

__all__ = [
    "Column",
    "Kind",
    "SheetContent",
    "SheetData",
    "SheetRow",
    "SheetSpec",
    "WorkbookData",
    "read_workbook",
    "write_workbook",
]
