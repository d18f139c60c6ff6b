"""Writing checked plans in one transaction, with bulk statements.

Indicator rows are updated in place (matched by the approved indicator), never deleted and
re-inserted: review items point at them, and their ids must survive a re-import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from app.domain.progress import NO_PROGRESS, Progress
from app.services.evaluation.workbook.checks import Plan
from app.storage import versions
from app.storage.models import SelfEvaluation, SelfEvaluationIndicator
from app.storage.models.workflow import stated_parse

_CHUNK = 200  # evaluations between progress steps


def save_plans(session: Session, plans: Sequence[Plan], progress: Progress = NO_PROGRESS) -> None:
    total = len(plans)
    for start in range(0, total, _CHUNK):
        progress.step(start, total, f"正在保存绩效自评（{start}/{total}）")
        chunk = plans[start : start + _CHUNK]
        _insert_new(session, [p for p in chunk if p.target.evaluation is None])
        _update_existing(session, [p for p in chunk if p.target.evaluation is not None])
    progress.step(total, total, "正在提交")


def _insert_new(session: Session, plans: list[Plan]) -> None:
    if not plans:
        return
    heads = [
        SelfEvaluation(
            scope=p.target.scope.value,
            year_id=p.target.year_id,
            department_id=p.target.department_id,
            project_id=p.target.project_id,
            **p.head,
        )
        for p in plans
    ]
    session.add_all(heads)
    session.flush()
    rows = [
        _stored({"evaluation_id": head.id, **row}) for head, p in zip(heads, plans, strict=True)
        for row in p.rows
    ]  # fmt: skip
    if rows:
        session.execute(insert(SelfEvaluationIndicator), rows)


def _update_existing(session: Session, plans: list[Plan]) -> None:
    if not plans:
        return
    heads, updates, inserts, stale = [], [], [], []
    for p in plans:
        existing = p.target.evaluation
        assert existing is not None
        heads.append({"id": existing.id, **p.head})
        by_indicator = {r["indicator_id"]: row_id for row_id, r in existing.rows.items()}
        wanted = {r["indicator_id"] for r in p.rows}
        for row in p.rows:
            row_id = by_indicator.get(row["indicator_id"])
            if row_id is None:
                inserts.append(_stored({"evaluation_id": existing.id, **row}))
            elif existing.rows[row_id] != row:
                updates.append(_stored({"id": row_id, **row}))
        kept = {row_id for key, row_id in by_indicator.items() if key in wanted}
        stale += [row_id for row_id in existing.rows if row_id not in kept]
    session.execute(update(SelfEvaluation), heads)
    versions.bump(session, [h["id"] for h in heads], SelfEvaluation)  # an open form must reload
    if updates:
        session.execute(update(SelfEvaluationIndicator), updates)
    if inserts:
        session.execute(insert(SelfEvaluationIndicator), inserts)
    if stale:
        _delete(session, stale)


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its stated target's parse, which scoring reads instead of the text."""
    return {**row, **stated_parse(row["stated_target"])}


def _delete(session: Session, ids: list[Any]) -> None:
    # Rows of indicators no longer in the goal (or duplicates of one) go; review items of
    # them go too (ON DELETE CASCADE): they reviewed a row that is no longer there.
    session.execute(delete(SelfEvaluationIndicator).where(SelfEvaluationIndicator.id.in_(ids)))
