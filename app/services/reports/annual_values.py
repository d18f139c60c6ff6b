"""The annual report's figures as the text its templates print, group by group.

A group whose data does not exist yet (no monitoring round, no sample…) contributes no
values: a template that needs one of them is left out or replaced by its note.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.numbers import plain
from app.services.reports.annual_data import AnnualReportData
from app.services.reports.common import percent_text, wan_text

GROUPS: dict[str, tuple[str, ...]] = {
    "general": ("county", "bureau", "year", "next_year"),
    "goals": (
        "project_count",
        "project_goal_count",
        "project_goal_amount",
        "department_goal_count",
        "department_goal_amount",
        "indicator_count",
        "pending_goal_count",
        "returned_goal_count",
        "goal_coverage",
    ),
    "assessment": (
        "assessment_count",
        "assessment_submitted",
        "assessment_approved",
        "assessment_cut",
        "assessment_cut_rate",
    ),
    "monitoring": (
        "round_count",
        "round_months",
        "latest_month",
        "latest_projects",
        "latest_execution_rate",
        "latest_time_progress",
        "latest_red",
        "latest_yellow",
        "latest_green",
        "latest_blue",
        "latest_red_share",
        "lagging_section_count",
    ),
    "evaluation": (
        "project_evaluation_count",
        "department_evaluation_count",
        "grade_excellent",
        "grade_good",
        "grade_fair",
        "grade_poor",
        "average_score",
        "good_share",
        "fair_poor_count",
    ),
    "sample": (
        "sample_ratio",
        "sample_population",
        "sample_count",
        "sample_share",
        "sample_section_count",
    ),
    "review": ("reviewed_count", "grade_changed_count", "inflated_count"),
    "results": (
        "result_listed_count",
        "cut_project_count",
        "proposed_cut",
        "cut_department_count",
    ),
    "key_evaluation": (
        "key_evaluation_count",
        "key_department_count",
        "key_policy_count",
        "key_project_count",
        "key_amount",
        "key_finished_count",
        "key_excellent",
        "key_good",
        "key_fair",
        "key_poor",
        "key_problem_count",
    ),
    "rectification": (
        "rectification_count",
        "rectification_done",
        "rectification_in_progress",
        "rectification_open",
        "rectification_overdue",
        "rectification_done_share",
    ),
    "disclosure": (
        "disclosure_unit_count",
        "disclosure_goal_table_count",
        "disclosure_evaluation_table_count",
    ),
}
KNOWN = {name for names in GROUPS.values() for name in names}
# Names that place a sentence (who, when, which rule) rather than count anything.
CONTEXT = {*GROUPS["general"], "latest_month", "round_months", "sample_ratio"}


def is_zero(text: str) -> bool:
    """True for a printed figure that is nothing: "0", "0.00", "0.00%", "0.00万元"."""
    digits = text.replace(",", "").removesuffix("%")
    try:
        return Decimal(digits) == 0
    except ArithmeticError:
        return False


def _ratio(part: int, whole: int) -> Decimal | None:
    return None if not whole else Decimal(part) / whole


def placeholder_values(data: AnnualReportData) -> dict[str, str]:
    """Every available placeholder of the report as printed text."""
    values = {
        "county": data.org.county,
        "bureau": data.org.bureau,
        "year": str(data.year),
        "next_year": str(data.year + 1),
    }
    g = data.goals
    if g.project_goals or g.department_goals:
        values |= {
            "project_count": str(g.projects),
            "project_goal_count": str(g.project_goals),
            "project_goal_amount": wan_text(g.project_amount),
            "department_goal_count": str(g.department_goals),
            "department_goal_amount": wan_text(g.department_amount),
            "indicator_count": str(g.indicators),
            "pending_goal_count": str(g.pending_goals),
            "returned_goal_count": str(g.returned_goals),
            "goal_coverage": percent_text(g.coverage),
        }
    values |= _assessment(data) | _monitoring(data) | _evaluation(data)
    values |= _sample(data) | _review(data) | _results(data) | _key_evaluation(data)
    return values | _rectification(data) | _disclosure(data)


def _assessment(data: AnnualReportData) -> dict[str, str]:
    a = data.assessment
    if a is None:
        return {}
    return {
        "assessment_count": str(a.count),
        "assessment_submitted": wan_text(a.submitted),
        "assessment_approved": wan_text(a.approved),
        "assessment_cut": wan_text(a.cut),
        "assessment_cut_rate": percent_text(a.cut_rate),
    }


def _monitoring(data: AnnualReportData) -> dict[str, str]:
    m = data.monitoring
    if m is None:
        return {}
    last = m.latest
    lagging = sum(1 for s in m.sections if s.rate is not None and s.rate < last.time_progress)
    return {
        "round_count": str(len(m.rounds)),
        "round_months": "、".join(f"{r.month}月" for r in m.rounds),
        "latest_month": str(last.month),
        "latest_projects": str(last.projects),
        "latest_execution_rate": percent_text(last.execution_rate),
        "latest_time_progress": percent_text(last.time_progress),
        "latest_red": str(last.red),
        "latest_yellow": str(last.yellow),
        "latest_green": str(last.green),
        "latest_blue": str(last.blue),
        "latest_red_share": percent_text(_ratio(last.red, last.projects)),
        "lagging_section_count": str(lagging),
    }


def _evaluation(data: AnnualReportData) -> dict[str, str]:
    e = data.evaluation
    if e is None:
        return {}
    excellent, good, fair, poor = e.grades
    return {
        "project_evaluation_count": str(e.project_count),
        "department_evaluation_count": str(e.department_count),
        "grade_excellent": str(excellent),
        "grade_good": str(good),
        "grade_fair": str(fair),
        "grade_poor": str(poor),
        "average_score": f"{e.average:.2f}",
        "good_share": percent_text(_ratio(excellent + good, e.project_count)),
        "fair_poor_count": str(fair + poor),
    }


def _sample(data: AnnualReportData) -> dict[str, str]:
    s = data.sample
    if s is None:
        return {}
    return {
        "sample_ratio": f"{plain(s.ratio * 100)}%",
        "sample_population": str(s.population),
        "sample_count": str(s.drawn),
        "sample_share": percent_text(s.share),
        "sample_section_count": str(len(s.sections)),
    }


def _review(data: AnnualReportData) -> dict[str, str]:
    """Review figures only once reviews are done: "0 个自评不实" before any review says nothing."""
    s = data.sample
    if s is None or not s.reviewed:
        return {}
    return {
        "reviewed_count": str(s.reviewed),
        "grade_changed_count": str(s.grade_changed),
        "inflated_count": str(s.inflated),
    }


def _results(data: AnnualReportData) -> dict[str, str]:
    r = data.results
    if r is None:
        return {}
    return {
        "result_listed_count": str(r.listed),
        "cut_project_count": str(r.cut_projects),
        "proposed_cut": wan_text(r.proposed_cut),
        "cut_department_count": str(len(r.departments)),
    }


def _key_evaluation(data: AnnualReportData) -> dict[str, str]:
    k = data.key_evaluation
    if k is None:
        return {}
    grades = {"优": "key_excellent", "良": "key_good", "中": "key_fair", "差": "key_poor"}
    return {
        "key_evaluation_count": str(k.count),
        "key_department_count": str(k.by_kind["部门整体"]),
        "key_policy_count": str(k.by_kind["政策"]),
        "key_project_count": str(k.by_kind["项目"]),
        "key_amount": wan_text(k.amount),
        "key_finished_count": str(k.finished),
        "key_problem_count": str(k.problems),
    } | {name: str(k.grades[grade]) for grade, name in grades.items()}


def _rectification(data: AnnualReportData) -> dict[str, str]:
    r = data.rectification
    if r is None:
        return {}
    return {
        "rectification_count": str(r.items),
        "rectification_done": str(r.done),
        "rectification_in_progress": str(r.in_progress),
        "rectification_open": str(r.open),
        "rectification_overdue": str(r.overdue),
        "rectification_done_share": percent_text(_ratio(r.done, r.items)),
    }


def _disclosure(data: AnnualReportData) -> dict[str, str]:
    d = data.disclosure
    if d is None:
        return {}
    return {
        "disclosure_unit_count": str(d.units),
        "disclosure_goal_table_count": str(d.goal_tables),
        "disclosure_evaluation_table_count": str(d.evaluation_tables),
    }
