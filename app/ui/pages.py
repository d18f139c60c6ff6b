"""The steps of the yearly cycle, in navigation order, and the page that shows each.

A page is a QWidget with `set_database(db, year)` and `set_year(year)`. Pages load their
data lazily (when first shown after a change) so start-up stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.storage.database import Database


class CyclePage(Protocol):
    def set_database(self, db: Database, year: int | None) -> None: ...

    def set_year(self, year: int | None) -> None: ...


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
