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
