"""预算单位 rows as a bureau types or pastes them: checks on codes and names, no database.

A unit code (单位编码) is the budget system's code: digits, sometimes with capital letters,
3 to 21 characters, unique in the county. A sub-unit names its 主管部门 by code; a
主管部门 leaves that column blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.errors import Problem

CODE_PATTERN = re.compile(r"[0-9A-Z]{3,21}")
MAX_NAME, MAX_SECTION = 100, 60
WHERE = "单位列表"  # where the problems are located when the rows were typed or pasted
HEADER_WORDS = ("单位编码", "编码")


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    section: str = ""  # 股室 name; blank: none yet
    parent_code: str = ""  # 主管部门; blank: the unit is one

    def tidy(self) -> UnitInput:
        return UnitInput(
            self.code.strip().upper(),
            " ".join(self.name.split()),
            self.section.strip(),
            self.parent_code.strip().upper(),
        )


def code_problem(code: str) -> str:
    """Why `code` cannot be a unit code, or "" when it can."""
    if not code:
        return "单位编码不能为空"
    if not CODE_PATTERN.fullmatch(code):
        return f"单位编码“{code}”应为 3 至 21 位数字或大写字母（不含空格和符号）"
    return ""


def unit_problems(
    units: Sequence[UnitInput],
    existing: Iterable[str] = (),
    where: str = WHERE,
    rows: Sequence[int] | None = None,
) -> list[Problem]:
    """Every problem of new rows (already tidied), located by `rows` (default 1, 2, …).

    `existing` holds the codes already in the database: a new row may name one as its
    主管部门 but may not reuse it.
    """
    known = set(existing)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    codes = known | {u.code for u in units}
    for row, unit in zip(rows or range(1, len(units) + 1), units, strict=True):

        def add(message: str, column: str, row: int = row) -> None:
            problems.append(Problem(message, where, row, column))

        if message := code_problem(unit.code):
            add(message, "单位编码")
        elif unit.code in known:
            add(f"单位编码“{unit.code}”已经存在", "单位编码")
        elif unit.code in seen:
            add(f"单位编码“{unit.code}”与第{seen[unit.code]}行重复", "单位编码")
        seen.setdefault(unit.code, row)
        if not unit.name:
            add("单位名称不能为空", "单位名称")
        elif len(unit.name) > MAX_NAME:
            add(f"单位名称超过 {MAX_NAME} 个字", "单位名称")
        if len(unit.section) > MAX_SECTION:
            add(f"股室名称超过 {MAX_SECTION} 个字", "股室")
        if unit.parent_code:
            if unit.parent_code == unit.code:
                add("主管部门编码不能是本单位", "主管部门编码")
            elif unit.parent_code not in codes:
                add(f"主管部门编码“{unit.parent_code}”既不在系统中，也不在本列表中", "主管部门编码")
    return problems


def parse_pasted(text: str) -> list[UnitInput]:
    """Rows copied from Excel or WPS (tab-separated): 单位编码, 单位名称, 股室, 主管部门编码.

    Blank lines and a header line are skipped; missing trailing cells are blank.
    """
    units = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells):
            continue
        if cells[0] in HEADER_WORDS:
            continue
        cells += [""] * (4 - len(cells))
        units.append(UnitInput(*cells[:4]).tidy())
    return units
