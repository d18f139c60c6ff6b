"""Font discovery: the CI machine may have nothing but WenQuanYi Zen Hei."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.reports import fonts
from app.reports.layout import FontRole

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-zenhei not installed")
def test_every_role_falls_back_to_wqy_zenhei(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "wqy-zenhei.ttc").symlink_to(WQY)
    with caplog.at_level(logging.INFO, logger="app.reports"):
        resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    assert {f.path.name for f in resolved.values() if f.path} == {"wqy-zenhei.ttc"}
    assert all(f.embedded for f in resolved.values())
    assert len({f.pdf_name for f in resolved.values()}) == 1  # registered once, shared
    logged = [r.getMessage() for r in caplog.records]
    assert any("fangsong" in m and "wqy-zenhei.ttc" in m for m in logged)


def test_windows_file_names_map_to_their_roles() -> None:
    windir = Path("C:/Windows/Fonts")
    candidates = [
        fonts.FontFile(windir / name)
        for name in ("msyh.ttc", "simkai.ttf", "simhei.ttf", "simsun.ttc", "simfang.ttf")
    ]
    best = {role: fonts._ranked(candidates, role)[0].path.name for role in FontRole}
    assert best == {
        FontRole.TITLE: "simsun.ttc",
        FontRole.FANGSONG: "simfang.ttf",
        FontRole.SONG: "simsun.ttc",
        FontRole.HEI: "simhei.ttf",
        FontRole.KAI: "simkai.ttf",
    }


@pytest.mark.skipif(not NOTO.exists(), reason="fonts-noto-cjk not installed")
def test_cff_fonts_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "simsun.ttc").symlink_to(NOTO)  # a CFF font under a preferred name
    resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    assert not any(f.path and f.path.name == "simsun.ttc" for f in resolved.values())


def test_no_font_at_all_falls_back_to_cid_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.reports"):
        resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    assert {f.pdf_name for f in resolved.values()} == {fonts.CID_FALLBACK}
    assert not any(f.embedded for f in resolved.values())
    assert any("STSong-Light" in r.getMessage() for r in caplog.records)


def test_font_report_names_every_role() -> None:
    lines = fonts.font_report()
    assert len(lines) == len(FontRole)
    assert any(line.startswith("仿宋：") for line in lines)


UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
SUNGTI = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def _without_digits(source: Path, target: Path) -> None:
    """A copy of `source` that lacks the digits, like Droid Sans Fallback."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    face = TTCollection(str(source)).fonts[0]
    keep = [ord(c) for c in fonts.REQUIRED_CHARS if not c.isdigit()]
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
    subsetter.populate(unicodes=keep)
    subsetter.subset(face)
    face.save(str(target))


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-zenhei not installed")
def test_a_face_without_digits_is_never_chosen(tmp_path: Path) -> None:
    _without_digits(WQY, tmp_path / "simhei.ttf")  # the preferred 黑体 file name
    (tmp_path / "wqy-zenhei.ttc").symlink_to(WQY)
    resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    assert {f.path.name for f in resolved.values() if f.path} == {"wqy-zenhei.ttc"}


@pytest.mark.skipif(not WQY.exists(), reason="fonts-wqy-zenhei not installed")
def test_roles_in_a_substitute_face_are_named(tmp_path: Path) -> None:
    (tmp_path / "wqy-zenhei.ttc").symlink_to(WQY)
    resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    warnings = fonts.font_warnings(resolved)
    assert warnings == [
        "标题：本机没有方正小标宋字体，改用“wqy-zenhei”",
        "仿宋：本机没有仿宋字体，改用“wqy-zenhei”",
        "楷体：本机没有楷体字体，改用“wqy-zenhei”",
    ]


def test_no_font_at_all_is_named_as_not_embedded(tmp_path: Path) -> None:
    resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    warnings = fonts.font_warnings(resolved)
    assert len(warnings) == 4 and all("未找到可嵌入的中文字体" in w for w in warnings)


@pytest.mark.skipif(
    not all(p.exists() for p in (WQY, UMING, UKAI, SUNGTI)),
    reason="the Debian font packages packaging/dev.sh installs are missing",
)
def test_debian_packages_give_four_families_by_role(tmp_path: Path) -> None:
    for path in (WQY, UMING, UKAI, SUNGTI):
        (tmp_path / path.name).symlink_to(path)
    resolved = fonts.resolve_fonts([tmp_path], use_fontconfig=False)
    chosen = {role: f.path.name for role, f in resolved.items() if f.path}
    assert chosen == {
        FontRole.TITLE: "gbsn00lp.ttf",
        FontRole.FANGSONG: "uming.ttc",
        FontRole.SONG: "uming.ttc",
        FontRole.HEI: "wqy-zenhei.ttc",
        FontRole.KAI: "ukai.ttc",
    }
    assert [w.split("：")[0] for w in fonts.font_warnings(resolved)] == ["标题", "仿宋"]


def test_the_converted_fandol_fang_is_the_body_face_on_linux() -> None:
    home = Path("/home/user/.local/share/fonts/fandol")
    candidates = [
        fonts.FontFile(UMING),
        fonts.FontFile(home / "FandolFang-Regular.ttf", 0, "FandolFang"),
        fonts.FontFile(Path("/usr/share/fonts/truetype/cwtex/cwfs.ttf"), 0, "cwTeXFangSong"),
    ]
    assert fonts._ranked(candidates, FontRole.FANGSONG)[0].path.name == "FandolFang-Regular.ttf"
    assert fonts._matches(candidates[0], FontRole.FANGSONG) is None  # UMing only stands in
