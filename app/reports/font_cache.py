"""Parsed TrueType data kept between runs, so a report does not parse five CJK faces anew.

reportlab reads a face's tables in pure Python (character map, widths, glyph offsets of
some 30,000 glyphs per face: a quarter of a second for the five roles). The result of that
parse is stored once per face in the user's cache folder, keyed by the font file's path,
face index, size and modification time and by reportlab's version; a later run reads it
back and keeps only the file's bytes, which the PDF's font subsets are cut from.

The cache is only an accelerator: a stale, damaged or unreadable entry is ignored and
written anew, and a cache folder that cannot be written leaves the run as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import pickle
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version, rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from app.paths import cache_dir

log = logging.getLogger("app.reports")

FORMAT = 1  # bump when what is stored changes
# Per-run state that is rebuilt (the file's bytes) or cannot be pickled (a scaling lambda).
_NOT_STORED = ("_ttf_data", "_pdfScale")
# The only classes a cache file may name: anything else means it is not ours.
_ALLOWED = {
    ("reportlab.pdfbase.ttfonts", "TTFNameBytes"): TTFNameBytes,
    ("builtins", "bytes"): bytes,
    ("builtins", "str"): str,
    ("builtins", "int"): int,
    ("builtins", "float"): float,
    ("builtins", "tuple"): tuple,
    ("builtins", "list"): list,
    ("builtins", "dict"): dict,
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name}") from None


def cache_folder() -> Path:
    return cache_dir() / "fonts"


def _entry(path: Path, index: int, folder: Path) -> tuple[Path, tuple[object, ...]]:
    """The cache file of a face and the key its content must carry to be valid."""
    stat = path.stat()
    key = (FORMAT, Version, str(path.resolve()), index, stat.st_size, stat.st_mtime_ns)
    digest = hashlib.sha1(repr(key[2:4]).encode()).hexdigest()[:16]
    return folder / f"{path.stem[:40]}-{index}-{digest}.pickle", key


def load_ttfont(name: str, path: Path, index: int, folder: Path | None = None) -> TTFont:
    """reportlab's TTFont for face `index` of `path`, from the cache when it is valid.

    Raises what reportlab raises for a file it cannot use (TTFError, OSError)."""
    folder = cache_folder() if folder is None else folder
    cache_file, key = _entry(path, index, folder)
    state = _read(cache_file, key)
    if state is not None:
        return _from_state(name, path, state)
    font = _parse(name, path, index)
    _write(cache_file, key, font.face)
    return font


def _parse(name: str, path: Path, index: int) -> TTFont:
    return TTFont(name, str(path), subfontIndex=index)


def _read(cache_file: Path, key: tuple[object, ...]) -> dict[str, Any] | None:
    try:
        with cache_file.open("rb") as stream:
            stored_key, state = _Unpickler(stream).load()
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged or foreign: parse the font again
        log.info("字体缓存 %s 不可用，重新生成：%s", cache_file, exc)
        return None
    if stored_key != key or not isinstance(state, dict):
        return None
    return state


def _write(cache_file: Path, key: tuple[object, ...], face: TTFontFace) -> None:
    state = {k: v for k, v in face.__dict__.items() if k not in _NOT_STORED}
    partial = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.part")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pickle.dump((key, state), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        partial.write_bytes(buffer.getvalue())
        partial.replace(cache_file)  # readers see the old file or the whole new one
    except OSError as exc:
        log.info("字体缓存 %s 无法写入：%s", cache_file, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _from_state(name: str, path: Path, state: dict[str, Any]) -> TTFont:
    """A TTFont as reportlab's constructor builds it, with the face's parse restored."""
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = path.read_bytes()  # font subsets are cut from it when the PDF is saved
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * (1000 / units))
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font
