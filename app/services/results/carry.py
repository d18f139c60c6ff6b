"""Carry confirmed 结果应用 cuts into next year's rolled-forward projects (调减), and undo them.

Decisions (the amounts rule is app/domain/carry_forward.py):
- Only decided cuts above zero are carried; a project with no copy next year (the year was
  not rolled over yet, or the project ends) is listed as waiting, not an error.
- Carrying again is idempotent; a decision changed since it was carried is re-applied from
  the stored amounts, while next year's goal is not approved.
- The reason shown with each 调减 is the proposal's basis and the decision's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.carry_forward import Amounts, apply_cut, reversible
from app.domain.enums import GoalStatus
from app.domain.errors import UserError
from app.domain.numbers import wan
from app.services.common import audit, live
from app.storage.database import Database
from app.storage.models import BudgetAdjustment, CarriedCut, FiscalYear, Goal, Project


@dataclass(frozen=True)
class CarriedRow:
    id: int
    project_code: str
    project_name: str
    department_code: str
    department: str
    before: Decimal  # next year's 资金总额 before the cut, 元
    cut: Decimal
    after: Decimal
    reason: str
    reversible: bool


@dataclass(frozen=True)
class CarryResult:
    carried: tuple[str, ...]  # project codes cut now (new or changed)
    unchanged: int
    waiting: tuple[str, ...]  # decided cuts without a project next year
    locked: tuple[str, ...]  # next year's goal already approved


def carry_cuts(db: Database, year: int) -> CarryResult:
    """Apply `year`'s decided cuts to year + 1's projects with the same code."""
    with db.transaction() as s:
        fy = _year(s, year)
        ahead = _next_projects(s, year + 1)
        done = {c.adjustment_id: c for c in s.scalars(select(CarriedCut))}
        carried, waiting, locked, unchanged = [], [], [], 0
        for adj in s.scalars(
            select(BudgetAdjustment).where(
                BudgetAdjustment.year_id == fy.id, BudgetAdjustment.decided_cut > 0
            )
        ):
            code = adj.project.code
            project = ahead.get(code)
            if project is None:
                waiting.append(code)
                continue
            existing = done.get(adj.id)
            if existing is not None and existing.cut == adj.decided_cut:
                unchanged += 1
                continue
            if not reversible(_goal_status(project)):
                locked.append(code)
                continue
            if existing is not None:
                _restore(project, existing)
                s.delete(existing)
                s.flush()
            s.add(_cut(s, adj, project))
            carried.append(code)
        result = CarryResult(tuple(carried), unchanged, tuple(waiting), tuple(locked))
        audit.record(
            s, "结转调减", audit.CARRIED_CUT, None, f"{year}→{year + 1}",
            after={"调减项目": carried, "无下年度项目": waiting, "下年度目标已通过": locked},
        )  # fmt: skip
        return result


def revert_cut(db: Database, carried_id: int) -> None:
    """Put next year's amounts back as they were (refused once its goal is approved)."""
    with db.transaction() as s:
        row = s.get(CarriedCut, carried_id)
        if row is None:
            raise UserError(f"未找到编号为 {carried_id} 的下年度调减，可能已撤销。")
        project = row.project
        if not reversible(_goal_status(project)):
            raise UserError(f"项目“{project.code}”下年度绩效目标已通过审核，调减不能再撤销。")
        before = {"资金总额": project.total_amount}
        _restore(project, row)
        audit.record(
            s, "撤销调减", audit.CARRIED_CUT, row.id, project.code, before,
            {"资金总额": project.total_amount},
        )  # fmt: skip
        s.delete(row)


def carried_cuts(db: Database, year: int) -> list[CarriedRow]:
    """The cuts carried from `year` into year + 1, by project code."""
    stmt = (
        select(CarriedCut, BudgetAdjustment)
        .join(BudgetAdjustment, CarriedCut.adjustment_id == BudgetAdjustment.id)
        .where(live.in_year(BudgetAdjustment, year))
    )
    with db.session() as s:
        rows = [
            CarriedRow(
                c.id, c.project.code, c.project.name, c.project.department.code,
                c.project.department.name, c.total_before,
                c.cut, c.total_before - c.cut, c.reason, reversible(_goal_status(c.project)),
            )
            for c, _adj in s.execute(stmt)
        ]  # fmt: skip
    return sorted(rows, key=lambda r: r.project_code)


def _year(s: Session, year: int) -> FiscalYear:
    fy = live.fiscal_year(s, year)
    if fy is None:
        raise UserError(f"{year} 年度不存在。")
    return fy


def _next_projects(s: Session, year: int) -> dict[str, Project]:
    stmt = select(Project).where(live.in_year(Project, year), *live.only(Project))
    return {p.code: p for p in s.scalars(stmt)}


def _goal_status(project: Project) -> GoalStatus | None:
    goal: Goal | None = project.goal
    if goal is None or live.in_bin(goal):
        return None
    return GoalStatus(goal.status)


def _cut(s: Session, adj: BudgetAdjustment, project: Project) -> CarriedCut:
    assert adj.decided_cut is not None
    before = Amounts(project.total_amount, project.fiscal_amount, project.other_amount)
    after, applied = apply_cut(before, adj.decided_cut)
    project.total_amount, project.fiscal_amount = after.total, after.fiscal
    project.other_amount = after.other
    why = adj.basis + (f"；确定理由：{adj.decision_reason}" if adj.decision_reason else "")
    return CarriedCut(
        adjustment_id=adj.id, project_id=project.id, total_before=before.total,
        fiscal_before=before.fiscal, other_before=before.other, cut=applied,
        reason=f"调减{wan(applied)}万元：{why}", applied_at=datetime.now().replace(microsecond=0),
        actor=audit.actor(s),
    )  # fmt: skip


def _restore(project: Project, row: CarriedCut) -> None:
    project.total_amount = row.total_before
    project.fiscal_amount = row.fiscal_before
    project.other_amount = row.other_before
