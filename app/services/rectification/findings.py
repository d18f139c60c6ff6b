"""Where 整改 items come from: the year's data read once, as plain findings.

Decisions:
- 监控红灯: a project whose overall lamp was red in a round, one finding per project and
  round (the reasons and measures the unit gave are quoted).
- 自评不实: a reviewed project the spot check flagged (|self − review| or a grade change).
- 评价等级: a project graded 中/差 — the review grade where reviewed, else the self grade
  computed by the rule set (as 结果应用 does), so a project is not listed twice.
- 重点评价: an evaluation with 发现的问题; its 整改建议 become the required action.
Each finding has a stable key, so generating again recognises what is already listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import Grade, Lamp
from app.domain.rectification import FindingSource
from app.domain.rules import RuleSet
from app.services.key_evaluation import list_evaluations
from app.services.monitoring import list_rounds, round_rows
from app.services.results.grades import project_grades
from app.services.spotcheck import review_list
from app.storage.database import Database

POOR = (Grade.FAIR, Grade.POOR)


@dataclass(frozen=True)
class Finding:
    source: FindingSource
    key: str
    department_code: str
    subject: str
    finding: str
    action: str


def year_findings(db: Database, year: int, rules: RuleSet) -> list[Finding]:
    return [
        *_red_lamps(db, year, rules),
        *_review_and_grades(db, year, rules),
        *_key_evaluations(db, year, rules),
    ]


def _red_lamps(db: Database, year: int, rules: RuleSet) -> list[Finding]:
    found = []
    for r in list_rounds(db, year):
        for row in round_rows(db, year, r.month, rules, lamp=Lamp.RED):
            why = "；".join(row.reasons) or "未说明原因"
            found.append(
                Finding(
                    FindingSource.RED_LAMP, f"red:{r.month}:{row.project_code}",
                    row.department_code, f"{row.project_code} {row.project_name}",
                    f"{r.month}月绩效监控亮红灯：{why}",
                    "分析偏差原因，落实纠偏措施，加快预算执行和目标实现，书面报告整改情况",
                )
            )  # fmt: skip
    return found


def _review_and_grades(db: Database, year: int, rules: RuleSet) -> list[Finding]:
    grades = project_grades(db, year, rules)
    units = {g.project_code: g.department_code for g in grades}
    summary = review_list(db, year, rules)
    found = []
    for r in summary.rows if summary else ():
        if r.inflated and r.project_code in units:
            found.append(
                Finding(
                    FindingSource.UNTRUE, f"untrue:{r.project_code}", units[r.project_code],
                    f"{r.project_code} {r.name}",
                    f"自评不实：自评{r.self_total}分（{r.self_grade}），复核{r.review_total}分"
                    f"（{r.review_grade}）。{r.finding}".rstrip(),
                    "按复核意见更正自评结果，查找自评不实原因，完善自评工作",
                )
            )  # fmt: skip
    for g in grades:
        if g.grade in POOR:
            found.append(
                Finding(
                    FindingSource.POOR_GRADE, f"grade:{g.project_code}", g.department_code,
                    f"{g.project_code} {g.project_name}", f"{g.source}为“{g.grade.value}”",
                    "对照评价发现的问题逐项整改，提高资金使用效益，下年度预算按规定调减",
                )
            )  # fmt: skip
    return found


def _key_evaluations(db: Database, year: int, rules: RuleSet) -> list[Finding]:
    found = []
    for e in list_evaluations(db, year, rules):
        if not e.problem_lines:
            continue
        grade = f"（评价等级“{e.grade}”）" if e.grade else ""
        problems = f"财政重点评价发现的问题{grade}：" + "；".join(e.problem_lines)
        found.append(
            Finding(
                FindingSource.KEY_EVALUATION, f"key:{e.code}", e.department_code,
                f"{e.code} {e.subject}", problems,
                "；".join(e.suggestion_lines) or "针对评价发现的问题逐项整改",
            )
        )  # fmt: skip
    return found
