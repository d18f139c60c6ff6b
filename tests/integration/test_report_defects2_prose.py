"""Report prose: no spaces between numbers and Chinese; the self-evaluation money block
prints 0.00 for zero amounts and "—" only where a figure does not apply."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from app.reports import Paragraph
from app.services.evaluation.report import compose_selfeval_table, selfeval_table_data
from app.services.monitoring.report import build_monitoring_report
from app.storage.models import SelfEvaluation
from tests import factories
from tests.integration.test_report_monitoring import june  # noqa: F401 - module fixture

CJK = "\u4e00-\u9fff，。、；：（）"
SPACED = re.compile(rf"[{CJK}] [\d—]|[\d%] [{CJK}]")


def _prose(document) -> list[str]:
    out = []
    for block in document.blocks:
        for inner in getattr(block, "blocks", (block,)):
            if isinstance(inner, Paragraph):
                out.append(inner.plain_text)
    return out


def test_monitoring_prose_has_no_spaces_around_numbers(june, rules):  # noqa: F811
    document = build_monitoring_report(june, 2025, 6, rules, dt.date(2025, 7, 10))
    prose = _prose(document)
    assert [t for t in prose if SPACED.search(t)] == []
    assert prose[1].startswith(
        "本轮监控纳入已批复绩效目标的项目4个，涉及4个预算单位、2个业务股室，调整后预算60.00万元；"
    )
    assert any("无问题1个，整改1个" in t for t in prose)


def _money(document) -> list[list[str]]:
    head = document.blocks[0]
    rows = [[c if isinstance(c, str) else c.text for c in row] for row in head.body_rows]
    return [r[-7:] for r in rows if r[0].endswith(("总额", "拨款", "资金"))]


def _county(db) -> None:
    with db.transaction() as s:
        project = factories.small_county(s, 2025, per_department=1)[0]
        factories.self_evaluation(s, project, spent=Decimal(90000))


def test_money_block_zero_is_0_00_and_dash_only_where_not_applicable(db, rules):
    _county(db)
    rows = _money(compose_selfeval_table(selfeval_table_data(db, 2025, "219001001", rules)))
    assert rows == [
        ["年度资金总额", "10.00", "10.00", "9.00", "10", "90.00%", "9.00"],
        ["其中：本年财政拨款", "0.00", "0.00", "0.00", "—", "—", "—"],  # factory: no split
        ["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"],
        ["其他资金", "0.00", "0.00", "0.00", "—", "—", "—"],
    ]


def test_adjusted_budget_leaves_the_unknown_split_as_dash(db, rules):
    _county(db)
    with db.transaction() as s:
        evaluation = s.query(SelfEvaluation).one()
        evaluation.initial_budget = Decimal(80000)
    rows = _money(compose_selfeval_table(selfeval_table_data(db, 2025, "219001001", rules)))
    assert rows[0][:4] == ["年度资金总额", "8.00", "10.00", "9.00"]
    assert [r[1] for r in rows[1:]] == ["—", "—", "—"]
