"""导入表格（纸质表样）: a folder in, boards by file and by unit, one file fixed and re-imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from app.services.forms import IMPORTED, REFUSED
from app.ui.forms.dialog import FormsImportDialog
from tests import factories
from tests.fixtures_forms import Form, write_docx, write_xlsx


def _county(db) -> None:
    with db.transaction() as s:
        factories.year(s, 2022)
        factories.department(s, "219001", "上犹县教育局")
        factories.department(s, "219002", "上犹县卫生健康委员会")
        factories.department(s, "219003", "上犹县民政局")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "报送"
    folder.mkdir()
    write_xlsx(folder / "a教育局.xlsx", [[Form(), Form(kind="department_self")]])
    write_docx(folder / "b卫健委.docx", [Form(project="家庭医生签约", unit="县卫生健康委员会")])
    return folder


def _statuses(dialog: FormsImportDialog) -> dict[str, str]:
    model = dialog.file_model
    return {
        model.row_at(r).report.name: model.row_at(r).report.status for r in range(model.rowCount())
    }


def test_folder_board_fix_and_reimport_one_file(qtbot, db, tmp_path, monkeypatch, qtmodeltester):
    _county(db)
    folder = _folder(tmp_path)
    dialog = FormsImportDialog(db, 2022)
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(dialog.forms_imported):
        qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert _statuses(dialog) == {"a教育局.xlsx": IMPORTED, "b卫健委.docx": REFUSED}
    assert "文件 2 个：1 个已导入或无变化，1 个有问题。" in dialog.summary_label.text()
    assert "单位 3 个：已收 1，有问题 0，未收 2" in dialog.summary_label.text()
    qtmodeltester.check(dialog.file_model)
    qtmodeltester.check(dialog.unit_model)
    units = {u.code: u.status for u in dialog.unit_model.all_rows()}
    assert units == {"219001": "已收", "219002": "未收", "219003": "未收"}

    # The refused file's problems, located, under the list.
    refused_row = next(
        r for r in range(dialog.file_model.rowCount())
        if dialog.file_model.row_at(r).report.status == REFUSED
    )  # fmt: skip
    dialog.file_view.selectRow(refused_row)
    lines = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert any("是否为“上犹县卫生健康委员会”（219002）" in line for line in lines), lines
    assert any(line.startswith("项目支出绩效自评表（第1个表格第1行）") for line in lines)

    # The department corrects the unit's name; only that file is imported again.
    first = next(
        dialog.file_model.row_at(r).report for r in range(dialog.file_model.rowCount())
        if dialog.file_model.row_at(r).report.status == IMPORTED
    )  # fmt: skip
    write_docx(folder / "b卫健委.docx", [Form(project="家庭医生签约", unit="上犹县卫生健康委员会")])
    with qtbot.waitSignal(dialog.forms_imported):
        qtbot.mouseClick(dialog.reimport_button, Qt.MouseButton.LeftButton)
    assert _statuses(dialog) == {"a教育局.xlsx": IMPORTED, "b卫健委.docx": IMPORTED}
    assert first in [dialog.file_model.row_at(r).report for r in range(2)]  # untouched
    units = {u.code: u.status for u in dialog.unit_model.all_rows()}
    assert units == {"219001": "已收", "219002": "已收", "219003": "未收"}
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_dropping_a_file_imports_it(qtbot, db, tmp_path):
    _county(db)
    path = write_xlsx(tmp_path / "a.xlsx", [[Form()]])
    dialog = FormsImportDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    dialog.dropEvent(drop)
    assert _statuses(dialog) == {"a.xlsx": IMPORTED}


def test_main_window_menu_opens_the_dialog_and_x_closes_it(qtbot, main_window):
    action = main_window.forms_action
    assert action.text().startswith("导入表格（纸质表样）") and action.isEnabled()
    seen: list[FormsImportDialog] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FormsImportDialog)
        seen.append(dialog)
        dialog.close()  # the title bar's X

    QTimer.singleShot(0, close_it)
    action.trigger()
    assert len(seen) == 1
