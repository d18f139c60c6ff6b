"""The database's active rule set (设置 → 规则集) drives every command; `--rules` overrides it.

A province file (执行率 20 + 产出 40, 优 from 85, stricter budget lamps) is made active
through the settings service, then `score`, `lamps` and `sample` run through app.main.main.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

import pytest

from app import main as app_main
from app.cli.rules import load_rules
from app.domain.errors import ValidationFailed
from app.main import main
from app.paths import default_rules_path
from app.services.common.settings import (
    active_rule_set,
    active_rule_set_path,
    rule_set_summary,
    set_active_rule_set_path,
)
from app.services.monitoring import EntryEdit, IndicatorEdit, open_round, round_rows, update_entry
from tests import factories

CODE = "219001001"


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


@pytest.fixture
def province(tmp_path):
    return factories.province_rules_file(tmp_path)


@pytest.fixture
def evaluated(db):
    """One project with a goal in the province's layout (80 indicator points), every target
    met, but only 30% of the budget spent."""
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        spec = factories.ProjectSpec(CODE, indicators=factories.PROVINCE_INDICATORS)
        project = factories.project_with_goal(s, fy, dept, spec)
        factories.self_evaluation(s, project, spent=project.total_amount * Decimal("0.3"))
    return db


def score(db, capsys, *extra) -> dict:
    assert main(["--db", str(db.path), "score", "--year", "2025", "--json", *extra]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    return only


def test_score_uses_the_default_rules_until_another_set_is_chosen(evaluated, capsys):
    result = score(evaluated, capsys)
    assert result["execution"]["points"] == "10"
    assert (result["total"], result["grade"]) == ("83.00", "良")  # 80 + 30% × 10


def test_score_uses_the_province_rules_once_they_are_active(evaluated, province, capsys):
    set_active_rule_set_path(evaluated, province)
    result = score(evaluated, capsys)
    assert result["execution"]["points"] == "20"
    assert result["execution"]["score"] == "6.00"
    assert (result["total"], result["grade"]) == ("86.00", "优")  # 优 from 85 in the province
    assert result["flags"] == []  # 20 + 40 + 30 + 10 adds up under the province's layout


def test_the_rules_option_overrides_the_active_set_for_one_run(evaluated, province, capsys):
    set_active_rule_set_path(evaluated, province)
    result = score(evaluated, capsys, "--rules", str(default_rules_path()))
    assert (result["total"], result["grade"]) == ("83.00", "良")
    assert active_rule_set_path(evaluated) == province.resolve()  # nothing saved by --rules


def test_lamps_are_lit_by_the_active_rule_set(db, rules, province, capsys):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    row = round_rows(db, 2025, 6, rules)[0]  # 219001001, 40% spent of 50% 序时进度: ratio 0.8
    students = IndicatorEdit(row.indicators[0].indicator_id, current_value=Decimal(450))
    edit = EntryEdit(Decimal(100000), Decimal(40000), indicators=(students,))
    update_entry(db, row.entry_id, edit, rules)

    def budget_lamp(*extra: str) -> str:
        argv = ["--db", str(db.path), "lamps", "--year", "2025", "--month", "6", "--json"]
        assert main([*argv, *extra]) == 0
        return json.loads(capsys.readouterr().out)[0]["budget_lamp"]

    assert budget_lamp() == "green"  # default: yellow below 80%
    set_active_rule_set_path(db, province)
    assert budget_lamp() == "yellow"  # province: yellow below 90%
    assert budget_lamp("--rules", str(default_rules_path())) == "green"


def test_the_sample_is_drawn_by_the_active_sampling_ratio(db, tmp_path, capsys):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=3):
            factories.self_evaluation(s, p)
    text = default_rules_path().read_text(encoding="utf-8")
    assert "ratio = 0.2" in text
    half = tmp_path / "半数抽查.toml"
    half.write_text(text.replace("ratio = 0.2", "ratio = 0.5", 1), encoding="utf-8")
    set_active_rule_set_path(db, half)
    argv = ["--db", str(db.path), "sample", "--year", "2025", "--json"]
    assert main(argv) == 0
    drawn = {s["section"]: s["drawn"] for s in json.loads(capsys.readouterr().out)}
    assert drawn == {"教科文股": 3, "农业农村股": 3}  # half of 6 each (20% would draw 2)


def test_a_missing_active_file_stops_commands_with_a_way_out(evaluated, province, capsys):
    set_active_rule_set_path(evaluated, province)
    province.unlink()
    argv = ["--db", str(evaluated.path), "score", "--year", "2025"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "当前选用的规则集文件不能使用" in err and "设置 → 规则集" in err
    assert "无法读取规则集文件" in err and province.name in err
    # --rules still works, and so does choosing the default again
    assert main([*argv, "--rules", str(default_rules_path())]) == 0
    set_active_rule_set_path(evaluated, None)
    assert main(argv) == 0


def test_an_edited_rule_file_is_read_again(db, province):
    set_active_rule_set_path(db, province)
    assert active_rule_set(db).name == "某省规则"
    assert active_rule_set(db) is active_rule_set(db)  # kept while the file is unchanged
    text = province.read_text(encoding="utf-8")
    province.write_text(text.replace("某省规则", "某省规则（修订）"), encoding="utf-8")
    assert active_rule_set(db).name == "某省规则（修订）"


def test_choosing_the_shipped_file_means_the_default(db):
    set_active_rule_set_path(db, default_rules_path())
    assert rule_set_summary(db).is_default
    assert active_rule_set_path(db) == default_rules_path()


def test_a_broken_file_is_refused_naming_it(db, tmp_path):
    broken = tmp_path / "坏规则.toml"
    broken.write_text("name = 1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        set_active_rule_set_path(db, broken)
    assert caught.value.message.startswith("规则集文件“坏规则.toml”有 ")
    assert "个问题，仍使用原来的规则集：" in caught.value.message


def test_the_shared_helper_reads_rules_option_else_the_database(db, province):
    assert load_rules(argparse.Namespace(rules=None), db).name == "默认规则（全国通用）"
    assert load_rules(argparse.Namespace(), db).name == "默认规则（全国通用）"  # no option
    assert load_rules(argparse.Namespace(rules=province), db).name == "某省规则"
    set_active_rule_set_path(db, province)
    assert load_rules(argparse.Namespace(), db).name == "某省规则"
