"""预算单位: add (one, a typed or pasted list, or the 单位 sheet of the goals workbook), edit,
move between 股室 or 主管部门, retire. A retired unit keeps its projects and history; it is
only marked 已停用 and no longer offered as a 主管部门 for new units.

Lists are checked whole before anything is written (every problem located), then written in
one transaction with one audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.units import UnitInput, code_problem, unit_problems
from app.services.common import audit, jobs
from app.services.setup import sections
from app.storage import joblock, versions
from app.storage.database import Database
from app.storage.models import Department, Section


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    section: str  # "" when none
    parent_code: str  # "" for a 主管部门
    active: bool
    version: int = 0  # of the stored unit when loaded (storage/versions.py)


@dataclass(frozen=True)
class UnitsAdded:
    added: tuple[str, ...]  # codes
    skipped: tuple[str, ...]  # codes already in the database (import only: left as they are)
    new_sections: tuple[str, ...]


def list_units(db: Database) -> list[UnitRow]:
    with db.session() as session:
        return [_row(d) for d in session.scalars(select(Department).order_by(Department.code))]


def create(
    session: Session, units: Sequence[UnitInput], where: str, rows: Sequence[int] | None = None
) -> UnitsAdded:
    """Check `units` (tidied) against the database and add them all, or raise with every
    problem. A 股室 named but not yet there is created (not audited here: callers do)."""
    existing = {code: id_ for code, id_ in session.execute(select(Department.code, Department.id))}
    problems = unit_problems(units, existing, where, rows)
    known = {s.name: s for s in session.scalars(select(Section))}
    for row, unit in zip(rows or range(1, len(units) + 1), units, strict=True):
        section = known.get(unit.section)
        if section is not None and not section.is_active:
            problems.append(Problem(f"股室“{unit.section}”已停用", where, row, "股室"))
    if problems:
        raise ValidationFailed(problems, f"{where}有 {len(problems)} 个问题，未添加任何单位：")
    new_sections = []
    for name in dict.fromkeys(u.section for u in units if u.section and u.section not in known):
        known[name] = sections.create(session, name)
        new_sections.append(name)
    added = [
        Department(
            code=u.code, name=u.name, section_id=_section_id(known, u.section), is_active=True
        )
        for u in units
    ]
    session.add_all(added)
    session.flush()
    ids = existing | {d.code: d.id for d in added}
    for department, unit in zip(added, units, strict=True):  # parents may come later
        department.parent_id = ids.get(unit.parent_code)
    return UnitsAdded(tuple(u.code for u in units), (), tuple(new_sections))


def add_units(db: Database, units: Sequence[UnitInput], where: str = "单位列表") -> UnitsAdded:
    """A typed or pasted list (the wizard's grid, 设置 → 基础信息 → 粘贴)."""
    units = [u.tidy() for u in units]
    with db.transaction() as session:
        result = create(session, units, where)
        _record_added(session, "添加预算单位", where, result)
    return result


def add_unit(db: Database, unit: UnitInput) -> int:
    unit = unit.tidy()
    with db.transaction() as session:
        result = create(session, [unit], "新单位")
        department = session.scalar(select(Department).where(Department.code == unit.code))
        assert department is not None
        audit.record(
            session,
            "新建预算单位",
            audit.DEPARTMENT,
            department.id,
            _label(department),
            after=_fields(_row(department)) | {"新建股室": list(result.new_sections)},
        )
        return department.id


def read_units_sheet(path: Path) -> list[tuple[int, UnitInput]]:
    """The rows of a workbook's 单位 sheet with their Excel row numbers, checked by the
    reader (nothing is written): the wizard fills its grid from them."""
    # openpyxl loads on first use, not when the window starts (it takes a while).
    from app.spreadsheet import read_workbook
    from app.spreadsheet.goals_sheets import UNITS, UNITS_SHEET

    data = read_workbook(path, [UNITS])
    data.raise_if_malformed()
    data.raise_if_blocking()
    rows = [r for r in data[UNITS_SHEET].rows if r["code"]]
    return [(r.row, _from_sheet(r.values)) for r in rows]


@jobs.exclusive(joblock.IMPORT)
def import_units(db: Database, path: Path) -> UnitsAdded:
    """The 单位 sheet of a goals workbook (or of its blank template): new codes are added,
    codes already here are left as they are (as the goals import does)."""
    rows = read_units_sheet(path)
    with db.transaction() as session:
        present = set(session.scalars(select(Department.code)))
        fresh = [(n, u) for n, u in rows if u.code not in present]
        where = f"文件“{Path(path).name}”工作表“单位”"
        result = create(session, [u for _, u in fresh], where, [n for n, _ in fresh])
        skipped = tuple(u.code for _, u in rows if u.code in present)
        result = UnitsAdded(result.added, skipped, result.new_sections)
        _record_added(session, "导入预算单位", Path(path).name, result)
    return result


def edit_unit(
    db: Database, unit_id: int, unit: UnitInput, loaded_version: int | None = None
) -> None:
    """Change code, name, 股室 or 主管部门 (moving the unit); checks what changed. With
    `loaded_version` (UnitRow.version), a unit changed since then is refused."""
    unit = unit.tidy()
    with db.transaction() as session:
        department = _get(session, unit_id)
        label = f"预算单位“{department.code} {department.name}”"
        versions.check(session, department, loaded_version, audit.DEPARTMENT, unit_id, label)
        before = _fields(_row(department))
        _check_edit(session, department, unit)
        department.code, department.name = unit.code, unit.name
        department.section_id = _section_for_edit(session, department, unit.section)
        department.parent_id = _parent_id(session, department, unit.parent_code)
        session.flush()
        session.expire(department, ["section", "parent"])  # reload them by the new ids
        old, new = audit.changed_only(before, _fields(_row(department)))
        if new:
            audit.record(
                session,
                "修改预算单位",
                audit.DEPARTMENT,
                department.id,
                _label(department),
                before=old,
                after=new,
            )


def set_unit_active(db: Database, unit_id: int, active: bool) -> None:
    """Retire a unit (停用) or bring it back; its projects and history stay."""
    with db.transaction() as session:
        department = _get(session, unit_id)
        if department.is_active == active:
            return
        department.is_active = active
        state = {True: "在用", False: "已停用"}
        audit.record(
            session,
            "启用预算单位" if active else "停用预算单位",
            audit.DEPARTMENT,
            department.id,
            _label(department),
            before={"状态": state[not active]},
            after={"状态": state[active]},
        )


# -- helpers ----------------------------------------------------------------------------------
def _check_edit(session: Session, department: Department, unit: UnitInput) -> None:
    if message := code_problem(unit.code):
        raise UserError(message)
    other = session.scalar(select(Department.id).where(Department.code == unit.code))
    if other is not None and other != department.id:
        raise UserError(f"单位编码“{unit.code}”已被其他单位使用。")
    if not unit.name:
        raise UserError("单位名称不能为空。")


def _section_for_edit(session: Session, department: Department, name: str) -> int | None:
    if not name:
        return None
    section = session.scalar(select(Section).where(Section.name == name))
    if section is None:
        raise UserError(f"没有名为“{name}”的股室，请先在股室列表中添加。")
    if not section.is_active and section.id != department.section_id:
        raise UserError(f"股室“{name}”已停用，不能再划入单位。")
    return section.id


def _parent_id(session: Session, department: Department, code: str) -> int | None:
    if not code:
        return None
    parent = session.scalar(select(Department).where(Department.code == code))
    if parent is None:
        raise UserError(f"主管部门编码“{code}”不存在。")
    walker: Department | None = parent
    while walker is not None:  # no unit may end up under itself
        if walker.id == department.id:
            raise UserError(f"不能把单位划到“{parent.name}”之下：它是本单位的下属单位或本单位。")
        walker = walker.parent
    return parent.id


def _record_added(session: Session, action: str, label: str, result: UnitsAdded) -> None:
    after = {"新增单位": list(result.added), "新建股室": list(result.new_sections)}
    if result.skipped:
        after["已存在未改动"] = list(result.skipped)
    audit.record(session, action, audit.DEPARTMENT, label=label, after=after)


def _from_sheet(values: dict[str, object]) -> UnitInput:
    def text(key: str) -> str:
        return "" if values.get(key) is None else str(values[key])

    return UnitInput(text("code"), text("name"), text("section"), text("parent_code")).tidy()


def _section_id(known: dict[str, Section], name: str) -> int | None:
    return known[name].id if name else None


def _row(d: Department) -> UnitRow:
    section = d.section.name if d.section else ""
    parent = d.parent.code if d.parent else ""
    return UnitRow(d.id, d.code, d.name, section, parent, d.is_active, d.version)


def _fields(row: UnitRow) -> dict[str, str]:
    return {
        "单位编码": row.code,
        "单位名称": row.name,
        "股室": row.section,
        "主管部门编码": row.parent_code,
    }


def _label(d: Department) -> str:
    return f"{d.code} {d.name}"


def _get(session: Session, unit_id: int) -> Department:
    department = session.get(Department, unit_id)
    if department is None:
        raise UserError("该单位已不存在，请刷新后重试。")
    return department
