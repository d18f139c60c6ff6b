"""文件 menu: 新建本县数据库 / 打开 / 连接服务器 / 最近打开 / 另存为 / 更换操作人员 / 退出.

The window does the switching (MainWindow.open_database_file, switch_to); this module
builds the menu and runs the steps around it: the set-up wizard, the copy for 另存为.
The menu is part of the window's first paint, so each step imports what it uses (the
database layer, the wizard) when chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from app.domain.errors import UserError
from app.ui import preferences
from app.ui.widgets.messages import show_error, show_info

if TYPE_CHECKING:
    from app.domain.server import ServerAddress
    from app.ui.connect_server import ConnectDialog
    from app.ui.main_window import MainWindow
    from app.ui.setup.wizard import SetupWizard


class FileMenu:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.wizard: SetupWizard | None = None
        self.connect_dialog: ConnectDialog | None = None
        menu = window.menuBar().addMenu("文件(&F)")
        self.new_action = self._add(menu, "新建本县数据库(&N)…", self.new_county_database)
        # setShortcuts: every binding the platform has for the key (and unlike setShortcut
        # it does not load Qt's namespace, 15 ms, before the first paint).
        self.new_action.setShortcuts(QKeySequence.StandardKey.New)
        self.open_action = self._add(menu, "打开数据库(&O)…", self.open_file)
        self.open_action.setShortcuts(QKeySequence.StandardKey.Open)
        self.server_action = self._add(menu, "连接服务器(&S)…", self.connect_server)
        self.recent_menu = menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.save_as_action = self._add(menu, "另存为(&A)…", self.save_as)
        menu.addSeparator()
        self.forms_action = self._add(menu, "导入表格（纸质表样）(&I)…", window.import_forms)
        menu.addSeparator()
        self.operator_action = self._add(menu, "更换操作人员(&U)…", self.change_operator)
        menu.addSeparator()
        quit_action = self._add(menu, "退出(&X)", window.close)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # -- 新建 ------------------------------------------------------------------------------
    def new_county_database(self, this_file: bool = False) -> SetupWizard:
        """Open the set-up wizard (window-modal); on 建立数据库 the county is created and
        shown. `this_file`: set up the open, blank database instead of a new file."""
        from app.ui.setup.wizard import SetupWizard

        target = self._window.database.path if this_file else None
        wizard = SetupWizard(self._window, target)
        wizard.accepted.connect(lambda: self._on_wizard_accepted(wizard, this_file))
        self.wizard = wizard
        wizard.open()
        return wizard

    def _on_wizard_accepted(self, wizard: SetupWizard, this_file: bool) -> None:
        from app.services.setup.initial import check_setup, is_blank, set_up_county
        from app.ui.opening import open_interactively

        setup, path = wizard.county_setup(), wizard.path()
        if this_file:
            try:
                set_up_county(self._window.database, setup)
            except UserError as exc:
                show_error(self._window, exc)
                return
            self._window.reload_database()
            return
        try:
            check_setup(setup)  # before a file exists, so a refusal leaves nothing behind
        except UserError as exc:
            show_error(self._window, exc)
            return
        opened = open_interactively(self._window, path, quit_label="取消")
        if opened is None:
            return
        try:
            if not is_blank(opened.db):
                raise UserError(f"文件“{path.name}”已有数据，未做改动。")
            set_up_county(opened.db, setup)
        except UserError as exc:
            opened.close()
            show_error(self._window, exc)
            return
        self._window.switch_to(opened)

    # -- 打开 ------------------------------------------------------------------------------
    def open_file(self) -> None:
        from app.ui.opening import choose_database_file

        current = self._window.database.path
        path = choose_database_file(self._window, current.parent if current else Path.home())
        if path is not None:
            self._window.open_database_file(path)

    def connect_server(self, preset: ServerAddress | None = None) -> ConnectDialog | None:
        """连接服务器 (window-modal): on success the window shows the server's database."""
        from app.ui.connect_server import ConnectDialog  # keyring loads only when asked
        from app.ui.opening import open_server

        if not self._window.close_editors():
            return None
        dialog = ConnectDialog(self._window, open_server, preset)
        dialog.accepted.connect(lambda: self._on_connected(dialog))
        self.connect_dialog = dialog
        dialog.open()
        return dialog

    def _on_connected(self, dialog: ConnectDialog) -> None:
        assert dialog.opened is not None
        self._window.switch_to(dialog.opened)
        if dialog.notice:
            show_info(self._window, "密码未保存", dialog.notice)

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        files, servers = preferences.recent_files(), preferences.recent_servers()
        if not files and not servers:
            self.recent_menu.addAction("（无）").setEnabled(False)
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number}  {path.name}    {path.parent}")
            action.setData(str(path))
            action.triggered.connect(
                lambda _checked=False, p=path: self._window.open_database_file(p)
            )
        if files and servers:
            self.recent_menu.addSeparator()
        for address in servers:  # the dialog opens filled in: the password may be asked
            action = self.recent_menu.addAction(f"服务器  {address.key}…")
            action.setData(address.key)
            action.triggered.connect(lambda _checked=False, a=address: self.connect_server(a))

    # -- 另存为 ----------------------------------------------------------------------------
    def save_as(self, target: Path | None = None) -> Path | None:
        """A consistent copy of the whole database (the backup machinery); the window
        keeps working on the current file. The copy is listed under 最近打开."""
        from app.services.common.backups import backup_to_file
        from app.ui.opening import DB_FILE_FILTER

        db = self._window.database
        if target is None:
            folder = db.path.parent if db.path else Path.home()
            suggested = str(folder / f"{db.backup_stem}（副本）.sqlite3")
            name, _ = QFileDialog.getSaveFileName(self._window, "另存为", suggested, DB_FILE_FILTER)
            if not name:
                return None
            target = Path(name)
        try:
            written = backup_to_file(db, target)
        except UserError as exc:
            show_error(self._window, exc)
            return None
        recent = preferences.recent_files()
        preferences.add_recent(written)
        for path in reversed(recent[:1]):  # the file in use stays the one opened next time
            preferences.add_recent(path)
        show_info(self._window, "已另存为", f"已把当前数据库完整复制到：\n{written}\n\n"
                  "现在仍在使用原来的文件；可从“文件 → 最近打开”打开副本。")  # fmt: skip
        return written

    def change_operator(self) -> None:
        from app.ui.setup.operator_prompt import ask_again

        ask_again(self._window, self._window.database)
        self._window.show_operator()
