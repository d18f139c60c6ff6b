"""Review actions started from the project list: one goal, or many with a confirmation.

Each function asks what it needs, runs the service, shows the outcome, and returns True
when something changed (so the list reloads).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtWidgets import QWidget

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.common.catalog import ProjectRow
from app.services.goals import (
    BulkResult,
    Refusal,
    approve_goal,
    approve_goals,
    goal_history,
    load_goal,
    return_goal,
    return_goals,
    submit_goal,
)
from app.services.goals.lookup import project_goal_ids
from app.storage.database import Database
from app.ui.goals.review_dialogs import ask_bulk_return_reason, ask_return_reasons, show_bulk_result
from app.ui.goals.review_history import show_history
from app.ui.widgets.confirm import ask
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.tasks import run_task

NO_GOAL = "尚未填报绩效目标"


def _goal_id(parent: QWidget, db: Database, row: ProjectRow) -> int | None:
    goal_id = project_goal_ids(db, [row.id]).get(row.id)
    if goal_id is None:
        show_error(parent, f"项目 {row.code}“{row.name}”{NO_GOAL}，请先双击打开并填写")
    return goal_id


def submit_one(parent: QWidget, db: Database, rules: RuleSet, row: ProjectRow) -> bool:
    goal_id = _goal_id(parent, db, row)
    if goal_id is None:
        return False
    try:
        submit_goal(db, goal_id, rules)
    except UserError as exc:
        show_error(parent, exc)
        return False
    return True


def approve_one(parent: QWidget, db: Database, rules: RuleSet, row: ProjectRow) -> bool:
    goal_id = _goal_id(parent, db, row)
    if goal_id is None:
        return False
    try:
        approve_goal(db, goal_id, rules)
    except UserError as exc:  # ValidationFailed lists every blocking problem with its row
        show_error(parent, exc)
        return False
    return True


def return_one(parent: QWidget, db: Database, row: ProjectRow) -> bool:
    goal_id = _goal_id(parent, db, row)
    if goal_id is None:
        return False
    reasons = ask_return_reasons(parent, load_goal(db, goal_id))
    if reasons is None:
        return False
    try:
        return_goal(db, goal_id, reasons.overall, reasons.by_indicator)
    except UserError as exc:
        show_error(parent, exc)
        return False
    return True


def show_goal_history(parent: QWidget, db: Database, row: ProjectRow) -> None:
    goal_id = _goal_id(parent, db, row)
    if goal_id is not None:
        show_history(parent, f"{row.code} {row.name}", goal_history(db, goal_id))


def bulk_approve(parent: QWidget, db: Database, rules: RuleSet, rows: Sequence[ProjectRow]) -> bool:
    if not _confirm_bulk(parent, "批量通过", rows, "审核通过"):
        return False
    goal_ids, missing = _bulk_goals(db, rows)
    result = run_task(
        parent,
        "批量通过",
        lambda _progress: approve_goals(db, goal_ids, rules),
        label=f"正在审核 {len(goal_ids)} 个绩效目标…",
    )
    show_bulk_result(parent, "通过", _named(_with_missing(result, missing), rows))
    return bool(result.done)


def bulk_return(parent: QWidget, db: Database, rows: Sequence[ProjectRow]) -> bool:
    if not rows:
        show_info(
            parent, "批量退回", "请先在项目列表中选择要退回的项目（可按住 Ctrl 或 Shift 多选）"
        )
        return False
    reason = ask_bulk_return_reason(parent, len(rows))
    if reason is None:
        return False
    goal_ids, missing = _bulk_goals(db, rows)
    result = run_task(
        parent,
        "批量退回",
        lambda _progress: return_goals(db, goal_ids, reason),
        label=f"正在退回 {len(goal_ids)} 个绩效目标…",
    )
    show_bulk_result(parent, "退回", _named(_with_missing(result, missing), rows))
    return bool(result.done)


def _confirm_bulk(parent: QWidget, title: str, rows: Sequence[ProjectRow], action: str) -> bool:
    if not rows:
        show_info(parent, title, "请先在项目列表中选择项目（可按住 Ctrl 或 Shift 多选）")
        return False
    text = (
        f"将{action}选中的 {len(rows)} 个项目的绩效目标。\n"
        "只有“待审核”且没有阻止性问题的目标会通过，其余的将列出原因，不作改动。"
    )
    return ask(parent, title, text, f"{action} {len(rows)} 个", "取消")


def _bulk_goals(db: Database, rows: Sequence[ProjectRow]) -> tuple[list[int], list[ProjectRow]]:
    ids = project_goal_ids(db, [r.id for r in rows])
    return [ids[r.id] for r in rows if r.id in ids], [r for r in rows if r.id not in ids]


def _with_missing(result: BulkResult, missing: Sequence[ProjectRow]) -> BulkResult:
    """Projects without a goal are refused too, so the user sees every selected project."""
    extra = tuple(Refusal(0, r.code, f"项目 {r.code}", (NO_GOAL,)) for r in missing)
    return BulkResult(result.done, result.refused + extra)


def _named(result: BulkResult, rows: Sequence[ProjectRow]) -> BulkResult:
    """Refused goals named by code and project name, as the list shows them."""
    names = {r.code: r.name for r in rows}
    refused = tuple(
        replace(r, label=f"{r.project_code} {names[r.project_code]}")
        if r.project_code in names
        else r
        for r in result.refused
    )
    return BulkResult(result.done, refused)
