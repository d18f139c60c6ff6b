"""Every report kind through `python -m app report …` on a small demo county (scale 0.05)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from app import main as app_main
from app.domain.rules import RuleSet
from app.main import main
from app.services.demo import build_demo
from app.services.reports import KINDS, ReportKind
from app.services.results.records import propose_results
from app.services.spotcheck import ReviewEdit, draw_sample, save_review
from app.storage.database import open_database

PROJECT = "101001003"  # 人大信息化平台运行维护: goal, monitoring, self-evaluation in 2025
DEPARTMENT = "101001"


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, rules_module: RuleSet) -> tuple[str, str]:
    """The demo at 1/20 scale with a 2024 sample drawn and one project reviewed.

    Returns the database path and the reviewed project's code.
    """
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    try:
        build_demo(db, year=2025, seed=1, scale=0.05)
        sample = draw_sample(db, 2024, rules_module, seed=7)
        item = sample.sections[0].items[0]
        save_review(db, item.sample_id, ReviewEdit(items=()), rules_module, opinion="无异议。")
        propose_results(db, 2024, rules_module)
    finally:
        db.close()
    return str(path), item.project_code


@pytest.fixture(scope="module")
def rules_module() -> RuleSet:
    from app.domain.rules import load_rule_set
    from app.paths import default_rules_path

    return load_rule_set(default_rules_path())


def _scopes(reviewed: str) -> dict[ReportKind, tuple[list[str], str]]:
    """Options per kind, and a Chinese title the PDF's first page must show."""
    y25, y24 = ["--year", "2025"], ["--year", "2024"]
    project, dept = ["--project", PROJECT], ["--department", DEPARTMENT]
    return {
        ReportKind.GOAL_TABLE: ([*y25, *project], "项目支出绩效目标表"),
        ReportKind.DEPARTMENT_GOAL_TABLE: ([*y25, *dept], "部门整体支出绩效目标表"),
        ReportKind.GOAL_BOOK: ([*y25, *dept], "项目支出绩效目标汇编"),
        ReportKind.PREASSESSMENT: (y25, "2025年度事前绩效评估汇总表"),
        ReportKind.MONITORING_TABLE: ([*y25, "--month", "6", *project], "项目支出绩效运行监控表"),
        ReportKind.MONITORING: ([*y25, "--month", "6"], "项目支出绩效运行监控情况报告"),
        ReportKind.SELFEVAL_TABLE: ([*y25, *project], "项目支出绩效自评表"),
        ReportKind.WORKING_PAPER: ([*y24, "--project", reviewed], "绩效自评抽查复核工作底稿"),
        ReportKind.REVIEW_OPINION: ([*y24, "--project", reviewed], "绩效自评抽查复核的审核意见"),
        ReportKind.REVIEW_SUMMARY: (y24, "财政资金绩效自评抽查复核审核意见"),
        ReportKind.RESULTS_LIST: (y24, "绩效评价结果应用建议清单"),
        ReportKind.KEY_EVALUATION: ([*y25, "--evaluation", "ZD2025-01"], "绩效评价报告"),
        ReportKind.RECTIFICATION: (y25, "绩效问题整改台账"),
        ReportKind.ANNUAL: (y25, "预算绩效管理工作情况的报告"),
    }


def _first_page(path: Path) -> str:
    return PdfReader(path).pages[0].extract_text().replace("\n", "").replace(" ", "")


def test_the_table_covers_every_kind() -> None:
    assert set(_scopes("x")) == set(ReportKind) == set(KINDS)


@pytest.mark.parametrize("kind", list(ReportKind), ids=lambda k: k.value)
def test_every_kind_writes_a_pdf_with_its_title(
    county: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: ReportKind
) -> None:
    db_path, reviewed = county
    options, title = _scopes(reviewed)[kind]
    out = tmp_path / f"{kind.value}.pdf"
    assert main(["--db", db_path, "report", kind.value, *options, "--out", str(out)]) == 0
    draft = "（草稿）" if kind is ReportKind.ANNUAL else ""  # its template has 【请补充】 text
    assert f"已生成{kind.label}{draft}：{out}" in capsys.readouterr().out
    assert title in _first_page(out)


def test_review_opinion_per_department_and_results_of_one_department(
    county: tuple[str, str], tmp_path: Path
) -> None:
    db_path, reviewed = county
    department = reviewed[:6]
    base = ["--db", db_path, "report"]
    out = tmp_path / "意见.docx"
    args = ["review-opinion", "--year", "2024", "--department", department, "--out", str(out)]
    assert main([*base, *args]) == 0 and out.stat().st_size > 0
    out = tmp_path / "清单.pdf"
    args = ["results-list", "--year", "2024", "--department", department, "--out", str(out)]
    assert main([*base, *args]) == 0
    assert "绩效评价结果应用建议清单" in _first_page(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["monitoring-table", "--year", "2025", "--project", PROJECT],
            "生成“项目支出绩效运行监控表”需要指定 --month（监控月份，如 6）。",
        ),
        (
            ["monitoring-table", "--year", "2025"],
            "需要指定 --project（项目编码）、--month（监控月份，如 6）",
        ),
        (["monitoring", "--year", "2025", "--month", "13"], "监控月份“13”不对"),
        (["selfeval-table", "--year", "2025"], "需要指定 --project（项目编码）"),
        (["department-goal-table", "--year", "2025"], "需要指定 --department（单位编码）"),
        (
            ["review-opinion", "--year", "2024"],
            "需要指定 --project（项目编码）或 --department（单位编码）",
        ),
        (["working-paper", "--year", "2024", "--project", PROJECT], "不在2024年的复核抽查样本中"),
        (["working-paper", "--year", "2025", "--project", PROJECT], "2025年尚未抽取复核样本"),
    ],
)
def test_missing_or_wrong_scope_exits_2_in_chinese(
    county: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", county[0], "report", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_options_a_kind_does_not_use_are_refused(
    county: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.pdf")
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["--db", county[0], "report", "annual", "--year", "2025", "--month", "6", "--out", out]
        )
    assert exit_info.value.code == 2
    assert "命令行参数错误" in capsys.readouterr().err


def test_sampled_projects_lists_the_sample(county: tuple[str, str], rules_module: RuleSet) -> None:
    from app.services.reports import sampled_projects

    db = open_database(Path(county[0]))
    try:
        listed = sampled_projects(db, 2024, rules_module)
        assert sampled_projects(db, 2025, rules_module) == []
    finally:
        db.close()
    assert county[1] in [p.code for p in listed]
    assert [p.reviewed for p in listed].count(True) == 1
    assert len(listed) >= 6  # at least one in each of the six 股室
