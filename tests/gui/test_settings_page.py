"""设置 page: backups (now, restore, policy, open read-only), operator name, rule set, 回收站."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from app.services.common import audit
from app.services.common.audit_log import list_audit
from app.services.common.backups import RotationPolicy, backup_policy, create_backup, list_backups
from app.services.common.catalog import project_rows
from app.services.common.recycle_bin import delete_project, list_deleted
from app.services.common.settings import operator_settings
from app.storage.database import Database, open_database
from app.ui import preferences
from app.ui.settings.page import SettingsPage
from app.ui.widgets import choice
from tests.gui.helpers import type_chinese
from tests.integration.test_backups import add_year


class Confirmations:
    """Answers confirm() questions: True presses the action button, False 取消."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.asked: list[str] = []

    def present(self, box: QMessageBox) -> str:
        self.asked.append(box.text())
        assert self.answers, f"unexpected question: {box.text()}"
        return "ok" if self.answers.pop(0) else "cancel"


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> Confirmations:
    recorder = Confirmations()
    monkeypatch.setattr(choice, "_present", recorder.present)
    return recorder


@pytest.fixture
def settings(qtbot, main_window) -> SettingsPage:  # type: ignore[no-untyped-def]
    main_window.navigation.setCurrentRow(
        main_window.pages.indexOf(main_window.page_widgets["设置"])
    )
    page = main_window.page_widgets["设置"]
    assert isinstance(page, SettingsPage) and page.isVisible()
    return page


def select_row(view, row: int) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, 0)
    view.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_the_settings_page_has_its_tabs(settings):
    tabs = settings.tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    assert names == ["备份", "基础信息", "预算单位", "操作人员", "规则集", "回收站", "操作日志"]


# -- 备份 -----------------------------------------------------------------------------------
def test_backup_now_adds_a_row_with_counts_per_year(qtbot, settings, db, shown_messages):
    tab = settings.backups
    assert tab.model.rowCount() == 0
    qtbot.mouseClick(tab.backup_now_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 1
    row = [tab.model.index(0, c).data() for c in range(4)]
    assert row[1] == "手动备份（不自动清理）"
    assert row[2].endswith("KB")
    assert row[3].startswith("2024年 项目12个、目标") and "2025年 项目18个" in row[3]
    assert "共 1 份" in tab.folder_label.text()
    assert shown_messages.shown[-1][0] == "备份完成"


def test_restore_asks_first_and_then_shows_the_restored_data(
    qtbot, main_window, settings, db, confirmations, shown_messages
):
    create_backup(db)
    first = project_rows(db, 2025)[0]
    delete_project(db, first.id)
    settings.refresh_current()
    select_row(settings.backups.table, 0)

    confirmations.answers = [False]
    qtbot.mouseClick(settings.backups.restore_button, Qt.MouseButton.LeftButton)
    assert len(project_rows(main_window.database, 2025)) == 17  # 取消: nothing happened

    confirmations.answers = [True]
    qtbot.mouseClick(settings.backups.restore_button, Qt.MouseButton.LeftButton)
    assert "替换当前数据库" in confirmations.asked[-1]
    assert main_window.database is not db  # reopened on the restored file
    assert len(project_rows(main_window.database, 2025)) == 18
    main_window.navigation.setCurrentRow(0)
    assert main_window.goals_page.model.rowCount() == 18
    assert shown_messages.shown[-1][0] == "已从备份恢复"
    reasons = [b.reason for b in list_backups(main_window.database)]
    assert sorted(reasons) == ["before-restore", "manual"]  # the state before was kept


def test_the_rotation_policy_is_saved(settings, db):
    spins = settings.backups.policy_spins
    assert spins["daily"].value() == RotationPolicy().daily
    for name, value in {"keep_last": 3, "daily": 10, "weekly": 6, "monthly": 24}.items():
        spins[name].setValue(value)
    settings.backups.save_policy_button.click()
    assert backup_policy(db) == RotationPolicy(keep_last=3, daily=10, weekly=6, monthly=24)
    assert list_audit(db, object_type="settings")[0].object_label == "备份保留份数"


def test_a_backup_opens_read_only_in_a_second_window(qtbot, main_window, settings, db):
    create_backup(db)
    settings.refresh_current()
    select_row(settings.backups.table, 0)
    settings.backups.open_button.click()
    (window,) = main_window._backup_windows
    qtbot.addWidget(window)
    try:
        assert window.database.read_only and window.read_only_banner.isVisible()
        assert "正在查看备份文件" in window.read_only_banner.text()
        assert window.windowTitle().endswith("（只读）")
        assert window.goals_page.model.rowCount() == 18
    finally:
        window.close()


def test_the_backup_models_pass_the_model_tester(qtmodeltester, settings, db):
    create_backup(db)
    settings.refresh_current()
    qtmodeltester.check(settings.backups.model)


# -- 操作人员 ---------------------------------------------------------------------------------
def test_the_display_name_is_typed_saved_and_used_for_the_audit_trail(qtbot, settings, db):
    settings.show_tab("操作人员")
    tab = settings.operator
    assert tab.os_user_label.text() == audit.os_user()
    type_chinese(tab.name_edit, "王会计")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert operator_settings(db).display_name == "王会计"
    assert tab.actor_label.text() == "王会计"
    with db.session() as session:
        assert audit.actor(session) == "王会计"
    assert list_audit(db, object_type="settings")[0].display_name == "王会计"
    assert preferences.remembered_operator() == "王会计"  # this seat's, not the database's


# -- 规则集 ----------------------------------------------------------------------------------
def test_the_rule_set_tab_shows_name_origin_and_figures(settings):
    settings.show_tab("规则集")
    fields = {k: v.text() for k, v in settings.rules.fields.items()}
    assert fields["名称"] == "默认规则（全国通用）"
    assert "程序自带的默认规则" in fields["来源"]
    assert fields["评分权重"].startswith("预算执行率 10 分，产出指标 50 分")
    assert "（合计 100 分）" in fields["评分权重"]
    assert fields["等级"].splitlines()[0] == "优：90 分及以上"
    assert "红灯：执行率不足序时进度的 60%" in fields["资金执行亮灯"]
    assert "蓝灯" in fields["指标完成亮灯"]
    assert fields["抽查比例"] == "按股室抽取 20% 的自评项目，每个股室至少 1 个"


# -- 回收站 ----------------------------------------------------------------------------------
@pytest.fixture
def binned(db: Database) -> list[int]:
    rows = project_rows(db, 2025)[:2]
    for row in rows:
        delete_project(db, row.id)
    return [r.id for r in rows]


def test_the_recycle_bin_lists_and_restores(qtbot, settings, db, binned, qtmodeltester):
    settings.show_tab("回收站")
    tab = settings.recycle_bin
    assert tab.model.rowCount() == 2
    assert tab.count_label.text() == "回收站中有 2 项（项目 2 个，绩效目标 0 个）"
    qtmodeltester.check(tab.model)
    select_row(tab.table, 0)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 1
    assert len(project_rows(db, 2025)) == 17


def test_emptying_the_bin_asks_then_backs_up_and_deletes(
    qtbot, settings, db, binned, confirmations, shown_messages
):
    settings.show_tab("回收站")
    tab = settings.recycle_bin
    confirmations.answers = [False]
    tab.empty_button.click()
    assert tab.model.rowCount() == 2 and list_backups(db) == []

    confirmations.answers = [True]
    tab.empty_button.click()
    assert "彻底删除回收站中的 2 项" in confirmations.asked[-1]
    assert tab.model.rowCount() == 0 and list_deleted(db) == []
    (backup,) = list_backups(db)
    assert backup.reason == "before-empty-recycle-bin"
    assert backup.path.name in shown_messages.texts[-1]
    assert not tab.empty_button.isEnabled()


def test_the_settings_page_follows_a_database_switch(qtbot, main_window, settings, tmp_path: Path):
    other = open_database(tmp_path / "另一个.sqlite3")
    add_year(other, 2025, projects=1)  # an empty file would get no daily backup
    other.close()
    assert main_window.open_database_file(tmp_path / "另一个.sqlite3")
    # The other file's daily backup, made once the switch has been painted.
    qtbot.waitUntil(lambda: settings.backups.model.rowCount() == 1)
    main_window.database.close()
