"""Generators for the national printed forms, filled the way departments fill them.

Layouts follow the published national forms (财预〔2020〕10号 项目支出绩效自评表, the 88号
项目支出绩效目标申报表 and their 部门整体 counterparts): labels in cells, 一级/二级 merged down,
no project code, 万元 (or 元 when the header says so). A `Layout` is a list of placed cells
with spans, rendered to an openpyxl sheet (at any offset, several one after another) or to a
Word table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

WIDTH = 10


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    name: str
    target: str
    actual: str = ""
    points: str = ""
    score: str = ""
    reason: str = ""


POOR_STUDENTS = (
    Row("产出指标", "数量指标", "资助学生人次", "≥700人次", "735人次", "20", "20"),
    Row("产出指标", "数量指标", "资助标准", "=1000元/人", "1000元/人", "10", "10"),
    Row("产出指标", "质量指标", "资助对象准确率", "100%", "100%", "10", "10"),
    Row("产出指标", "时效指标", "资金发放及时率", "≥95%", "９６%", "10", "10"),
    Row("效益指标", "社会效益指标", "减轻贫困学生家庭经济负担", "有效", "有效", "30", "30"),
    Row("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%", "95%", "10", "10"),
)


@dataclass
class Form:
    kind: str = "project_self"  # project_self / project_goal / department_self / department_goal
    year: int | None = 2022
    project: str = "家庭经济困难学生资助"
    department: str = "上犹县教育局"
    unit: str = "上犹县教育局"
    code: str = ""  # 项目编码, usually absent
    rows: tuple[Row, ...] = POOR_STUDENTS
    money: tuple[str, str, str] = ("100", "100", "95")  # 年初预算数, 全年预算数, 全年执行数
    execution_score: str = "9.5"
    claimed_total: str = "99.5"
    grade: str = "优"
    overall: str = "按时足额发放学生资助资金，减轻贫困学生家庭经济负担"
    actual_outcome: str = "全年资助学生735人次，资金按时足额发放"
    money_header: str = "项目资金（万元）"
    extras: list[str] = field(default_factory=lambda: ["其他需要说明事项"])


@dataclass
class Layout:
    cells: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    height: int = 0

    def put(self, r: int, c: int, text: str, rows: int = 1, cols: int = 1) -> None:
        self.cells.append((r, c, text, rows, cols))
        self.height = max(self.height, r + rows)


def layout(form: Form) -> Layout:
    out = Layout()
    title = {
        "project_self": "项目支出绩效自评表",
        "project_goal": "项目支出绩效目标申报表",
        "department_self": "部门整体支出绩效自评表",
        "department_goal": "部门整体支出绩效目标申报表",
    }[form.kind]
    out.put(0, 0, title, cols=WIDTH)
    out.put(1, 0, f"（{form.year}年度）" if form.year else "（   年度）", cols=WIDTH)
    r = 2
    if form.kind.startswith("project"):
        out.put(r, 0, "项 目 名 称")
        out.put(r, 1, form.project, cols=WIDTH - 1)
        r += 1
        if form.code:
            out.put(r, 0, "项目编码")
            out.put(r, 1, form.code, cols=WIDTH - 1)
            r += 1
        out.put(r, 0, "主管部门")
        out.put(r, 1, form.department, cols=4)
        out.put(r, 5, "实施单位")
        out.put(r, 6, form.unit, cols=4)
        r += 1
    else:
        out.put(r, 0, "部门（单位）名称")
        out.put(r, 1, form.unit, cols=WIDTH - 1)
        r += 1
    r = (_self_money if form.kind.endswith("self") else _goal_money)(out, form, r)
    r = _overall(out, form, r)
    r = _indicators(out, form, r)
    if form.kind.endswith("self"):
        out.put(r, 0, "总分", cols=6)
        out.put(r, 6, "100")
        out.put(r, 7, form.claimed_total)
        r += 1
        out.put(r, 0, "自评等级")
        out.put(r, 1, form.grade, cols=WIDTH - 1)
        r += 1
    for extra in form.extras:
        out.put(r, 0, extra)
        out.put(r, 1, "无", cols=WIDTH - 1)
        r += 1
    return out


def _self_money(out: Layout, form: Form, r: int) -> int:
    out.put(r, 0, form.money_header, rows=5)
    out.put(r, 1, "", cols=2)
    for i, head in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        out.put(r, 3 + i, head)
    initial, budget, spent = form.money
    try:
        a, b = (float(x.replace(",", "")) for x in (budget, spent))
        rate = f"{b / a * 100:.2f}%" if a else ""
    except ValueError:  # a department's words in a number cell
        rate = ""
    lines = (
        ("年度资金总额", (initial, budget, spent, "10", rate, form.execution_score)),
        ("其中：当年财政拨款", (initial, budget, spent, "—", "—", "—")),
        ("上年结转资金", ("", "", "", "—", "—", "—")),
        ("其他资金", ("", "", "", "—", "—", "—")),
    )
    for i, (label, values) in enumerate(lines, 1):
        out.put(r + i, 1, label, cols=2)
        for j, value in enumerate(values):
            out.put(r + i, 3 + j, value)
    return r + 5


def _goal_money(out: Layout, form: Form, r: int) -> int:
    total = form.money[1]
    out.put(r, 0, form.money_header if form.kind == "project_goal" else "年度预算", rows=3)
    for i, (label, value) in enumerate(
        (("年度资金总额", total), ("其中：财政拨款", total), ("其他资金", "0"))
    ):
        out.put(r + i, 1, label, cols=3)
        out.put(r + i, 4, value, cols=6)
    return r + 3


def _overall(out: Layout, form: Form, r: int) -> int:
    if form.kind.endswith("self"):
        out.put(r, 0, "年度总体目标", rows=2)
        out.put(r, 1, "预期目标", cols=4)
        out.put(r, 5, "实际完成情况", cols=5)
        out.put(r + 1, 1, form.overall, cols=4)
        out.put(r + 1, 5, form.actual_outcome, cols=5)
        return r + 2
    out.put(r, 0, "年度总体目标")
    out.put(r, 1, form.overall, cols=WIDTH - 1)
    return r + 1


def _indicators(out: Layout, form: Form, r: int) -> int:
    evaluated = form.kind.endswith("self")
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值"]
    heads += ["实际完成值", "分值", "得分", "偏差原因分析及改进措施"] if evaluated else ["分值"]
    out.put(r, 0, "绩效指标", rows=len(form.rows) + 1)
    for i, head in enumerate(heads):
        out.put(r, 1 + i, head, cols=2 if i == 7 else 1)
    start = r + 1
    for key, column in ((lambda x: x.level1, 1), (lambda x: (x.level1, x.level2), 2)):
        i = 0
        while i < len(form.rows):
            j = i
            while j + 1 < len(form.rows) and key(form.rows[j + 1]) == key(form.rows[i]):
                j += 1
            text = form.rows[i].level1 if column == 1 else form.rows[i].level2
            out.put(start + i, column, text, rows=j - i + 1)
            i = j + 1
    for i, row in enumerate(form.rows):
        values = [row.name, row.target]
        values += [row.actual, row.points, row.score, row.reason] if evaluated else [row.points]
        for k, value in enumerate(values):
            out.put(start + i, 3 + k, value, cols=2 if k == 5 else 1)
    return start + len(form.rows)


def write_sheet(sheet, forms: list[Form], row0: int = 0, col0: int = 0, gap: int = 2) -> None:
    """Forms one after another down one sheet, starting at (row0, col0), 0-based."""
    r = row0
    for form in forms:
        out = layout(form)
        for rr, cc, text, rows, cols in out.cells:
            cell = sheet.cell(r + rr + 1, col0 + cc + 1, text or None)
            if text.startswith("="):
                cell.data_type = "s"  # typed as text in Excel, not a formula
            if rows > 1 or cols > 1:
                sheet.merge_cells(
                    start_row=r + rr + 1, start_column=col0 + cc + 1,
                    end_row=r + rr + rows, end_column=col0 + cc + cols,
                )  # fmt: skip
        r += out.height + gap


def write_xlsx(path: Path, sheets: list[list[Form]], row0: int = 0, col0: int = 0) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, forms in enumerate(sheets, 1):
        write_sheet(book.create_sheet(f"Sheet{i}"), forms, row0, col0)
    book.save(path)
    return path


def write_docx(path: Path, forms: list[Form]) -> Path:
    """One Word table per form, with a paragraph between them, merged rows and columns."""
    document = docx.Document()
    for form in forms:
        out = layout(form)
        document.add_paragraph("附件")
        table = document.add_table(rows=out.height, cols=WIDTH)
        for rr, cc, text, rows, cols in out.cells:
            cell = table.cell(rr, cc)
            if rows > 1 or cols > 1:
                cell = cell.merge(table.cell(rr + rows - 1, cc + cols - 1))
            cell.text = text
    document.save(path)
    return path
