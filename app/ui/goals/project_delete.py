"""删除项目 on the 绩效目标 page: selected projects (with their goals) go to the 回收站.

Nothing is removed for good here: 设置 → 回收站 lists the projects and restores them, and
only emptying the bin (after a backup) deletes rows. Each project is its own transaction (on a
worker thread, with progress and cancel, as a whole department may be selected), so one that
someone else deleted meanwhile is reported without stopping the others, and cancelling keeps
those already moved in the bin.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from app.domain.enums import GoalStatus
from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.services.common.catalog import ProjectRow
from app.services.common.recycle_bin import delete_project
from app.storage.database import Database
from app.ui.widgets.choice import confirm
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.tasks import run_task

NAMED_IN_QUESTION = 5  # the first projects are named; the rest are counted


def question_text(rows: Sequence[ProjectRow]) -> tuple[str, str]:
    """The confirmation's main text and its details: how many, which, what goes with them."""
    text = f"把选中的 {len(rows)} 个项目移到回收站？"
    named = [f"{row.code}　{row.name}" for row in rows[:NAMED_IN_QUESTION]]
    if len(rows) > NAMED_IN_QUESTION:
        named.append(f"……等共 {len(rows)} 个项目")
    notes = ["绩效目标和指标随项目一并移走，", "可在“设置 → 回收站”中恢复。"]
    approved = sum(1 for row in rows if row.status == GoalStatus.APPROVED)
    if approved:
        notes.insert(0, f"其中 {approved} 个项目的绩效目标已审核通过。")
    return text, "\n".join([*named, "", *notes])


def delete_projects(parent: QWidget, db: Database, rows: Sequence[ProjectRow]) -> bool:
    """Ask, then move the projects to the bin; whether the list changed (reload it then; a
    project that could not be moved was most likely deleted elsewhere meanwhile)."""
    if db.read_only:
        show_error(parent, "数据库以只读方式打开，不能删除项目。")
        return False
    if not rows:
        show_error(parent, "请先在列表中选择要删除的项目（按住 Ctrl 或 Shift 可多选）。")
        return False
    text, details = question_text(rows)
    if not confirm(parent, "删除项目", text, "移到回收站", details):
        return False
    moved: list[str] = []  # filled on the worker thread, read after it finished
    try:
        failed = run_task(
            parent,
            "删除项目",
            lambda progress: _move(db, rows, moved, progress),
            label=f"正在把 {len(rows)} 个项目移到回收站…",
        )
    except Cancelled:
        rest = len(rows) - len(moved)
        text = f"已取消：{len(moved)} 个项目已移到回收站，其余 {rest} 个未删除。"
        show_info(parent, "删除项目", text)
        return True
    if failed:
        show_error(parent, "\n".join([f"有 {len(failed)} 个项目未能删除：", *failed]))
    return True


def _move(
    db: Database, rows: Sequence[ProjectRow], moved: list[str], progress: Progress
) -> list[str]:
    """Each project in its own transaction (about 7 ms each); the problems, by project."""
    failed = []
    for done, row in enumerate(rows):
        progress.step(done, len(rows), f"项目 {row.code}")
        try:
            delete_project(db, row.id)
            moved.append(row.code)
        except UserError as exc:
            failed.append(f"项目 {row.code}：{exc.message}")
    progress.step(len(rows), len(rows), "完成")
    return failed
