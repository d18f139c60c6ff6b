"""Records the bureau's dialogs open, set up for GUI tests: a 部门整体 monitoring entry, a
key evaluation (政策) and one rectification item (from that evaluation's 发现的问题)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.key_evaluation import ObjectKind
from app.domain.rules import RuleSet
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.services.monitoring import open_round
from app.services.monitoring.department import DepartmentMonitoringRow, department_round_rows
from app.storage.database import Database
from app.storage.models import Department
from tests import factories

YEAR = 2025
DEPARTMENTS = [("301001", "县农业农村局")]  # the key-evaluation dialog's choice of units


def department_entry(db: Database, rules: RuleSet) -> DepartmentMonitoringRow:
    """县教育局 as a whole in the open June round."""
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
        dept = s.scalars(select(Department).where(Department.code == "219001")).one()
        factories.department_goal(s, factories.year(s, YEAR), dept)
    open_round(db, YEAR, 6, rules)
    return department_round_rows(db, YEAR, 6, rules)[0]


def policy_evaluation(db: Database, rules: RuleSet, problems: str = "") -> ke.EvaluationRow:
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    plan = ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台", problems=problems)
    return ke.create_evaluation(db, YEAR, plan, rules)


def rectification_item(db: Database, rules: RuleSet, today: date) -> rect.LedgerRow:
    policy_evaluation(db, rules, problems="台账不全")
    rect.generate_items(db, YEAR, rules, today)
    return rect.ledger(db, YEAR, today).rows[0]
