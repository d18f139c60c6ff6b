"""Reports engine: a renderer-neutral document model rendered to .docx and PDF.

Compose a `Document` from service results, then call `render_to_file(document, path)`.
Imports here stay light (no reportlab, python-docx or matplotlib until rendering).
"""

from app.reports.errors import Cancelled, ReportError
from app.reports.model import (
    Align,
    Block,
    Cell,
    Column,
    Cover,
    Document,
    Figure,
    Heading,
    Landscape,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Span,
    Table,
    format_date,
    merge_repeats,
)
from app.reports.progress import CancelCheck, ProgressCallback
from app.reports.render import SUPPORTED_SUFFIXES, render_to_file

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Align",
    "Block",
    "CancelCheck",
    "Cancelled",
    "Cell",
    "Column",
    "Cover",
    "Document",
    "Figure",
    "Heading",
    "Landscape",
    "PageBreak",
    "Paragraph",
    "ProgressCallback",
    "ReportError",
    "SignatureBlock",
    "Span",
    "Table",
    "format_date",
    "merge_repeats",
    "render_to_file",
]
