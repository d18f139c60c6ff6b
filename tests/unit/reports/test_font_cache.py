"""The parsed-font cache: used while valid, rebuilt when the font changes, never a crash."""

from __future__ import annotations

import io
import os
import pickle
import shutil
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from app.reports import font_cache

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


@pytest.fixture
def font(tmp_path: Path) -> Path:
    copy = tmp_path / "Vera.ttf"
    shutil.copy(VERA, copy)
    return copy


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The font files reportlab parsed (cache misses)."""
    seen: list[str] = []
    real = font_cache._parse

    def counting(name: str, path: Path, index: int) -> ttfonts.TTFont:
        seen.append(str(path))
        return real(name, path, index)

    monkeypatch.setattr(font_cache, "_parse", counting)
    return seen


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def pdf_with(font: ttfonts.TTFont) -> bytes:
    """A page written in `font` (its subset is cut from the file's bytes on save)."""
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont(font.fontName, 12)
    canvas.drawString(72, 720, "Cached 0123")
    canvas.save()
    return out.getvalue()


def test_a_valid_cache_is_used_and_gives_the_same_font(
    font: Path, tmp_path: Path, parses: list[str]
) -> None:
    folder = tmp_path / "cache"
    parsed = font_cache.load_ttfont("Vera-parsed", font, 0, folder)
    assert len(cache_files(folder)) == 1
    cached = font_cache.load_ttfont("Vera-cached", font, 0, folder)
    assert parses == [str(font)]  # the second load read the cache
    assert cached.face.charToGlyph == parsed.face.charToGlyph
    assert cached.face.charWidths == parsed.face.charWidths
    assert cached.face.name == parsed.face.name
    assert cached.stringWidth("Cached 0123", 12) == parsed.stringWidth("Cached 0123", 12)
    kept = {k: v for k, v in vars(cached).items() if k not in ("fontName", "face", "state")}
    built = {k: v for k, v in vars(parsed).items() if k not in ("fontName", "face", "state")}
    assert kept.keys() == built.keys()
    assert kept["_asciiReadable"] == built["_asciiReadable"]
    assert cached.shapable == parsed.shapable
    assert pdf_with(cached).startswith(b"%PDF")


def test_a_changed_font_file_is_parsed_again(font: Path, tmp_path: Path, parses: list[str]) -> None:
    folder = tmp_path / "cache"
    font_cache.load_ttfont("Vera-a", font, 0, folder)
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    font_cache.load_ttfont("Vera-b", font, 0, folder)
    assert parses == [str(font), str(font)]
    font_cache.load_ttfont("Vera-c", font, 0, folder)
    assert len(parses) == 2  # the rebuilt entry serves the next run
    assert len(cache_files(folder)) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("wrong key", {})),
        pickle.dumps(print),  # a class or function it does not allow
    ],
    ids=["empty", "garbage", "foreign", "unexpected-class"],
)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(
    font: Path, tmp_path: Path, parses: list[str], content: bytes
) -> None:
    folder = tmp_path / "cache"
    font_cache.load_ttfont("Vera-first", font, 0, folder)
    (entry,) = cache_files(folder)
    entry.write_bytes(content)
    again = font_cache.load_ttfont("Vera-again", font, 0, folder)
    assert len(parses) == 2
    assert pdf_with(again).startswith(b"%PDF")
    font_cache.load_ttfont("Vera-third", font, 0, folder)
    assert len(parses) == 2  # the damaged file was replaced by a good one


def test_an_unwritable_cache_folder_only_costs_the_parse(font: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    loaded = font_cache.load_ttfont("Vera-nocache", font, 0, blocker / "fonts")
    assert pdf_with(loaded).startswith(b"%PDF")
