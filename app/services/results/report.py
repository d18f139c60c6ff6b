"""结果应用 list (Word / PDF): totals by 股室 and by unit first, then each unit's projects
with grade, base amount, proposed and decided cut, one line per project (landscape)."""

from __future__ import annotations

from decimal import Decimal

from app.reports import Align, Block, Cell, Column, Document, Heading, Landscape, Paragraph, Table
from app.services.reports.evaluation_common import left, money
from app.services.results.records import DepartmentResults
from app.services.results.workbook import chosen_results
from app.storage.database import Database

HEADS = (
    "序号", "项目编码", "项目名称", "等级（来源）", "建议", "基数", "建议调减", "确定调减",
    "调整后安排", "依据及理由",
)  # fmt: skip
# Landscape widths that keep a project on one line: names up to 16 characters and the usual
# 依据 (绩效自评等级为“优”，保持或予以支持) at full size; longer ones shrink to 70 %, and only
# a text longer still (a cut's reason with the decision's) wraps.
_WIDTHS = (0.45, 1.25, 3.0, 1.1, 0.7, 0.95, 0.95, 0.95, 1.05, 4.45)


def build_results_list(db: Database, year: int, department: str | None = None) -> Document:
    return compose_results_list(year, chosen_results(db, year, department))


def compose_results_list(year: int, groups: list[DepartmentResults]) -> Document:
    total_cut = sum((g.final_cut for g in groups), Decimal(0))
    total_base = sum((g.base for g in groups), Decimal(0))
    count = sum(len(g.rows) for g in groups)
    intro = Paragraph(
        f"根据{year}年度绩效自评、抽查复核、运行监控和事前绩效评估结果，对{len(groups)}个单位"
        f"{count}个项目提出下年度预算调整建议：基数合计{money(total_base)}万元，"
        f"调减合计{money(total_cut)}万元（已确定的按确定数，未确定的按建议数）。"
    )
    tables: list[Block] = []
    for g in groups:
        tables += [Heading(2, f"{g.department}（{g.department_code}）"), _table(g)]
    summary = (
        (Heading(1, "汇总情况"), _by_section(groups), _by_department(groups)) if groups else ()
    )
    return Document(
        title="绩效评价结果应用建议清单",
        subtitle=f"（{year}年度）",
        blocks=(intro, *summary, Landscape((Heading(1, "分单位清单"), *tables))),
    )


_SUMS = ("基数", "建议调减", "调减合计", "调整后安排")


def _sums(groups: list[DepartmentResults]) -> tuple[str, ...]:
    base = sum((g.base for g in groups), Decimal(0))
    proposed = sum((g.proposed_cut for g in groups), Decimal(0))
    cut = sum((g.final_cut for g in groups), Decimal(0))
    return money(base), money(proposed), money(cut), money(base - cut)


def _by_section(groups: list[DepartmentResults]) -> Table:
    sections: dict[str, list[DepartmentResults]] = {}
    for g in groups:
        sections.setdefault(g.section, []).append(g)
    rows: list[tuple[Cell | str, ...]] = [
        (left(name), str(len(gs)), str(sum(len(g.rows) for g in gs)), *_sums(gs))
        for name, gs in sections.items()
    ]
    count = str(sum(len(g.rows) for g in groups))
    rows.append((Cell("合计"), str(len(groups)), count, *_sums(groups)))
    columns = (Column(1.6), Column(0.8), Column(0.8), *(Column(1.2, Align.RIGHT),) * 4)
    header = ("股室", "单位数", "项目数", *_SUMS)
    return Table(
        columns, (header,), tuple(rows), font_size=9, caption="按股室汇总", unit="单位：万元"
    )


def _by_department(groups: list[DepartmentResults]) -> Table:
    rows: list[tuple[Cell | str, ...]] = [
        (left(g.section), left(g.department), str(len(g.rows)), *_sums([g])) for g in groups
    ]
    rows.append((Cell("合计", colspan=2), str(sum(len(g.rows) for g in groups)), *_sums(groups)))
    columns = (Column(1.1), Column(2.2), Column(0.7), *(Column(1.1, Align.RIGHT),) * 4)
    header = ("股室", "单位", "项目数", *_SUMS)
    return Table(
        columns, (header,), tuple(rows), font_size=9, caption="按单位汇总", unit="单位：万元"
    )


def _table(g: DepartmentResults) -> Table:
    rows: list[tuple[Cell | str, ...]] = []
    for n, r in enumerate(g.rows, 1):
        grade = f"{r.grade}（{r.grade_source}）" if r.grade else "—"
        decided = money(r.decided_cut) if r.decided_cut is not None else "未确定"
        why = r.basis + (f"；确定理由：{r.decision_reason}" if r.decision_reason else "")
        rows.append(
            (str(n), r.project_code, _line(r.project_name), _line(grade, Align.CENTER),
             r.action, money(r.base), money(r.proposed_cut), decided, money(r.final_amount),
             _line(why))
        )  # fmt: skip
    rows.append(
        (Cell("合计", colspan=5, bold=True), money(g.base), money(g.proposed_cut), "",
         money(g.base - g.final_cut), "")
    )  # fmt: skip
    return Table(
        tuple(Column(w) for w in _WIDTHS), (HEADS,), tuple(rows), font_size=9, unit="单位：万元"
    )


def _line(text: str, align: Align = Align.LEFT) -> Cell:
    """A name, grade or reason kept on its row's one line (a smaller size, not a wrap)."""
    return Cell(text, align=align, one_line=True)
