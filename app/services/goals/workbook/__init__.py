"""The goals workbook (绩效目标工作簿): export for departments, import two-phase.

Import: read and check the whole file (sheet reader + cross-sheet checks + the domain's goal
checks) and compare it with the database; if any problem blocks, raise ValidationFailed
with every problem located by sheet, row and column, having written nothing. Otherwise back
the database up and write everything in one transaction.

Decisions (also in the README's workbook section):
- goals 已通过 or 待审核 are never overwritten: they are reported 未导入 with the reason
  (return the goal first); a goal in the recycle bin likewise. 草稿 and 已退回 goals are
  replaced by the file's content and keep their status; new goals are 草稿.
- a project row whose 年度总体目标 is blank and which has no indicator rows imports the
  project only, leaving any existing goal alone; projects absent from the file are kept.
- departments already in the database are never modified; new ones (and their 股室) are
  created from the 单位 sheet.
- an optional column missing from the file (资金级次, 长期目标, 标准来源) keeps the stored
  values; what the file would blank or delete is listed (ImportResult.losses) and written
  only with allow_deletions (GUI: after a confirmation; CLI: --allow-deletions); too many
  (kept.blocking) is a blocking problem.
- nothing changed → nothing written (no backup, no audit entry): re-importing is a no-op.
- cancel at any progress step → the transaction rolls back, nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import Problem, ValidationFailed
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.common import audit, jobs
from app.services.common.backups import backup_before
from app.services.common.bulk import collector_paused
from app.services.common.import_losses import Loss, require_confirmation
from app.spreadsheet import read_workbook
from app.spreadsheet.goals_sheets import GOALS_WORKBOOK
from app.storage import joblock
from app.storage.database import Database

from .export import export_goals
from .kept import blocking, keep_absent_columns, losses
from .planning import Plan, make_plan
from .problems import export_problems
from .reading import FileContent, read_contents
from .state import DbState, load_state
from .types import EntryOutcome, ExportResult, ImportResult, Outcome
from .writing import write_plan

__all__ = [
    "EntryOutcome",
    "ExportResult",
    "ImportResult",
    "Outcome",
    "check_goals_workbook",
    "export_goals",
    "export_problems",
    "import_goals",
]

READ_SHARE, CHECK_SHARE = 0.6, 0.2  # of the progress bar; writing takes the rest


@dataclass(frozen=True)
class _Checked:
    content: FileContent
    state: DbState
    plan: Plan
    losses: list[Loss]


def check_goals_workbook(
    db: Database,
    path: str | Path,
    rules: RuleSet,
    *,
    year: int | None = None,
    strict: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Phase one only (a dry run): what an import would do; ValidationFailed if it can't."""
    checked = _check(db, Path(path), rules, year, strict, progress)
    return _result(Path(path).name, checked, None, created=False)


@jobs.exclusive(joblock.IMPORT)
def import_goals(
    db: Database,
    path: str | Path,
    rules: RuleSet,
    *,
    year: int | None = None,
    strict: bool = False,
    backup: bool = True,
    allow_deletions: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Import a goals workbook; `year` (optional) is the year the file must hold. Raises
    DeletionsNotConfirmed, writing nothing, when the file would blank stored values or
    delete indicators and `allow_deletions` is not set."""
    path = Path(path)
    checked = _check(db, path, rules, year, strict, progress)
    plan = checked.plan
    if not (plan.write or plan.new_units):
        progress.step(1, 1, "没有需要导入的变化")
        return _result(path.name, checked, None, created=False)
    require_confirmation(path.name, checked.losses, allow_deletions)
    backup_path = backup_before(db, "import") if backup else None
    writing = _stage(progress, READ_SHARE + CHECK_SHARE, 1.0)
    with db.transaction() as session:
        created = write_plan(session, plan, checked.content, checked.state, writing)
        result = _result(path.name, checked, backup_path, created)
        summary = _summary(result)
        audit.record(session, "导入绩效目标工作簿", audit.GOAL, None, path.name, None, summary)
        progress.step(1, 1, "导入完成")
    return result


def _check(
    db: Database, path: Path, rules: RuleSet, year: int | None, strict: bool, progress: Progress
) -> _Checked:
    with collector_paused():  # cells, rows, goals and the stored year: a million objects
        data = read_workbook(path, GOALS_WORKBOOK, _stage(progress, 0.0, READ_SHARE))
        data.raise_if_malformed()
        content = read_contents(data, rules.goals, year)
        with db.session() as session:
            state = load_state(session, content.year)
        keep_absent_columns(data, content, state)
        checking = _stage(progress, READ_SHARE, READ_SHARE + CHECK_SHARE)
        plan = make_plan(content, state, rules, strict, checking)
    found = losses(plan, state)
    plan.problems += blocking(found)
    if plan.blocking:
        summary = (
            f"文件“{path.name}”有 {len(plan.blocking)} 个必须改正的问题"
            f"（另有提示 {len(plan.problems) - len(plan.blocking)} 条），未导入任何数据："
        )
        raise ValidationFailed(_sorted(plan.problems), summary)
    return _Checked(content, state, plan, found)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Blocking first, then by sheet order of the workbook, row and column."""
    order = {spec.name: i for i, spec in enumerate(GOALS_WORKBOOK)}
    return sorted(
        problems,
        key=lambda p: (not p.blocking, order.get(p.sheet, 99), p.row or 0, p.column),
    )


def _stage(progress: Progress, start: float, end: float) -> Progress:
    """A part of the progress bar (0-1000) for one phase."""

    def report(done: int, total: int, message: str) -> None:
        share = start + (end - start) * min(done, total) / max(total, 1)
        progress.step(round(share * 1000), 1000, message)

    return Progress(report=report, is_cancelled=progress.is_cancelled)


def _result(
    file_name: str, checked: _Checked, backup_path: Path | None, created: bool
) -> ImportResult:
    plan = checked.plan
    warnings = tuple(_sorted([p for p in plan.problems if not p.blocking]))
    return ImportResult(
        file_name=file_name,
        year=plan.year,
        outcomes=tuple(plan.outcomes),
        departments_added=tuple(plan.new_units) if (plan.write or plan.new_units) else (),
        sections_added=tuple(plan.new_sections),
        warnings=warnings,
        backup_path=backup_path,
        year_created=created,
        losses=tuple(str(loss) for loss in checked.losses),
    )


def _summary(result: ImportResult) -> dict[str, object]:
    return {
        "年度": result.year,
        "新增数": len(result.added),
        "修改数": len(result.changed),
        "未变": len(result.unchanged),
        "新增": [o.code for o in result.added],
        "修改": [o.code for o in result.changed],
        "未导入": {o.code: o.reason for o in result.left_alone},
        "新建单位": list(result.departments_added),
        "删除或清空": list(result.losses),
        "备份": str(result.backup_path or ""),
    }
