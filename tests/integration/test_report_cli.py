"""`python -m app report …` end to end through app.main.main."""

from __future__ import annotations

import os

import docx
import pytest
from pypdf import PdfReader

from app import main as app_main
from app.main import main
from tests import factories


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


@pytest.fixture
def db_path(db):
    with db.transaction() as s:
        factories.small_county(s, per_department=2)
    return str(db.target)


def test_goal_table_to_pdf(db_path, tmp_path, capsys):
    out = tmp_path / "目标表.pdf"
    args = ["--db", db_path, "report", "goal-table", "--year", "2025", "--project", "219001002"]
    assert main([*args, "--out", str(out)]) == 0
    assert f"已生成项目支出绩效目标表：{out}" in capsys.readouterr().out
    assert "项目支出绩效目标表" in PdfReader(out).pages[0].extract_text()


def test_goal_book_of_one_department_to_docx(db_path, tmp_path, capsys):
    out = tmp_path / "汇编.docx"
    args = ["--db", db_path, "report", "goal-book", "--year", "2025", "--department", "301001"]
    assert main([*args, "--out", str(out)]) == 0
    assert len(docx.Document(str(out)).tables) == 2


def test_annual_report_and_department_table(db_path, tmp_path):
    out = tmp_path / "报告.pdf"
    assert main(["--db", db_path, "report", "annual", "--year", "2025", "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    args = ["--db", db_path, "report", "department-goal-table", "--year", "2025"]
    assert main([*args, "--department", "219001", "--out", str(tmp_path / "d.pdf")]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["goal-table", "--year", "2025", "--project", "NOPE"], "2025年没有项目编码为“NOPE”的项目"),
        (["goal-table", "--year", "2031", "--project", "219001001"], "数据库中没有2031年度的数据"),
        (["goal-book", "--year", "2025", "--department", "999"], "没有单位编码为“999”的预算单位"),
        (["annual", "--year", "2030"], "数据库中没有2030年度的数据"),
    ],
)
def test_unknown_objects_exit_2_in_chinese(db_path, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert main(["--db", db_path, "report", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_wrong_extension_and_locked_file_exit_2(db_path, tmp_path, capsys, monkeypatch):
    base = ["--db", db_path, "report", "annual", "--year", "2025", "--out"]
    assert main([*base, str(tmp_path / "报告.txt")]) == 2
    assert "不支持的文件类型“.txt”" in capsys.readouterr().err
    target = tmp_path / "报告.docx"
    target.write_bytes(b"open in WPS")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert main([*base, str(target)]) == 2
    assert "文件被占用" in capsys.readouterr().err
    assert target.read_bytes() == b"open in WPS"


def test_a_report_kind_is_required(db_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db_path, "report", "--year", "2025"])
    assert exit_info.value.code == 2
    assert "命令行参数错误" in capsys.readouterr().err


def test_annual_is_a_draft_until_filled_and_final_refuses(db_path, tmp_path, capsys):
    base = ["--db", db_path, "report", "annual", "--year", "2025"]
    out = tmp_path / "报告.pdf"
    assert main([*base, "--out", str(out), "--date", "2026-03-31"]) == 0
    printed = capsys.readouterr().out
    assert f"已生成预算绩效管理工作情况报告（草稿）：{out}" in printed
    assert "定稿前请补充：一、基本工作情况（一）加强组织领导" in printed
    final = tmp_path / "定稿.pdf"
    assert main([*base, "--out", str(final), "--final"]) == 2
    assert "不能导出定稿" in capsys.readouterr().err
    assert not final.exists()


def test_substitute_fonts_are_named_before_a_pdf(db_path, tmp_path, capsys, monkeypatch):
    from app.services.reports import common

    monkeypatch.setattr(common, "font_warnings", lambda: ["楷体：本机没有楷体字体，改用“X”"])
    out = tmp_path / "目标表.pdf"
    args = ["--db", db_path, "report", "goal-table", "--year", "2025", "--project", "219001002"]
    assert main([*args, "--out", str(out)]) == 0
    assert "字体提示：楷体：本机没有楷体字体，改用“X”" in capsys.readouterr().err
