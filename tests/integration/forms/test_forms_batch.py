"""A county's folder of 72 departments' forms; hostile files refused whole."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.forms import IMPORTED, RECEIVED, REFUSED, import_forms, unit_board
from app.spreadsheet import safety
from app.storage.models import Goal, Project, SelfEvaluation, SelfEvaluationIndicator
from tests import factories
from tests.fixtures_forms import Form, write_docx, write_xlsx

DATA = Path(__file__).parent / "data"
UNITS = 72
BROKEN = 71


def _units(db) -> list[tuple[str, str]]:
    units = [("219001", "上犹县教育局")]
    units += [(f"219{i:03d}", f"上犹县第{i}局") for i in range(2, UNITS + 1)]
    with db.transaction() as s:
        factories.year(s, 2022)
        for code, name in units:
            factories.department(s, code, name, section_name=f"第{int(code[3:]) % 6}股")
    return units


def _folder(root: Path, units: list[tuple[str, str]]) -> Path:
    folder = root / "各单位报送"
    folder.mkdir()
    shutil.copy(DATA / "yunnan_selfeval.xls", folder / "001上犹县教育局.xls")
    for i, (_, name) in enumerate(units[1:], 2):
        forms = [Form(unit=name, department=name), Form(kind="department_self", unit=name)]
        if i == BROKEN:  # the broken one: 全年执行数 written in words
            forms[0] = Form(unit=name, department=name, money=("100", "100", "九十五"))
        if i % 3 == 0:
            write_docx(folder / f"{i:03d}{name}.docx", forms)
        else:
            write_xlsx(folder / f"{i:03d}{name}.xlsx", [forms[:1], forms[1:]])
    return folder


def test_a_folder_of_72_departments(db, tmp_path, rules):
    units = _units(db)
    folder = _folder(tmp_path, units)
    started = time.perf_counter()
    reports = import_forms(db, [folder], rules)
    elapsed = time.perf_counter() - started
    print(f"\n72 files imported in {elapsed:.1f} s")  # a figure, never a timed assertion
    assert len(reports) == UNITS
    refused = [r for r in reports if r.status == REFUSED]
    assert [r.name for r in refused] == [f"0{BROKEN}上犹县第{BROKEN}局.xlsx"]
    located = [p.describe() for p in refused[0].blocking]
    assert [m.split("”", 1)[1] for m in located] == [
        "工作表“Sheet1”第6行F列（全年执行数）：“九十五”不是金额（金额单位按表头为万元）",
        "工作表“Sheet1”第7行F列（全年执行数）：“九十五”不是金额（金额单位按表头为万元）",
    ]
    assert sum(r.status == IMPORTED for r in reports) == UNITS - 1
    with db.session() as s:
        evaluations = s.scalar(select(func.count()).select_from(SelfEvaluation))
        projects = s.scalar(select(func.count()).select_from(Project))
    # 2 from the .xls, 2 per other landed file (project + department), none from the broken one.
    assert (evaluations, projects) == (2 + 2 * (UNITS - 2), 2 + (UNITS - 2))
    board = {u.code: u.status for u in unit_board(db, reports)}
    assert list(board.values()).count(RECEIVED) == UNITS - 1
    assert board[f"219{BROKEN:03d}"] == REFUSED


def _count(db) -> tuple[int, ...]:
    with db.session() as s:
        models = (Project, Goal, SelfEvaluation, SelfEvaluationIndicator)
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in models)


def _docx_with_doctype(path: Path, good: Path) -> None:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1
                )
            out.writestr(item, data)


def _docx_bomb(path: Path, good: Path) -> None:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("word/media/padding.bin", b"\0" * (12 * 1024 * 1024))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p, g: p.write_bytes(safety.OLE_MAGIC + b"\xff" * 4000), "Excel 97-2003"),
        (lambda p, g: p.write_bytes(b""), "空文件"),
        (
            lambda p, g: p.write_bytes("<html><body>表</body></html>".encode()),
            "不是 Excel 或 Word 文件",
        ),
        (lambda p, g: p.write_bytes(g.read_bytes()[:3000]), "已损坏"),
        (_docx_with_doctype, "DOCTYPE"),
        (_docx_bomb, "压缩炸弹"),
    ],
    ids=["ole-garbage", "empty", "html", "truncated-docx", "doctype-docx", "bomb-docx"],
)
def test_hostile_files_are_refused_whole(db, tmp_path, rules, make, expected):
    _units(db)
    good = write_docx(tmp_path / "good.docx", [Form()])
    bad = tmp_path / "bad.docx"
    make(bad, good)
    before = _count(db)
    (report,) = import_forms(db, [bad], rules)
    assert report.status == REFUSED and _count(db) == before
    assert expected in report.problems[0].describe()


def test_an_oversized_xls_sheet_is_refused(db, tmp_path, rules, monkeypatch):
    from app.spreadsheet.forms import sources

    _units(db)
    monkeypatch.setattr(sources, "MAX_GRID_CELLS", 50)
    path = tmp_path / "a.xls"
    shutil.copy(DATA / "department_goal.xls", path)
    (report,) = import_forms(db, [path], rules)
    assert report.status == REFUSED and "远超一张表样的大小" in report.problems[0].describe()
