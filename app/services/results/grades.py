"""Each evaluated project's grade as results application counts it: the review grade where
the project was reviewed (已复核), else the self-evaluation grade computed by the rule set."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import Grade, Scope
from app.domain.rules import RuleSet
from app.domain.scoring import score_evaluation
from app.services.evaluation import load_evaluations
from app.services.spotcheck import review_list
from app.storage.database import Database

REVIEW, SELF = "抽查复核等级", "绩效自评等级"


@dataclass(frozen=True)
class ProjectGrade:
    project_code: str
    project_name: str
    department_code: str
    grade: Grade
    source: str  # 抽查复核等级 / 绩效自评等级


def project_grades(db: Database, year: int, rules: RuleSet) -> list[ProjectGrade]:
    summary = review_list(db, year, rules)
    reviewed = {r.project_code: r.review_grade for r in summary.rows} if summary else {}
    with db.session() as s:
        loaded = [e for e in load_evaluations(s, year=year) if e.scope is Scope.PROJECT]
    grades = []
    for e in loaded:
        review = reviewed.get(e.key)
        grade = review or score_evaluation(e.input, rules).grade
        grades.append(
            ProjectGrade(e.key, e.name, e.department_code, grade, REVIEW if review else SELF)
        )
    return grades
