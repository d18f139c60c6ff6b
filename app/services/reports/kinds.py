"""Every report the app prints, in ONE list: what each is called and which scope it needs.

The command line (`report KIND ...`) and the 报告 page both read this list, so a report
added here is offered by both, with the same checks and the same messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum

from app.domain.errors import UserError


class Need(Enum):
    NO = "no"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class KindInfo:
    label: str
    group: str  # the workflow step the report belongs to (groups the page's list)
    project: Need = Need.NO
    department: Need = Need.NO
    month: bool = False  # a monitoring round of the year
    sampled: bool = False  # the project must be in the year's spot-check sample
    either: bool = False  # a project OR a department (per project or per department)
    approved_only: bool = False  # offers "only approved goals"
    templates: bool = False  # narrative from editable text templates

    @property
    def needs_project(self) -> bool:
        return self.project is not Need.NO

    @property
    def needs_department(self) -> bool:
        return self.department is not Need.NO


class ReportKind(StrEnum):
    GOAL_TABLE = "goal-table"
    DEPARTMENT_GOAL_TABLE = "department-goal-table"
    GOAL_BOOK = "goal-book"
    PREASSESSMENT = "preassessment"
    MONITORING_TABLE = "monitoring-table"
    MONITORING = "monitoring"
    SELFEVAL_TABLE = "selfeval-table"
    WORKING_PAPER = "working-paper"
    REVIEW_OPINION = "review-opinion"
    REVIEW_SUMMARY = "review-summary"
    RESULTS_LIST = "results-list"
    ANNUAL = "annual"

    @property
    def info(self) -> KindInfo:
        return KINDS[self]

    @property
    def label(self) -> str:
        return KINDS[self].label


_R, _O = Need.REQUIRED, Need.OPTIONAL
KINDS: dict[ReportKind, KindInfo] = {
    ReportKind.GOAL_TABLE: KindInfo("项目支出绩效目标表", "绩效目标", project=_R),
    ReportKind.DEPARTMENT_GOAL_TABLE: KindInfo("部门整体支出绩效目标表", "绩效目标", department=_R),
    ReportKind.GOAL_BOOK: KindInfo(
        "项目支出绩效目标汇编", "绩效目标", department=_O, approved_only=True
    ),
    ReportKind.PREASSESSMENT: KindInfo("事前绩效评估汇总表", "事前评估"),
    ReportKind.MONITORING_TABLE: KindInfo(
        "项目支出绩效运行监控表", "绩效监控", project=_R, month=True
    ),
    ReportKind.MONITORING: KindInfo("项目支出绩效运行监控情况报告", "绩效监控", month=True),
    ReportKind.SELFEVAL_TABLE: KindInfo("项目支出绩效自评表", "绩效自评", project=_R),
    ReportKind.WORKING_PAPER: KindInfo(
        "绩效自评抽查复核工作底稿", "抽查复核", project=_R, sampled=True
    ),
    ReportKind.REVIEW_OPINION: KindInfo(
        "抽查复核审核意见", "抽查复核", project=_O, department=_O, sampled=True, either=True
    ),
    ReportKind.REVIEW_SUMMARY: KindInfo("财政资金绩效自评抽查复核审核意见", "抽查复核"),
    ReportKind.RESULTS_LIST: KindInfo("绩效评价结果应用建议清单", "结果应用", department=_O),
    ReportKind.ANNUAL: KindInfo("预算绩效管理工作情况报告", "年度报告", templates=True),
}


@dataclass(frozen=True)
class ReportRequest:
    """What to build: the kind, the year and the scope the kind needs (see KINDS).

    `project_code` / `department_code` / `month` are ignored by kinds that do not use them.
    `final` asks for a 定稿 (refused while 【请补充】 text remains; else a 草稿 is made);
    `date` and `doc_number` (文号) override the 成文日期 (default today) and add a 文号.
    """

    kind: ReportKind
    year: int
    project_code: str = ""
    department_code: str | None = None
    approved_only: bool = False
    month: int | None = None
    final: bool = False
    date: dt.date | None = None
    doc_number: str = ""

    def missing(self) -> tuple[str, ...]:
        """Scope fields the kind requires but the request lacks: "project", "department",
        "month", or "project_or_department"."""
        info = self.kind.info
        out = []
        if info.either:
            if not self.project_code and not self.department_code:
                out.append("project_or_department")
        else:
            if info.project is Need.REQUIRED and not self.project_code:
                out.append("project")
            if info.department is Need.REQUIRED and not self.department_code:
                out.append("department")
        if info.month and self.month is None:
            out.append("month")
        return tuple(out)

    def check(self) -> None:
        """UserError naming what is missing, e.g. 生成“…监控表”需要选择监控月份。"""
        missing = self.missing()
        if missing:
            what = "、".join(MISSING_TEXT[field](self.kind.info) for field in missing)
            raise UserError(f"生成“{self.kind.label}”需要{what}。")
        if self.month is not None and not 1 <= self.month <= 12:
            raise UserError(f"监控月份“{self.month}”不对：应为 1 到 12 之间的整数。")

    def file_stem(self) -> str:
        """A file name a clerk recognises, e.g. 2025年6月项目支出绩效运行监控表_219001001."""
        info = self.kind.info
        month = f"{self.month}月" if info.month and self.month else ""
        scope = (self.project_code if info.needs_project else "") or (
            self.department_code if info.needs_department else ""
        )
        return f"{self.year}年{month}{self.kind.label}" + (f"_{scope}" if scope else "")


MISSING_TEXT: dict[str, Callable[[KindInfo], str]] = {
    "project": lambda info: "选择复核抽查样本中的项目" if info.sampled else "选择项目",
    "department": lambda _info: "选择单位",
    "month": lambda _info: "选择监控月份",
    "project_or_department": lambda _info: "选择复核抽查样本中的项目或单位",
}
