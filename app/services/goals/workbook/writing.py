"""Phase two: write a checked plan in one transaction, with bulk statements.

Ids are computed up front (max + 1) so projects, goals and indicators go in as a few
executemany statements; the caller holds the writer lock, so nobody else takes ids. Rows of
a changed goal keep their indicator id when 一级/二级/三级 match an existing row, so
monitoring entries and return comments keep pointing at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Scope
from app.domain.progress import NO_PROGRESS, Progress
from app.services.common import audit
from app.services.common.year_rules import freeze_rules
from app.storage import versions
from app.storage.ids import IdSource
from app.storage.models import Department, FiscalYear, Goal, Indicator, Project, Section

from .planning import Plan
from .reading import FileContent
from .state import DbState, GoalState
from .types import EntryIn, GoalContent, IndicatorContent, ProjectHeader

WRITE_STEPS = 5


@dataclass
class _Batch:
    """Rows collected for the bulk statements."""

    new_projects: list[dict[str, Any]] = field(default_factory=list)
    project_updates: list[dict[str, Any]] = field(default_factory=list)
    new_goals: list[dict[str, Any]] = field(default_factory=list)
    goal_updates: list[dict[str, Any]] = field(default_factory=list)
    new_indicators: list[dict[str, Any]] = field(default_factory=list)
    indicator_updates: list[dict[str, Any]] = field(default_factory=list)
    dropped_indicators: list[int] = field(default_factory=list)
    changes: list[tuple[str, int, str, dict[str, Any], dict[str, Any]]] = field(
        default_factory=list
    )


@dataclass
class _Context:
    year_id: int
    departments: dict[str, int]
    library: dict[tuple[str, str, str], int]
    now: datetime
    ids: IdSource
    batch: _Batch


def write_plan(
    session: Session,
    plan: Plan,
    content: FileContent,
    state: DbState,
    progress: Progress = NO_PROGRESS,
) -> bool:
    """Apply the plan; returns whether the fiscal year had to be created."""
    progress.step(0, WRITE_STEPS, "正在建立年度和单位")
    year_id, created = _year(session, plan.year, state)
    departments = _departments(session, plan, content, state)
    ctx = _Context(year_id, departments, state.library, datetime.now(), IdSource(session), _Batch())
    for scope, entry in plan.write:
        if scope == "project":
            _project(ctx, entry, state)
        else:
            _department_goal(ctx, entry, state)
    batch = ctx.batch
    progress.step(1, WRITE_STEPS, "正在写入项目")
    _execute(session, Project, batch.new_projects, batch.project_updates)
    progress.step(2, WRITE_STEPS, "正在写入绩效目标")
    _execute(session, Goal, batch.new_goals, batch.goal_updates)
    progress.step(3, WRITE_STEPS, "正在写入绩效指标")
    if batch.dropped_indicators:
        session.execute(delete(Indicator).where(Indicator.id.in_(batch.dropped_indicators)))
    _execute(session, Indicator, batch.new_indicators, batch.indicator_updates)
    progress.step(4, WRITE_STEPS, "正在记录操作日志")
    for object_type, object_id, label, before, after in batch.changes:
        old, new = audit.changed_only(before, after)  # only what the file changed
        audit.record(session, "导入修改绩效目标", object_type, object_id, label, old, new)
    # Bulk statements bypass the ORM's version bump: an editor open on these must not save.
    changed = [i for t, i, _label, old, new in batch.changes if t == audit.GOAL and old != new]
    versions.bump(session, changed)
    return created


def _execute(
    session: Session,
    model: type[Project | Goal | Indicator],
    new: list[dict[str, Any]],
    updates: list[dict[str, Any]],
) -> None:
    if new:
        session.execute(insert(model), new)
    if updates:
        session.execute(update(model), updates)


def _year(session: Session, year: int | None, state: DbState) -> tuple[int, bool]:
    assert year is not None, "a plan with entries to write has a year"
    if state.year_id is not None:
        return state.year_id, False
    fiscal_year = FiscalYear(year=year)
    session.add(fiscal_year)
    session.flush()
    freeze_rules(session, fiscal_year)
    audit.record(session, "建立年度", audit.YEAR, fiscal_year.id, str(year), after={"年度": year})
    return fiscal_year.id, True


def _departments(
    session: Session, plan: Plan, content: FileContent, state: DbState
) -> dict[str, int]:
    """Ids of every department by code, creating the 单位 sheet's new units (and 股室)."""
    sections = dict(state.sections)
    order = len(sections)
    for name in plan.new_sections:
        order += 1
        section = Section(code=f"S{order:02d}", name=name, sort_order=order)
        while session.scalar(select(Section.id).where(Section.code == section.code)):
            order += 1
            section.code = f"S{order:02d}"
        session.add(section)
        session.flush()
        sections[name] = section.id
        audit.record(session, "新建股室", audit.SECTION, section.id, name)
    ids = {code: d.id for code, d in state.departments.items()}
    created = []
    for code in plan.new_units:
        unit = content.units[code]
        dept = Department(code=code, name=unit.name, section_id=sections.get(unit.section))
        session.add(dept)
        created.append((dept, unit.parent_code))
    session.flush()
    for dept, _ in created:
        ids[dept.code] = dept.id
    for dept, parent in created:  # parents may come later in the sheet
        dept.parent_id = ids.get(parent)
        label = f"{dept.code} {dept.name}"
        audit.record(session, "导入新建单位", audit.DEPARTMENT, dept.id, label)
    session.flush()
    return ids


def _project(ctx: _Context, entry: EntryIn, state: DbState) -> None:
    header = entry.header
    assert header is not None
    existing = state.projects.get(entry.code)
    department_id = ctx.departments[entry.department_code]
    row = _project_row(header) | {"updated_at": ctx.now}
    goal_state = existing.goal if existing is not None else None
    if existing is None:
        project_id = ctx.ids.take(Project)
        keys = {"id": project_id, "year_id": ctx.year_id, "department_id": department_id}
        ctx.batch.new_projects.append(row | keys | {"code": entry.code, "created_at": ctx.now})
    else:
        project_id = existing.id
        if existing.header != header:
            ctx.batch.project_updates.append(row | {"id": project_id})
    label = f"项目 {entry.code}"
    if entry.goal is None:
        if existing is not None:
            change = (audit.PROJECT, project_id, label, _snapshot(existing.header, None))
            ctx.batch.changes.append((*change, _snapshot(header, None)))
        return
    goal_id = _goal(ctx, entry.goal, goal_state, Scope.PROJECT, department_id, project_id)
    if existing is not None:
        before = _snapshot(existing.header, goal_state)
        after = _snapshot(header, _content_state(entry.goal))
        ctx.batch.changes.append((audit.GOAL, goal_id, label, before, after))


def _department_goal(ctx: _Context, entry: EntryIn, state: DbState) -> None:
    assert entry.goal is not None
    goal_state = state.department_goals.get(entry.code)
    department_id = ctx.departments[entry.code]
    goal_id = _goal(ctx, entry.goal, goal_state, Scope.DEPARTMENT, department_id, None)
    if goal_state is not None:
        before, after = _snapshot(None, goal_state), _snapshot(None, _content_state(entry.goal))
        label = f"单位 {entry.code} 部门整体"
        ctx.batch.changes.append((audit.GOAL, goal_id, label, before, after))


def _project_row(header: ProjectHeader) -> dict[str, Any]:
    return {
        "name": header.name,
        "kind": header.kind,
        "fund_source": header.fund_source,
        "fund_level": header.fund_level,
        "functional_class": header.functional_class,
        "start_year": header.start_year,
        "end_year": header.end_year,
        "total_amount": header.total,
        "fiscal_amount": header.fiscal,
        "other_amount": header.other,
    }


def _goal(
    ctx: _Context,
    goal: GoalContent,
    existing: GoalState | None,
    scope: Scope,
    department_id: int,
    project_id: int | None,
) -> int:
    row = {
        "overall_target": goal.overall_target,
        "long_term_target": goal.long_term_target,
        "budget_amount": goal.budget if scope is Scope.DEPARTMENT else None,
        "updated_at": ctx.now,
    }
    if existing is None:
        goal_id = ctx.ids.take(Goal)
        keys = {"id": goal_id, "scope": scope.value, "year_id": ctx.year_id}
        owner = {"department_id": department_id, "project_id": project_id}
        fresh = {"status": GoalStatus.DRAFT.value, "revision": 1, "created_at": ctx.now}
        ctx.batch.new_goals.append(row | keys | owner | fresh)
        _indicators(ctx, goal_id, goal.indicators, None)
        return goal_id
    if existing.content != goal:
        ctx.batch.goal_updates.append(row | {"id": existing.id})
        _indicators(ctx, existing.id, goal.indicators, existing)
    return existing.id


def _indicators(
    ctx: _Context,
    goal_id: int,
    rows: tuple[IndicatorContent, ...],
    existing: GoalState | None,
) -> None:
    """New rows are inserted (linked to the library when the name is there once); rows
    matching an old one by 一级/二级/三级 keep its id and library link."""
    free: dict[tuple[str, str, str], list[int]] = {}
    if existing is not None:
        for old, id_ in zip(existing.content.indicators, existing.indicator_ids, strict=True):
            free.setdefault(old.match_key, []).append(id_)
    batch = ctx.batch
    for position, ind in enumerate(rows, start=1):
        values = _indicator_row(ind) | {"position": position}
        match = free.get(ind.match_key)
        if match:
            batch.indicator_updates.append(values | {"id": match.pop(0)})
            continue
        link = ctx.library.get(ind.match_key)
        keys = {"id": ctx.ids.take(Indicator), "goal_id": goal_id, "library_indicator_id": link}
        batch.new_indicators.append(values | keys)
    batch.dropped_indicators += [id_ for left in free.values() for id_ in left]


def _indicator_row(ind: IndicatorContent) -> dict[str, Any]:
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "comparator": ind.comparator,
        "target_value": ind.target_value,
        "target_text": ind.target_text,
        "unit": ind.unit,
        "points": ind.points,
        "explanation": ind.explanation,
        "standard_source": ind.standard_source,
    }


def _content_state(goal: GoalContent) -> GoalState:
    return GoalState(0, "", False, goal)


def _snapshot(header: ProjectHeader | None, goal: GoalState | None) -> dict[str, Any]:
    """Before/after of a changed goal for the audit trail, in the form's words."""
    data: dict[str, Any] = {}
    if header is not None:
        data |= {
            "项目名称": header.name,
            "项目属性": header.kind,
            "资金来源": f"{header.fund_source}（{header.fund_level}）",
            "功能分类科目": header.functional_class,
            "实施期": f"{header.start_year or ''}—{header.end_year or ''}",
            "资金总额": header.total,
            "财政拨款": header.fiscal,
            "其他资金": header.other,
        }
    if goal is not None:
        content = goal.content
        data |= {
            "年度总体目标": content.overall_target,
            "长期目标": content.long_term_target,
            "指标": [
                f"{i.level1}/{i.level2}/{i.name} {i.comparator}"
                f"{i.target_value if i.target_value is not None else i.target_text}{i.unit} "
                f"{i.points}分"
                for i in content.indicators
            ],
        }
        if content.budget is not None:
            data["部门整体预算"] = content.budget
    return data
