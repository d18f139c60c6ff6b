"""重点评价报告 (Word / PDF): the national outline, filled from one evaluation.

Sections follow docs/domain.md §11: 基本情况, 评价工作情况, 综合评价结论, 绩效分析 (one table
per 一级 with each item's weight, score and evidence), 主要经验 (the items scored in full),
存在的问题, 建议. Signed by the third-party agency when there is one, else by the bureau.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.key_evaluation import LEVEL1, ObjectKind
from app.domain.rules import RuleSet
from app.reports import Cell, Column, Document, Heading, Paragraph, SignatureBlock, Table
from app.reports.model import Block
from app.services.key_evaluation.records import EvaluationRow, ItemEdit, find_evaluation
from app.services.reports.evaluation_common import bureau_name, left, money, points, score
from app.storage.database import Database

_ITEM_WIDTHS = (1.0, 1.4, 0.6, 0.6, 3.4)
_NOT_SCORED = "尚未评分"


@dataclass(frozen=True)
class KeyEvaluationReportData:
    evaluation: EvaluationRow
    bureau: str


def key_evaluation_report_data(
    db: Database, year: int, code: str, rules: RuleSet
) -> KeyEvaluationReportData:
    row = find_evaluation(db, year, code, rules)
    with db.session() as s:
        bureau = bureau_name(s)
    return KeyEvaluationReportData(row, bureau)


def build_key_evaluation_report(
    db: Database, year: int, code: str, rules: RuleSet, today: dt.date | None = None
) -> Document:
    return compose_key_evaluation_report(key_evaluation_report_data(db, year, code, rules), today)


def compose_key_evaluation_report(
    d: KeyEvaluationReportData, today: dt.date | None = None
) -> Document:
    e = d.evaluation
    blocks: list[Block] = [
        Heading(1, "基本情况"), Paragraph(_basics(e)),
        Heading(1, "评价工作情况"), Paragraph(_work(e, d.bureau)),
        Heading(1, "综合评价结论"), Paragraph(_conclusion(e)), _summary_table(e),
        Heading(1, "绩效分析"),
    ]  # fmt: skip
    for name in LEVEL1:
        items = [i for i in e.items if i.level1 == name]
        if items:
            got = score(e.score_by_level1.get(name)) if e.complete else _NOT_SCORED
            blocks.append(Heading(2, f"{name}（{points(e.points_by_level1[name])}分，得{got}分）"))
            blocks.append(_item_table(items))
    blocks += [Heading(1, "主要经验"), *_experience(e)]
    blocks += [Heading(1, "存在的问题"), *_numbered(e.problem_lines, "评价未发现需要说明的问题。")]
    blocks += [Heading(1, "建议"), *_numbered(e.suggestion_lines, "无。")]
    signer = e.plan.agency or d.bureau
    return Document(
        title=f"{e.subject}绩效评价报告",
        subtitle=f"（{e.year}年度财政重点评价 {e.code}）",
        blocks=tuple(blocks),
        signature=SignatureBlock(signer, e.plan.finished_on or today),
    )


def _basics(e: EvaluationRow) -> str:
    scope = {
        ObjectKind.DEPARTMENT.value: f"{e.department}部门整体支出",
        ObjectKind.POLICY.value: f"{e.subject}（政策，主管单位{e.department}）",
        ObjectKind.PROJECT.value: f"{e.subject}（项目编码{e.project_code}，{e.department}实施）",
    }[e.object_kind]
    return (
        f"本次评价对象为{scope}，涉及资金{money(e.plan.amount)}万元。"
        f"选择理由：{e.plan.reason.rstrip('。')}。"
    )


def _work(e: EvaluationRow, bureau: str) -> str:
    who = f"委托{e.plan.agency}组织实施" if e.plan.agency else f"由{bureau}组织实施"
    team = f"，评价组成员：{e.plan.team}" if e.plan.team else ""
    return (
        f"{bureau}按照财政重点评价工作安排，{who}{team}。评价采用决策、过程、产出、效益四个"
        f"方面共{len(e.items)}项三级指标，满分100分，通过查阅资料、现场核查和满意度调查等方式"
        "逐项评分。"
    )


def _conclusion(e: EvaluationRow) -> str:
    if not e.complete:
        return f"评价尚未完成：{len(e.items)}项指标中已评分{e.scored}项，暂不能得出评价等级。"
    return f"经综合评价，{e.subject}得分{score(e.total)}分，评价等级为“{e.grade}”。"


def _summary_table(e: EvaluationRow) -> Table:
    rows: list[tuple[Cell | str, ...]] = [
        (name, points(e.points_by_level1[name]),
         score(e.score_by_level1.get(name)) if e.complete else "")
        for name in LEVEL1
    ]  # fmt: skip
    total = score(e.total) if e.complete else ""
    rows.append((Cell("合计", bold=True), "100", total))
    return Table(
        (Column(2.0), Column(1.0), Column(1.0)), (("一级指标", "分值", "得分"),), tuple(rows)
    )


def _item_table(items: list[ItemEdit]) -> Table:
    rows = tuple(
        (i.level2, left(i.name), points(i.points), score(i.score), left(i.evidence or "—"))
        for i in items
    )
    heads = ("二级指标", "三级指标", "分值", "得分", "评分依据")
    return Table(tuple(Column(w) for w in _ITEM_WIDTHS), (heads,), rows, font_size=9)


def _experience(e: EvaluationRow) -> list[Paragraph]:
    full = [i.name for i in e.items if i.score is not None and i.score == i.points]
    if not full:
        return [Paragraph("各项指标均有扣分，未形成可推广的经验。")]
    return [Paragraph(f"{'、'.join(full)}等{len(full)}项指标得满分，相关做法可在同类资金中推广。")]


def _numbered(lines: list[str], empty: str) -> list[Paragraph]:
    if not lines:
        return [Paragraph(empty)]
    return [Paragraph(f"{n}. {line.lstrip('0123456789.、 ')}") for n, line in enumerate(lines, 1)]
