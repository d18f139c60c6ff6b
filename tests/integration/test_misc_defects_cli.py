"""QA round 2: CLI help texts say what is needed; the lamps table keeps its columns aligned
by display width (a Chinese character takes two columns), cutting long names with "…"."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from app.cli import build_parser
from app.cli.commands.lamps import _cell
from app.main import main
from app.services.monitoring import open_round
from app.storage.models import Project
from tests import factories

LONG_NAME = "石门镇李家坪村村级集体经济发展项目（第二批）配套基础设施建设"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def help_of(*argv: str) -> str:
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args([*argv, "--help"])
    return ""


def test_report_help_names_the_templates_file_and_when_month_is_needed(capsys):
    help_of("report", "annual")
    annual = capsys.readouterr().out
    templates = next(line for line in annual.splitlines() if line.strip().startswith("--templates"))
    assert "报告文字模板文件" in templates  # the text on the option's own line
    help_of("report", "monitoring")
    monitoring = capsys.readouterr().out
    assert "监控月份，如 6（监控类报告必填）" in monitoring
    assert "（必填）" not in monitoring


@pytest.mark.parametrize("text", ["219001001", "县教育局", LONG_NAME, "执行率", ""])
def test_a_cell_fills_its_width_and_leaves_a_gap(text):
    cell = _cell(text, 32)
    assert display_width(cell) == 32
    assert cell.endswith("  ")
    if display_width(text) > 30:
        assert cell.rstrip().endswith("…") and LONG_NAME.startswith(cell.rstrip()[:-1])
    else:
        assert cell.rstrip() == text


def test_lamps_table_columns_line_up_with_long_chinese_names(db, rules, capsys):
    with db.transaction() as s:
        factories.monitoring_county(s)
        s.scalars(select(Project).where(Project.code == "219002001")).one().name = LONG_NAME
    open_round(db, 2025, 6, rules)
    assert main(["--db", str(db.target), "lamps", "--year", "2025", "--month", "6"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("项目编码")))
    table = lines[start:]
    assert any("…" in line for line in table)
    # Each column starts at the same display column on every line: the text before the
    # execution rate ("xx.xx%") has the same display width everywhere.
    header_offset = display_width(table[0][: table[0].index("执行率")])
    for line in table[1:]:
        rate_at = next(i for i, ch in enumerate(line) if ch.isdigit() and "%" in line[i : i + 7])
        assert display_width(line[:rate_at]) == header_offset, line
