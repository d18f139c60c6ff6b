"""A self-evaluation workbook never blanks stored values for a reason the user did not state.

QA: a file with 年度指标值 deleted or renamed (年度指标值X) blanked 191 of 356 restated
targets of one unit ("更新 17 份", no warning). Now the missing column keeps what is stored
and says so; an emptied cell is listed and written only once allowed; emptying a column for
many indicators blocks the import with the count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.errors import DeletionsNotConfirmed, ValidationFailed
from app.main import main
from app.services.evaluation.workbook import import_selfeval
from app.storage.models import SelfEvaluationIndicator
from tests.integration.test_import_defects_columns import _file_bytes
from tests.integration.test_selfeval_workbook import (
    _county,
    _export,
    edit,
    fill_all,
    find_row,
    rows,
    set_cell,
)


def _stored(db) -> list[tuple]:
    with db.session() as s:
        found = s.execute(
            select(
                SelfEvaluationIndicator.indicator_id,
                SelfEvaluationIndicator.stated_target,
                SelfEvaluationIndicator.stated_points,
                SelfEvaluationIndicator.actual_value,
                SelfEvaluationIndicator.actual_text,
                SelfEvaluationIndicator.reason,
            ).order_by(SelfEvaluationIndicator.indicator_id)
        ).all()
    return [tuple(r) for r in found]


@pytest.fixture
def filled(db, tmp_path) -> Path:
    """Every project self-evaluated; each department restated its first target."""
    _county(db)
    path = _export(db, tmp_path)
    fill_all(path)

    def restate(projects, indicators) -> None:
        for row in rows(indicators):
            if row["三级指标"] == "补助学生人数":
                set_cell(indicators, row["_row"], "年度指标值", "≥1100人")
                set_cell(indicators, row["_row"], "偏差原因分析及改进措施", "年中调减了指标")

    edit(path, restate)
    import_selfeval(db, path)
    return path


def _without(path: Path, header: str, how: str) -> Path:
    book = load_workbook(path)
    ws = book["指标"]
    column = next(c.column for c in ws[1] if c.value == header)
    if how == "deleted":
        ws.delete_cols(column)
    else:
        ws.cell(1, column).value = header + "X"
    out = path.with_name(f"{how}-{path.name}")
    book.save(out)
    return out


@pytest.mark.parametrize("how", ["deleted", "renamed"])
@pytest.mark.parametrize("header", ["年度指标值", "分值"])
def test_a_missing_optional_column_keeps_the_stored_values(db, filled, how, header):
    before = _stored(db)
    assert sum(r[1] == "≥1100人" for r in before) == 4
    result = import_selfeval(db, _without(filled, header, how))
    assert (result.updated, result.losses) == (0, ())
    assert _stored(db) == before
    notes = [str(w) for w in result.warnings if "没有" in w.message]
    assert notes == [f"工作表“指标”第1行：文件中没有“{header}”列，已保存的{header}保持不变"]


def test_a_blanked_cell_is_listed_and_written_only_when_allowed(db, filled):
    def blank(projects, indicators) -> None:
        row = find_row(indicators, code="219001001", name="补助学生人数")
        set_cell(indicators, row, "偏差原因分析及改进措施", None)

    edit(filled, blank)
    before = _file_bytes(db)
    with pytest.raises(DeletionsNotConfirmed) as refused:
        import_selfeval(db, filled)
    (loss,) = refused.value.losses
    assert (
        loss.startswith("项目 219001001（")
        and "指标“补助学生人数”：清空“偏差原因分析及改进措施”" in loss
    )
    assert _file_bytes(db) == before
    result = import_selfeval(db, filled, allow_deletions=True)
    assert (result.updated, result.losses) == (1, (loss,))


def test_a_column_emptied_for_many_indicators_is_blocking(db, filled):
    def empty(projects, indicators) -> None:
        for row in rows(indicators):
            set_cell(indicators, row["_row"], "年度指标值", None)

    edit(filled, empty)
    before = _file_bytes(db)
    with pytest.raises(ValidationFailed) as refused:
        import_selfeval(db, filled, allow_deletions=True)
    (problem,) = [p for p in refused.value.problems if "导入将清空" in p.message]
    assert problem.message.startswith("导入将清空 4 个项目共 24 处已保存的“年度指标值”")
    assert _file_bytes(db) == before


def test_the_cli_refuses_a_blanking_import_unless_allowed(db, filled, capsys):
    edit(
        filled,
        lambda p, i: set_cell(
            i, find_row(i, code="219001001", name="补助学生人数"), "年度指标值", None
        ),
    )
    db.close()
    argv = ["--db", str(db.target), "import", "selfeval", str(filled)]
    assert main(argv) == 2
    assert "清空“年度指标值”（原为“≥1100人”）" in capsys.readouterr().err
    assert main([*argv, "--allow-deletions"]) == 0
    assert "已清空 项目 219001001" in capsys.readouterr().out
