"""绩效问题整改台账 (Word / PDF): counts by status, then one table per unit."""

from __future__ import annotations

import datetime as dt

from app.domain.errors import UserError
from app.domain.rectification import Status
from app.reports import Cell, Column, Document, Heading, Landscape, Paragraph, Table
from app.services.rectification.records import Ledger, LedgerRow, ledger
from app.services.reports.evaluation_common import left
from app.storage.database import Database

HEADS = ("序号", "问题来源", "对象", "发现的问题", "整改要求", "期限", "状态", "单位反馈")
_WIDTHS = (0.5, 0.9, 1.8, 3.0, 2.4, 1.0, 0.8, 2.4)
# A table row cannot split across pages: a cell longer than this is cut, the Excel ledger
# (导出台账) keeps the full text.
MAX_CELL_CHARS = 300


def build_rectification_ledger(
    db: Database, year: int, department: str | None = None, today: dt.date | None = None
) -> Document:
    book = ledger(db, year, today or dt.date.today(), department)
    if not book.rows:
        where = f"单位“{department}”" if department else ""
        raise UserError(f"{year}年{where}整改台账为空，请先在“整改”页生成整改事项。")
    return compose_rectification_ledger(book)


def compose_rectification_ledger(book: Ledger) -> Document:
    counts = book.counts
    parts = "，".join(f"{s.value}{counts[s.value]}项" for s in Status)
    intro = Paragraph(
        f"截至{book.today.year}年{book.today.month}月{book.today.day}日，{book.year}年度"
        f"绩效管理发现的问题共列入整改台账{len(book.rows)}项，其中{parts}。"
    )
    units: dict[str, list[LedgerRow]] = {}
    for r in book.rows:
        units.setdefault(f"{r.department}（{r.department_code}）", []).append(r)
    tables = [block for name, rows in units.items() for block in (Heading(2, name), _table(rows))]
    return Document(
        title="绩效问题整改台账",
        subtitle=f"（{book.year}年度）",
        blocks=(intro, Landscape((Heading(1, "分单位整改事项"), *tables))),
    )


def _table(rows: list[LedgerRow]) -> Table:
    body = tuple(
        (str(n), r.source, left(r.subject), left(_short(r.finding)), left(_short(r.action)),
         r.deadline.isoformat(), Cell(r.status, bold=r.overdue), left(_short(r.reply or "—")))
        for n, r in enumerate(rows, 1)
    )  # fmt: skip
    return Table(tuple(Column(w) for w in _WIDTHS), (HEADS,), body, font_size=9)


def _short(text: str) -> str:
    if len(text) <= MAX_CELL_CHARS:
        return text
    return text[: MAX_CELL_CHARS - 16] + "…（全文见整改台账 Excel 表）"
