"""Import printed forms, one file at a time, each all-or-nothing.

For a file: read every table (phase one, no database), match units and projects, plan the
goals (goals.py) and the self-evaluations (selfeval.py); any blocking problem refuses the
whole file with every problem located, and nothing is written. Otherwise, in ONE transaction:
goals through the goals workbook's writer, goals brought by a 自评表 approved as FROM_FORM,
self-evaluations through the self-evaluation workbook's writer. What the file does not change
is not written, so importing the same file again changes nothing. A batch backs the database
up once, before its first write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import UserError
from app.domain.progress import NO_PROGRESS, Cancelled, Progress
from app.domain.rules import RuleSet
from app.services.common import audit, jobs, live
from app.services.common.backups import backup_before
from app.services.evaluation import evaluation_key
from app.services.evaluation.inputs import DEPARTMENT_SUFFIX
from app.services.evaluation.workbook.checks import Plan
from app.services.evaluation.workbook.context import Target, load_targets
from app.services.evaluation.workbook.save import save_plans
from app.services.goals.workbook.state import load_state
from app.services.goals.workbook.writing import write_plan
from app.spreadsheet.forms import SUFFIXES, FormProblem, read_forms
from app.storage import joblock, versions
from app.storage.database import Database
from app.storage.models import Department, Goal, Project

from .entries import FormEntry, read_entry
from .goals import FROM_FORM, GoalWork, plan_goals
from .matching import Matched, match
from .report import FileReport, file_report
from .selfeval import selfeval_plan


class _Refused(Exception):
    """A problem found only inside the transaction: roll back, report the file."""


def form_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: given files, and the form files inside given folders (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$")
            )  # fmt: skip
        else:
            found.append(path)
    return found


@jobs.exclusive(joblock.IMPORT)
def import_forms(
    db: Database,
    paths: Iterable[str | Path],
    rules: RuleSet,
    *,
    year: int | None = None,
    backup: bool = True,
    progress: Progress = NO_PROGRESS,
) -> list[FileReport]:
    """Import every file (folders are searched); one report per file, in order."""
    files = form_files(paths)
    reports = []
    backed_up = not backup

    def before_write() -> None:
        nonlocal backed_up
        if not backed_up:
            backup_before(db, "import")
            backed_up = True

    for done, path in enumerate(files):
        if progress.is_cancelled():
            raise Cancelled()
        progress.step(done, len(files), f"正在导入“{path.name}”（{done + 1}/{len(files)}）")
        reports.append(import_form_file(db, path, rules, year=year, before_write=before_write))
    progress.step(len(files), len(files), "导入完成")
    return reports


def import_form_file(
    db: Database,
    path: str | Path,
    rules: RuleSet,
    *,
    year: int | None = None,
    before_write: Callable[[], None] | None = None,
) -> FileReport:
    """Import one file; a refused file is a report with its problems, never an exception."""
    path = Path(path)
    try:
        tables = read_forms(str(path), year)
    except UserError as exc:
        return file_report(path, [], [FormProblem(exc.message)], written=False)  # names the file
    entries = [read_entry(t, rules.goals, year) for t in tables]
    if not entries:
        message = "没有识别到项目支出或部门整体支出的绩效目标申报表、绩效自评表"
        return file_report(path, [], [FormProblem(message, file=path.name)], written=False)
    years = {e.year for e in entries if e.year is not None}
    if len(years) > 1:
        message = f"一个文件中有多个年度（{'、'.join(map(str, sorted(years)))}），请分开导入"
        return file_report(path, entries, [FormProblem(message, file=path.name)], written=False)
    if not years or any(p.blocking for e in entries for p in e.problems):
        return file_report(path, entries, [], written=False)
    the_year = years.pop()
    with db.session() as session:
        state = load_state(session, the_year)
        targets = load_targets(session, [the_year])
    matches = [match(e, state) for e in entries]
    pairs = [(e, m) for e, m in zip(entries, matches, strict=True) if m is not None]
    if len(pairs) < len(entries):
        return file_report(path, entries, [], written=False)
    _check_duplicates(pairs)
    work = plan_goals(pairs, state, rules, the_year)
    words = rules.scoring.qualitative_achieved
    plans = _plans_against_stored(pairs, work, targets, the_year, words)
    if any(p.blocking for e in entries for p in e.problems):
        return file_report(path, entries, [], written=False)
    writes_goals = work.plan is not None and bool(work.plan.write)
    if not writes_goals and not any(p.changed for p in plans):
        return file_report(path, entries, [], written=False, matches=matches)
    if before_write is not None:
        before_write()
    try:
        with db.transaction() as session:
            _write(session, work, pairs, plans, the_year, words, path.name)
    except _Refused:
        return file_report(path, entries, [], written=False)
    return file_report(path, entries, [], written=True, matches=matches)


def _check_duplicates(pairs: list[tuple[FormEntry, Matched]]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for entry, matched in pairs:
        key = (entry.kind.value, matched.department.code, matched.project_code)
        if key in seen:
            entry.at_table("与本文件中前面的一张表是同一项目的同一种表，请只保留一张")
        seen.add(key)


def _target_key(entry: FormEntry, matched: Matched) -> str:
    scope = Scope.DEPARTMENT if entry.kind.is_department else Scope.PROJECT
    return evaluation_key(scope.value, matched.project_code or None, matched.department.code)


def _plans_against_stored(
    pairs: list[tuple[FormEntry, Matched]],
    work: GoalWork,
    targets: dict[tuple[int, str], Target],
    year: int,
    words: tuple[str, ...],
) -> list[Plan]:
    """Self-evaluations of goals already stored, checked before anything is written."""
    brought = {key for _, key in work.from_form}
    plans = []
    for entry, matched in pairs:
        if not entry.kind.is_self_evaluation:
            continue
        if (
            matched.department.code if entry.kind.is_department else matched.project_code
        ) in brought:
            continue
        target = targets.get((year, _target_key(entry, matched)))
        if target is None or not target.approved:
            status = target.goal_status if target is not None else "未填报"
            entry.at_table(
                f"该项目的绩效目标尚未批复（当前：{status}），不能导入自评；请先审核通过"
            )
            continue
        plan = selfeval_plan(entry, target, words)
        if plan is not None:
            plans.append(plan)
    return plans


def _write(
    session: Session,
    work: GoalWork,
    pairs: list[tuple[FormEntry, Matched]],
    plans: list[Plan],
    year: int,
    words: tuple[str, ...],
    file_name: str,
) -> None:
    if work.plan is not None and work.plan.write:
        write_plan(session, work.plan, work.content, load_state(session, year))
    if work.from_form:
        _approve_from_form(session, work, year)
        session.flush()
        targets = load_targets(session, [year])
        for entry, matched in pairs:
            key = _target_key(entry, matched)
            brought = matched.department.code if entry.kind.is_department else matched.project_code
            if not entry.kind.is_self_evaluation or brought not in {k for _, k in work.from_form}:
                continue
            plan = selfeval_plan(entry, targets[year, key], words)
            if plan is None:
                raise _Refused()
            plans = [*plans, plan]
    changed = [p for p in plans if p.changed]
    if changed:
        save_plans(session, changed)
    audit.record(
        session, "导入纸质表样", audit.SELF_EVALUATION, None, file_name,
        after={"表格数": len(pairs), "自评": [p.target.key for p in changed]},
    )  # fmt: skip


def _approve_from_form(session: Session, work: GoalWork, year: int) -> None:
    """Goals brought by a 自评表: approved, with FROM_FORM as reviewer so they read as such."""
    year_id = live.year_id(session, year)
    projects = [code for scope, code in work.from_form if scope is Scope.PROJECT]
    departments = [code for scope, code in work.from_form if scope is Scope.DEPARTMENT]
    found: list[tuple[int, str]] = [
        (row[0], row[1])
        for row in session.execute(
            select(Goal.id, Project.code)
            .join(Project, Goal.project_id == Project.id)
            # Live only: the import refuses a binned code or goal, so it wrote none of them.
            .where(
                Project.year_id == year_id, Project.code.in_(projects), *live.only(Goal, Project)
            )
        )
    ]
    found += session.execute(
        select(Goal.id, Department.code + DEPARTMENT_SUFFIX)
        .join(Department, Goal.department_id == Department.id)
        .where(
            Goal.year_id == year_id,
            Goal.scope == Scope.DEPARTMENT.value,
            Department.code.in_(departments),
            *live.only(Goal),
        )
    ).all()
    values = {
        "status": GoalStatus.APPROVED.value,
        "reviewer": FROM_FORM,
        "reviewed_at": datetime.now(),
    }
    found_ids = [i for i, _ in found]  # live goals only, picked above
    session.execute(update(Goal).where(Goal.id.in_(found_ids), *live.only(Goal)).values(**values))
    versions.bump(session, found_ids)  # a status change counts: an open editor must reload
    for goal_id, key in found:
        after = {"状态": values["status"], "审核人": FROM_FORM}
        audit.record(session, "取自自评表的绩效目标", audit.GOAL, goal_id, key, after=after)
