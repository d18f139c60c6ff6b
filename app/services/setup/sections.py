"""股室: add, rename, reorder, retire. A retired 股室 keeps its units and past figures; it is
only no longer offered for new units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.domain.units import MAX_SECTION
from app.services.common import audit
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Department, Section


@dataclass(frozen=True)
class SectionRow:
    id: int
    code: str
    name: str
    active: bool
    units: int  # units it oversees
    version: int = 0  # of the stored 股室 when loaded (storage/versions.py)


def list_sections(db: Database) -> list[SectionRow]:
    """All 股室 in their order, retired ones included (they say so)."""
    with db.session() as session:
        counts = dict(
            session.execute(
                select(Department.section_id, func.count()).group_by(Department.section_id)
            ).all()
        )
        stmt = select(Section).order_by(Section.sort_order, Section.id)
        return [
            SectionRow(s.id, s.code, s.name, s.is_active, counts.get(s.id, 0), s.version)
            for s in session.scalars(stmt)
        ]


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserError("请填写股室名称，例如“教科文股”。")
    if len(name) > MAX_SECTION:
        raise UserError(f"股室名称最多 {MAX_SECTION} 个字：“{name}”")
    return name


def create(session: Session, name: str) -> Section:
    """A new 股室 at the end of the list, coded S01, S02… (not audited here: callers do)."""
    name = checked_name(name)
    if session.scalar(select(Section.id).where(Section.name == name)):
        raise UserError(f"股室“{name}”已经存在。")
    order = (session.scalar(select(func.max(Section.sort_order))) or 0) + 1
    number = order
    while session.scalar(select(Section.id).where(Section.code == f"S{number:02d}")):
        number += 1
    section = Section(code=f"S{number:02d}", name=name, sort_order=order, is_active=True)
    session.add(section)
    versions.flush_first(session, f"股室“{name}”刚刚已由其他操作人员添加。")
    return section


def add_section(db: Database, name: str) -> int:
    with db.transaction() as session:
        section = create(session, name)
        audit.record(
            session,
            "新建股室",
            audit.SECTION,
            section.id,
            section.name,
            after={"股室": section.name},
        )
        return section.id


def rename_section(
    db: Database, section_id: int, name: str, loaded_version: int | None = None
) -> None:
    """With `loaded_version` (SectionRow.version), a 股室 changed since then is refused."""
    name = checked_name(name)
    with db.transaction() as session:
        section = _get(session, section_id)
        label = f"股室“{section.name}”"
        versions.check(session, section, loaded_version, audit.SECTION, section_id, label)
        if name == section.name:
            return
        if session.scalar(select(Section.id).where(Section.name == name)):
            raise UserError(f"股室“{name}”已经存在，请换一个名称。")
        before, section.name = section.name, name
        audit.record(
            session,
            "修改股室名称",
            audit.SECTION,
            section.id,
            name,
            before={"股室": before},
            after={"股室": name},
        )


def move_section(db: Database, section_id: int, step: int) -> None:
    """Move one place up (step -1) or down (+1); the order lists and reports follow."""
    with db.transaction() as session:
        ordered = list(session.scalars(select(Section).order_by(Section.sort_order, Section.id)))
        index = next(i for i, s in enumerate(ordered) if s.id == section_id)
        target = index + step
        if not 0 <= target < len(ordered):
            return
        before = [s.name for s in ordered]
        ordered.insert(target, ordered.pop(index))
        for position, section in enumerate(ordered, start=1):
            section.sort_order = position
        audit.record(
            session,
            "调整股室顺序",
            audit.SECTION,
            section_id,
            ordered[target].name,
            before={"顺序": before},
            after={"顺序": [s.name for s in ordered]},
        )


def set_section_active(db: Database, section_id: int, active: bool) -> None:
    """Retire a 股室 (停用) or bring it back (启用)."""
    with db.transaction() as session:
        section = _get(session, section_id)
        if section.is_active == active:
            return
        section.is_active = active
        audit.record(
            session,
            "启用股室" if active else "停用股室",
            audit.SECTION,
            section.id,
            section.name,
            before={"状态": _state(not active)},
            after={"状态": _state(active)},
        )


def _state(active: bool) -> str:
    return "在用" if active else "已停用"


def _get(session: Session, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None:
        raise UserError("该股室已不存在，请刷新后重试。")
    return section
