"""Closed vocabularies of the domain. Values are stored in the database as-is."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    PROJECT = "project"
    DEPARTMENT = "department"


class ProjectKind(StrEnum):
    NEW = "新增"
    CONTINUING = "延续"


class GoalStatus(StrEnum):
    DRAFT = "草稿"
    SUBMITTED = "待审核"
    APPROVED = "已通过"
    RETURNED = "已退回"


class Comparator(StrEnum):
    GE = "≥"
    GT = ">"
    EQ = "="
    LE = "≤"
    LT = "<"
    QUALITATIVE = "定性"

    @property
    def is_reverse(self) -> bool:
        return self in (Comparator.LE, Comparator.LT)

    @property
    def is_quantitative(self) -> bool:
        return self is not Comparator.QUALITATIVE


class Lamp(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"

    @property
    def label(self) -> str:
        return {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}[self.value]


class Grade(StrEnum):
    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


class QualitativeBand(StrEnum):
    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    MISSED = "未达成年度指标且效果较差"


class Likelihood(StrEnum):
    CERTAIN = "确定能"
    POSSIBLE = "有可能"
    IMPOSSIBLE = "完全不可能"


class DeviationCategory(StrEnum):
    FUNDING = "经费保障"
    SYSTEM = "制度保障"
    STAFF = "人员保障"
    HARDWARE = "硬件条件保障"
    OTHER = "其他"


class MonitoringConclusion(StrEnum):
    NO_PROBLEM = "无问题"
    RECTIFY = "整改"
    ADJUST_BUDGET = "调整预算"
    SUSPEND_FUNDING = "暂停拨款"
    DEFER = "暂缓实施"


class AssessmentConclusion(StrEnum):
    SUPPORT = "予以支持"
    PARTIAL = "部分支持"
    REJECT = "不予支持"
