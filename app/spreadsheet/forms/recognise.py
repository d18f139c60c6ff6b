"""Recognising the four national forms in a grid by their labels, never by positions.

A table starts at its title (项目支出绩效自评表 …); several may follow one another in a sheet
or a Word document. Labels are compared without spaces, with full-width brackets and colons
folded and a leading 其中 dropped, so `项目名称`, `项 目 名 称` and `其中：财政拨款` all match.
A value is the next distinct cell right of its label. The indicator grid is found by its
header row (一级指标 / 二级指标 / 三级指标), its columns by their header texts; it ends at
总分, 其他需要说明事项 or the next title, and blank spacer rows are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .grid import Grid, GridCell
from .model import BLANK, FormIndicator, FormKind, FormTable, Printed

_FOLD = str.maketrans("（）：【】［］０１２３４５６７８９", "():[][]0123456789")
_TITLES = (
    (re.compile(r"部门(\(单位\))?整体(支出)?绩效目标申报表"), FormKind.DEPARTMENT_GOAL),
    (re.compile(r"部门(\(单位\))?整体(支出)?绩效自评表"), FormKind.DEPARTMENT_SELF),
    (re.compile(r"项目(支出)?绩效目标申报表"), FormKind.PROJECT_GOAL),
    (re.compile(r"项目(支出)?绩效自评表"), FormKind.PROJECT_SELF),
)
_YEAR = re.compile(r"((?:19|20|21)\d{2})\s*年度?")

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "project_name": ("项目名称",),
    "project_code": ("项目编码", "项目代码"),
    "department": (
        "主管部门",
        "主管部门及代码",
        "部门名称",
        "部门(单位)名称",
        "单位名称",
        "预算部门",
    ),
    "unit": ("实施单位",),
    "department_code": ("单位编码", "部门编码", "单位代码", "部门代码", "预算单位编码"),
    "project_kind": ("项目属性",),
    "period": ("项目期", "实施期", "项目实施期"),
    "grade": ("自评等级", "等级", "评价等级"),
    "department_budget": ("年度预算", "金额合计", "部门预算总额", "年度预算总额"),
}
OVERALL_LABELS = ("年度总体目标", "总体目标", "年度绩效目标", "年度目标", "年度主要任务")
_GOAL_MONEY = {
    "total": ("年度资金总额", "资金总额"),
    "fiscal": ("财政拨款",),
    "other": ("其他资金",),
}
_MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数",),
    "budget": ("全年预算数",),
    "spent": ("全年执行数",),
    "points": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
}
_MONEY_ROWS = {
    "total": ("年度资金总额", "资金总额", "合计"),
    "fiscal": ("当年财政拨款", "财政拨款", "本年财政拨款"),
    "carryover": ("上年结转资金", "上年结转"),
    "other": ("其他资金",),
}
_GRID_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标",),
    "target": ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "预期值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "完成值", "全年完成值"),
    "points": ("分值", "权重"),
    "score": ("得分", "自评得分"),
    "nature": ("指标性质",),
    "unit": ("计量单位", "度量单位", "单位"),
}
_GRID_END = ("总分", "合计", "自评得分", "其他需要说明事项", "其他说明", "说明", "备注", "填表人")


def fold(text: str) -> str:
    """A label for comparison: no spaces, half-width brackets and colons, no 其中: or ending :."""
    folded = "".join(text.translate(_FOLD).split())
    folded = folded.removeprefix("其中:").removeprefix("其中").rstrip(":")
    return re.sub(r"^\d+[.、]", "", folded)


def _known_label(text: str) -> bool:
    folded = fold(text)
    groups: Iterable[tuple[str, ...]] = (
        *FIELD_LABELS.values(), *_GOAL_MONEY.values(), *_MONEY_ROWS.values(),
        OVERALL_LABELS, _GRID_END, ("项目资金", "项目资金(万元)", "项目资金(元)"),
    )  # fmt: skip
    return any(folded in group for group in groups)


def recognise(grid: Grid, year: int | None = None) -> list[FormTable]:
    """Every form in the grid, in order; a grid without one gives []."""
    starts = [(r, kind) for r in range(len(grid.rows)) if (kind := _title_kind(grid, r))]
    if not starts:
        kind = _untitled_kind(grid)
        starts = [(0, kind)] if kind else []
    tables = []
    for i, (start, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(grid.rows)
        tables.append(_table(grid, kind, start, end, year))
    return tables


def _row_text(grid: Grid, r: int) -> str:
    return fold("".join(c.text for c in grid.spans(r)))


def _title_kind(grid: Grid, r: int) -> FormKind | None:
    spans = [c for c in grid.spans(r) if c.text]
    if len(spans) > 2:
        return None  # a title stands alone in its row (perhaps with a 填报日期)
    text = _row_text(grid, r)
    for pattern, kind in _TITLES:
        if pattern.search(text):
            return kind
    return None


def _untitled_kind(grid: Grid) -> FormKind | None:
    labels = {fold(c.text) for row in range(len(grid.rows)) for c in grid.spans(row)}
    if "三级指标" not in labels:
        return None
    evaluated = bool(labels & {"实际完成值", "全年实际值", "全年执行数"})
    department = "项目名称" not in labels
    if department:
        return FormKind.DEPARTMENT_SELF if evaluated else FormKind.DEPARTMENT_GOAL
    return FormKind.PROJECT_SELF if evaluated else FormKind.PROJECT_GOAL


def _table(grid: Grid, kind: FormKind, start: int, end: int, given: int | None) -> FormTable:
    rows = range(start, end)
    notes = [f"从{grid.source}文件{grid.part}第{start + 1}行读取{kind.value}"]
    year, year_read = _year(grid, start, end)
    if year is None:
        year = given
        notes.append(f"标题未写年度，按指定的{given}年" if given else "标题未写年度")
    header = _grid_header(grid, rows)
    label_rows = range(start, header) if header is not None else rows
    fields = _fields(grid, label_rows, end)
    money, unit = _money(grid, label_rows, kind)
    notes.append(f"金额单位：{unit}（按表头）")
    indicators: list[FormIndicator] = []
    if header is not None:
        indicators, footer = _indicators(grid, header, end)
        fields.update(footer)
    return FormTable(
        kind=kind, file=grid.file, part=grid.part, source=grid.source, first_row=start + 1,
        year=year, year_read=year_read, fields=fields, money=money, money_unit=unit,
        indicators=tuple(indicators), notes=tuple(notes),
    )  # fmt: skip


def _year(grid: Grid, start: int, end: int) -> tuple[int | None, str]:
    for r in range(start, min(start + 3, end)):
        text = "".join(c.text for c in grid.spans(r)).translate(_FOLD)
        match = _YEAR.search(text)
        if match:
            return int(match.group(1)), text.strip()
    return None, ""


def _right(grid: Grid, r: int, cell: GridCell) -> Printed:
    """The next distinct non-blank cell right of a label, unless it is a label itself."""
    spans = grid.spans(r)
    for other in spans[spans.index(cell) + 1 :]:
        if other.text and other.text != cell.text:
            if _known_label(other.text):
                return BLANK
            return Printed(other.text, other.where, fold(cell.text))
    return BLANK


def _fields(grid: Grid, rows: range, end: int) -> dict[str, Printed]:
    found: dict[str, Printed] = {}
    for r in rows:
        for cell in grid.spans(r):
            label = fold(cell.text)
            for key, labels in FIELD_LABELS.items():
                if label in labels and key not in found:
                    value = _right(grid, r, cell)
                    if value.text:
                        found[key] = value
            if label in OVERALL_LABELS and "overall" not in found:
                found.update(_overall(grid, r, cell, end))
    return found


def _overall(grid: Grid, r: int, cell: GridCell, end: int) -> dict[str, Printed]:
    """年度总体目标: texts under 预期目标/实际完成情况 (or 年度目标), else right of it."""
    label = fold(cell.text)
    for head_row in (r, r + 1):
        if head_row >= end:
            break
        heads = {fold(c.text): c for c in grid.spans(head_row)}
        expected = heads.get("预期目标") or heads.get("年度目标") or heads.get("年度绩效目标")
        if expected is None or expected is cell:
            continue
        found = {"overall": _below(grid, head_row, expected, end, label)}
        actual = heads.get("实际完成情况") or heads.get("实际完成")
        if actual is not None:
            found["actual_outcome"] = _below(grid, head_row, actual, end, "实际完成情况")
        return found
    return {"overall": _right(grid, r, cell)}


def _below(grid: Grid, r: int, head: GridCell, end: int, label: str) -> Printed:
    column = head.where.column - 1
    for below in range(r + 1, end):
        cell = grid.rows[below][column]
        if cell.origin != head.origin and cell.text:
            return Printed(cell.text, cell.where, label)
    return BLANK


def _money(grid: Grid, rows: range, kind: FormKind) -> tuple[dict[str, Printed], str]:
    unit = "万元"
    for r in rows:
        for cell in grid.spans(r):
            label = fold(cell.text)
            if ("资金" in label or "预算" in label or "金额" in label) and "(元)" in label:
                unit = "元"
            if label in ("单位:元", "金额单位:元"):
                unit = "元"
    if not kind.is_self_evaluation:
        return _goal_money(grid, rows), unit
    for r in rows:
        columns = _columns(grid, r, _MONEY_COLUMNS)
        if "budget" in columns and "spent" in columns:
            return _money_rows(grid, r, rows.stop, columns), unit
    return {}, unit


def _goal_money(grid: Grid, rows: range) -> dict[str, Printed]:
    found: dict[str, Printed] = {}
    for r in rows:
        for cell in grid.spans(r):
            for key, labels in _GOAL_MONEY.items():
                # The rightmost label of a row wins: national forms put 中期 left of 年度.
                if fold(cell.text) in labels and (value := _right(grid, r, cell)).text:
                    found[key] = value
    return found


def _money_rows(grid: Grid, head: int, end: int, columns: dict[str, int]) -> dict[str, Printed]:
    found: dict[str, Printed] = {}
    for r in range(head + 1, min(head + 8, end)):
        row_key = next(
            (k for c in grid.spans(r) for k, ls in _MONEY_ROWS.items() if fold(c.text) in ls),
            None,
        )
        if row_key is None:
            continue
        for column_key, c in columns.items():
            cell = grid.rows[r][c]
            if cell.text and cell.text not in ("—", "-", "/", "——"):
                key = column_key if row_key == "total" else f"{row_key}_{column_key}"
                found.setdefault(key, Printed(cell.text, cell.where, fold(grid.rows[head][c].text)))
    return found


def _columns(grid: Grid, r: int, wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """0-based column of each wanted header in row r (first match per key)."""
    found: dict[str, int] = {}
    for cell in grid.spans(r):
        label = fold(cell.text)
        for key, labels in wanted.items():
            if key not in found and (
                label in labels or (key == "reason" and label.startswith("偏差原因"))
            ):
                found[key] = cell.where.column - 1
    return found


def _grid_header(grid: Grid, rows: range) -> int | None:
    for r in rows:
        labels = {fold(c.text) for c in grid.spans(r)}
        if {"一级指标", "二级指标", "三级指标"} <= labels:
            return r
    return None


def _indicators(
    grid: Grid, header: int, end: int
) -> tuple[list[FormIndicator], dict[str, Printed]]:
    columns = _columns(grid, header, {**_GRID_COLUMNS, "reason": ()})
    if "年度指标值" in {fold(c.text) for c in grid.spans(header)}:
        columns["target"] = next(
            c.where.column - 1 for c in grid.spans(header) if fold(c.text) == "年度指标值"
        )
    labels = {key: fold(grid.rows[header][c].text) for key, c in columns.items()}
    found: list[FormIndicator] = []
    footer: dict[str, Printed] = {}
    in_footer = False
    for r in range(header + 1, end):
        first = next((fold(c.text) for c in grid.spans(r) if c.text), "")
        if in_footer or first in _GRID_END or first in FIELD_LABELS["grade"]:
            in_footer = True  # 总分, 自评等级, 其他需要说明事项…: no indicator follows
            footer.update({k: v for k, v in _footer(grid, r, columns).items() if k not in footer})
            continue
        values = {key: _at(grid, r, c, labels[key]) for key, c in columns.items()}
        name = values.get("name", BLANK)
        if not name.text or fold(name.text) == "三级指标":
            continue  # a spacer row or a repeated header
        found.append(FormIndicator(**{k: values.get(k, BLANK) for k in _INDICATOR_KEYS}))
    return found, footer


_INDICATOR_KEYS = (
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "points",
    "score",
    "reason",
    "nature",
    "unit",
)


def _at(grid: Grid, r: int, c: int, label: str) -> Printed:
    cell = grid.rows[r][c]
    return Printed(cell.text, cell.where, label)


def _footer(grid: Grid, r: int, columns: dict[str, int]) -> dict[str, Printed]:
    """总分 row: the claimed total under 得分 (else the last number of the row); 等级 after it."""
    found: dict[str, Printed] = {}
    spans = [c for c in grid.spans(r) if c.text]
    first = fold(spans[0].text) if spans else ""
    if first in FIELD_LABELS["grade"]:
        value = _right(grid, r, spans[0])
        return {"grade": value} if value.text else {}
    if first.startswith("其他需要说明") or first in ("说明", "备注", "其他说明", "填表人"):
        value = _right(grid, r, spans[0])
        if value.text:
            found["remarks"] = value
        return found
    if first not in ("总分", "合计", "自评得分"):
        return found
    if "score" in columns:
        cell = grid.rows[r][columns["score"]]
        if cell.text and cell.origin != spans[0].origin:
            found["claimed_total"] = Printed(cell.text, cell.where, "自评得分")
    if "claimed_total" not in found:
        numbers = [c for c in spans[1:] if re.fullmatch(r"[\d.]+", fold(c.text))]
        if len(numbers) >= 2:
            found["claimed_total"] = Printed(numbers[-1].text, numbers[-1].where, "自评得分")
    for cell in spans:
        if fold(cell.text) in FIELD_LABELS["grade"] and (value := _right(grid, r, cell)).text:
            found["grade"] = value
    return found
