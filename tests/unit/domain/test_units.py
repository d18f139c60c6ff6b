"""Unit rows as typed or pasted: code rules, located problems, pasted text."""

from __future__ import annotations

from app.domain.units import UnitInput, code_problem, parse_pasted, unit_problems


def test_a_unit_code_is_3_to_21_digits_or_capitals():
    assert code_problem("219001") == ""
    assert code_problem("A01") == ""
    assert "不能为空" in code_problem("")
    assert "3 至 21 位" in code_problem("21 9")
    assert "3 至 21 位" in code_problem("12")
    assert "3 至 21 位" in code_problem("1" * 22)


def test_every_problem_is_located_by_row_and_column():
    rows = [
        UnitInput("101001", "县政府办"),
        UnitInput("101001", "县政协办"),  # repeated
        UnitInput("219001", "", parent_code="999999"),  # no name, unknown parent
        UnitInput("301001", "县农业农村局", parent_code="301001"),  # itself
        UnitInput("401001", "县水利局"),  # already in the database
    ]
    problems = unit_problems(rows, existing=["401001"])
    assert [(p.row, p.column) for p in problems] == [
        (2, "单位编码"),
        (3, "单位名称"),
        (3, "主管部门编码"),
        (4, "主管部门编码"),
        (5, "单位编码"),
    ]
    assert "与第1行重复" in problems[0].message
    assert str(problems[4]) == "工作表“单位列表”第5行“单位编码”列：单位编码“401001”已经存在"


def test_a_parent_may_be_in_the_database_or_later_in_the_list():
    rows = [
        UnitInput("219002", "县第一中学", parent_code="219001"),
        UnitInput("219001", "县教育局"),
    ]
    assert unit_problems(rows) == []
    assert unit_problems([rows[0]], existing=["219001"]) == []


def test_pasted_excel_rows_skip_the_header_and_blank_lines_and_are_tidied():
    text = (
        "单位编码\t单位名称\t股室\t主管部门编码\n"
        "219001\t县 教育局\t教科文股\n\n"
        "219002\t县一中\t教科文股\t219001\r\n"
    )
    assert parse_pasted(text) == [
        UnitInput("219001", "县 教育局", "教科文股", ""),
        UnitInput("219002", "县一中", "教科文股", "219001"),
    ]
