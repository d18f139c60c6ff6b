"""One entry point: pick the renderer from the file extension."""

from __future__ import annotations

from pathlib import Path

from app.reports.errors import ReportError
from app.reports.model import Document
from app.reports.progress import CancelCheck, ProgressCallback

SUPPORTED_SUFFIXES = (".docx", ".pdf")


def render_to_file(
    document: Document,
    path: str | Path,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> Path:
    """Write `document` as .docx or .pdf (by extension), atomically; returns the path.

    Raises ReportError (Chinese `message`) for a locked or unwritable target and
    Cancelled when `cancel()` turns true; neither leaves a partial file behind.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    # Renderers import reportlab/python-docx lazily so the GUI starts without them.
    if suffix == ".pdf":
        from app.reports.pdf_renderer import render_pdf

        render_pdf(document, target, progress, cancel)
    elif suffix == ".docx":
        from app.reports.docx_renderer import render_docx

        render_docx(document, target, progress, cancel)
    else:
        raise ReportError(f"不支持的文件类型“{target.suffix}”：请保存为 .docx 或 .pdf 文件")
    return target
