"""Exports never turn a department's text into a formula (issue 7, hostile input).

Text that starts with = + - @ reaches every Excel export through a stored field; the file
must hold it as a string cell (shared or inline string, quote-prefixed), with no <f>
element anywhere, and openpyxl must read back exactly the text that was stored.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.domain.enums import DeviationCategory, GoalStatus
from app.domain.errors import Problem
from app.domain.rules import RuleSet
from app.services.evaluation.workbook import export_selfeval
from app.services.goals.workbook import export_goals, export_problems
from app.services.library import workbook as library_workbook
from app.services.monitoring import EntryEdit, IndicatorEdit, open_round, round_rows, update_entry
from app.services.monitoring.workbook import export_monitoring_workbook
from app.services.results import records as results
from app.services.results.workbook import export_results
from app.storage.database import Database
from app.storage.models import Goal, Indicator, LibraryIndicator, Project
from tests import factories

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
YEAR = 2025
HYPERLINK = '=HYPERLINK("http://x","点我")'
PLUS = "+1+1"
MINUS = "-2+3"
AT = "@SUM(A1)"
DDE = "=cmd|' /C calc'!A0"


@pytest.fixture
def county(db: Database) -> Database:
    """Approved goals whose texts start with formula characters."""
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=1)
        project = s.get(Project, projects[0].id)
        project.name = MINUS
        goal = s.scalar(select(Goal).where(Goal.project_id == project.id))
        goal.overall_target = HYPERLINK
        first = goal.indicators[0]
        first.name, first.explanation = PLUS, AT
        for p in projects:
            factories.self_evaluation(s, p, reasons={PLUS: DDE})
    return db


def _export_goals(db: Database, path: Path, rules: RuleSet) -> list[str]:
    export_goals(db, path, YEAR)
    return [HYPERLINK, PLUS, MINUS, AT]


def _export_library(db: Database, path: Path, rules: RuleSet) -> list[str]:
    with db.transaction() as s:
        s.add(LibraryIndicator(level1="产出指标", level2="数量指标", name=PLUS, comparator="≥",
                               unit="人", explanation=HYPERLINK, field=AT))  # fmt: skip
    library_workbook.export_library(db, path)
    return [PLUS, HYPERLINK, AT]


def _export_monitoring(db: Database, path: Path, rules: RuleSet) -> list[str]:
    open_round(db, YEAR, 6, rules)
    row = next(r for r in round_rows(db, YEAR, 6, rules) if r.project_name == MINUS)
    red = IndicatorEdit(
        next(i.indicator_id for i in row.indicators if i.name == PLUS),
        current_value=Decimal(1),
        deviation_category=DeviationCategory.STAFF,
        deviation_reason=AT,
        corrective_action=DDE,
    )
    edit = EntryEdit(Decimal(100000), Decimal(1000), note=HYPERLINK, indicators=(red,))
    update_entry(db, row.entry_id, edit, rules)
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    return [MINUS, PLUS, AT, DDE]


def _export_selfeval(db: Database, path: Path, rules: RuleSet) -> list[str]:
    export_selfeval(db, YEAR, path)
    return [MINUS, PLUS, HYPERLINK, DDE]


def _export_results(db: Database, path: Path, rules: RuleSet) -> list[str]:
    rows = results.propose_results(db, YEAR, rules)
    row = next(r for r in rows if r.project_name == MINUS)
    results.decide_adjustment(db, row.adjustment_id, row.base, AT)
    export_results(db, YEAR, path)
    return [MINUS, AT]


def _export_problems(db: Database, path: Path, rules: RuleSet) -> list[str]:
    export_problems(path, [Problem(PLUS, "项目", 3, HYPERLINK), Problem(AT, column=MINUS)])
    return [PLUS, HYPERLINK, AT, MINUS]


EXPORTS: dict[str, Callable[[Database, Path, RuleSet], list[str]]] = {
    "goals": _export_goals,
    "library": _export_library,
    "monitoring": _export_monitoring,
    "selfeval": _export_selfeval,
    "results": _export_results,
    "problems": _export_problems,
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_text_starting_with_a_formula_character_stays_text(county, rules, tmp_path, kind):
    if kind == "selfeval":  # the self-evaluation workbook lists approved goals only
        _approve_all(county)
    path = tmp_path / f"{kind}.xlsx"
    payloads = EXPORTS[kind](county, path, rules)
    cells = _string_cells(path)
    for text in payloads:
        found = [c for c in cells if c.text == text]
        assert found, f"{text!r} is not in the {kind} export"
        assert all(c.type in ("s", "inlineStr") and c.quoted for c in found), found
    assert _formula_count(path) == 0
    values = _values(path)
    assert all(text in values for text in payloads)


def test_a_plain_minus_number_in_a_text_column_is_not_a_number_either(county, tmp_path, rules):
    with county.transaction() as s:
        s.execute(update(Indicator).where(Indicator.name == PLUS).values(name="-5"))
    path = tmp_path / "goals.xlsx"
    export_goals(county, path, YEAR)
    found = [c for c in _string_cells(path) if c.text == "-5"]
    assert found and all(c.type in ("s", "inlineStr") for c in found)


# --- reading the file as Excel would --------------------------------------------------------


class _Cell:
    def __init__(self, ref: str, kind: str, text: str, quoted: bool) -> None:
        self.ref, self.type, self.text, self.quoted = ref, kind, text, quoted

    def __repr__(self) -> str:
        return f"{self.ref} t={self.type} quoted={self.quoted} {self.text!r}"


def _string_cells(path: Path) -> list[_Cell]:
    """Every cell of every sheet with its text, type and whether its style is quotePrefix."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = _shared_strings(book) if "xl/sharedStrings.xml" in names else []
        quoted = _quoted_styles(book)
        cells = []
        for name in names:
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            root = ElementTree.fromstring(book.read(name))
            for c in root.iter(f"{{{NS['m']}}}c"):
                kind = c.get("t", "n")
                if kind == "s":
                    text = shared[int(c.findtext("m:v", namespaces=NS))]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                else:
                    text = c.findtext("m:v", default="", namespaces=NS)
                style = int(c.get("s", "0"))
                cells.append(_Cell(f"{name}!{c.get('r')}", kind, text, style in quoted))
    return cells


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return [
        "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)
    ]


def _quoted_styles(book: zipfile.ZipFile) -> set[int]:
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    xfs = root.find("m:cellXfs", NS)
    assert xfs is not None
    return {i for i, xf in enumerate(xfs.findall("m:xf", NS)) if xf.get("quotePrefix") == "1"}


def _formula_count(path: Path) -> int:
    with zipfile.ZipFile(path) as book:
        return sum(
            len(ElementTree.fromstring(book.read(n)).findall(".//m:f", NS))
            for n in book.namelist()
            if n.startswith("xl/worksheets/")
        )


def _values(path: Path) -> set[str]:
    book = load_workbook(path)
    try:
        return {
            cell.value
            for ws in book.worksheets
            for row in ws.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.data_type == "s"
        }
    finally:
        book.close()


def _approve_all(db: Database) -> None:
    with db.transaction() as s:
        s.execute(update(Goal).values(status=GoalStatus.APPROVED.value))
