"""财政重点评价: the year's plan, each evaluation's framework and scores, problems and advice.

Decisions:
- An evaluation is created with a copy of the shipped framework template; editing the
  template later never changes an existing evaluation (its items are its own rows).
- 评价编号 is ZD<year>-<nn>, the next free number of the year, when none is typed.
- A project evaluation names its project; a policy may name the project that funds it (so
  its grade reaches 结果应用); a department-wide one names only the department.
- The framework and the scores are saved together, all or nothing: weights that do not add
  up to 100 (or 产出 + 效益 < 60) or a score above its item's weight saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain.errors import UserError, ValidationFailed
from app.domain.key_evaluation import (
    FrameworkItem,
    ObjectKind,
    ScoredItem,
    framework_problems,
    outcome,
    score_problems,
)
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.key_evaluation.framework import load_template
from app.storage import versions
from app.storage.database import Database
from app.storage.models import (
    Department,
    FiscalYear,
    KeyEvaluation,
    KeyEvaluationItem,
    Project,
)


@dataclass(frozen=True)
class PlanEdit:
    """What the bureau types for one evaluation of the plan. Amount in 元."""

    object_kind: ObjectKind
    subject: str
    department_code: str
    reason: str
    project_code: str = ""
    amount: Decimal = Decimal(0)
    agency: str = ""
    team: str = ""
    problems: str = ""
    suggestions: str = ""
    finished_on: date | None = None
    code: str = ""


@dataclass(frozen=True)
class ItemEdit:
    level1: str
    level2: str
    name: str
    points: Decimal
    guidance: str = ""
    score: Decimal | None = None
    evidence: str = ""

    def scored(self) -> ScoredItem:
        item = FrameworkItem(self.level1, self.level2, self.name, self.points, self.guidance)
        return ScoredItem(item, self.score, self.evidence)


@dataclass(frozen=True)
class EvaluationRow:
    id: int
    year: int
    code: str
    object_kind: str
    subject: str
    department_code: str
    department: str
    project_code: str
    plan: PlanEdit
    items: tuple[ItemEdit, ...] = field(default=())
    total: Decimal = Decimal(0)
    scored: int = 0
    grade: str = ""  # empty until every item is scored
    score_by_level1: dict[str, Decimal] = field(default_factory=dict)
    points_by_level1: dict[str, Decimal] = field(default_factory=dict)
    version: int = 0  # of the stored evaluation when loaded (storage/versions.py)

    @property
    def complete(self) -> bool:
        return bool(self.items) and self.scored == len(self.items)

    @property
    def problem_lines(self) -> list[str]:
        return _lines(self.plan.problems)

    @property
    def suggestion_lines(self) -> list[str]:
        return _lines(self.plan.suggestions)


def create_evaluation(
    db: Database,
    year: int,
    edit: PlanEdit,
    rules: RuleSet,
    items: list[ItemEdit] | None = None,
) -> EvaluationRow:
    """Add an evaluation to the year's plan with a copy of the framework template, or with
    `items` (the template as edited before the first save)."""
    if items is None:
        items = [
            ItemEdit(i.level1, i.level2, i.name, i.points, i.guidance) for i in load_template()
        ]
    _check_items(items)
    with db.transaction() as s:
        fy = _year(s, year)
        row = KeyEvaluation(year_id=fy.id, code=edit.code.strip() or _next_code(s, fy))
        _apply_plan(s, row, fy, edit)
        row.items = [_item_row(n, i) for n, i in enumerate(items, 1)]
        s.add(row)
        versions.flush_first(s, f"评价编号 {row.code} 刚刚已被其他操作人员使用，请再保存一次。")
        audit.record(
            s, "新建重点评价", audit.KEY_EVALUATION, row.id, f"{row.code} {row.subject}",
            after={**_plan_fields(row), **_outcome_fields(row, rules)},
        )  # fmt: skip
        return _row(row, year, rules)


def template_items() -> list[ItemEdit]:
    """The shipped framework template as unscored items (a new evaluation starts here)."""
    return [ItemEdit(i.level1, i.level2, i.name, i.points, i.guidance) for i in load_template()]


def save_evaluation(
    db: Database,
    evaluation_id: int,
    edit: PlanEdit,
    rules: RuleSet,
    items: list[ItemEdit] | None = None,
    loaded_version: int | None = None,
) -> EvaluationRow:
    """Save the plan fields (agency, team, problems, advice) and, when given, the framework
    and scores, in one transaction: nothing is saved when either is wrong. With
    `loaded_version` (EvaluationRow.version), an evaluation changed since then is refused."""
    if items is not None:
        _check_items(items)
    with db.transaction() as s:
        row = _get(s, evaluation_id, loaded_version)
        label = f"重点评价 {row.code}"
        versions.check(s, row, loaded_version, audit.KEY_EVALUATION, evaluation_id, label)
        fy = s.get(FiscalYear, row.year_id)
        assert fy is not None
        before = {**_plan_fields(row), **_outcome_fields(row, rules)}
        _apply_plan(s, row, fy, edit)
        if items is not None:
            row.items = [_item_row(n, i) for n, i in enumerate(items, 1)]
        s.flush()
        after = {**_plan_fields(row), **_outcome_fields(row, rules)}
        old, new = audit.changed_only(before, after)
        audit.record(s, "修改重点评价", audit.KEY_EVALUATION, row.id, row.code, old, new)
        return _row(row, fy.year, rules)


def save_items(
    db: Database, evaluation_id: int, items: list[ItemEdit], rules: RuleSet
) -> EvaluationRow:
    """Replace the evaluation's framework and scores (checked as a whole first)."""
    _check_items(items)
    with db.transaction() as s:
        row = _get(s, evaluation_id)
        before = _outcome_fields(row, rules)
        row.items = [_item_row(n, i) for n, i in enumerate(items, 1)]
        s.flush()
        audit.record(
            s, "评分重点评价", audit.KEY_EVALUATION, row.id, row.code, before,
            _outcome_fields(row, rules),
        )  # fmt: skip
        return _row(row, row_year(s, row), rules)


def delete_evaluation(db: Database, evaluation_id: int) -> None:
    with db.transaction() as s:
        row = _get(s, evaluation_id)
        audit.record(
            s, "删除重点评价", audit.KEY_EVALUATION, row.id, f"{row.code} {row.subject}",
            before=_plan_fields(row),
        )  # fmt: skip
        s.delete(row)


def list_evaluations(db: Database, year: int, rules: RuleSet) -> list[EvaluationRow]:
    """The year's plan in 评价编号 order, each with its framework, total and grade."""
    with db.session() as s:
        stmt = (
            select(KeyEvaluation)
            .where(live.in_year(KeyEvaluation, year))
            .order_by(KeyEvaluation.code)
            # In three queries, not one per evaluation for its items, unit and project.
            .options(
                selectinload(KeyEvaluation.items),
                joinedload(KeyEvaluation.department),
                joinedload(KeyEvaluation.project),
            )
        )
        return [_row(row, year, rules) for row in s.scalars(stmt).unique()]


def load_evaluation(db: Database, evaluation_id: int, rules: RuleSet) -> EvaluationRow:
    with db.session() as s:
        row = _get(s, evaluation_id)
        return _row(row, row_year(s, row), rules)


def find_evaluation(db: Database, year: int, code: str, rules: RuleSet) -> EvaluationRow:
    found = next((r for r in list_evaluations(db, year, rules) if r.code == code), None)
    if found is None:
        raise UserError(f"{year}年没有编号为“{code}”的财政重点评价。")
    return found


# -- helpers ------------------------------------------------------------------------------
def _check_items(items: list[ItemEdit]) -> None:
    scored = [i.scored() for i in items]
    problems = framework_problems([s.item for s in scored]) + score_problems(scored)
    if problems:
        raise ValidationFailed(problems, f"评价指标体系有 {len(problems)} 个问题，未保存：")


def row_year(s: Session, row: KeyEvaluation) -> int:
    fy = s.get(FiscalYear, row.year_id)
    assert fy is not None
    return fy.year


def _year(s: Session, year: int) -> FiscalYear:
    fy = live.fiscal_year(s, year)
    if fy is None:
        raise UserError(f"{year} 年度不存在：请先导入该年度的项目和绩效目标。")
    return fy


def _get(s: Session, evaluation_id: int, loaded_version: int | None = None) -> KeyEvaluation:
    row = s.get(KeyEvaluation, evaluation_id)
    if row is None:
        versions.check(s, None, loaded_version, audit.KEY_EVALUATION, evaluation_id, "该重点评价")
        raise UserError(f"未找到编号为 {evaluation_id} 的重点评价，可能已被删除。")
    return row


def _next_code(s: Session, fy: FiscalYear) -> str:
    taken = set(s.scalars(select(KeyEvaluation.code).where(KeyEvaluation.year_id == fy.id)))
    n = 1
    while f"ZD{fy.year}-{n:02d}" in taken:
        n += 1
    return f"ZD{fy.year}-{n:02d}"


def _apply_plan(s: Session, row: KeyEvaluation, fy: FiscalYear, edit: PlanEdit) -> None:
    label = edit.subject.strip() or edit.code.strip() or row.code
    problems = []
    if not edit.subject.strip():
        problems.append(f"重点评价“{label}”缺少评价对象名称")
    if not edit.reason.strip():
        problems.append(f"重点评价“{label}”缺少选择理由")
    if edit.amount < 0:
        problems.append(f"重点评价“{label}”的评价资金不能为负数")
    dept = s.scalar(select(Department).where(Department.code == edit.department_code.strip()))
    if dept is None:
        problems.append(f"重点评价“{label}”的单位编码“{edit.department_code}”不存在")
    project = None
    if edit.project_code.strip():
        project = s.scalar(
            select(Project).where(
                Project.year_id == fy.id,
                Project.code == edit.project_code.strip(),
                *live.only(Project),
            )
        )
        if project is None:
            problems.append(f"{fy.year}年没有项目编码“{edit.project_code}”")
    elif edit.object_kind is ObjectKind.PROJECT:
        problems.append(f"重点评价“{label}”是项目评价，须填写项目编码")
    if edit.code.strip() and edit.code.strip() != row.code:
        clash = s.scalar(
            select(KeyEvaluation.id).where(
                KeyEvaluation.year_id == fy.id, KeyEvaluation.code == edit.code.strip()
            )
        )
        if clash is not None:
            problems.append(f"{fy.year}年已有编号为“{edit.code.strip()}”的重点评价")
    if problems:
        raise UserError("；".join(problems) + "。")
    assert dept is not None
    row.code = edit.code.strip() or row.code
    row.object_kind = edit.object_kind.value
    row.subject = edit.subject.strip()
    row.department = dept
    row.project = project if edit.object_kind is not ObjectKind.DEPARTMENT else None
    row.reason, row.amount = edit.reason.strip(), edit.amount
    row.agency, row.team = edit.agency.strip(), edit.team.strip()
    row.problems, row.suggestions = edit.problems.strip(), edit.suggestions.strip()
    row.finished_on = edit.finished_on


def _item_row(position: int, item: ItemEdit) -> KeyEvaluationItem:
    return KeyEvaluationItem(
        position=position, level1=item.level1, level2=item.level2.strip(),
        name=item.name.strip(), points=item.points, guidance=item.guidance.strip(),
        score=item.score, evidence=item.evidence.strip(),
    )  # fmt: skip


def _items(row: KeyEvaluation) -> tuple[ItemEdit, ...]:
    return tuple(
        ItemEdit(i.level1, i.level2, i.name, i.points, i.guidance, i.score, i.evidence)
        for i in row.items
    )


def _row(row: KeyEvaluation, year: int, rules: RuleSet) -> EvaluationRow:
    items = _items(row)
    result = outcome([i.scored() for i in items], rules)
    project = row.project.code if row.project else ""
    plan = PlanEdit(
        ObjectKind(row.object_kind), row.subject, row.department.code, row.reason, project,
        row.amount, row.agency, row.team, row.problems, row.suggestions, row.finished_on,
        row.code,
    )  # fmt: skip
    return EvaluationRow(
        row.id, year, row.code, row.object_kind, row.subject, row.department.code,
        row.department.name, project, plan, items, result.total, result.scored,
        result.grade.value if result.grade else "", result.score_by_level1,
        result.points_by_level1, row.version,
    )  # fmt: skip


def _plan_fields(row: KeyEvaluation) -> dict[str, object]:
    return {
        "评价编号": row.code, "评价对象类型": row.object_kind, "评价对象": row.subject,
        "单位": row.department.code if row.department else "",
        "项目": row.project.code if row.project else "", "选择理由": row.reason,
        "评价资金": row.amount, "第三方机构": row.agency, "评价组": row.team,
        "发现的问题": row.problems, "整改建议": row.suggestions, "完成日期": row.finished_on,
    }  # fmt: skip


def _outcome_fields(row: KeyEvaluation, rules: RuleSet) -> dict[str, object]:
    result = outcome([i.scored() for i in _items(row)], rules)
    return {
        "指标数": result.items, "已评分": result.scored, "总分": result.total,
        "等级": result.grade.value if result.grade else "",
    }  # fmt: skip


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
