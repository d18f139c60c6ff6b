"""事前绩效评估 of 新出台重大政策: recording, listing, the summary report, the audit trail."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import AssessmentConclusion
from app.domain.errors import UserError, ValidationFailed
from app.services.assessment.policies import list_policies, policy_summary, record_policy
from app.services.assessment.records import AssessmentInput
from app.services.assessment.report import preassessment_document, preassessment_report_data
from app.storage.models import AuditEntry
from tests import factories

D = Decimal
PARTIAL = AssessmentConclusion.PARTIAL


def assessment(conclusion=AssessmentConclusion.SUPPORT, requested="3000000", approved=None):
    return AssessmentInput(
        "优", "良", "良", "中", "优", conclusion, D(requested),
        None if approved is None else D(approved), date(2025, 1, 15), "李四",
    )  # fmt: skip


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    return db


def test_a_policy_is_recorded_listed_and_summed(county):
    record_policy(county, 2025, "301001", "县级农业产业化扶持政策", assessment())
    partial = assessment(PARTIAL, "2000000", "1500000")
    record_policy(county, 2025, "219001", "学前教育普惠补助政策", partial)
    rows = list_policies(county, 2025)
    assert [(r.department_code, r.name) for r in rows] == [
        ("219001", "学前教育普惠补助政策"),
        ("301001", "县级农业产业化扶持政策"),
    ]
    assert rows[1].data.approved == D(3_000_000)  # 予以支持: 审定 = 送审
    summary = policy_summary(rows)
    assert (summary.count, summary.submitted, summary.cut) == (2, D(5_000_000), D(500_000))
    assert list_policies(county, 2024) == []


def test_a_policy_is_replaced_by_id_and_audited(county):
    first = record_policy(county, 2025, "301001", "县级农业产业化扶持政策", assessment())
    again = assessment(AssessmentConclusion.REJECT)
    record_policy(county, 2025, "301001", "县级农业产业化扶持政策", again, first.id)
    [row] = list_policies(county, 2025)
    assert (row.data.conclusion, row.data.approved) == (AssessmentConclusion.REJECT, D(0))
    with county.session() as s:
        labels = s.scalars(select(AuditEntry.object_label).order_by(AuditEntry.id)).all()
    assert labels[-2:] == ["政策：县级农业产业化扶持政策"] * 2


def test_bad_input_saves_nothing(county):
    with pytest.raises(ValidationFailed) as refused:
        record_policy(county, 2025, "", " ", assessment(PARTIAL, "100", "200"))
    assert [p.column for p in refused.value.problems] == ["政策名称", "预算单位", "审定金额"]
    with pytest.raises(UserError, match="预算单位 999999 不存在"):
        record_policy(county, 2025, "999999", "某政策", assessment())
    with pytest.raises(UserError, match="没有 2030 年度"):
        record_policy(county, 2030, "301001", "某政策", assessment())
    assert list_policies(county, 2025) == []


def test_the_summary_report_lists_policies_in_their_own_table(county, rules):
    record_policy(
        county, 2025, "301001", "县级农业产业化扶持政策", assessment(PARTIAL, approved="2400000")
    )
    data = preassessment_report_data(county, 2025, rules)
    assert [p.name for p in data.policies] == ["县级农业产业化扶持政策"]
    document = preassessment_document(data, date(2025, 3, 1))
    texts = [b.text for b in document.blocks if hasattr(b, "text")]
    assert any(
        t.startswith("新出台重大政策事前绩效评估1项，送审金额300.00万元，审定金额240.00万元，"
                     "审减金额60.00万元，审减率20.00%") for t in texts
    )  # fmt: skip
    policy_table = document.blocks[-2]
    assert policy_table.body_rows[0] == (
        "1", "县农业农村局", "县级农业产业化扶持政策", "300.00", "240.00", "60.00", "20.00%",
        "部分支持",
    )  # fmt: skip
