"""A scrollable column of page images of the exported PDF."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.reports.pdf_pages import PdfPages

PREVIEW_DPI = 96
PAGES_PER_BATCH = 20  # a 2,200-page book shows its first pages at once, more on request


class PdfPreview(QScrollArea):
    """Shows the pages of a PdfPages, a batch at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: PdfPages | None = None
        self._column = QWidget()
        self._column.setObjectName("preview_column")
        self._column.setStyleSheet("#preview_column { background: #808080; }")
        self._layout = QVBoxLayout(self._column)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(12)
        self.more_button = QPushButton()
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.more_button.hide()
        self.empty_label = QLabel("选择报告后点击“预览”，这里显示将要导出和打印的页面。")
        self.empty_label.setStyleSheet("color: white; font-size: 11pt;")
        self._layout.addWidget(self.empty_label)
        self._layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        self.setWidget(self._column)
        self.setWidgetResizable(True)

    @property
    def page_count(self) -> int:
        return len(self._pages) if self._pages is not None else 0

    def show_pages(self, pages: PdfPages | None) -> None:
        self.clear()
        self._pages = pages
        self.empty_label.setVisible(pages is None)
        if pages is not None:
            self._add_batch()

    def clear(self) -> None:
        for label in self.page_labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        self._pages = None
        self.more_button.hide()
        self.empty_label.show()

    def _add_batch(self) -> None:
        pages = self._pages
        assert pages is not None
        start = len(self.page_labels)
        for index in range(start, min(start + PAGES_PER_BATCH, len(pages))):
            label = QLabel()
            pixmap = QPixmap.fromImage(pages.image(index, PREVIEW_DPI))
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())  # never cropped by the column's layout
            label.setFrameShape(QFrame.Shape.Box)
            label.setToolTip(f"第 {index + 1} 页")
            self._layout.insertWidget(
                self._layout.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter
            )
            self.page_labels.append(label)
        rest = len(pages) - len(self.page_labels)
        self.more_button.setText(f"再显示 {min(rest, PAGES_PER_BATCH)} 页（还有 {rest} 页）")
        self.more_button.setVisible(rest > 0)

    def _on_more_button_clicked(self) -> None:
        if self._pages is not None:
            self._add_batch()
