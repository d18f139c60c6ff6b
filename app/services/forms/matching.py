"""Which unit and which project a form is about, never guessed silently.

Unit: by code (a 单位编码 cell or a code printed with the name), else by the exact name;
a name that only resembles one (县教育局 / 上犹县教育局) is a problem proposing the unit.
Project: by 项目编码, else by unit + name, else offered as new with a code made from the
year, unit and name (the same file always makes the same code, so re-importing finds it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from app.domain.indicator_values import normalize_name
from app.services.goals.workbook.state import DbState, DepartmentState, ProjectState

from .entries import FormEntry

_COUNTY = re.compile(r"^.{1,6}?[县市区旗]")
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Matched:
    department: DepartmentState
    project: ProjectState | None  # None: a department-wide form, or a new project
    project_code: str  # existing, printed, or made up for a new project ("" for 部门整体)
    new_project: bool


def match(entry: FormEntry, state: DbState) -> Matched | None:
    department = _unit(entry, state)
    if department is None:
        return None
    if entry.kind.is_department:
        return Matched(department, None, "", False)
    return _project(entry, state, department)


def _unit(entry: FormEntry, state: DbState) -> DepartmentState | None:
    if entry.unit_code:
        found = state.departments.get(entry.unit_code)
        if found is not None:
            return found
        if not entry.unit_name:
            entry.at_table(f"单位编码“{entry.unit_code}”不在系统中")
            return None
    wanted = normalize_name(entry.unit_name)
    exact = [d for d in state.departments.values() if normalize_name(d.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        codes = "、".join(d.code for d in exact)
        entry.at_table(
            f"单位名称“{entry.unit_name}”在系统中有多个（编码 {codes}），请在表中写明单位编码"
        )
        return None
    close = [d for d in state.departments.values() if _resembles(wanted, normalize_name(d.name))]
    if close:
        shown = "、".join(f"“{d.name}”（{d.code}）" for d in close[:MAX_SUGGESTIONS])
        entry.at_table(
            f"单位“{entry.unit_name}”不在系统中，是否为{shown}？为免误认未自动对应，"
            "请在表中写全称或单位编码后重新导入"
        )
    else:
        entry.at_table(f"单位“{entry.unit_name}”不在系统中，请先在“单位”中添加或核对名称")
    return None


def _resembles(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return _COUNTY.sub("", a, count=1) == _COUNTY.sub("", b, count=1) != ""


def _project(entry: FormEntry, state: DbState, department: DepartmentState) -> Matched | None:
    if entry.project_code:
        found = state.projects.get(entry.project_code)
        if found is not None and found.department_code != department.code:
            entry.at_table(
                f"项目编码“{entry.project_code}”在系统中属于单位 {found.department_code}，"
                f"不是“{department.name}”"
            )
            return None
        if found is not None:
            return Matched(department, found, found.code, False)
        return Matched(department, None, entry.project_code, True)
    name = normalize_name(entry.project_name)
    same = [
        p
        for p in state.projects.values()
        if p.department_code == department.code and normalize_name(p.header.name) == name
    ]
    live = [p for p in same if not p.deleted]
    if len(live) > 1:
        codes = "、".join(p.code for p in live)
        entry.at_table(
            f"单位“{department.name}”有多个名为“{entry.project_name}”的项目（{codes}），请在表中写明项目编码"
        )
        return None
    if live:
        return Matched(department, live[0], live[0].code, False)
    if same:
        entry.at_table(f"项目“{entry.project_name}”在回收站中，请先恢复后再导入")
        return None
    return Matched(department, None, made_up_code(entry.year, department.code, name), True)


def made_up_code(year: int | None, department_code: str, name: str) -> str:
    """A stable code for a project printed without one: B + 12 hex digits."""
    digest = hashlib.sha1(f"{year}|{department_code}|{name}".encode()).hexdigest()
    return "B" + digest[:12].upper()
