"""Find TrueType CJK fonts to embed in PDFs and charts, one per typeface role.

reportlab embeds only TrueType outlines: Noto/Source Han CJK (CFF) are skipped, and so is
any face missing a character every report prints (digits, Latin, common Chinese: Droid Sans
Fallback has no digits). Each role falls back along a chain (楷体 → 仿宋 → 宋体 → any CJK
TrueType); the unembedded STSong-Light CID font is the last resort. On Windows the system
faces (方正小标宋 if installed, 仿宋, 黑体, 楷体) are found; on Debian/UOS/Kylin the packages
packaging/dev.sh installs give 文鼎简报宋 (title), 文鼎 UMing (宋), 文泉驿正黑 (黑) and 文鼎 UKai
(楷), and it converts the open-licensed FandolFang (仿宋, from texlive-lang-chinese) to
TrueType (app/reports/font_convert.py) into the user's font folder. `font_warnings` names
every role that fell back, for the user. reportlab's parse of each face is kept between runs
in the user's cache folder (app/reports/font_cache.py).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.reports.layout import FontRole

log = logging.getLogger("app.reports")

CID_FALLBACK = "STSong-Light"

# Preferred files (lower-case names) and family-name fragments, best first, per role.
_ROLE_FILES: dict[FontRole, tuple[str, ...]] = {
    FontRole.TITLE: ("方正小标宋简体.ttf", "fzxbsjw.ttf", "方正小标宋_gbk.ttf", "fzxbsk.ttf"),
    FontRole.FANGSONG: (
        "仿宋_gb2312.ttf",
        "fs_gb2312.ttf",
        "simfang.ttf",
        "fandolfang-regular.ttf",  # converted by packaging/dev.sh
    ),
    FontRole.SONG: ("simsun.ttc", "simsun.ttf", "uming.ttc", "gbsn00lp.ttf"),
    FontRole.HEI: ("simhei.ttf", "msyh.ttc", "msyh.ttf", "wqy-zenhei.ttc", "wqy-microhei.ttc"),
    FontRole.KAI: ("楷体_gb2312.ttf", "simkai.ttf", "ukai.ttc", "gkai00mp.ttf"),
}
_ROLE_FAMILIES: dict[FontRole, tuple[str, ...]] = {
    FontRole.TITLE: ("方正小标宋", "fzxiaobiaosong"),
    FontRole.FANGSONG: ("仿宋", "fangsong", "fandolfang"),
    FontRole.SONG: ("宋体", "simsun", "ar pl uming cn", "ar pl sungtil"),
    FontRole.HEI: ("黑体", "simhei", "microsoft yahei", "wenquanyi zen hei", "wenquanyi micro hei"),
    FontRole.KAI: ("楷体", "kaiti", "ar pl ukai cn", "ar pl kaitim gb"),
}
# Any CJK TrueType will do when a role has nothing of its own; sans faces read best small.
_GENERAL_FILES = ("wqy-zenhei.ttc", "wqy-microhei.ttc", "msyh.ttc", "simsun.ttc", "uming.ttc")
_CHAINS: dict[FontRole, tuple[FontRole, ...]] = {
    FontRole.TITLE: (FontRole.TITLE, FontRole.SONG),
    FontRole.FANGSONG: (FontRole.FANGSONG, FontRole.SONG),
    FontRole.SONG: (FontRole.SONG,),
    FontRole.HEI: (FontRole.HEI,),
    FontRole.KAI: (FontRole.KAI, FontRole.FANGSONG, FontRole.SONG),
}
# Without 小标宋 the title takes a heavier Song than the body's (文鼎简报宋), so the two
# still look apart; it is named to the user as a substitute all the same.
_TITLE_STAND_INS = ("gbsn00lp.ttf",)
_KNOWN_FILES = {name for names in _ROLE_FILES.values() for name in names} | set(_GENERAL_FILES)
# Characters every report prints: a face lacking any of them is never chosen for a role.
REQUIRED_CHARS = (
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%.,:-()"
    "一二三四五六七八九十年月日万元项目资金预算绩效管理目标监控评价结果单位财政局县报告"
    "（）、，。：；《》“”"
)


@dataclass(frozen=True)
class FontFile:
    """One face of a font file (a .ttc holds several, chosen by index)."""

    path: Path
    index: int = 0
    family: str = ""


@dataclass(frozen=True)
class ResolvedFont:
    """The font a role renders with; `path` is None for the CID fallback."""

    role: FontRole
    pdf_name: str
    path: Path | None
    index: int
    family: str
    own_style: bool = True  # False when the role borrowed another role's face

    @property
    def embedded(self) -> bool:
        return self.path is not None

    def warning(self) -> str | None:
        """A Chinese sentence when this role prints in a substitute face, else None."""
        label = _ROLE_LABELS[self.role]
        if not self.embedded:
            return f"{label}：未找到可嵌入的中文字体，PDF 用阅读器自带字体显示，可能缺字"
        if not self.own_style:
            return f"{label}：本机没有{_ROLE_WANTED[self.role]}，改用“{self.family}”"
        return None

    def describe(self) -> str:
        where = f"{self.path}#{self.index}" if self.path else "未嵌入（阅读器需自带中文字体）"
        return f"{_ROLE_LABELS[self.role]}：{self.family}（{where}）"


_ROLE_WANTED = {
    FontRole.TITLE: "方正小标宋字体",
    FontRole.FANGSONG: "仿宋字体",
    FontRole.SONG: "宋体字体",
    FontRole.HEI: "黑体字体",
    FontRole.KAI: "楷体字体",
}
_ROLE_LABELS = {
    FontRole.TITLE: "标题",
    FontRole.FANGSONG: "仿宋",
    FontRole.SONG: "宋体",
    FontRole.HEI: "黑体",
    FontRole.KAI: "楷体",
}


def default_font_dirs() -> list[Path]:
    """Folders searched by file name, on top of fontconfig."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def _scan_dirs(dirs: Iterable[Path], known: set[str] | None = None) -> list[FontFile]:
    known = _KNOWN_FILES if known is None else known
    found: list[FontFile] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                if name.lower() in known:
                    found.append(FontFile(Path(root) / name, 0, Path(name).stem))
    return found


def _fontconfig_fonts() -> list[FontFile]:
    """CJK TrueType faces known to fontconfig (skips CFF-flavoured OpenType)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    fmt = "%{file}\t%{index}\t%{family}\t%{fontformat}\n"
    try:
        out = subprocess.run(
            [fc_list, "-f", fmt, ":lang=zh"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[3] == "TrueType" and parts[1].isdigit():
            fonts.append(FontFile(Path(parts[0]), int(parts[1]), parts[2].split(",")[0]))
    return sorted(fonts, key=lambda f: (str(f.path), f.index))


def _matches(font: FontFile, role: FontRole) -> int | None:
    """Rank of `font` for `role` (lower is better), or None."""
    name = font.path.name.lower()
    if name in _ROLE_FILES[role]:
        return _ROLE_FILES[role].index(name)
    family = font.family.lower()
    for rank, fragment in enumerate(_ROLE_FAMILIES[role]):
        if fragment in family:
            return 100 + rank
    return None


def _ranked(candidates: Sequence[FontFile], role: FontRole) -> list[FontFile]:
    ordered: list[FontFile] = []
    for link in _CHAINS[role]:
        hits = [(r, f) for f in candidates if (r := _matches(f, link)) is not None]
        ordered += [f for _r, f in sorted(hits, key=lambda h: h[0])]
        if link is FontRole.TITLE:
            ordered += [f for f in candidates if f.path.name.lower() in _TITLE_STAND_INS]
    general = sorted(
        candidates,
        key=lambda f: (
            _GENERAL_FILES.index(f.path.name.lower())
            if f.path.name.lower() in _GENERAL_FILES
            else len(_GENERAL_FILES)
        ),
    )
    return ordered + general


class FontRegistry:
    """Registers each font file once with reportlab and maps roles to registered names."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_file: dict[tuple[Path, int], str] = {}
        self._bad: set[tuple[Path, int]] = set()

    def register(self, font: FontFile, required: str = REQUIRED_CHARS) -> str | None:
        """The reportlab name of `font`, or None when reportlab cannot embed it or it lacks
        one of the `required` characters."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError

        from app.reports.font_cache import load_ttfont

        key = (font.path, font.index)
        with self._lock:
            if key in self._by_file:
                return self._by_file[key]
            if key in self._bad:
                return None
            name = "CJK-" + re.sub(r"[^A-Za-z0-9]+", "", font.path.stem) + f"-{font.index}"
            try:
                face = load_ttfont(name, font.path, font.index)
            except (TTFError, OSError) as exc:  # CFF outlines, broken or unreadable file
                log.info("跳过字体 %s#%d：%s", font.path, font.index, exc)
                self._bad.add(key)
                return None
            missing = [c for c in required if ord(c) not in face.face.charToGlyph]
            if missing:
                shown = "".join(missing[:10])
                log.info("跳过字体 %s#%d：缺少字符 %s", font.path, font.index, shown)
                self._bad.add(key)
                return None
            pdfmetrics.registerFont(face)
            self._by_file[key] = name
            return name


_registry = FontRegistry()


def discover_fonts(
    font_dirs: Sequence[Path] | None = None, use_fontconfig: bool = True
) -> list[FontFile]:
    """Candidate CJK font faces on this machine, de-duplicated."""
    # fontconfig first: its family names read better in the About dialog.
    found = _fontconfig_fonts() if use_fontconfig else []
    found += _scan_dirs(default_font_dirs() if font_dirs is None else font_dirs)
    unique: dict[tuple[Path, int], FontFile] = {}
    for font in found:
        unique.setdefault((font.path.resolve(), font.index), font)
    return list(unique.values())


def resolve_fonts(
    font_dirs: Sequence[Path] | None = None, use_fontconfig: bool = True
) -> dict[FontRole, ResolvedFont]:
    """Pick and register a font for every role; logs which file each role uses."""
    candidates = discover_fonts(font_dirs, use_fontconfig)
    resolved: dict[FontRole, ResolvedFont] = {}
    for role in FontRole:
        resolved[role] = _resolve_role(role, candidates)
        chosen = resolved[role]
        if chosen.embedded:
            log.info("PDF字体 %s 使用 %s#%d", role.value, chosen.path, chosen.index)
        else:
            log.warning(
                "未找到可嵌入的中文 TrueType 字体（%s），改用不嵌入的 %s", role.value, CID_FALLBACK
            )
    return resolved


def _resolve_role(role: FontRole, candidates: Sequence[FontFile]) -> ResolvedFont:
    for font in _ranked(candidates, role):
        name = _registry.register(font)
        if name is not None:
            own = _matches(font, role) is not None
            return ResolvedFont(role, name, font.path, font.index, font.family, own)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return ResolvedFont(role, CID_FALLBACK, None, 0, CID_FALLBACK, own_style=False)


_default: dict[FontRole, ResolvedFont] | None = None
_default_lock = threading.Lock()


def default_fonts() -> dict[FontRole, ResolvedFont]:
    """The machine's fonts, resolved once per process (used by renderers and charts)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = resolve_fonts()
        return _default


# Broad-coverage Latin/symbol faces for characters the CJK faces lack (− U+2212 is missing
# from most of them), best first: Windows, then Linux, then macOS names.
SYMBOL_FILES = (
    "segoeui.ttf", "arial.ttf", "seguisym.ttf", "cambria.ttc", "dejavusans.ttf",
    "liberationsans-regular.ttf", "freesans.ttf", "arial unicode.ttf",
)  # fmt: skip


def find_symbol_fonts(font_dirs: Sequence[Path]) -> list[str]:
    """Register the symbol faces found in `font_dirs`; their reportlab names, best first."""
    found = _scan_dirs(font_dirs, set(SYMBOL_FILES))
    found.sort(key=lambda f: SYMBOL_FILES.index(f.path.name.lower()))
    names = [n for f in found if (n := _registry.register(f, required="")) is not None]
    log.info("PDF备用符号字体：%s", "、".join(f.path.name for f in found) or "无")
    return list(dict.fromkeys(names))


_symbols: list[str] | None = None


def symbol_fonts() -> list[str]:
    """The machine's symbol faces, found once per process."""
    global _symbols
    with _default_lock:
        if _symbols is None:
            _symbols = find_symbol_fonts(default_font_dirs())
        return _symbols


def font_warnings(fonts: dict[FontRole, ResolvedFont] | None = None) -> list[str]:
    """One Chinese line per printed role that uses a substitute face (宋体 is only a helper
    face for tables, so it is not named), for the 报告 page and the CLI before writing."""
    printed = (FontRole.TITLE, FontRole.FANGSONG, FontRole.HEI, FontRole.KAI)
    fonts = default_fonts() if fonts is None else fonts
    return [w for role in printed if (w := fonts[role].warning()) is not None]


def font_report() -> list[str]:
    """One Chinese line per role, for the About dialog."""
    return [font.describe() for font in default_fonts().values()]


# Full-width closing punctuation that must not begin a line (reportlab's list is Japanese
# oriented and misses most Chinese marks).
_EXTRA_CANNOT_START = "，。；：？！）》」』】〕〉”’、…—·％‰"


def install_cjk_linebreak_rules() -> None:
    """Extend reportlab's ALL_CANNOT_START in both modules that hold a copy (idempotent)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        current: str = module.ALL_CANNOT_START
        missing = "".join(ch for ch in _EXTRA_CANNOT_START if ch not in current)
        if missing:
            module.ALL_CANNOT_START = current + missing
