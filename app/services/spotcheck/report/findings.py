"""What a review found in one project, in words: problems and the corrections they require.

Shared by the 审核意见 (per project or department) and the year's summary opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.review import DeductionReason
from app.services.reports.evaluation_common import score as fmt
from app.services.spotcheck.report.working_paper import WorkingPaperData

CORRECTIONS = {
    "inflated": (
        "按复核结果修改自评表并重新报送，自评结果以复核结果为准，并对自评不实问题作出书面说明。"
    ),
    DeductionReason.NO_EVIDENCE.value: "补充完善相关指标的佐证材料，做到数据有来源、结果可核验。",
    DeductionReason.NO_SURVEY.value: "规范开展服务对象满意度调查，留存调查问卷及统计结果。",
    DeductionReason.UNRELATED.value: (
        "下年度设置绩效目标时删除与项目无关的指标，确保指标与项目内容相符。"
    ),
    DeductionReason.DUPLICATE.value: "下年度设置绩效目标时删除重复设置的指标。",
    "rescored": "严格按评分规则自评，如实反映指标完成情况，不得高估自评得分。",
    "reason": "对未完成的指标逐项分析偏差原因，提出切实可行的改进措施。",
}
RESCORED = "复核得分低于自评得分"
NO_REASON = "未填写偏差原因"
NONE_FOUND = "自评结果基本真实，请继续做好预算绩效管理工作。"


@dataclass(frozen=True)
class ProjectFindings:
    code: str
    name: str
    department: str
    section: str
    self_total: Decimal
    self_grade: str
    review_total: Decimal | None
    review_grade: str
    finding: str  # 自评不实… or ""
    problems: tuple[tuple[str, str, str], ...]  # (三级指标, kind, problem), in sheet order
    corrections: tuple[str, ...]
    opinion: str  # the reviewer's own words

    @property
    def inflated(self) -> bool:
        return bool(self.finding)


def project_findings(d: WorkingPaperData) -> ProjectFindings:
    s = d.sheet
    problems: list[tuple[str, str, str]] = []
    keys: list[str] = ["inflated"] if d.finding else []
    for row in s.rows if d.reviewed else ():
        self_basis = row.self_score if row.self_score is not None else row.rule_score
        if row.deduction_reason:
            note = f"（{row.note.strip()}）" if row.note.strip() else ""
            text = (
                f"{row.deduction_reason}{note}，复核得分{fmt(row.reviewed_score)}分"
                f"（自评{fmt(self_basis)}分）"
            )
            problems.append((row.name, row.deduction_reason, text))
            keys.append(row.deduction_reason)
        elif row.reviewed_score is not None and row.reviewed_score < self_basis:
            text = f"复核得分{fmt(row.reviewed_score)}分，低于自评{fmt(self_basis)}分"
            problems.append((row.name, RESCORED, text))
            keys.append("rescored")
        if any("偏差原因" in flag for flag in row.flags):
            problems.append((row.name, NO_REASON, "得分低于分值，未填写偏差原因分析及改进措施"))
            keys.append("reason")
    corrections = tuple(dict.fromkeys(CORRECTIONS[k] for k in keys if k in CORRECTIONS))
    return ProjectFindings(
        code=s.project_code,
        name=s.name,
        department=s.department,
        section=s.section,
        self_total=s.self_total,
        self_grade=d.self_grade.value,
        review_total=s.review_total if d.reviewed else None,
        review_grade=s.review_grade if d.reviewed else "",
        finding=d.finding,
        problems=tuple(problems),
        corrections=corrections or ((NONE_FOUND,) if d.reviewed else ()),
        opinion=s.opinion.strip(),
    )
