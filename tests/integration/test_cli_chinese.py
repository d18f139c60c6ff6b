"""The command line's own texts are Chinese: usage, section titles, -h, parse errors."""

from __future__ import annotations

import pytest

from app import main as app_main
from app.main import main


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


def parse(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out = capsys.readouterr()
    return int(exit_.value.code or 0), out.out, out.err


@pytest.mark.parametrize("argv", [("--help",), ("goals", "approve", "--help")])
def test_help_is_chinese(capsys, argv):
    code, out, _ = parse(capsys, *argv)
    assert code == 0
    assert out.startswith("用法：python -m app")
    assert "选项:" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "options:" not in out and "show this help" not in out


def test_positional_arguments_are_titled_in_chinese(capsys):
    _, out, _ = parse(capsys, "--help")
    assert "位置参数:" in out and "positional arguments" not in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("goals", "approve"), "缺少必需的参数：--year"),
        (("nope",), "参数 命令：无效的选择：'nope'（可选："),
        (("sample", "--year", "x"), "参数 --year：'x' 不是有效的值"),
        (("info", "--bad"), "无法识别的参数：--bad"),
    ],
)
def test_parse_errors_are_chinese_and_exit_2(capsys, argv, expected):
    code, _, err = parse(capsys, *argv)
    assert code == 2
    assert err.startswith("用法：")
    assert f"命令行参数错误：{expected}" in err
