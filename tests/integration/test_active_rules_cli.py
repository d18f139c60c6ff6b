"""A year's rules kept in the database (设置 → 规则集) drive every command; `--rules` overrides
them for one run.

A province file (执行率 20 + 产出 40, 优 from 85, stricter budget lamps) becomes 2025's rules
through `rules import`, then `score`, `lamps` and `sample` run through app.main.main. A year
keeps the rules it was scored under when the next year's change.
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
from app.services.common.year_rules import (
    import_rules_file,
    rules_for_year,
    rules_text_for_year,
    save_year_rules,
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


@pytest.fixture
def db2(tmp_path):
    """Another county's database."""
    from app.storage.database import open_database

    other = open_database(tmp_path / "另一县.sqlite3")
    yield other
    other.close()


def score(db, capsys, *extra) -> dict:
    assert main(["--db", str(db.target), "score", "--year", "2025", "--json", *extra]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    return only


def rules_cli(db, verb: str, year: int, path) -> int:
    return main(["--db", str(db.target), "rules", verb, "--year", str(year), str(path)])


def test_score_uses_the_default_rules_until_the_year_gets_others(evaluated, capsys):
    result = score(evaluated, capsys)
    assert result["execution"]["points"] == "10"
    assert (result["total"], result["grade"]) == ("83.00", "良")  # 80 + 30% × 10


def test_score_uses_the_province_rules_once_imported_for_the_year(evaluated, province, capsys):
    assert rules_cli(evaluated, "import", 2025, province) == 0
    assert "2025 年度规则集已改为“某省规则”" in capsys.readouterr().out
    result = score(evaluated, capsys)
    assert result["execution"]["points"] == "20"
    assert result["execution"]["score"] == "6.00"
    assert (result["total"], result["grade"]) == ("86.00", "优")  # 优 from 85 in the province
    assert result["flags"] == []  # 20 + 40 + 30 + 10 adds up under the province's layout


def test_a_year_keeps_its_scores_when_next_years_rules_change(evaluated, province, capsys):
    """Scored under A (the default); 2026 is created, then given B (the province's)."""
    before = score(evaluated, capsys)
    with evaluated.transaction() as s:
        factories.year(s, 2026)
    import_rules_file(evaluated, 2026, province)
    assert rules_for_year(evaluated, 2026).name == "某省规则"
    assert score(evaluated, capsys) == before  # 2025 still 83.00 良 under A
    assert rules_for_year(evaluated, 2025).name == "默认规则（全国通用）"


def test_rollover_gives_the_new_year_a_copy_that_later_edits_never_reach(evaluated, province):
    import_rules_file(evaluated, 2025, province)
    assert main(["--db", str(evaluated.target), "rollover", "--from-year", "2025"]) == 0
    assert rules_text_for_year(evaluated, 2026).own  # a copy of its own, not a reference
    assert rules_for_year(evaluated, 2026).name == "某省规则"
    import_rules_file(evaluated, 2025, default_rules_path())
    assert rules_for_year(evaluated, 2026).name == "某省规则"  # 2026 keeps its copy


def test_export_then_import_shares_rules_between_databases(evaluated, province, tmp_path, db2):
    import_rules_file(evaluated, 2025, province)
    shared = tmp_path / "本县规则.toml"
    assert rules_cli(evaluated, "export", 2025, shared) == 0
    assert shared.read_text(encoding="utf-8") == province.read_text(encoding="utf-8")
    with db2.transaction() as s:
        factories.year(s, 2024)
    assert rules_cli(db2, "import", 2024, shared) == 0
    assert rules_for_year(db2, 2024).name == "某省规则"


def test_the_rules_option_overrides_the_year_for_one_run(evaluated, province, capsys):
    import_rules_file(evaluated, 2025, province)
    result = score(evaluated, capsys, "--rules", str(default_rules_path()))
    assert (result["total"], result["grade"]) == ("83.00", "良")
    assert rules_for_year(evaluated, 2025).name == "某省规则"  # nothing saved by --rules


def test_lamps_are_lit_by_the_years_rules(db, rules, province, capsys):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    row = round_rows(db, 2025, 6, rules)[0]  # 219001001, 40% spent of 50% 序时进度: ratio 0.8
    students = IndicatorEdit(row.indicators[0].indicator_id, current_value=Decimal(450))
    edit = EntryEdit(Decimal(100000), Decimal(40000), indicators=(students,))
    update_entry(db, row.entry_id, edit, rules)

    def budget_lamp(*extra: str) -> str:
        argv = ["--db", str(db.target), "lamps", "--year", "2025", "--month", "6", "--json"]
        assert main([*argv, *extra]) == 0
        return json.loads(capsys.readouterr().out)[0]["budget_lamp"]

    assert budget_lamp() == "green"  # default: yellow below 80%
    import_rules_file(db, 2025, province)
    assert budget_lamp() == "yellow"  # province: yellow below 90%
    assert budget_lamp("--rules", str(default_rules_path())) == "green"


def test_the_sample_is_drawn_by_the_years_sampling_ratio(db, capsys):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=3):
            factories.self_evaluation(s, p)
    text = default_rules_path().read_text(encoding="utf-8")
    assert "ratio = 0.2" in text
    save_year_rules(db, 2025, text.replace("ratio = 0.2", "ratio = 0.5", 1))
    argv = ["--db", str(db.target), "sample", "--year", "2025", "--json"]
    assert main(argv) == 0
    drawn = {s["section"]: s["drawn"] for s in json.loads(capsys.readouterr().out)}
    assert drawn == {"教科文股": 3, "农业农村股": 3}  # half of 6 each (20% would draw 2)


def test_broken_stored_rules_stop_commands_with_a_way_out(evaluated, capsys):
    from app.storage.models import YearRules

    with evaluated.transaction() as s:  # as a hand-edited or damaged database might hold
        s.add(YearRules(year_id=1, rules_toml="name = 1\n"))
    argv = ["--db", str(evaluated.target), "score", "--year", "2025"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "2025 年度的规则集不能使用" in err and "设置 → 规则集" in err
    assert "name：应为文字" in err
    assert main([*argv, "--rules", str(default_rules_path())]) == 0  # --rules still works
    assert rules_cli(evaluated, "import", 2025, default_rules_path()) == 0
    assert main(argv) == 0


def test_a_broken_file_is_refused_naming_it(db, tmp_path, capsys):
    with db.transaction() as s:
        factories.year(s, 2025)
    broken = tmp_path / "坏规则.toml"
    broken.write_text("name = 1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        import_rules_file(db, 2025, broken)
    assert caught.value.message.startswith("规则集文件“坏规则.toml”有 ")
    assert "个问题，2025 年度规则集未改变：" in caught.value.message
    assert not rules_text_for_year(db, 2025).own
    assert rules_cli(db, "import", 2025, broken) == 2
    assert "坏规则.toml" in capsys.readouterr().err


def test_the_shared_helper_reads_rules_option_else_the_year(db, province):
    with db.transaction() as s:
        factories.year(s, 2025)
    assert load_rules(argparse.Namespace(rules=None), db).name == "默认规则（全国通用）"
    assert load_rules(argparse.Namespace(), db).name == "默认规则（全国通用）"  # no option
    assert load_rules(argparse.Namespace(rules=province), db).name == "某省规则"
    import_rules_file(db, 2025, province)
    assert load_rules(argparse.Namespace(year=2025), db).name == "某省规则"
    assert load_rules(argparse.Namespace(), db).name == "某省规则"  # the newest year's
    assert load_rules(argparse.Namespace(year=2024), db).name == "默认规则（全国通用）"
