"""The county's and the bureau's names, and whether the database is the demo.

THE place that reads them: every report title and signature asks `read_names`, so a name
typed in 设置 → 基础信息 (or in the set-up wizard) is what the next report prints, and a
demo database is marked on every report and in the title bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.services.common import audit
from app.storage.database import Database
from app.storage.models import Setting

COUNTY_KEY, BUREAU_KEY, DEMO_KEY = "county.name", "county.bureau", "database.demo"
FALLBACK_COUNTY = "本县"  # only while a database has no name yet (never after set-up)
DEMO_MARK = "【示例数据】"
# No 【】 here: in a report 【…】 means "to be filled in before it is final" (drafts).
DEMO_NOTE = "（示例数据）本材料由程序自带的示例数据库生成，仅供熟悉软件使用，不是正式材料。"
MAX_NAME = 30


@dataclass(frozen=True)
class CountyNames:
    county: str  # as entered; FALLBACK_COUNTY when none
    bureau: str  # as entered; “<county>财政局” when none
    demo: bool
    named: bool  # a county name has been entered


def read_names(session: Session) -> CountyNames:
    stored = dict(
        session.execute(
            select(Setting.key, Setting.value).where(
                Setting.key.in_((COUNTY_KEY, BUREAU_KEY, DEMO_KEY))
            )
        ).all()
    )
    county = (stored.get(COUNTY_KEY) or "").strip()
    bureau = (stored.get(BUREAU_KEY) or "").strip()
    shown = county or FALLBACK_COUNTY
    return CountyNames(shown, bureau or f"{shown}财政局", stored.get(DEMO_KEY) == "1", bool(county))


def county_names(db: Database) -> CountyNames:
    with db.session() as session:
        return read_names(session)


def checked_names(county: str, bureau: str) -> tuple[str, str]:
    """Tidied names, or a UserError saying which one is wrong. A blank bureau becomes
    “<county>财政局”."""
    county, bureau = " ".join(county.split()), " ".join(bureau.split())
    if not county:
        raise UserError("请填写县（区）名称，例如“青山县”。")
    for label, value in (("县（区）名称", county), ("财政局名称", bureau)):
        if len(value) > MAX_NAME:
            raise UserError(f"{label}最多 {MAX_NAME} 个字，请缩短。")
    return county, bureau or f"{county}财政局"


def write_names(session: Session, county: str, bureau: str) -> None:
    session.merge(Setting(key=COUNTY_KEY, value=county))
    session.merge(Setting(key=BUREAU_KEY, value=bureau))


def mark_demo(session: Session) -> None:
    """The demo builder marks its database, so reports and the title bar say 示例数据."""
    session.merge(Setting(key=DEMO_KEY, value="1"))


def set_county_names(db: Database, county: str, bureau: str) -> CountyNames:
    county, bureau = checked_names(county, bureau)
    with db.transaction() as session:
        before = read_names(session)
        old = {"县（区）名称": before.county if before.named else "", "财政局名称": before.bureau}
        new = {"县（区）名称": county, "财政局名称": bureau}
        old, new = audit.changed_only(old, new)
        if new:
            write_names(session, county, bureau)
            audit.record(
                session,
                "修改县区名称",
                audit.SETTINGS,
                label="县（区）和财政局名称",
                before=old,
                after=new,
            )
    return county_names(db)
