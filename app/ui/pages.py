"""The steps of the yearly cycle, in navigation order, and the page that shows each.

A page is a QWidget that is a CyclePage. Pages load their data lazily (when first shown
after a change) so start-up stays fast; when a committed change touches a kind of object a
page `shows`, the main window calls its `mark_stale`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget

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
    factory: Callable[[Database], QWidget]


def page_entries() -> list[PageEntry]:
    # Imported here so that importing this module stays cheap.
    from app.ui.assessment.page import AssessmentPage
    from app.ui.disclosure.page import DisclosurePage
    from app.ui.evaluation.page import EvaluationPage
    from app.ui.goals.page import GoalsPage
    from app.ui.key_evaluation.page import KeyEvaluationPage
    from app.ui.monitoring.page import MonitoringPage
    from app.ui.rectification.page import RectificationPage
    from app.ui.reports.page import ReportsPage
    from app.ui.results.page import ResultsPage
    from app.ui.settings.page import SettingsPage
    from app.ui.spotcheck.page import SpotCheckPage

    return [
        PageEntry("绩效目标", GoalsPage),
        PageEntry("事前评估", AssessmentPage),
        PageEntry("绩效监控", MonitoringPage),
        PageEntry("绩效自评", EvaluationPage),
        PageEntry("抽查复核", SpotCheckPage),
        PageEntry("结果应用", ResultsPage),
        PageEntry("重点评价", KeyEvaluationPage),
        PageEntry("整改", RectificationPage),
        PageEntry("公开", DisclosurePage),
        PageEntry("报告", ReportsPage),
        PageEntry("设置", SettingsPage),
    ]
