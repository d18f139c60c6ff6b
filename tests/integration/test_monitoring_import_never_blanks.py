"""A monitoring workbook that empties a stored cell lists it and writes only once allowed.

Every column a department fills must be in the file (test_import_defects_columns), so the
only way to blank a stored value is an explicit cell edit: listed by project before anything
is written; the CLI refuses without --allow-deletions.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import DeletionsNotConfirmed
from app.main import main
from app.services.monitoring import open_round
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from tests import factories
from tests.integration.test_import_defects_columns import _file_bytes

YEAR, REASON = 2025, "预算偏差原因"


def _set(path: Path, header: str, value: object) -> str:
    book = openpyxl.load_workbook(path)
    ws = book["项目"]
    heads = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        ws.cell(row, heads["执行数（万元）"]).value = 5
    ws.cell(2, heads[header]).value = value
    book.save(path)
    return str(ws.cell(2, heads["项目编码"]).value)


@pytest.fixture
def filled(db, rules, tmp_path) -> tuple[Path, str]:
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, YEAR, 6, rules)
    path = tmp_path / "监控.xlsx"
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    code = _set(path, REASON, "项目招标推迟")
    import_monitoring_workbook(db, path, rules)
    return path, code


def test_an_emptied_reason_is_listed_and_written_only_when_allowed(db, rules, filled):
    path, code = filled
    _set(path, REASON, None)
    before = _file_bytes(db)
    with pytest.raises(DeletionsNotConfirmed) as refused:
        import_monitoring_workbook(db, path, rules)
    (loss,) = refused.value.losses
    assert loss.startswith(f"项目 {code}（") and loss.endswith(
        "清空“预算偏差原因”（原为“项目招标推迟”）"
    )
    assert _file_bytes(db) == before
    result = import_monitoring_workbook(db, path, rules, allow_deletions=True)
    assert result.losses == (loss,) and result.changed_projects == 1


def test_the_cli_refuses_it_unless_allowed(db, filled, capsys):
    path, code = filled
    _set(path, REASON, None)
    db.close()
    argv = ["--db", str(db.target), "import", "monitoring", str(path)]
    assert main(argv) == 2
    assert f"项目 {code}（" in capsys.readouterr().err
    assert main([*argv, "--allow-deletions"]) == 0
    assert "已清空 项目" in capsys.readouterr().out
