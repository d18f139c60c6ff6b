"""Exported files get normal permissions, not mkstemp's 0600 (shared folders)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.atomic import atomic_path

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_new_file_respects_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "报告.pdf"
        with atomic_path(target) as temp:
            temp.write_bytes(b"x")
    finally:
        os.umask(old)
    assert _mode(target) == 0o644


@posix_only
def test_group_writable_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        target = tmp_path / "a.xlsx"
        with atomic_path(target) as temp:
            temp.write_bytes(b"x")
    finally:
        os.umask(old)
    assert _mode(target) == 0o664


@posix_only
def test_replacing_keeps_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_path(target) as temp:
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o640


@posix_only
def test_writer_that_recreates_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "b.pdf"
    with atomic_path(target) as temp:
        temp.unlink()
        temp.write_bytes(b"y")
    assert _mode(target) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
