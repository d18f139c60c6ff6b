"""import_flow and problem_table on their own: models (qtmodeltester), sorting, dialogs,
file names, and the generic problem-list writer."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt

from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.progress import Progress
from app.ui.widgets.import_flow import (
    ExportDoneBox,
    ExportJob,
    ImportKind,
    ImportReport,
    ImportSummaryDialog,
    import_file,
    run_export,
    safe_file_name,
)
from app.ui.widgets.problem_table import (
    ChangeLine,
    ChangeTableModel,
    ProblemsDialog,
    ProblemTableModel,
)

pytest_plugins = ["tests.gui.excel_flow_fixtures"]  # file_dialogs

PROBLEMS = [
    Problem("单位编码“999999”不存在", "项目", 3, "单位编码"),
    Problem("分值应为数字", "指标", 5, "分值"),
    Problem("指标解释为空", "指标", 4, "指标解释", blocking=False),
    Problem("缺少工作表“单位”", "单位"),
    Problem("（提醒）执行数超过预算数", "项目", 2, "执行数", blocking=False),
]


def cells(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_problem_model_passes_the_model_tester_and_sorts(qtmodeltester):
    model = ProblemTableModel()
    model.set_rows(PROBLEMS)
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "工作表", "行", "列", "问题", "严重程度",
    ]  # fmt: skip
    assert cells(model, 1) == ["3", "5", "4", "", "2"]
    model.sort(ProblemTableModel.COL_ROW)
    assert cells(model, 1) == ["", "2", "3", "4", "5"]
    model.sort(ProblemTableModel.COL_SEVERITY)
    assert cells(model, 4) == ["错误"] * 3 + ["提示"] * 2
    model.sort(ProblemTableModel.COL_SHEET, Qt.SortOrder.DescendingOrder)
    assert cells(model, 0)[0] == "项目"
    error = model.index(cells(model, 4).index("错误"), 3)
    assert error.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole).startswith("工作表“项目”第3行")
    qtmodeltester.check(model)


def test_change_model_passes_the_model_tester(qtmodeltester):
    model = ChangeTableModel()
    model.set_rows(
        [
            ChangeLine("新增", "项目 1", "甲"),
            ChangeLine("未导入", "项目 2", "乙", "已通过的目标不覆盖"),
            ChangeLine("修改", "项目 3", "丙"),
        ]
    )
    qtmodeltester.check(model)
    model.sort(0)
    assert cells(model, 0) == ["修改", "新增", "未导入"]
    assert model.index(2, 3).data(Qt.ItemDataRole.ToolTipRole) == "项目 2 乙：已通过的目标不覆盖"


def test_problems_dialog_headline_counts_errors_only(qtbot):
    exported = []
    dialog = ProblemsDialog(None, "导入", "a.xlsx", PROBLEMS, lambda: exported.append(1))
    qtbot.addWidget(dialog)
    assert dialog.headline.text() == "发现 3 个错误，未导入任何数据"
    assert "另有 2 条提示" in dialog.explain.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert exported == [1]


def kind(run) -> ImportKind:  # type: ignore[no-untyped-def]
    return ImportKind("导入测试", run, lambda n: ImportReport(f"导入 {n} 条", changed=n > 0))


def test_refused_import_tidies_hint_markers_and_exports_through_the_generic_writer(
    qtbot, tmp_path, file_dialogs
):
    def refuse(_path: Path, _progress: Progress) -> None:
        raise ValidationFailed(PROBLEMS)

    dialog = import_file(None, kind(refuse), tmp_path / "单位.xlsx")
    assert isinstance(dialog, ProblemsDialog)
    qtbot.addWidget(dialog)
    assert not any(p.message.startswith("（提醒）") for p in dialog.problems)
    file_dialogs.save_path = tmp_path / "清单"  # no suffix typed: .xlsx is added
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == "导入问题清单_单位.xlsx"
    rows = list(openpyxl.load_workbook(tmp_path / "清单.xlsx").active.values)
    assert rows[0] == ("工作表", "行", "列", "问题", "严重程度")
    assert rows[1][4] == "错误" and rows[-1][4] == "提示"
    assert ("项目", 2, "执行数", "执行数超过预算数", "提示") in rows


def test_success_reloads_only_when_something_changed(qtbot, tmp_path):
    reloaded = []
    for count in (0, 2):
        dialog = import_file(
            None, kind(lambda _p, _g, n=count: n), tmp_path / "x.xlsx", reloaded.append
        )
        assert isinstance(dialog, ImportSummaryDialog)
        qtbot.addWidget(dialog)
        assert dialog.headline.text() == f"导入 {count} 条"
        assert not dialog.tabs.isVisible()  # nothing to list
    assert reloaded == [2]


def test_user_error_and_cancel_are_reported(qtbot, tmp_path, shown_messages):
    from app.domain.progress import Cancelled

    def locked(_p: Path, _g: Progress) -> None:
        raise UserError("文件“x.xlsx”被占用，请关闭 Excel/WPS 后重试")

    def cancelled(_p: Path, _g: Progress) -> None:
        raise Cancelled

    assert import_file(None, kind(locked), tmp_path / "x.xlsx") is None
    assert import_file(None, kind(cancelled), tmp_path / "x.xlsx") is None
    assert shown_messages.texts == [
        "文件“x.xlsx”被占用，请关闭 Excel/WPS 后重试",
        "已取消导入，未保存任何数据。",
    ]


def test_export_done_box_opens_the_folder(qtbot, tmp_path, file_dialogs):
    file_dialogs.save_path = tmp_path / "out.xlsx"
    job = ExportJob(
        "导出测试", "测试.xlsx", lambda path, _p: path.write_bytes(b"x"), lambda _r: "好"
    )
    box = run_export(None, job)
    assert isinstance(box, ExportDoneBox)
    qtbot.addWidget(box)
    assert file_dialogs.suggested_name == "测试.xlsx"
    assert box.text() == "好" and str(tmp_path / "out.xlsx") in box.informativeText()
    qtbot.mouseClick(box.folder_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.opened_urls == [str(tmp_path)]


def test_file_names_drop_characters_windows_refuses():
    assert safe_file_name("绩效目标", 2025, "县教育局") == "绩效目标_2025_县教育局.xlsx"
    assert (
        safe_file_name("绩效监控", "2025年6月", 'A/B:C*"D"') == "绩效监控_2025年6月_A_B_C__D_.xlsx"
    )
