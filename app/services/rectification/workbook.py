"""Export the 整改 ledger to Excel (one row per item, status as of the export day)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.errors import UserError
from app.services.rectification.records import LedgerRow, ledger
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet.bureau_sheets import RECTIFICATION_SHEET
from app.storage.database import Database


def export_ledger(
    db: Database, year: int, path: str | Path, today: date, department: str | None = None
) -> int:
    """Write the ledger; returns the number of items. UserError when there are none."""
    rows = ledger(db, year, today, department).rows
    if not rows:
        where = f"单位“{department}”" if department else ""
        raise UserError(f"{year}年{where}整改台账为空，请先生成整改事项。")
    content = SheetContent(RECTIFICATION_SHEET, [_values(r) for r in rows])
    write_workbook(path, [content], protect=False)
    return len(rows)


def _values(r: LedgerRow) -> dict[str, object]:
    return {
        "department_code": r.department_code, "department": r.department, "source": r.source,
        "subject": r.subject, "finding": r.finding, "action": r.action,
        "deadline": r.deadline.isoformat(), "status": r.status, "reply": r.reply,
        "replied_on": r.replied_on.isoformat() if r.replied_on else "",
        "closed_on": r.closed_on.isoformat() if r.closed_on else "",
    }  # fmt: skip
