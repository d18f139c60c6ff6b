"""Review workflow: 草稿 → 待审核 → 已通过 | 已退回 → (edited) → 待审核 again.

Every change of status writes a GoalRevision (who, when, why, what changed since the
previous change, and a JSON snapshot of the content at that moment) and an audit entry.
Resubmitting a returned goal raises its revision number. Approval re-runs the blocking
checks (the rule set may have changed since submission) and the ex-ante requirement.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import UserError, ValidationFailed
from app.domain.rules import RuleSet
from app.services.assessment.records import assessment_blockers
from app.services.common import audit
from app.services.goals.records import (
    codes_of,
    edit_problems,
    get_goal,
    label_of,
    revision_rows,
    stored_edit,
    to_detail,
)
from app.services.goals.snapshot import describe_changes, goal_snapshot
from app.services.goals.types import BulkResult, GoalDetail, Refusal, RevisionRow
from app.storage.database import Database
from app.storage.models import Goal, GoalRevision, ReturnComment


def submit_goal(db: Database, goal_id: int, rules: RuleSet) -> GoalDetail:
    """Send a draft or returned goal for review; refused with every blocking problem."""
    with db.transaction() as s:
        goal = get_goal(s, goal_id)
        _require(goal, (GoalStatus.DRAFT, GoalStatus.RETURNED), "提交")
        _raise_if_blocking(goal, rules, "不能提交")
        if goal.status == GoalStatus.RETURNED.value:
            goal.revision += 1
        goal.submitted_at = datetime.now()
        _change_status(s, goal, GoalStatus.SUBMITTED, "提交审核", audit.actor(s))
        return to_detail(s, goal)


def approve_goal(db: Database, goal_id: int, rules: RuleSet, note: str = "") -> GoalDetail:
    with db.transaction() as s:
        goal = get_goal(s, goal_id)
        _approve(s, goal, rules, note, _blockers(s, [goal], rules), audit.actor(s))
        return to_detail(s, goal)


def return_goal(
    db: Database, goal_id: int, reason: str = "", row_reasons: Mapping[int, str] | None = None
) -> GoalDetail:
    """Return a goal with an overall reason and/or reasons keyed by indicator id."""
    with db.transaction() as s:
        goal = get_goal(s, goal_id)
        _return(s, goal, reason, row_reasons or {}, audit.actor(s))
        return to_detail(s, goal)


def approve_goals(
    db: Database, goal_ids: Sequence[int], rules: RuleSet, note: str = ""
) -> BulkResult:
    """Approve every goal that can be; report the others with their reasons."""
    with db.transaction() as s:
        goals = _existing(s, goal_ids)
        blockers = _blockers(s, [g for g in goals.values() if g is not None], rules)
        who = audit.actor(s)
        # One flush at commit instead of one per query: thousands of goals stay fast.
        with s.no_autoflush:
            return _bulk(goal_ids, goals, lambda g: _approve(s, g, rules, note, blockers, who))


def return_goals(db: Database, goal_ids: Sequence[int], reason: str) -> BulkResult:
    with db.transaction() as s:
        goals = _existing(s, goal_ids)
        who = audit.actor(s)
        with s.no_autoflush:
            return _bulk(goal_ids, goals, lambda g: _return(s, g, reason, {}, who))


def goal_history(db: Database, goal_id: int) -> list[RevisionRow]:
    """Every change of status, oldest first, each with what changed before it."""
    with db.session() as session:
        return revision_rows(session, get_goal(session, goal_id).id)


# --- one goal ----------------------------------------------------------------------------


def _approve(
    s: Session, goal: Goal, rules: RuleSet, note: str, blockers: Mapping[int, str], who: str
) -> None:
    _require(goal, (GoalStatus.SUBMITTED,), "审核通过")
    _raise_if_blocking(goal, rules, "不能通过审核")
    if goal.project_id is not None and goal.project_id in blockers:
        raise UserError(blockers[goal.project_id])
    goal.reviewer = who
    goal.reviewed_at = datetime.now()
    goal.return_reason = ""
    _change_status(s, goal, GoalStatus.APPROVED, note.strip() or "审核通过", who)


def _return(s: Session, goal: Goal, reason: str, row_reasons: Mapping[int, str], who: str) -> None:
    _require(goal, (GoalStatus.SUBMITTED,), "退回")
    label = label_of(goal)
    rows = {ind.id: ind for ind in goal.indicators}
    unknown = [i for i in row_reasons if i not in rows]
    if unknown:
        raise UserError(f"{label}：退回意见指向的指标（编号 {unknown[0]}）不属于该绩效目标")
    per_row = {i: text.strip() for i, text in row_reasons.items() if text.strip()}
    if not reason.strip() and not per_row:
        raise UserError(f"{label}：退回时必须填写退回原因（总体或针对具体指标）")
    lines = [reason.strip()] if reason.strip() else []
    if reason.strip():
        s.add(ReturnComment(goal_id=goal.id, revision=goal.revision, text=reason.strip()))
    for ind in sorted((rows[i] for i in per_row), key=lambda ind: ind.position):
        text = per_row[ind.id]
        s.add(
            ReturnComment(goal_id=goal.id, revision=goal.revision, indicator_id=ind.id, text=text)
        )
        lines.append(f"第{ind.position}行“{ind.name}”：{text}")
    goal.reviewer = who
    goal.reviewed_at = datetime.now()
    goal.return_reason = reason.strip()
    _change_status(s, goal, GoalStatus.RETURNED, "\n".join(lines), who)


def _require(goal: Goal, allowed: tuple[GoalStatus, ...], action: str) -> None:
    if goal.status not in allowed:
        need = "或".join(f"“{a}”" for a in allowed)
        raise UserError(
            f"{label_of(goal)}：绩效目标当前为“{goal.status}”，只有{need}的目标可以{action}"
        )


def _raise_if_blocking(goal: Goal, rules: RuleSet, what: str) -> None:
    # The copy check only warns, so the year's text index is not needed here.
    problems = edit_problems(stored_edit(goal), rules, Scope(goal.scope), codes_of(goal))
    blocking = [p for p in problems if p.blocking]
    if blocking:
        summary = f"{label_of(goal)}：绩效目标有 {len(blocking)} 个问题，{what}："
        raise ValidationFailed(blocking, summary)


def _change_status(s: Session, goal: Goal, to: GoalStatus, reason: str, who: str) -> None:
    """Record the change: previous snapshot → now, then the new status."""
    snapshot = goal_snapshot(goal)
    previous = s.scalar(
        select(GoalRevision.snapshot_json)
        .where(GoalRevision.goal_id == goal.id)
        .order_by(GoalRevision.id.desc())
        .limit(1)
    )
    changes = describe_changes(json.loads(previous) if previous else None, snapshot)
    status_from = goal.status
    s.add(
        GoalRevision(
            goal_id=goal.id,
            revision=goal.revision,
            status_from=status_from,
            status_to=to.value,
            actor=who,
            at=datetime.now(),
            reason=reason,
            changes=changes,
            snapshot_json=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
        )
    )
    goal.status = to.value
    before = {"状态": status_from, "版本": goal.revision}
    after = {"状态": to.value, "版本": goal.revision, "原因": reason}
    audit.record(s, f"绩效目标{to.value}", audit.GOAL, goal.id, label_of(goal), before, after)


# --- bulk --------------------------------------------------------------------------------


def _existing(s: Session, goal_ids: Sequence[int]) -> dict[int, Goal | None]:
    """Goal id → goal, or None when missing or deleted."""
    stmt = (
        select(Goal)
        .where(Goal.id.in_(list(goal_ids)), Goal.deleted_at.is_(None))
        .options(selectinload(Goal.indicators), selectinload(Goal.project))
    )
    found = {g.id: g for g in s.scalars(stmt)}
    return {i: found.get(i) for i in goal_ids}


def _blockers(s: Session, goals: Sequence[Goal], rules: RuleSet) -> dict[int, str]:
    projects = [g.project for g in goals if g.project is not None]
    return assessment_blockers(s, projects, rules)


def _bulk(
    goal_ids: Sequence[int], goals: Mapping[int, Goal | None], act: Callable[[Goal], None]
) -> BulkResult:
    """Apply act to each goal; a UserError refuses that goal only (nothing was changed yet)."""
    done, refused = [], []
    for goal_id in dict.fromkeys(goal_ids):
        goal = goals[goal_id]
        if goal is None:
            missing = f"绩效目标（编号 {goal_id}）不存在或已删除"
            refused.append(Refusal(goal_id, "", missing, (missing,)))
            continue
        code, label = codes_of(goal)[1], label_of(goal)
        try:
            act(goal)
        except ValidationFailed as exc:
            refused.append(Refusal(goal_id, code, label, tuple(map(str, exc.problems))))
        except UserError as exc:
            refused.append(Refusal(goal_id, code, label, (exc.message,)))
        else:
            done.append(goal_id)
    return BulkResult(tuple(done), tuple(refused))
