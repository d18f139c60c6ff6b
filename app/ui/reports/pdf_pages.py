"""The exported PDF's pages as images, for the preview and for printing.

QtPdf is not in pyside6-essentials, so pages are rasterised with pypdfium2 (PDFium). The
preview and the printout are pictures of the very file that is exported: what the clerk
sees is what goes to the printer and to the 人大.
PDFium must not be used from two threads at once: only the GUI thread calls this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtPrintSupport import QPrinter

from app.domain.errors import UserError

PRINT_DPI_MAX = 300  # enough for 5号 text; higher only makes the spool file huge


class PdfPages:
    """An open PDF whose pages can be rendered to QImages at any resolution."""

    def __init__(self, path: Path) -> None:
        try:
            self._pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise UserError(f"无法打开生成的 PDF 文件：{path}（{exc}）") from exc
        self.path = path

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._pdf.close()

    def width_pt(self, index: int) -> float:
        """Page `index`'s width in points (595 for A4 portrait, 842 landscape)."""
        width, _ = self._pdf.get_page_size(index)
        return float(width)

    def image(self, index: int, dpi: float) -> QImage:
        """Page `index` (from 0) as an RGB image; landscape pages stay landscape."""
        page = self._pdf[index]
        try:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB byte order
            data = bytes(bitmap.buffer)
            image = QImage(
                data, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
            )
            return image.copy()  # own the pixels: `data` goes away with this frame
        finally:
            page.close()


def print_pages(
    pages: PdfPages,
    printer: QPrinter,
    first: int = 1,
    last: int | None = None,
    step: Callable[[int, int], bool] | None = None,
) -> int:
    """Paint pages `first`..`last` (1-based) on the printer; returns how many were printed.

    Each page fills the printable area keeping its proportions; a landscape page is turned
    onto portrait paper, as a printed landscape table is. `step(done, total)` may return
    False to stop (the pages painted so far still print).
    """
    last = min(last or len(pages), len(pages))
    dpi = min(printer.resolution(), PRINT_DPI_MAX)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("无法开始打印：请检查打印机是否可用")
    printed = 0
    try:
        for number in range(first, last + 1):
            if step is not None and not step(number - first, last - first + 1):
                break
            if printed:
                printer.newPage()
            _paint(painter, pages.image(number - 1, dpi))
            printed += 1
    finally:
        painter.end()
    return printed


def _paint(painter: QPainter, image: QImage) -> None:
    area = QRectF(painter.viewport())
    portrait_paper = area.height() >= area.width()
    if (image.width() > image.height()) == portrait_paper:
        image = image.transformed(
            QTransform().rotate(90), Qt.TransformationMode.SmoothTransformation
        )
    scale = min(area.width() / image.width(), area.height() / image.height())
    w, h = image.width() * scale, image.height() * scale
    target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
    painter.drawImage(target, image)
