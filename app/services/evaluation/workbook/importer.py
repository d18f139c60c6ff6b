"""Import: read the whole workbook, check everything, then save all of it or nothing.

Phase one reads and types the cells (app.spreadsheet); phase two checks the rows against
the year's projects and approved goals (checks.py). Any blocking problem raises
ValidationFailed with every problem located, and nothing is written. Otherwise the database
is backed up ("导入前") and every changed evaluation is saved in ONE transaction; evaluations
the file does not change are left alone, so importing the same file twice changes nothing
the second time. Cancelling before the commit leaves the database as it was. A missing
年度指标值 or 分值 column keeps the stored values (kept.py); what the file would blank is
listed (`losses`) and written only with allow_deletions; too much of it blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from app.domain.errors import Problem, ValidationFailed
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.common import audit, jobs
from app.services.common.backups import backup_before
from app.services.common.import_losses import require_confirmation
from app.services.common.year_rules import rules_for_year
from app.services.evaluation.workbook import kept
from app.services.evaluation.workbook.checks import Plan, check_rows
from app.services.evaluation.workbook.context import load_targets
from app.services.evaluation.workbook.save import save_plans
from app.spreadsheet import read_workbook
from app.spreadsheet.selfeval_sheets import (
    INDICATOR_SHEET_NAME,
    PROJECT_SHEET_NAME,
    SELFEVAL_SHEETS,
)
from app.storage import joblock
from app.storage.database import Database

_MAX_AUDIT_CODES = 5000


@dataclass(frozen=True)
class SelfEvalImport:
    file_name: str
    created: int  # new self-evaluations
    updated: int  # stored ones the file changed
    unchanged: int  # stored ones identical to the file
    indicators: int  # 指标 rows read
    mismatches: int  # rows whose 年度指标值 or 分值 differ from the approved goal
    warnings: tuple[Problem, ...]  # non-blocking problems, located
    backup: Path | None  # the "before import" backup (None when nothing changed)
    losses: tuple[str, ...] = ()  # stored values blanked, by project and indicator


@jobs.exclusive(joblock.IMPORT)
def import_selfeval(
    db: Database,
    path: str | Path,
    progress: Progress = NO_PROGRESS,
    rules: RuleSet | None = None,
    *,
    allow_deletions: bool = False,
) -> SelfEvalImport:
    """Import a self-evaluation workbook (see the module notes and checks.py); ``rules``
    (default: the rules of the file's newest year) gives the words that mean a qualitative
    target was met. Raises DeletionsNotConfirmed, writing nothing, when it would blank stored
    values and `allow_deletions` is not set."""
    path = Path(path)
    data = read_workbook(path, SELFEVAL_SHEETS, progress)
    data.raise_if_malformed()
    projects, indicators = data[PROJECT_SHEET_NAME], data[INDICATOR_SHEET_NAME]
    years = {row["year"] for row in projects.rows if row["year"] is not None}
    rules = rules or rules_for_year(db, max(years, default=None))
    progress.step(0, 1, "正在与批复的绩效目标核对")
    with db.session() as session:
        targets = load_targets(session, years)
    checked = check_rows(projects, indicators, targets, rules.scoring.qualitative_achieved)
    changed = [p for p in checked.plans if p.changed]
    losses = kept.losses(changed)
    found = data.problems + kept.absent_notes(indicators) + checked.problems + kept.blocking(losses)
    # Blocking problems first: they are what the department must fix.
    problems = sorted(found, key=lambda p: not p.blocking)
    blocking = sum(p.blocking for p in problems)
    if blocking:
        listed = [p if p.blocking else replace(p, message=f"（提醒）{p.message}") for p in problems]
        raise ValidationFailed(
            listed, f"文件“{path.name}”有 {blocking} 个问题须改正，未导入任何数据："
        )
    require_confirmation(path.name, losses, allow_deletions)
    backup = None
    if changed:
        progress.step(0, 1, "正在备份数据库")
        backup = backup_before(db, "import")
        with db.transaction() as session:
            save_plans(session, changed, progress)
            audit.record(
                session, "导入绩效自评", audit.SELF_EVALUATION, None, path.name,
                after=_audit_summary(changed, backup),
            )  # fmt: skip
    created = sum(p.target.evaluation is None for p in changed)
    return SelfEvalImport(
        file_name=path.name,
        created=created,
        updated=len(changed) - created,
        unchanged=len(checked.plans) - len(changed),
        indicators=sum(len(p.rows) for p in checked.plans),
        mismatches=sum(p.mismatches for p in checked.plans),
        warnings=tuple(p for p in problems if not p.blocking),
        backup=backup,
        losses=tuple(str(loss) for loss in losses),
    )


def _audit_summary(changed: list[Plan], backup: Path) -> dict[str, object]:
    """One entry per import: counts and the codes (the file and the backup hold the rest)."""
    new = [p.target.key for p in changed if p.target.evaluation is None]
    updated = [p.target.key for p in changed if p.target.evaluation is not None]
    return {
        "新增数": len(new),
        "修改数": len(updated),
        "新增": new[:_MAX_AUDIT_CODES],
        "修改": updated[:_MAX_AUDIT_CODES],
        "备份": backup.name,
    }
