"""A scrollable column of page images of the exported PDF, fitted to the pane's width or
shown at 100 % (96 dpi: an A4 page is ~794 px wide, more than the pane at 1280×800)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.reports.pdf_pages import PdfPages

PREVIEW_DPI = 96  # 100 %
MAX_FIT_DPI = 200  # a very wide pane must not make huge images
PAGES_PER_BATCH = 20  # a 2,200-page book shows its first pages at once, more on request
COLUMN_MARGIN = 12
RESIZE_DELAY_MS = 150  # re-render once the clerk stops dragging the window edge


class PdfPreview(QWidget):
    """Shows the pages of a PdfPages, a batch at a time, fitted to the width by default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: PdfPages | None = None
        self._rendered_width = -1
        self.fit_button = QPushButton("适合宽度")
        self.actual_button = QPushButton("100%")
        self._zoom = QButtonGroup(self)
        for button in (self.fit_button, self.actual_button):
            button.setCheckable(True)
            self._zoom.addButton(button)
        self.fit_button.setChecked(True)
        self._zoom.buttonToggled.connect(self._on_zoom_toggled)
        self.scroll_area = QScrollArea()
        # Always on: a scroll bar appearing after rendering would narrow the pane again.
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._column = QWidget()
        self._column.setObjectName("preview_column")
        self._column.setStyleSheet("#preview_column { background: #808080; }")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(*(COLUMN_MARGIN,) * 4)
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
        self.scroll_area.setWidget(self._column)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.viewport().installEventFilter(self)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._on_resize_timer_timeout)
        self._build()

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示比例："))
        bar.addWidget(self.fit_button)
        bar.addWidget(self.actual_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

    @property
    def page_count(self) -> int:
        return len(self._pages) if self._pages is not None else 0

    @property
    def fit_width(self) -> bool:
        return self.fit_button.isChecked()

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

    # -- rendering -----------------------------------------------------------------------
    def _available_width(self) -> int:
        """Pixels a page may take in the pane: the viewport less the column's margins."""
        return max(1, self.scroll_area.viewport().width() - 2 * COLUMN_MARGIN)

    def _pixmap(self, index: int) -> QPixmap:
        pages = self._pages
        assert pages is not None
        dpi: float = PREVIEW_DPI
        if self.fit_width:
            # The label's box frame is drawn inside the pixmap's area: no extra width.
            dpi = min(MAX_FIT_DPI, self._available_width() * 72 / pages.width_pt(index))
        return QPixmap.fromImage(pages.image(index, dpi))

    def _set_pixmap(self, label: QLabel, index: int) -> None:
        pixmap = self._pixmap(index)
        label.setPixmap(pixmap)
        label.setFixedSize(pixmap.size())  # never cropped by the column's layout

    def _add_batch(self) -> None:
        pages = self._pages
        assert pages is not None
        self._rendered_width = self._available_width()
        start = len(self.page_labels)
        for index in range(start, min(start + PAGES_PER_BATCH, len(pages))):
            label = QLabel()
            self._set_pixmap(label, index)
            label.setFrameShape(QFrame.Shape.Box)
            label.setToolTip(f"第 {index + 1} 页")
            self._layout.insertWidget(
                self._layout.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter
            )
            self.page_labels.append(label)
        rest = len(pages) - len(self.page_labels)
        self.more_button.setText(f"再显示 {min(rest, PAGES_PER_BATCH)} 页（还有 {rest} 页）")
        self.more_button.setVisible(rest > 0)

    def _rerender(self) -> None:
        if self._pages is None:
            return
        self._rendered_width = self._available_width()
        for index, label in enumerate(self.page_labels):
            self._set_pixmap(label, index)

    # -- events --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport()
        if resized and self.fit_width and self._pages is not None:
            self._resize_timer.start()
        return super().eventFilter(watched, event)

    def _on_resize_timer_timeout(self) -> None:
        if self.fit_width and self._available_width() != self._rendered_width:
            self._rerender()

    def _on_zoom_toggled(self, _button: QPushButton, checked: bool) -> None:
        if checked:
            self._rerender()

    def _on_more_button_clicked(self) -> None:
        if self._pages is not None:
            self._add_batch()
