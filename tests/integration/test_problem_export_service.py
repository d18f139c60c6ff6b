"""The generic problem-list writer (any import kind without its own)."""

from __future__ import annotations

import openpyxl
import pytest

from app.domain.errors import Problem, UserError
from app.services.common.problem_export import PROBLEM_LIST, export_problem_list

PROBLEMS = [
    Problem("执行数超过预算数", "项目", 2, "执行数", blocking=False),
    Problem("单位编码“999999”不存在", "项目", 3, "单位编码"),
    Problem("=1+2 不是数字", "指标", 5, "分值"),
    Problem("缺少工作表“单位”", "单位"),
]


def test_errors_come_first_in_the_given_order_with_every_location(tmp_path):
    path = export_problem_list(tmp_path / "问题.xlsx", PROBLEMS)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [PROBLEM_LIST.name]
    rows = list(book.active.values)
    assert rows == [
        ("工作表", "行", "列", "问题", "严重程度"),
        ("项目", 3, "单位编码", "单位编码“999999”不存在", "错误"),
        ("指标", 5, "分值", "=1+2 不是数字", "错误"),  # text, never a formula
        ("单位", None, None, "缺少工作表“单位”", "错误"),
        ("项目", 2, "执行数", "执行数超过预算数", "提示"),
    ]


def test_a_locked_target_is_a_user_error(tmp_path, monkeypatch):
    def locked(_src, _dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("app.atomic.os.replace", locked)
    with pytest.raises(UserError, match="被占用"):
        export_problem_list(tmp_path / "问题.xlsx", PROBLEMS)
