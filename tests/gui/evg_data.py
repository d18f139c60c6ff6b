"""A county with a year of self-evaluations for the 绩效自评 / 抽查复核 / 结果应用 pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtWidgets import QWidget

from app.storage.database import Database
from tests import factories

YEAR = 2025
PER_DEPARTMENT = 6  # 4 departments, 2 股室 of 12 projects each


@dataclass(frozen=True)
class EvaluatedCounty:
    codes: list[str]
    flagged: list[str]  # claimed full marks on a missed target
    fair: list[str]  # rule grade 中: next year's budget is cut


def evaluated_county(db: Database) -> EvaluatedCounty:
    """Every project claims 100 (优); every 4th missed 补助学生人数 (600 of 1200, flagged);
    every 6th also spent only 40% (graded 中 by the rules)."""
    codes, flagged, fair = [], [], []
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=PER_DEPARTMENT)
        for n, project in enumerate(projects):
            actuals: dict[str, Decimal | str] = {}
            spent = None
            if n % 4 == 0:
                actuals["补助学生人数"] = Decimal(600)
                flagged.append(project.code)
            if n % 12 == 0:
                actuals["家庭经济困难学生资助覆盖率"] = Decimal(49)  # 30 points → 15
                spent = project.total_amount * Decimal("0.4")
                fair.append(project.code)
            factories.self_evaluation(
                s, project, actuals, {"补助学生人数": "20"}, spent=spent,
                claimed_total="100", claimed_grade="优",
            )  # fmt: skip
            codes.append(project.code)
    return EvaluatedCounty(codes, flagged, fair)


def show_page(window: object, name: str) -> QWidget:
    """Click the step in the navigation, as a user would."""
    navigation = window.navigation  # type: ignore[attr-defined]
    names = [navigation.item(i).text() for i in range(navigation.count())]
    navigation.setCurrentRow(names.index(name))
    return window.page_widgets[name]  # type: ignore[attr-defined]


def open_window(qtbot: object, db: Database) -> object:
    """The main window (keep a reference: qtbot holds only a weak one)."""
    from app.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    qtbot.waitExposed(window)  # type: ignore[attr-defined]
    return window
