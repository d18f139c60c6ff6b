"""GUI fixtures: a small county built through the ORM, and a recorder of shown messages.

Every test here fails on a Qt warning (the marker is added below, so pyproject need not
change), and no message box ever blocks: `_present` is replaced by a recorder.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from app.storage.database import Database
from app.storage.models import Department, FiscalYear, Goal, Indicator, Project, Section

GUI_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_DIR in item.path.parents and not item.get_closest_marker("qt_log_level_fail"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))


@dataclass
class ShownMessages:
    """Every message box the code under test tried to show: (title, text, details)."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [text for _title, text, _details in self.shown]


@pytest.fixture(autouse=True)
def shown_messages(monkeypatch: pytest.MonkeyPatch) -> ShownMessages:
    from app.ui.widgets import messages

    recorder = ShownMessages()

    def record(_parent: object, _icon: object, title: str, text: str, details: str = "") -> None:
        recorder.shown.append((title, text, details))

    monkeypatch.setattr(messages, "_present", record)
    return recorder


@pytest.fixture(autouse=True)
def operator_not_asked(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The start-up question “who is working” answered with 暂不填写; the names offered
    are recorded. A test that wants a name sets `operator_prompt._ask` itself."""
    from app.ui.setup import operator_prompt

    offered: list[list[str]] = []

    def unanswered(_parent: object, known: list[str], _current: str) -> None:
        offered.append(known)

    monkeypatch.setattr(operator_prompt, "_ask", unanswered)
    return offered


_REAL_PRESENT = importlib.import_module("app.ui.widgets.choice")._present


@pytest.fixture(autouse=True)
def unanswered_questions_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question no test answered would wait forever in a modal loop: fail instead."""
    from app.ui.widgets import choice

    def refuse(box: object) -> str:
        raise AssertionError(f"a question was asked that the test did not answer: {box}")

    monkeypatch.setattr(choice, "_present", refuse)


@pytest.fixture
def real_questions(unanswered_questions_fail: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """For the one test that clicks a real question box's buttons."""
    from app.ui.widgets import choice

    monkeypatch.setattr(choice, "_present", _REAL_PRESENT)


# Sections → departments (code, name, parent code).
COUNTY = {
    ("S01", "教育股"): [
        ("219001", "县教育局", None),
        ("219002", "县第一中学", "219001"),
    ],
    ("S02", "社会保障股"): [
        ("305001", "县人力资源和社会保障局", None),
        ("305002", "县医疗保障局", None),
    ],
}
PROJECT_NAMES = [
    "义务教育营养改善计划",
    "校舍维修改造",
    "教师培训经费",
    "城乡居民养老保险补助",
    "就业创业补贴",
    "医疗救助资金",
    "困难群众临时救助",
    "学前教育发展资金",
]
STATUSES = ["草稿", "待审核", "已通过", "已退回"]


@dataclass(frozen=True)
class County:
    """What was built, for the tests to compare with."""

    years: tuple[int, ...]
    projects_per_year: dict[int, int]
    goals_per_year: dict[int, int]
    departments: dict[str, int]  # code → id
    amounts: dict[int, list[Decimal]]  # year → every project's total in 元
    codes: dict[int, list[str]]


def fill_county(db: Database, plan: dict[int, int]) -> County:
    """Build sections, departments and, per year, that many projects with goals."""
    projects: dict[int, int] = {}
    goals: dict[int, int] = {}
    amounts: dict[int, list[Decimal]] = {}
    codes: dict[int, list[str]] = {}
    with db.transaction() as s:
        departments: list[Department] = []
        by_code: dict[str, Department] = {}
        for order, ((code, name), units) in enumerate(COUNTY.items()):
            section = Section(code=code, name=name, sort_order=order)
            s.add(section)
            for unit_code, unit_name, parent in units:
                unit = Department(code=unit_code, name=unit_name, section=section)
                unit.parent = by_code.get(parent) if parent else None
                s.add(unit)
                by_code[unit_code] = unit
                departments.append(unit)
        s.flush()
        for year, count in plan.items():
            fy = FiscalYear(year=year)
            s.add(fy)
            s.flush()
            amounts[year], codes[year] = [], []
            goals[year] = 0
            for n in range(count):
                unit = departments[n % len(departments)]
                amount = Decimal(12345 * (n + 1) + 678 * (n % 7)) + Decimal("0.5") * (n % 3)
                code = f"{unit.code}{year}{n:03d}"
                project = Project(
                    year_id=fy.id,
                    department_id=unit.id,
                    code=code,
                    name=f"{year}年{PROJECT_NAMES[n % len(PROJECT_NAMES)]}{n}",
                    kind="新增" if n % 2 else "延续",
                    total_amount=amount,
                    fiscal_amount=amount,
                )
                s.add(project)
                s.flush()
                amounts[year].append(amount)
                codes[year].append(code)
                if n % 5 == 4:
                    continue  # no goal yet: shows as 未填报
                goal = Goal(
                    scope="project",
                    year_id=fy.id,
                    department_id=unit.id,
                    project_id=project.id,
                    status=STATUSES[n % len(STATUSES)],
                    overall_target="完成年度任务",
                )
                goal.indicators = [
                    Indicator(
                        position=i,
                        level1="产出指标",
                        level2="数量指标",
                        name=f"指标{i}",
                        comparator="≥",
                        target_value=Decimal(10 * i),
                        unit="个",
                        points=Decimal(10),
                    )
                    for i in range(1 + n % 4)
                ]
                s.add(goal)
                goals[year] += 1
            projects[year] = count
        ids = {code: unit.id for code, unit in by_code.items()}
    return County(tuple(sorted(plan)), projects, goals, ids, amounts, codes)


@pytest.fixture
def county(db: Database) -> County:
    """2 years (2024: 12 projects, 2025: 18), 2 sections, 4 departments."""
    return fill_county(db, {2024: 12, 2025: 18})


@pytest.fixture
def main_window(qtbot, db: Database, county: County) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from app.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.database.close()  # it may have switched to another file
