"""What every report needs: the year, the county's names, and rendering with progress."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from app.atomic import atomic_path
from app.domain.errors import UserError
from app.domain.money import round2
from app.domain.numbers import wan_printed
from app.domain.progress import NO_PROGRESS, Progress
from app.reports import SUPPORTED_SUFFIXES, Align, Document, Paragraph, render_to_file
from app.services.setup.county import DEMO_NOTE, read_names


@dataclass(frozen=True)
class OrgNames:
    """The county and its finance bureau, as the reports print them."""

    county: str
    bureau: str


def org_names(session: Session) -> OrgNames:
    """As entered in the set-up or 设置 → 基础信息 (services.setup.county owns them)."""
    names = read_names(session)
    return OrgNames(names.county, names.bureau)


def marked_if_demo(session: Session, document: Document) -> Document:
    """A report from the demo database says so above its text, so it is never mistaken
    for a county's real material."""
    if not read_names(session).demo:
        return document
    note = Paragraph(DEMO_NOTE, indent=False, align=Align.CENTER)
    return replace(document, blocks=(note, *document.blocks))


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
