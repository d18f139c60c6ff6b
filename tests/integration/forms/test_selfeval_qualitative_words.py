"""The existing self-evaluation workbook accepts real qualitative wording (有效 / 有效)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select, update

from app.domain.enums import Comparator, QualitativeBand
from app.services.evaluation import score_year
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.storage.models import Indicator, SelfEvaluationIndicator
from tests import factories

YEAR = 2022
POOR = (
    "效益指标",
    "社会效益指标",
    "减轻贫困学生家庭经济负担",
    Comparator.QUALITATIVE,
    None,
    "",
    "30",
)


def _county(db) -> None:
    with db.transaction() as s:
        fy = factories.year(s, YEAR)
        dept = factories.department(s, "219001", "上犹县教育局")
        spec = factories.ProjectSpec(
            code="219001777",
            indicators=(*factories.STANDARD_INDICATORS[:4], POOR, factories.STANDARD_INDICATORS[5]),
        )
        factories.project_with_goal(s, fy, dept, spec)
        s.execute(update(Indicator).where(Indicator.name == POOR[2]).values(target_text="有效"))


def _fill(path: Path, poor_actual: str) -> None:
    book = load_workbook(path)
    projects, indicators = book["项目"], book["指标"]
    heads = {c.value: c.column for c in projects[1]}
    projects.cell(2, heads["全年执行数(万元)"], projects.cell(2, heads["全年预算数(万元)"]).value)
    heads = {c.value: c.column for c in indicators[1]}
    for r in range(2, indicators.max_row + 1):
        name = indicators.cell(r, heads["三级指标"]).value
        target = str(indicators.cell(r, heads["年度指标值"]).value or "")
        digits = "".join(ch for ch in target if ch.isdigit() or ch == ".")
        value = poor_actual if name == POOR[2] else digits
        indicators.cell(r, heads["实际完成值"], value)
    book.save(path)


def _stored(db) -> tuple[str, str]:
    with db.session() as s:
        row = s.execute(
            select(SelfEvaluationIndicator.actual_text, SelfEvaluationIndicator.qualitative_band)
            .where(SelfEvaluationIndicator.name == POOR[2])
        ).one()  # fmt: skip
    return row.actual_text, row.qualitative_band


def test_actual_equal_to_the_target_words_is_achieved(db, tmp_path, rules):
    _county(db)
    path = tmp_path / "自评.xlsx"
    export_selfeval(db, YEAR, path)
    _fill(path, "有效")
    result = import_selfeval(db, path, rules=rules)
    assert result.created == 1
    assert _stored(db) == ("有效", QualitativeBand.ACHIEVED.value)
    (score,) = score_year(db, YEAR, rules)
    poor = next(i for i in score.indicators if i.name == POOR[2])
    assert poor.score == Decimal("30")  # band upper bound: 达成 with no score entered


def test_a_rule_set_word_counts_and_unclear_words_only_warn(db, tmp_path, rules):
    _county(db)
    path = tmp_path / "自评.xlsx"
    export_selfeval(db, YEAR, path)
    _fill(path, "完成")
    import_selfeval(db, path, rules=rules)
    assert _stored(db) == ("完成", QualitativeBand.ACHIEVED.value)
    _fill(path, "基本还行")
    result = import_selfeval(db, path, rules=rules)
    assert result.updated == 1
    (warning,) = [w for w in result.warnings if "未写明档次" in w.message]
    assert warning.column == "实际完成值" and "基本还行" in warning.message
    assert _stored(db) == ("基本还行", "")
