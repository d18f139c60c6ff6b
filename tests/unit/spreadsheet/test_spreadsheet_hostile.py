"""Hostile and broken files are refused with a Chinese message naming the file, quickly."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import UserError
from app.spreadsheet import Column, Kind, SheetSpec, read_workbook, safety

SPEC = SheetSpec("项目", [Column("项目编码", "code", Kind.CODE, required=True)])


def good_xlsx(path: Path, rows: int = 3) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "项目"
    ws.append(["项目编码"])
    for i in range(rows):
        ws.append([f"{i:04}"])
    book.save(path)
    return path


def replace_part(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    parts[member] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        read_workbook(path, [SPEC])
    assert path.name in caught.value.message
    return caught.value.message


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


def test_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "目标.xlsx"
    path.write_text("项目编码,项目名称\n0012,道路\n", encoding="utf-8")
    assert "另存为 .xlsx" in refusal(path)


def test_old_xls_or_et(tmp_path):
    path = tmp_path / "目标.xls"
    path.write_bytes(safety.OLE_MAGIC + b"\0" * 2000 + "Workbook".encode("utf-16-le"))
    message = refusal(path)
    assert ".xls" in message and "另存为 .xlsx" in message


def test_password_protected_xlsx(tmp_path):
    path = tmp_path / "目标.xlsx"
    body = b"\0" * 1000 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1000
    path.write_bytes(safety.OLE_MAGIC + body)
    assert "密码" in refusal(path)


def test_empty_corrupt_and_wrong_package(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert "空文件" in refusal(empty)
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "已损坏" in refusal(corrupt)
    docx = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "Word" in refusal(docx)


def test_malformed_sheet_xml_is_a_damaged_file_not_a_crash(tmp_path):
    path = replace_part(good_xlsx(tmp_path / "坏.xlsx"), "xl/worksheets/sheet1.xml", b"<work")
    assert "已损坏" in refusal(path)


def test_missing_and_locked_files(tmp_path, monkeypatch):
    assert "找不到文件" in refusal(tmp_path / "无.xlsx")
    path = good_xlsx(tmp_path / "目标.xlsx")

    def held_open(*args, **kwargs):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(Path, "open", held_open)
    assert refusal(path) == "文件“目标.xlsx”被占用，请关闭 Excel/WPS 后重试"


def test_file_larger_than_the_limit(tmp_path, monkeypatch):
    path = good_xlsx(tmp_path / "大.xlsx")
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    assert "上限" in refusal(path)


def test_too_many_cells_by_declared_dimension(tmp_path, monkeypatch):
    path = good_xlsx(tmp_path / "多.xlsx", rows=60)
    monkeypatch.setattr(safety, "MAX_CELLS", 50)
    assert "单元格的上限" in refusal(path)


def test_too_many_cells_when_the_dimension_lies(tmp_path, monkeypatch):
    path = good_xlsx(tmp_path / "多.xlsx", rows=60)
    with zipfile.ZipFile(path) as src:
        xml = src.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace('<dimension ref="A1:A61"/>', '<dimension ref="A1"/>')
    replace_part(path, "xl/worksheets/sheet1.xml", xml.encode())
    monkeypatch.setattr(safety, "MAX_CELLS", 50)
    assert "单元格的上限" in refusal(path)


def test_empty_rows_far_down_count_too(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{r}"/>' for r in range(1, 200))
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    path = replace_part(good_xlsx(tmp_path / "空行.xlsx"), "xl/worksheets/sheet1.xml", xml.encode())
    monkeypatch.setattr(safety, "MAX_CELLS", 100)
    assert "单元格的上限" in refusal(path)


def test_zip_bomb_by_ratio(tmp_path):
    path = good_xlsx(tmp_path / "炸弹.xlsx")
    payload = b" " * (safety.RATIO_MIN_BYTES + 1)  # compresses about 1000:1
    replace_part(path, "xl/media/padding.xml", payload)
    assert "压缩炸弹" in refusal(path)


def test_zip_bomb_by_total_size(tmp_path, monkeypatch):
    path = good_xlsx(tmp_path / "炸弹.xlsx")
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 2000)
    assert "压缩炸弹" in refusal(path)


def test_zip_directory_cannot_lie_about_sizes():
    """zipfile stops at the declared size and checks the CRC, so the directory checks bound
    what decompression can produce."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"x" * 100_000)
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # declared size: 10
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("a.xml")


def test_billion_laughs_refused_by_our_doctype_check(tmp_path):
    path = replace_part(
        good_xlsx(tmp_path / "实体.xlsx"), "xl/worksheets/sheet1.xml", BILLION_LAUGHS
    )
    assert "DOCTYPE" in refusal(path)


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_billion_laughs_is_safe_even_without_our_check(tmp_path, monkeypatch, caplog, member):
    """openpyxl itself must not expand entities: defusedxml parses sheets, lxml (with
    libxml2's amplification limit and resolve_entities=False) parses workbook parts."""
    path = good_xlsx(tmp_path / "实体.xlsx")
    if member == "xl/workbook.xml":
        with zipfile.ZipFile(path) as src:
            xml = src.read(member).decode()
        doctype = BILLION_LAUGHS.decode().split("<worksheet")[0]
        xml = xml.replace("<workbook", doctype + "<workbook", 1).replace("项目", "&lol9;")
        replace_part(path, member, xml.encode())
    else:
        replace_part(path, member, BILLION_LAUGHS)
    monkeypatch.setattr(safety, "_has_doctype", lambda archive, info: False)
    started = time.monotonic()
    try:
        data = read_workbook(path, [SPEC])
    except UserError as exc:
        assert "已损坏" in exc.message
        if member.startswith("xl/worksheets"):
            assert "EntitiesForbidden" in caplog.text
    else:  # parsed without expansion: the entity did not become 3 GB of "lol"
        assert all("lol" * 100 not in str(p) for p in data.problems)
    assert time.monotonic() - started < 5


def test_openpyxl_uses_the_defused_parsers():
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")


def test_an_xlsx_with_the_wrong_extension_is_read(tmp_path):
    path = good_xlsx(tmp_path / "目标.xlsx")
    renamed = path.rename(tmp_path / "目标.xls")
    assert [r["code"] for r in read_workbook(renamed, [SPEC])["项目"].rows] == [
        "0000",
        "0001",
        "0002",
    ]
