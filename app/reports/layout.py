"""GB/T 9704-2012 page geometry and typography, shared by both renderers.

Everything a clerk would measure with a ruler lives here, in millimetres and points.
Page numbers follow the standard: `— N —` in 4号宋体, odd pages right and even pages left,
each one character in from the edge of the type area; landscape pages number the same way
along their own bottom edge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

MM_PER_PT = 25.4 / 72


class FontRole(Enum):
    """Typefaces a 公文 uses; fonts.py maps each to a real font file."""

    TITLE = "title"  # 方正小标宋简体, else 宋体
    FANGSONG = "fangsong"  # body text
    SONG = "song"  # page numbers, table body
    HEI = "hei"  # 一级标题, table headers
    KAI = "kai"  # 二级标题, subtitle


@dataclass(frozen=True)
class PageGeometry:
    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.top_mm - self.bottom_mm


# 版心 156 × 225 mm.
PORTRAIT = PageGeometry(210, 297, top_mm=37, bottom_mm=35, left_mm=28, right_mm=26)
# The portrait page turned so the table's top faces the binding edge (订口): the type area
# stays 225 × 156 mm and the margins move with the paper.
LANDSCAPE = PageGeometry(297, 210, top_mm=28, bottom_mm=26, left_mm=35, right_mm=37)

# Baseline of the page number, measured up from the paper's bottom edge: the standard puts
# the number's top 7 mm under the type area; a 14 pt figure is about 5 mm tall.
PAGE_NUMBER_BASELINE_MM = 23.0

TITLE_PT = 22.0  # 2号
COVER_TITLE_PT = 26.0  # 1号
BODY_PT = 16.0  # 3号
PAGE_NUMBER_PT = 14.0  # 4号
CAPTION_PT = 14.0  # 4号, table and figure titles
TABLE_PT = 10.5  # 5号 default for table cells
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm type area
TITLE_LEADING_PT = 35.0  # a two-line 2号 title needs more air than body lines
INDENT_CHARS = 2
SIGNATURE_RIGHT_CHARS = 4  # 成文日期右空四字
TABLE_CELL_PADDING_PT = 3.0
TABLE_LEADING_FACTOR = 1.25  # single spacing for table text
MIN_SHRINK = 0.7  # numbers shrink down to 70 % of the table size rather than break

# Names written into .docx: Word substitutes the alternate when the first is missing.
DOCX_FONT_NAMES: dict[FontRole, tuple[str, str]] = {
    FontRole.TITLE: ("方正小标宋简体", "宋体"),
    FontRole.FANGSONG: ("仿宋_GB2312", "仿宋"),
    FontRole.SONG: ("宋体", "SimSun"),
    FontRole.HEI: ("黑体", "SimHei"),
    FontRole.KAI: ("楷体_GB2312", "楷体"),
}

HEADING_ROLES: dict[int, FontRole] = {
    1: FontRole.HEI,
    2: FontRole.KAI,
    3: FontRole.FANGSONG,
    4: FontRole.FANGSONG,
}


def page_number_text(n: int) -> str:
    return f"— {n} —"


# Approximate Times-like advance widths in ems for Latin text Word may draw in a Latin face.
_NARROW = dict.fromkeys(".,:;'|!il ", 0.28) | dict.fromkeys("%@mwMW", 0.85) | {"-": 0.34}


def em_width(text: str) -> float:
    """Estimated width in ems: CJK and full-width characters 1, Latin by a small table."""
    total = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            total += 1.0
        elif ch in _NARROW:
            total += _NARROW[ch]
        else:
            total += 0.72 if ch.isupper() else 0.5
    return total


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def mm_to_twips(mm: float) -> int:
    """Word stores page geometry in twips (1/1440 inch): 37 mm -> 2098."""
    return round(mm * 1440 / 25.4)


def text_width_twips(geometry: PageGeometry) -> int:
    """版心 width as Word computes it from the rounded page and margin values."""
    return (
        mm_to_twips(geometry.width_mm)
        - mm_to_twips(geometry.left_mm)
        - mm_to_twips(geometry.right_mm)
    )


def column_widths(relative: list[float], total: float) -> list[float]:
    """Scale relative column widths to fill exactly `total` (any unit)."""
    if not relative or any(w <= 0 for w in relative):
        raise ValueError("column widths must be positive")
    scale = total / sum(relative)
    return [w * scale for w in relative]


def signature_indents(org: str, date: str) -> tuple[float, float]:
    """Right indents in ems for the org line and the date line (GB/T 9704 §7.3.5.2)."""
    w_org, w_date = em_width(org), em_width(date)
    if not date:
        return 2.0, 0.0
    date_right = max(2.0, w_org - w_date)
    return date_right + w_date + 2 - w_org, date_right


def has_wide(text: str) -> bool:
    """True when `text` holds CJK or other full-width characters (those may wrap)."""
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


# A target value with its unit: "≤1958元/平方米", "≥39批次", "≥80%", "100万元".
_QUANTITY = re.compile(r"[≥≤＞＜><=≈±]?[-+]?\d[\d,.]*%?[^\s\d]{0,6}")


def is_quantity(text: str) -> bool:
    """A number with a short unit: it shrinks like a number rather than break in the unit."""
    return _QUANTITY.fullmatch(text.strip()) is not None


def shrink_size(
    text: str, text_width: float, avail: float, size: float, one_line: bool = False
) -> float | None:
    """Font size that keeps a number or code on one line in `avail`, or None to wrap.

    Breaking "1,350.00" after "1,350.0" misleads a reader; text with CJK wraps normally,
    unless the cell asks for `one_line` (a list whose rows read one per line).
    """
    if text_width <= avail:
        return size
    if "\n" in text or (has_wide(text) and not is_quantity(text) and not one_line):
        return None
    if avail / text_width < MIN_SHRINK:
        return None
    return size * avail / text_width


# Characters that must not start a line (closing punctuation) in a balanced title.
_NO_LINE_START = "，。、；：？！）》」』”’"


def balance_title(text: str, size_pt: float, width_mm: float = PORTRAIT.text_width_mm) -> str:
    """Break a title that wraps into lines of nearly equal width.

    GB/T 9704 lays a long title out as a balanced 梯形 or 菱形 whose lines keep words whole;
    left to wrap by itself it leaves a lone word on the last line ("……工作情况的" / "报告").
    Titles with explicit breaks are kept; a break never splits a number or a Latin word, nor
    starts a line with closing punctuation; it prefers a natural pause (after a closing
    quote or 的) and avoids the inside of a quoted name, when a line stays within reach.
    """
    line_ems = width_mm / MM_PER_PT / size_pt - 0.5  # a little slack for real glyph widths
    total = em_width(text)
    if "\n" in text or total <= line_ems:
        return text
    lines = int(total // line_ems) + 1
    starts = [0.0]  # width before each character
    for ch in text:
        starts.append(starts[-1] + em_width(ch))
    breaks: list[int] = []
    for k in range(1, lines):
        prev = breaks[-1] if breaks else 0
        allowed = [
            i
            for i in range(prev + 1, len(text))
            if _may_break(text, i)
            and starts[i] - starts[prev] <= line_ems  # this line fits
            and total - starts[i] <= line_ems * (lines - k)  # and the rest still fits
        ]
        if not allowed:
            break
        target = total * k / lines
        breaks.append(min(allowed, key=lambda i: _break_cost(text, i, starts[i] - target)))
    parts = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    return "\n".join(parts)


_PAUSE_AFTER = "”》）」的"  # a title line may end here with its words whole
_PAUSE_PENALTY = 4.0  # ems a break may move to reach a pause
_QUOTE_PENALTY = 6.0  # ems: a quoted name is cut only when nothing else fits
_WORD_PENALTY = 3.0  # ems: splitting a word of the reports' vocabulary reads badly
_TITLE_WORDS = (
    "项目", "支出", "绩效", "预算", "管理", "工作", "情况", "报告", "审核", "意见", "自评",
    "抽查", "复核", "运行", "监控", "评价", "结果", "应用", "目标", "部门", "整体", "单位",
    "财政", "资金", "事前", "评估", "汇总", "汇编", "建议", "清单", "底稿", "年度",
)  # fmt: skip


# Terms read as one word: a break anywhere inside costs like splitting a word, on top.
_TITLE_TERMS = ("预算绩效管理", "绩效目标", "绩效自评", "绩效评价", "绩效监控", "抽查复核")


def _splits_word(text: str, i: int) -> bool:
    return any(text[i - 1 : i + 1] == word for word in _TITLE_WORDS)


def _splits_term(text: str, i: int) -> bool:
    """True when position `i` falls strictly inside one of _TITLE_TERMS."""
    for term in _TITLE_TERMS:
        start = text.find(term)
        while start >= 0:
            if start < i < start + len(term):
                return True
            start = text.find(term, start + 1)
    return False


def _break_cost(text: str, i: int, off_target: float) -> float:
    cost = abs(off_target)
    if text[i - 1] not in _PAUSE_AFTER:
        cost += _PAUSE_PENALTY
    if _splits_word(text, i):
        cost += _WORD_PENALTY
    if _splits_term(text, i):
        cost += _WORD_PENALTY
    if text[:i].count("“") > text[:i].count("”") or text[:i].count("《") > text[:i].count("》"):
        cost += _QUOTE_PENALTY
    return cost


def _may_break(text: str, i: int) -> bool:
    """Not after a number or Latin word, nor inside "2025年度", nor before 。）and the like."""
    before, here = text[i - 1], text[i]
    if here in _NO_LINE_START or (before.isascii() and before.isalnum()):
        return False
    return not (before == "年" and i >= 2 and text[i - 2].isdigit())
