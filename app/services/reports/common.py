"""What every report needs: the year, the county's names, and rendering with progress."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.atomic import atomic_path
from app.domain.errors import UserError
from app.domain.money import round2
from app.domain.numbers import wan_printed
from app.domain.progress import NO_PROGRESS, Progress
from app.reports import SUPPORTED_SUFFIXES, Document, render_to_file
from app.storage.models import FiscalYear, Setting

COUNTY_NAME_KEY = "county.name"  # written by the demo and the settings page
BUREAU_KEY = "county.bureau"
DEFAULT_COUNTY = "本县"
DEFAULT_BUREAU = "县财政局"


@dataclass(frozen=True)
class OrgNames:
    """The county and its finance bureau, as the reports print them."""

    county: str
    bureau: str


def org_names(session: Session) -> OrgNames:
    values = dict(
        session.execute(
            select(Setting.key, Setting.value).where(Setting.key.in_((COUNTY_NAME_KEY, BUREAU_KEY)))
        ).all()
    )
    county = (values.get(COUNTY_NAME_KEY) or "").strip() or DEFAULT_COUNTY
    bureau = (values.get(BUREAU_KEY) or "").strip() or DEFAULT_BUREAU
    return OrgNames(county, bureau)


def fiscal_year_id(session: Session, year: int) -> int:
    found = session.scalar(select(FiscalYear.id).where(FiscalYear.year == year))
    if found is None:
        raise UserError(f"数据库中没有{year}年度的数据，请检查年度。")
    return found


def wan_text(yuan: Decimal | None) -> str:
    """万元 with two decimals, as the forms print money; blank when unknown."""
    return "" if yuan is None else wan_printed(yuan)


def percent_text(ratio: Decimal | None) -> str:
    """0.3808 → 38.08%; a dash when the ratio cannot be computed (nothing to divide by)."""
    return "—" if ratio is None else f"{round2(ratio * 100):.2f}%"


def check_output_path(path: Path) -> None:
    """Refuse an unsupported extension before any slow work starts."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UserError(f"不支持的文件类型“{path.suffix}”：请保存为 .docx 或 .pdf 文件（{path}）")


def render(document: Document, path: Path, progress: Progress = NO_PROGRESS) -> Path:
    """Render through the engine, which takes plain callables for progress and cancel."""
    report = progress.report

    def forward(done: int, total: int, message: str) -> None:
        if report is not None:
            report(done, total, message)

    return render_to_file(document, path, forward, progress.is_cancelled)


def font_warnings() -> list[str]:
    """Typeface roles printing in a substitute font on this machine (Chinese lines, empty
    when every role has its own face): shown before a report is written."""
    from app.reports.fonts import font_warnings as resolve  # scans the system's fonts

    return resolve()


def save_copy(source: Path, target: Path) -> Path:
    """Export an already rendered file (the previewed PDF) to where the user chose, atomically."""
    check_output_path(target)
    with atomic_path(target) as tmp:
        try:
            shutil.copyfile(source, tmp)
        except FileNotFoundError as exc:
            raise UserError(f"预览文件已不存在，请重新生成预览：{source}") from exc
    return target
