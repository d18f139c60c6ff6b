"""Printed-form tables (the four national 绩效 forms) read from .xlsx, .xls and .docx."""

from .grid import Grid, GridCell, Where
from .model import BLANK, FormIndicator, FormKind, FormProblem, FormTable, Printed
from .recognise import recognise
from .sources import SUFFIXES, read_grids

__all__ = [
    "BLANK", "SUFFIXES", "FormIndicator", "FormKind", "FormProblem", "FormTable", "Grid",
    "GridCell", "Printed", "Where", "read_forms", "read_grids", "recognise",
]  # fmt: skip


def read_forms(path: str, year: int | None = None) -> list[FormTable]:
    """Every recognised form of a file, in order (sheets, then tables within them)."""
    return [table for grid in read_grids(path) for table in recognise(grid, year)]
