"""The annual report to the 人大 (预算绩效管理工作情况报告) as a first draft (docs/domain.md §9).

The outline is fixed here and follows the county reports: 一、基本工作情况 （一）组织保障
（二）制度建设 （三）事前绩效评估 （四）绩效目标管理 （五）绩效监控 （六）绩效评价 （七）结果应用
（八）纳入政府绩效考核 （九）绩效信息公开; 二、主要成效; 三、存在的问题; 四、下一步工作打算.
Every sentence comes from the editable templates (keys listed in annual_report.toml), every
figure from `AnnualReportData`: 重点评价 in （六）, 整改 in （七） and 公开 in （九） come from the
bureau's own records. Work without data yet gets its template's note, never a number; work the
app keeps no records of (组织保障, 制度建设, 考核) is the clerk's 【请补充：…】 paragraph, which
makes a 草稿.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from app.domain.errors import UserError
from app.reports import (
    Align,
    Cell,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    SignatureBlock,
    Table,
)
from app.reports.model import BarChart, Block, Chart, GroupedBarChart, Row, chinese_number
from app.services.reports.annual_data import AnnualReportData, SectionExecution
from app.services.reports.annual_values import (
    CONTEXT,
    GROUPS,
    KNOWN,
    is_zero,
    placeholder_values,
)
from app.services.reports.common import percent_text, wan_text
from app.services.reports.templates import Templates, check_names, fill

GRADE_LABELS = ("优", "良", "中", "差")
UNITS_SHOWN = 10  # units listed by name in the results table, largest cut first


class _Composer:
    def __init__(self, data: AnnualReportData, templates: Templates) -> None:
        self.data = data
        self.t = templates
        self.values = placeholder_values(data)
        self.blocks: list[Block] = []
        self.tables = 0
        self.figures = 0

    # -- text ----------------------------------------------------------------------------
    def fill(self, key: str, values: dict[str, str] | None = None) -> str:
        """A template filled; one naming a figure the year has no data for is refused."""
        template = self.t.text(key)
        values = self.values if values is None else values
        names = check_names(template, key, KNOWN | set(values))
        missing = [n for n in names if n not in values]
        if missing:
            shown = "、".join(f"{{{n}}}" for n in missing)
            raise UserError(
                f"报告文字模板“{key}”用到了{self.data.year}年尚无数据的占位符 {shown}，"
                "请改写该段或删去这些占位符"
            )
        return fill(template, key, values)

    def paragraph(self, key: str) -> None:
        self.blocks.append(Paragraph(self.fill(key)))

    def note(self, key: str) -> None:
        """A note where figures are missing: a plain body paragraph, like the text around it."""
        self.blocks.append(Paragraph(self.fill(key)))

    def section(self, key: str, group: str, body: Callable[[], None] | None = None) -> None:
        """（x）heading, then the part."""
        self.blocks.append(Heading(2, self.fill(f"{key}.heading")))
        self.part(key, group, body)

    def part(self, key: str, group: str, body: Callable[[], None] | None = None) -> None:
        """The body (default: the `text` paragraph) when the group has data, else the
        missing note."""
        if group not in self.available:
            self.note(f"{key}.missing")
        elif body is None:
            self.paragraph(f"{key}.text")
        else:
            body()

    def clerk_section(self, key: str) -> None:
        """（x）heading and the clerk's paragraph: work the app keeps no records of."""
        self.blocks.append(Heading(2, self.fill(f"{key}.heading")))
        self.paragraph(f"{key}.text")

    @property
    def available(self) -> set[str]:
        return {g for g, names in GROUPS.items() if names[0] in self.values}

    def items(self, key: str) -> None:
        """一是… 二是…: items whose figures are missing, or all zero ("退回修改的目标0个" is
        no problem and no achievement), are left out and the numbers close up; a list left
        empty says so in one plain sentence."""
        self.blocks.append(Heading(1, self.fill(f"{key}.heading")))
        n = 0
        for item_key, template in self.t.items(key):
            names = check_names(template, item_key, KNOWN)
            if any(name not in self.values for name in names):
                continue
            figures = [self.values[name] for name in names if name not in CONTEXT]
            if figures and all(is_zero(figure) for figure in figures):
                continue
            n += 1
            text = fill(template, item_key, self.values)
            self.blocks.append(Paragraph(f"{chinese_number(n)}是{text}"))
        if n == 0:
            self.paragraph(f"{key}.none")

    # -- tables and figures ------------------------------------------------------------
    def table(self, caption: str, columns: Sequence[Column], header: Row, rows: list[Row]) -> None:
        self.tables += 1
        self.blocks.append(
            Table(
                columns=tuple(columns),
                header_rows=(header,),
                body_rows=tuple(rows),
                caption=f"表{self.tables}　{caption}",
            )
        )

    def figure(self, chart: Chart, caption: str) -> None:
        self.figures += 1
        self.blocks.append(Figure(chart, width_mm=150, caption=f"图{self.figures}　{caption}"))


def annual_report_document(
    data: AnnualReportData, templates: Templates, today: dt.date | None = None
) -> Document:
    c = _Composer(data, templates)
    c.paragraph("report.intro")
    c.blocks.append(Heading(1, c.fill("basic.heading")))
    c.clerk_section("basic.organization")
    c.clerk_section("basic.rules")
    c.section("basic.pre_assessment", "assessment")
    c.section("basic.goals", "goals", lambda: _goals(c))
    c.section("basic.monitoring", "monitoring", lambda: _monitoring(c))
    c.section("basic.evaluation", "evaluation", lambda: _evaluation(c))
    c.part("basic.key_evaluation", "key_evaluation")
    c.section("basic.results", "results", lambda: _results(c))
    c.part("basic.rectification", "rectification")
    c.clerk_section("basic.government_assessment")
    c.section("basic.disclosure", "disclosure")
    for key in ("achievements", "problems", "plans"):
        c.items(key)
    return Document(
        title=c.fill("report.title"),
        recipient=c.fill("report.recipient"),
        blocks=tuple(c.blocks),
        signature=SignatureBlock(data.org.bureau, today or dt.date.today()),
        metadata={"kind": "annual-report"},
    )


def _goals(c: _Composer) -> None:
    text = c.fill("basic.goals.text")
    if c.data.goals.pending_goals:
        text += c.fill("basic.goals.pending")
    c.blocks.append(Paragraph(text))


def _monitoring(c: _Composer) -> None:
    m = c.data.monitoring
    assert m is not None
    c.paragraph("basic.monitoring.text")
    header = ("监控月份", "监控项目数", "预算执行率", "序时进度", "红灯", "黄灯", "绿灯", "蓝灯")
    rows: list[Row] = [
        (
            f"{r.month}月",
            str(r.projects),
            percent_text(r.execution_rate),
            percent_text(r.time_progress),
            str(r.red),
            str(r.yellow),
            str(r.green),
            str(r.blue),
        )
        for r in m.rounds
    ]
    widths = (1.3, 1.4, 1.4, 1.3, 1, 1, 1, 1)
    c.table(f"{c.data.year}年绩效运行监控情况", [Column(w) for w in widths], header, rows)
    if m.sections:
        c.figure(
            _execution_chart(m.sections, m.latest.time_progress),
            f"{m.latest.month}月各股室预算执行率",
        )


def _execution_chart(sections: Sequence[SectionExecution], progress: Decimal) -> Chart:
    names = tuple(s.section for s in sections)
    rates = tuple(float((s.rate or Decimal(0)) * 100) for s in sections)  # drawing only
    return GroupedBarChart(
        names,
        (("预算执行率", rates),),
        reference=(float(progress * 100), "序时进度"),
        percent=True,
        height_mm=max(60.0, 12.0 * len(names) + 25),
    )


def _evaluation(c: _Composer) -> None:
    e = c.data.evaluation
    assert e is not None
    c.paragraph("basic.evaluation.text")
    if e.project_count:
        chart = BarChart(GRADE_LABELS, e.grades, "项目数（个）", height_mm=70)
        c.figure(chart, "项目支出绩效自评等级分布")
        header: Row = ("股室", "自评项目数", *GRADE_LABELS)
        rows: list[Row] = [(s.section, str(s.count), *map(str, s.grades)) for s in e.sections]
        total = ("合计", str(e.project_count), *map(str, e.grades))
        rows.append(total)
        widths = (2.2, 1.4, 1, 1, 1, 1)
        c.table("项目支出绩效自评等级分布（按股室）", [Column(w) for w in widths], header, rows)
    if c.data.sample is None:
        c.note("basic.evaluation.sample_missing")
        return
    s = c.data.sample
    text = c.fill("basic.evaluation.sample")
    if s.reviewed:
        c.blocks.append(Paragraph(text + c.fill("basic.evaluation.review")))
    else:
        c.blocks.append(Paragraph(text))
        c.note("basic.evaluation.review_missing")
    sample_rows: list[Row] = [
        (x.section, str(x.population), str(x.drawn), percent_text(x.share)) for x in s.sections
    ]
    sample_rows.append(("合计", str(s.population), str(s.drawn), percent_text(s.share)))
    header = ("股室", "自评数", "抽取数", "抽取比例")
    c.table(
        "抽查复核抽样情况（按股室）",
        [Column(2.2), Column(1), Column(1), Column(1)],
        header,
        sample_rows,
    )


def _results(c: _Composer) -> None:
    r = c.data.results
    assert r is not None
    c.paragraph("basic.results.text")
    if not r.departments:
        return
    shown, rest = r.departments[:UNITS_SHOWN], r.departments[UNITS_SHOWN:]
    rows: list[Row] = [
        (Cell(d.department, align=Align.LEFT), str(d.projects), wan_text(d.cut)) for d in shown
    ]
    if rest:  # the 人大 reads the largest cuts; the full list goes to the budget team
        others = sum((d.cut for d in rest), Decimal(0))
        label = Cell(f"其他{len(rest)}个单位", align=Align.LEFT)
        rows.append((label, str(sum(d.projects for d in rest)), wan_text(others)))
    total = ("合计", str(r.cut_projects), wan_text(r.proposed_cut))
    rows.append(total)
    columns = [Column(3), Column(1.2), Column(1.6, Align.RIGHT)]
    header = ("单位", "建议调减项目数", "建议调减金额（万元）")
    caption = "结果应用建议调减预算情况（按单位）"
    if rest:
        caption = f"结果应用建议调减预算较多的{UNITS_SHOWN}个单位"
    c.table(caption, columns, header, rows)
