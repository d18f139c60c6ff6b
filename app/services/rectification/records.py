"""整改台账: generate items from the year's findings, edit, record replies, close, list.

Decisions:
- Generating is idempotent: a finding already in the ledger (same source key) is left as
  the bureau edited it; only new findings are added, due ``DEFAULT_DAYS`` after today.
- A reply moves an open item to 整改中; closing (已整改) needs a reply, so the ledger always
  says what the unit did. A closed item can be reopened by saving another status.
- 逾期 is computed for `today` when the ledger is read (app/domain/rectification.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.domain.rectification import (
    STORED,
    FindingSource,
    Status,
    default_deadline,
    effective_status,
    is_overdue,
)
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.rectification.findings import year_findings
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Department, RectificationItem


@dataclass(frozen=True)
class LedgerRow:
    id: int
    source: str
    department_code: str
    department: str
    subject: str
    finding: str
    action: str
    deadline: date
    stored_status: str
    status: str  # as of `today`: 逾期 when overdue
    reply: str
    replied_on: date | None
    closed_on: date | None
    version: int = 0  # of the stored item when loaded; a save names it (storage/versions.py)

    @property
    def overdue(self) -> bool:
        return self.status == Status.OVERDUE.value


@dataclass(frozen=True)
class Ledger:
    year: int
    today: date
    rows: tuple[LedgerRow, ...]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.rows)
        return {s.value: found[s.value] for s in Status}

    @property
    def overdue(self) -> int:
        return self.counts[Status.OVERDUE.value]


@dataclass(frozen=True)
class LedgerCounts:
    """The ledger's figures without its rows."""

    stored: Counter[str]  # items by stored status
    overdue: int  # as of the day asked for

    @property
    def items(self) -> int:
        return self.stored.total()


@dataclass(frozen=True)
class GenerateResult:
    added: int
    already: int  # findings already in the ledger, left as they were
    by_source: dict[str, int]  # new items per source


@dataclass(frozen=True)
class ItemEdit:
    action: str
    deadline: date
    status: Status
    reply: str = ""


def generate_items(db: Database, year: int, rules: RuleSet, today: date) -> GenerateResult:
    """Add an item for every finding of the year not yet in the ledger."""
    findings = year_findings(db, year, rules)  # read first: nothing is written if it fails
    with db.transaction() as s:
        fy = live.fiscal_year(s, year)
        if fy is None:
            raise UserError(f"{year} 年度不存在，无法生成整改台账。")
        known = set(
            s.scalars(
                select(RectificationItem.source_key).where(RectificationItem.year_id == fy.id)
            )
        )
        units = {code: id_ for code, id_ in s.execute(select(Department.code, Department.id))}
        added: Counter[str] = Counter()
        for f in findings:
            if f.key in known:
                continue
            known.add(f.key)
            s.add(
                RectificationItem(
                    year_id=fy.id, department_id=units[f.department_code], source=f.source.value,
                    source_key=f.key, subject=f.subject, finding=f.finding, action=f.action,
                    deadline=default_deadline(today), status=Status.OPEN.value,
                )
            )  # fmt: skip
            added[f.source.value] += 1
        total = sum(added.values())
        by_source = {src.value: added[src.value] for src in FindingSource}
        audit.record(
            s, "生成整改台账", audit.RECTIFICATION, None, f"{year}年",
            after={"新增": total, "已在台账": len(findings) - total, **by_source},
        )  # fmt: skip
        return GenerateResult(total, len(findings) - total, by_source)


def update_item(
    db: Database, item_id: int, edit: ItemEdit, today: date, loaded_version: int | None = None
) -> LedgerRow:
    """Save the required action, the deadline, the unit's reply and the status. With
    `loaded_version` (LedgerRow.version), an item changed since it was loaded is refused."""
    if edit.status not in STORED:
        raise UserError(
            f"整改状态只能设为{'、'.join(s.value for s in STORED)}；逾期由期限自动判断。"
        )
    if not edit.action.strip():
        raise UserError("整改要求不能为空。")
    if edit.status is Status.DONE and not edit.reply.strip():
        raise UserError("标记为已整改前，请填写单位的整改情况反馈。")
    with db.transaction() as s:
        row = _get(s, item_id, loaded_version)
        label = f"整改事项“{row.subject}”"
        versions.check(s, row, loaded_version, audit.RECTIFICATION, item_id, label)
        before = _fields(row)
        if edit.reply.strip() != row.reply:
            row.replied_on = today if edit.reply.strip() else None
        row.action, row.deadline, row.reply = edit.action.strip(), edit.deadline, edit.reply.strip()
        status = edit.status
        if status is Status.OPEN and row.reply:
            status = Status.IN_PROGRESS  # the unit has answered: it is under way
        row.status = status.value
        row.closed_on = today if status is Status.DONE else None
        s.flush()
        old, new = audit.changed_only(before, _fields(row))
        audit.record(s, "修改整改事项", audit.RECTIFICATION, row.id, row.subject, old, new)
        return _row(row, today)


def load_item(db: Database, item_id: int, today: date) -> LedgerRow:
    """One item as stored now (an editor reloads it when another seat saved first)."""
    with db.session() as s:
        return _row(_get(s, item_id), today)


def ledger(db: Database, year: int, today: date, department: str | None = None) -> Ledger:
    """The year's items by unit and deadline; overdue ones are marked for `today`."""
    stmt = (
        select(RectificationItem)
        .join(Department, RectificationItem.department_id == Department.id)
        .where(live.in_year(RectificationItem, year))
        .order_by(Department.code, RectificationItem.deadline, RectificationItem.id)
    )
    if department is not None:
        stmt = stmt.where(Department.code == department)
    with db.session() as s:
        return Ledger(year, today, tuple(_row(r, today) for r in s.scalars(stmt)))


def ledger_counts(db: Database, year: int, today: date) -> LedgerCounts:
    """The counts of `ledger`'s rows, from one grouped query (the annual report's figures)."""
    stmt = (
        select(RectificationItem.status, RectificationItem.deadline, func.count())
        .join(Department, RectificationItem.department_id == Department.id)
        .where(live.in_year(RectificationItem, year))
        .group_by(RectificationItem.status, RectificationItem.deadline)
    )
    stored: Counter[str] = Counter()
    overdue = 0
    with db.session() as s:
        for status, deadline, count in s.execute(stmt):
            stored[status] += count
            overdue += count if is_overdue(Status(status), deadline, today) else 0
    return LedgerCounts(stored, overdue)


def _get(s: Session, item_id: int, loaded_version: int | None = None) -> RectificationItem:
    row = s.get(RectificationItem, item_id)
    if row is None:
        versions.check(s, None, loaded_version, audit.RECTIFICATION, item_id, "该整改事项")
        raise UserError(f"未找到编号为 {item_id} 的整改事项，请重新生成台账。")
    return row


def _row(r: RectificationItem, today: date) -> LedgerRow:
    status = effective_status(Status(r.status), r.deadline, today)
    return LedgerRow(
        r.id, r.source, r.department.code, r.department.name, r.subject, r.finding, r.action,
        r.deadline, r.status, status.value, r.reply, r.replied_on, r.closed_on, r.version,
    )  # fmt: skip


def _fields(r: RectificationItem) -> dict[str, object]:
    return {
        "整改要求": r.action, "整改期限": r.deadline, "状态": r.status, "单位反馈": r.reply,
    }  # fmt: skip
