"""The steps of the yearly cycle, in navigation order, and the page that shows each.

A page is a QWidget that is a CyclePage. A page's module is imported and the page built
when it is first shown (app/ui/main_window_pages.py), and it loads its data when shown
after a change, so start-up stays fast; when a committed change touches a kind of object a
built page `shows`, the main window calls its `mark_stale`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the window's frame lists the pages before the database layer loads
    from app.storage.database import Database


@runtime_checkable
class CyclePage(Protocol):
    # The object kinds (app/storage/kinds.py) whose change makes what the page shows stale.
    shows: frozenset[str]

    def set_database(self, db: Database, year: int | None) -> None: ...

    def set_year(self, year: int | None) -> None: ...

    def mark_stale(self) -> None:
        """The data shown changed: reload now if on screen, else when next shown (nothing
        when what is shown was read after the last commit, `Database.change_count`)."""


@dataclass(frozen=True)
class PageEntry:
    name: str
    module: str  # imported when the page is first shown (start-up imports only the first)
    class_name: str

    def factory(self, db: Database) -> QWidget:
        page_class = getattr(importlib.import_module(self.module), self.class_name)
        page = page_class(db)
        assert isinstance(page, QWidget) and isinstance(page, CyclePage), self.name
        return page


def page_entries() -> list[PageEntry]:
    return [
        PageEntry("绩效目标", "app.ui.goals.page", "GoalsPage"),
        PageEntry("事前评估", "app.ui.assessment.page", "AssessmentPage"),
        PageEntry("绩效监控", "app.ui.monitoring.page", "MonitoringPage"),
        PageEntry("绩效自评", "app.ui.evaluation.page", "EvaluationPage"),
        PageEntry("抽查复核", "app.ui.spotcheck.page", "SpotCheckPage"),
        PageEntry("结果应用", "app.ui.results.page", "ResultsPage"),
        PageEntry("重点评价", "app.ui.key_evaluation.page", "KeyEvaluationPage"),
        PageEntry("整改", "app.ui.rectification.page", "RectificationPage"),
        PageEntry("公开", "app.ui.disclosure.page", "DisclosurePage"),
        PageEntry("报告", "app.ui.reports.page", "ReportsPage"),
        PageEntry("设置", "app.ui.settings.page", "SettingsPage"),
    ]
