"""文件 → 连接服务器: open the county's database on the bureau's PostgreSQL server.

The user types where it is and who signs in (or picks a recent server); 连接 tries it and
a failure is explained in the dialog, which stays open with what was typed, focused on the
field to fix. On success the password is kept in the OS keyring when 记住密码 is ticked
(ui/passwords.py; never in a settings file) and the server joins the recent ones.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.server import (
    DEFAULT_PORT,
    AddressError,
    ServerAddress,
    failure_field,
    failure_kind,
    failure_text,
    parse_address,
)
from app.ui import opening, passwords, preferences
from app.ui.opening import OpenedFile

ERROR_STYLE = "QLabel { color: #a61b1b; }"


class ConnectDialog(QDialog):
    """`connect(url)` opens the database (raising on failure); its result is `opened`."""

    def __init__(
        self,
        parent: QWidget | None,
        connect: Callable[[str], OpenedFile],
        preset: ServerAddress | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器")
        self._connect = connect
        self.opened: OpenedFile | None = None
        self.notice = ""  # the password could not be kept: for the caller to show
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("如 192.168.1.10 或 czj-server")
        self.port_edit = QLineEdit(str(DEFAULT_PORT))
        self.database_edit = QLineEdit()
        self.database_edit.setPlaceholderText("如 jixiao")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox("记住密码（保存在本机系统密码库中）")
        self.store_note = QLabel(passwords.NO_STORE)
        self.error_label = QLabel()
        self.recent_list = QListWidget()
        self.fields = {
            "host": self.host_edit,
            "port": self.port_edit,
            "database": self.database_edit,
            "user": self.user_edit,
            "password": self.password_edit,
        }
        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton("连接", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self._build()
        if preset is not None:
            self.fill(preset)

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("服务器地址：", self.host_edit)
        form.addRow("端口：", self.port_edit)
        form.addRow("数据库：", self.database_edit)
        form.addRow("用户名：", self.user_edit)
        form.addRow("密码：", self.password_edit)
        form.addRow("", self.remember_box)
        has_store = passwords.store_available()
        self.remember_box.setEnabled(has_store)
        self.store_note.setWordWrap(True)
        self.store_note.setVisible(not has_store)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        for address in preferences.recent_servers():
            item = QListWidgetItem(address.key)
            item.setData(Qt.ItemDataRole.UserRole, address)
            self.recent_list.addItem(item)
        self.recent_list.itemClicked.connect(self._on_recent_list_item_clicked)
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.recent_list.count():
            layout.addWidget(QLabel("最近连接的服务器（单击填入）："))
            self.recent_list.setMaximumHeight(110)
            layout.addWidget(self.recent_list)
        else:
            self.recent_list.hide()
        layout.addLayout(form)
        layout.addWidget(self.store_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def fill(self, address: ServerAddress) -> None:
        """The address's fields, and its password when one is remembered."""
        self.host_edit.setText(address.host)
        self.port_edit.setText(str(address.port))
        self.database_edit.setText(address.database)
        self.user_edit.setText(address.user)
        password = passwords.saved_password(address.key)
        self.password_edit.setText(password)
        self.remember_box.setChecked(bool(password))
        (self.password_edit if not password else self.connect_button).setFocus()

    def try_connect(self) -> bool:
        """连接: check the fields, open the database; on failure say why, keep everything."""
        try:
            address = parse_address(
                self.host_edit.text(),
                self.port_edit.text(),
                self.database_edit.text(),
                self.user_edit.text(),
            )
        except AddressError as exc:
            return self._failed(exc.message, self.fields[exc.field])
        password = self.password_edit.text()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.opened = self._connect(address.url(password))
        except Exception as exc:  # a driver error the server gave, or a UserError
            return self._failed(*self._explain(address, exc))
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._keep(address, password)
        self.accept()
        return True

    def _keep(self, address: ServerAddress, password: str) -> None:
        preferences.add_recent_server(address)
        if self.remember_box.isChecked() and password:
            self.notice = passwords.remember(address.key, password)
        else:
            passwords.forget(address.key)

    def _explain(self, address: ServerAddress, exc: Exception) -> tuple[str, QLineEdit]:
        """What failed in words, and the field to fix. A UserError of our own (not this
        app's database, a newer version) is shown as written."""
        cause = exc.__cause__ if isinstance(exc, UserError) else exc
        kind = failure_kind(str(cause)) if cause is not None else None
        if kind is not None:
            return failure_text(address, kind), self.fields[failure_field(kind)]
        text = exc.message if isinstance(exc, UserError) else f"连接失败：{exc}"
        return text, self.database_edit

    def _failed(self, text: str, field: QLineEdit) -> bool:
        self.error_label.setText(text)
        self.error_label.show()
        field.setFocus()
        field.selectAll()
        return False

    def _on_recent_list_item_clicked(self, item: QListWidgetItem) -> None:
        self.error_label.hide()
        self.fill(item.data(Qt.ItemDataRole.UserRole))


def reconnect(address: ServerAddress, parent: QWidget | None = None) -> OpenedFile | None:
    """At start, the server used last: at once when its password is remembered, else (or
    when that fails) through the dialog, filled in. None: the user chose 取消."""
    dialog = ConnectDialog(parent, opening.open_server, address)
    if dialog.password_edit.text() and dialog.try_connect():
        return dialog.opened
    return dialog.opened if dialog.exec() == QDialog.DialogCode.Accepted else None
