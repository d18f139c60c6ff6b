"""财政资金绩效自评抽查复核审核意见: the year's summary of the spot check.

Counts per 股室 (self-evaluations, drawn, share, reviewed), the grade changes, the 自评不实
list, the problems found (by deduction reason and per project) and required corrections.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from app.domain.errors import UserError
from app.domain.money import format_percent
from app.domain.rules import RuleSet
from app.reports import Block, Cell, Column, Document, Heading, Paragraph, SignatureBlock, Table
from app.services.reports.evaluation_common import bureau_name, left, signed, today
from app.services.reports.evaluation_common import score as fmt
from app.services.spotcheck import ReviewListRow, SectionCounts, review_list
from app.services.spotcheck.report.findings import ProjectFindings, project_findings
from app.services.spotcheck.report.working_paper import working_paper_data
from app.storage.database import Database

TITLE = "财政资金绩效自评抽查复核审核意见"


@dataclass(frozen=True)
class SectionLine:
    section: str
    population: int
    drawn: int
    share: str  # drawn / population, 2-decimal percentage
    reviewed: int
    grade_changed: int
    inflated: int


@dataclass(frozen=True)
class SummaryData:
    year: int
    bureau: str
    date: dt.date
    seed: int
    rule_text: str
    sections: tuple[SectionLine, ...]
    total: SectionLine
    grade_changes: tuple[ReviewListRow, ...]
    inflated: tuple[ReviewListRow, ...]
    reason_counts: tuple[tuple[str, int], ...]  # deduction reason → indicators, most first
    findings: tuple[ProjectFindings, ...]  # reviewed projects with problems
    corrections: tuple[str, ...]


def review_summary_data(
    db: Database, year: int, rules: RuleSet, date: dt.date | None = None
) -> SummaryData:
    summary = review_list(db, year, rules)
    if summary is None:
        raise UserError(f"{year}年尚未抽取复核样本，无法出具抽查复核审核意见。")
    reviewed = [r for r in summary.rows if r.review_total is not None]
    findings = tuple(project_findings(working_paper_data(db, r.sample_id, rules)) for r in reviewed)
    reasons = Counter(kind for f in findings for _, kind, _ in f.problems)
    with db.session() as session:
        bureau = bureau_name(session)
    lines = tuple(_line(c) for c in summary.sections)
    return SummaryData(
        year=year,
        bureau=bureau,
        date=date or today(),
        seed=summary.seed,
        rule_text=summary.rule_text,
        sections=lines,
        total=_total(lines),
        grade_changes=summary.grade_changes,
        inflated=summary.inflated,
        reason_counts=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        findings=tuple(f for f in findings if f.problems),
        corrections=tuple(dict.fromkeys(c for f in findings for c in f.corrections if f.problems)),
    )


def _line(c: SectionCounts) -> SectionLine:
    return SectionLine(
        c.section, c.population, c.drawn, _share(c.drawn, c.population), c.reviewed,
        c.grade_changed, c.inflated,
    )  # fmt: skip


def _share(drawn: int, population: int) -> str:
    return format_percent(Decimal(drawn) / Decimal(population)) if population else "—"


def _total(lines: tuple[SectionLine, ...]) -> SectionLine:
    population, drawn = sum(x.population for x in lines), sum(x.drawn for x in lines)
    return SectionLine(
        "合计", population, drawn, _share(drawn, population), sum(x.reviewed for x in lines),
        sum(x.grade_changed for x in lines), sum(x.inflated for x in lines),
    )  # fmt: skip


# ---------------------------------------------------------------- composition


def build_review_summary(
    db: Database, year: int, rules: RuleSet, date: dt.date | None = None
) -> Document:
    return compose_review_summary(review_summary_data(db, year, rules, date))


def _rule_sentence(d: SummaryData) -> str:
    """The drawing rule, naming the seed once (the recorded rule usually names it)."""
    if "种子" in d.rule_text:
        return d.rule_text
    return f"{d.rule_text}；随机种子{d.seed}，可据此复现抽样结果"


def compose_review_summary(d: SummaryData) -> Document:
    t = d.total
    blocks: list[Block] = [
        Paragraph(
            f"按照预算绩效管理工作安排，我局对{d.year}年度财政资金绩效自评开展了抽查复核。"
            f"全县共报送绩效自评{t.population}份，按各股室分别随机抽取{t.drawn}份"
            f"（抽取比例{t.share}），已完成复核{t.reviewed}份，其中等级发生变化{t.grade_changed}份，"
            f"认定自评不实{t.inflated}份。有关情况如下："
        ),
        Heading(1, "抽查情况"),
        Paragraph(f"抽样规则：{_rule_sentence(d)}。"),
        _sections_table(d),
        Heading(1, "复核结果"),
        Heading(2, "等级变化情况"),
        *_grade_changes(d),
        Heading(2, "自评不实项目"),
        *_inflated(d),
        Heading(1, "存在的问题"),
        *_problems(d),
        Heading(1, "整改要求"),
        *[Paragraph(f"{n}. {text}") for n, text in enumerate(d.corrections, 1)],
        Paragraph(
            "各单位要对照复核发现的问题认真整改，于收到本意见后15个工作日内报送整改情况；"
            "复核结果将作为下年度预算安排的重要依据。"
        ),
    ]
    return Document(
        title=TITLE,
        subtitle=f"（{d.year}年度）",
        blocks=tuple(blocks),
        signature=SignatureBlock(d.bureau, d.date),
    )


def _sections_table(d: SummaryData) -> Table:
    heads = ("股室", "自评份数", "抽查份数", "抽查比例", "已复核", "等级变化", "自评不实")
    rows: list[tuple[Cell | str, ...]] = [
        (left(x.section), str(x.population), str(x.drawn), x.share, str(x.reviewed),
         str(x.grade_changed), str(x.inflated))
        for x in d.sections
    ]  # fmt: skip
    t = d.total
    total = (t.section, t.population, t.drawn, t.share, t.reviewed, t.grade_changed, t.inflated)
    rows.append(tuple(Cell(str(v), bold=True) for v in total))
    columns = (Column(2.0), *(Column(1.0) for _ in heads[1:]))
    return Table(columns, (heads,), tuple(rows), font_size=10.5, caption="表1  各股室抽查复核情况")


def _review_rows(rows: tuple[ReviewListRow, ...]) -> tuple[tuple[Cell | str, ...], ...]:
    return tuple(
        (
            r.project_code,
            left(r.name),
            left(r.department),
            f"{fmt(r.self_total)}（{r.self_grade.value}）",
            f"{fmt(r.review_total)}（{r.review_grade.value if r.review_grade else ''}）",
            signed(r.deviation),
        )
        for r in rows
    )


_REVIEW_HEADS = ("项目编码", "项目名称", "单位", "自评得分", "复核得分", "偏离")
_REVIEW_COLUMNS = (Column(1.5), Column(2.6), Column(1.8), Column(1.3), Column(1.3), Column(0.9))


def _grade_changes(d: SummaryData) -> list[Block]:
    if not d.grade_changes:
        return [Paragraph("复核项目等级均未发生变化。")]
    table = Table(
        _REVIEW_COLUMNS, (_REVIEW_HEADS,), _review_rows(d.grade_changes), font_size=10,
        caption="表2  复核等级变化项目",
    )  # fmt: skip
    return [Paragraph(f"复核后等级发生变化的项目{len(d.grade_changes)}个："), table]


def _inflated(d: SummaryData) -> list[Block]:
    if not d.inflated:
        return [Paragraph("未发现自评不实的项目。")]
    table = Table(
        _REVIEW_COLUMNS, (_REVIEW_HEADS,), _review_rows(d.inflated), font_size=10,
        caption="表3  自评不实项目",
    )  # fmt: skip
    return [Paragraph(f"认定自评不实的项目{len(d.inflated)}个："), table]


def _problems(d: SummaryData) -> list[Block]:
    if not d.findings:
        return [Paragraph("已复核项目未发现明显问题。")]
    spread = "；".join(f"{reason}{count}项" for reason, count in d.reason_counts)
    rows = tuple(
        (f.code, left(f.name), left(name), left(text))
        for f in d.findings
        for name, _, text in f.problems
    )
    table = Table(
        (Column(1.5), Column(2.4), Column(2.0), Column(3.6)),
        (("项目编码", "项目名称", "指标", "问题"),), rows, font_size=10,
        caption="表4  复核发现的问题清单",
    )  # fmt: skip
    return [Paragraph(f"复核发现的问题按类型统计：{spread}。"), table]
