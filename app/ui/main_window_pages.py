"""The main window's pages, each imported and built the first time it is shown.

Until then its place in the stack holds a light placeholder, so the window paints after
building one page (绩效目标) instead of eleven (~0.9 s of imports and widgets). A page built
later starts from the database and year on screen (`set_database`), so it needs no
`mark_stale` for what changed before it existed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from app.ui.pages import CyclePage, PageEntry

if TYPE_CHECKING:
    from app.storage.database import Database


class PageBook(Mapping[str, QWidget]):
    """name → page, building the page on first access; `built()` lists the built ones.

    `setup(name, page)` wires a new page to the window (its signals) and gives it the
    database and year, once it is in the stack and before it is shown."""

    def __init__(
        self,
        stack: QStackedWidget,
        entries: list[PageEntry],
        db: Callable[[], Database],
        setup: Callable[[str, QWidget], None],
    ) -> None:
        self._stack = stack
        self._entries = {e.name: e for e in entries}
        self._db = db
        self._setup = setup
        self._pages: dict[str, QWidget] = {}
        for entry in entries:
            placeholder = QLabel("正在打开…")
            # Centred by style sheet: Qt's namespace (15 ms to load) waits for the first paint.
            placeholder.setStyleSheet("qproperty-alignment: AlignCenter;")
            placeholder.setObjectName(f"placeholder:{entry.name}")
            stack.addWidget(placeholder)

    def __getitem__(self, name: str) -> QWidget:
        page = self._pages.get(name)
        if page is None:
            page = self._build(name)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def is_built(self, name: str) -> bool:
        return name in self._pages

    def built(self) -> list[CyclePage]:
        return [p for p in self._pages.values() if isinstance(p, CyclePage)]

    def show_row(self, row: int) -> QWidget:
        """Make the page at navigation row `row` current (building it first)."""
        page = self[list(self._entries)[row]]
        self._stack.setCurrentWidget(page)
        return page

    def _build(self, name: str) -> QWidget:
        index = list(self._entries).index(name)
        page = self._entries[name].factory(self._db())
        self._pages[name] = page
        placeholder = self._stack.widget(index)
        assert placeholder is not None
        was_current = self._stack.currentIndex() == index
        self._stack.insertWidget(index, page)
        self._stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._setup(name, page)
        if was_current:
            self._stack.setCurrentWidget(page)
        return page
