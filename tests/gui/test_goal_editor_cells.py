"""Typing and pasting into the indicator grid's cells: the pure rules (no widgets)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.enums import Comparator
from app.ui.goals.indicator_grid_cells import (
    COL_LEVEL1,
    COL_LEVEL2,
    COL_NAME,
    COL_NATURE,
    COL_POINTS,
    COL_TARGET,
    COL_UNIT,
    blank_row,
    cell_text,
    copy_text,
    paste_block,
    set_cell,
    split_clipboard,
)


@pytest.fixture
def goal_rules(rules):
    return rules.goals


def _type(row, column, text, goal_rules):
    result = set_cell(row, column, text, goal_rules)
    assert result is not None, f"{text!r} refused in column {column}"
    return result


@pytest.mark.parametrize(
    ("typed", "comparator", "number", "unit"),
    [
        ("≥95%", Comparator.GE, Decimal(95), "%"),
        ("≤90万元", Comparator.LE, Decimal(90), "万元"),
        (">=1,200 人", Comparator.GE, Decimal(1200), "人"),
        ("＜３天", Comparator.LT, Decimal(3), "天"),
        ("=100", Comparator.EQ, Decimal(100), ""),
    ],
)
def test_value_typed_as_printed_is_split(goal_rules, typed, comparator, number, unit):
    row = _type(blank_row(), COL_TARGET, typed, goal_rules)
    assert (row.comparator, row.target, row.unit, row.target_text) == (comparator, number, unit, "")
    assert cell_text(row, COL_TARGET) == str(number)
    assert cell_text(row, COL_NATURE) == comparator.value


def test_number_alone_keeps_comparator_and_unit(goal_rules):
    row = _type(blank_row(), COL_TARGET, "≥95%", goal_rules)
    row = _type(row, COL_TARGET, "98", goal_rules)
    assert (row.comparator, row.target, row.unit) == (Comparator.GE, Decimal(98), "%")


def test_words_make_a_qualitative_target(goal_rules):
    row = _type(blank_row(), COL_TARGET, "≥95%", goal_rules)
    row = _type(row, COL_TARGET, "按期完成，效果良好", goal_rules)
    assert (row.comparator, row.target, row.unit) == (Comparator.QUALITATIVE, None, "")
    assert row.target_text == "按期完成，效果良好"  # Chinese punctuation kept


def test_switching_nature_keeps_what_was_typed(goal_rules):
    row = _type(blank_row(), COL_TARGET, "≥95%", goal_rules)
    row = _type(row, COL_NATURE, "定性", goal_rules)
    assert (row.target, row.target_text, row.unit) == (None, "95", "")
    row = _type(row, COL_NATURE, "<=", goal_rules)
    assert (row.comparator, row.target, row.target_text) == (Comparator.LE, Decimal(95), "")


def test_bad_nature_and_points_are_refused(goal_rules):
    assert set_cell(blank_row(), COL_NATURE, "大概", goal_rules) is None
    assert set_cell(blank_row(), COL_POINTS, "十分", goal_rules) is None
    assert set_cell(blank_row(), COL_POINTS, "-1", goal_rules) is None
    assert _type(blank_row(), COL_POINTS, "12.5分", goal_rules).points == Decimal("12.5")
    assert _type(blank_row(), COL_POINTS, "", goal_rules).points is None


def test_levels_accept_short_and_weighted_labels(goal_rules):
    row = _type(blank_row(), COL_LEVEL1, "产出指标（50分）", goal_rules)
    assert row.level1 == "产出指标"
    row = _type(row, COL_LEVEL2, "数量", goal_rules)
    assert row.level2 == "数量指标"


def test_level2_fills_or_moves_its_level1(goal_rules):
    row = _type(blank_row(), COL_LEVEL2, "社会效益 指标", goal_rules)
    assert (row.level1, row.level2) == ("效益指标", "社会效益指标")
    row = _type(row, COL_LEVEL2, "质量指标", goal_rules)
    assert (row.level1, row.level2) == ("产出指标", "质量指标")
    row = _type(row, COL_LEVEL1, "满意度指标", goal_rules)
    assert (row.level1, row.level2) == ("满意度指标", "")  # 质量 does not belong there


def test_names_keep_their_punctuation(goal_rules):
    row = _type(blank_row(), COL_NAME, " “最多跑一次”事项占比，全县 ", goal_rules)
    assert row.name == "“最多跑一次”事项占比，全县"


EXCEL_BLOCK = (
    "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\t分值\t指标解释\r\n"
    "产出指标(50分)\t数量指标\t新建文化书屋数量\t≥\t12\t个\t20\t年内新建并验收\r\n"
    "\t\t配送图书册数\t\t>=3000册\t\t15\t\r\n"
    "\t质量指标\t书屋验收合格率\t\t100%\t\t15\t\r\n"
    "\t时效指标\t\t\t\t\t\t\r\n"
    "效益指标（30分）\t社会 效益指标\t群众文化活动参与人次\t正向\t≥5000\t人次\t30\t\r\n"
    '满意度指标(10分)\t服务对象满意度指标\t群众满意度\t\t≥90%\t\t10\t"抽样调查，\n满意人数占比"\r\n'
)


def test_excel_block_pastes_with_merged_cells_and_unused_classes(goal_rules):
    block = split_clipboard(EXCEL_BLOCK)
    result = paste_block([blank_row()], 0, 0, block, goal_rules)
    assert (result.first, result.count) == (0, 5)
    got = [
        (r.level1, r.level2, r.name, r.comparator, r.target, r.unit, r.points) for r in result.rows
    ]
    ge = Comparator.GE
    assert got == [
        ("产出指标", "数量指标", "新建文化书屋数量", ge, Decimal(12), "个", Decimal(20)),
        ("产出指标", "数量指标", "配送图书册数", ge, Decimal(3000), "册", Decimal(15)),
        ("产出指标", "质量指标", "书屋验收合格率", Comparator.EQ, Decimal(100), "%", Decimal(15)),
        (
            "效益指标",
            "社会效益指标",
            "群众文化活动参与人次",
            ge,
            Decimal(5000),
            "人次",
            Decimal(30),
        ),
        ("满意度指标", "服务对象满意度指标", "群众满意度", ge, Decimal(90), "%", Decimal(10)),
    ]
    assert result.rows[4].explanation == "抽样调查，\n满意人数占比"


def test_paste_into_the_middle_overwrites_only_its_columns(goal_rules):
    rows = [_type(blank_row("产出指标", "数量指标"), COL_POINTS, "20", goal_rules)]
    block = split_clipboard("培训人次\t≥\n资金到位率\t=\n")
    result = paste_block(rows, 0, COL_NAME, block, goal_rules)
    assert [(r.level1, r.name, r.comparator, r.points) for r in result.rows] == [
        ("产出指标", "培训人次", Comparator.GE, Decimal(20)),
        ("", "资金到位率", Comparator.EQ, None),
    ]


def test_paste_value_column_alone_keeps_the_unit(goal_rules):
    row = _type(blank_row(), COL_TARGET, "≥95%", goal_rules)
    result = paste_block([row], 0, COL_TARGET, [["98"]], goal_rules)
    assert (result.rows[0].target, result.rows[0].unit) == (Decimal(98), "%")


def test_copy_gives_back_what_paste_reads(goal_rules):
    rows = paste_block([], 0, 0, split_clipboard(EXCEL_BLOCK), goal_rules).rows
    columns = list(range(8))
    again = paste_block([], 0, 0, split_clipboard(copy_text(rows, columns)), goal_rules).rows
    assert again == rows


def test_clipboard_edge_cases():
    assert split_clipboard("") == []
    assert split_clipboard("a\tb\n") == [["a", "b"]]
    assert split_clipboard("a\r\n\r\nb") == [["a"], [], ["b"]]


def test_unit_refused_for_qualitative(goal_rules):
    row = _type(blank_row(), COL_NATURE, "定性", goal_rules)
    assert set_cell(row, COL_UNIT, "个", goal_rules) is None
    assert _type(row, COL_UNIT, "", goal_rules).unit == ""


def test_pasted_qualitative_text_keeps_punctuation(goal_rules):
    result = paste_block([], 0, COL_NATURE, [["定性", "按期完成，效果良好"]], goal_rules)
    assert result.rows[0].comparator is Comparator.QUALITATIVE
    assert result.rows[0].target_text == "按期完成，效果良好"
