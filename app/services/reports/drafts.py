"""草稿 or 定稿: a report still holding 【请补充：…】 text is exported as a draft, marked 草稿 on
every page and opening with the list of what is missing; a 定稿 export of it is refused,
naming those sections, so no placeholder ever reaches the 人大 as printed."""

from __future__ import annotations

from dataclasses import replace

from app.domain.errors import UserError
from app.reports import Align, Document, Paragraph
from app.reports.model import unfilled_sections


def finish(document: Document, final: bool) -> Document:
    """The document as exported: unchanged when complete, else marked as a draft (or, for a
    定稿 export, refused with a UserError listing the unfilled sections)."""
    missing = unfilled_sections(document)
    if not missing:
        return document
    listed = "；".join(missing)
    if final:
        raise UserError(
            f"“{document.title}”还有待补充的内容，不能导出定稿：{listed}。"
            "请在“修改报告文字模板”中改写【】中的文字后再导出，或先导出草稿。"
        )
    notice = Paragraph(f"草稿，定稿前请补充：{listed}。", indent=False, align=Align.LEFT)
    return replace(document, draft=True, blocks=(notice, *document.blocks))


def draft_notes(document: Document) -> list[str]:
    """The sections a draft still lacks (empty for a complete document)."""
    return unfilled_sections(document) if document.draft else []
