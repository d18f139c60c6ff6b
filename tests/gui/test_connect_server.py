"""文件 → 连接服务器, driven like a user: typing every field, 连接 / 取消 / Esc / X, the
failures explained in the dialog, passwords in a (fake) OS keyring or asked each time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringError, PasswordDeleteError
from PySide6.QtCore import Qt
from sqlalchemy import make_url

from app.domain.errors import UserError
from app.domain.server import ServerAddress
from app.storage.database import open_database
from app.ui import opening, passwords, preferences
from app.ui.connect_server import ConnectDialog
from app.ui.opening import OpenedFile

ADDRESS = ServerAddress("192.168.1.10", 5433, "jixiao", "jiandu")


class MemoryKeyring(KeyringBackend):
    """The OS password store, in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError("none kept")


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def no_store() -> Iterator[None]:
    """A Linux PC without a desktop keyring."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


class Server:
    """Stands in for opening the server's database: records the URLs tried, raises the
    queued failures, then opens a SQLite file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.urls: list[str] = []
        self.failures: list[Exception] = []
        self.opened: list[OpenedFile] = []

    def __call__(self, url: str) -> OpenedFile:
        self.urls.append(url)
        if self.failures:
            raise self.failures.pop(0)
        opened = OpenedFile(open_database(self.folder / "server.sqlite3"))
        self.opened.append(opened)
        return opened

    def close(self) -> None:
        for opened in self.opened:
            opened.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    fake = Server(tmp_path)
    yield fake
    fake.close()


@pytest.fixture
def county_file(tmp_path: Path) -> Path:
    """A database file opened before (a SQLite file on either test backend)."""
    database = open_database(tmp_path / "county.sqlite3")
    database.close()
    return tmp_path / "county.sqlite3"


def _dialog(qtbot, server: Server, preset: ServerAddress | None = None) -> ConnectDialog:
    dialog = ConnectDialog(None, server, preset)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _type_everything(qtbot, dialog: ConnectDialog, password: str = "秘密 p@ss") -> None:
    qtbot.keyClicks(dialog.host_edit, ADDRESS.host)
    dialog.port_edit.selectAll()
    qtbot.keyClicks(dialog.port_edit, str(ADDRESS.port))
    qtbot.keyClicks(dialog.database_edit, ADDRESS.database)
    qtbot.keyClicks(dialog.user_edit, ADDRESS.user)
    dialog.password_edit.insert(password)  # keyClicks types no Chinese; the edit takes it


def _connect(qtbot, dialog: ConnectDialog) -> None:
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)


def _settings_text() -> str:
    path = preferences.preferences_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_typing_every_field_and_connecting_builds_the_url(qtbot, server, store):
    dialog = _dialog(qtbot, server)
    assert dialog.port_edit.text() == "5432"
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    _type_everything(qtbot, dialog)
    _connect(qtbot, dialog)
    url = make_url(server.urls[0])
    assert (url.host, url.port, url.database, url.username) == (
        "192.168.1.10",
        5433,
        "jixiao",
        "jiandu",
    )
    assert url.password == "秘密 p@ss"
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.opened is server.opened[0]
    assert preferences.recent_servers() == [ADDRESS]
    assert store.saved == {}  # 记住密码 was not ticked
    assert "秘密" not in _settings_text() and "p@ss" not in _settings_text()


def test_enter_in_the_password_field_connects(qtbot, server, store):
    dialog = _dialog(qtbot, server)
    _type_everything(qtbot, dialog)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert len(server.urls) == 1 and dialog.result() == dialog.DialogCode.Accepted


@pytest.mark.parametrize("way", ["取消", "Esc", "X"])
def test_cancel_esc_and_x_connect_to_nothing(qtbot, server, store, way):
    dialog = _dialog(qtbot, server)
    _type_everything(qtbot, dialog)
    if way == "取消":
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    elif way == "Esc":
        qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Escape)
    else:
        dialog.close()
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected
    assert server.urls == [] and dialog.opened is None
    assert preferences.recent_servers() == [] and store.saved == {}


def test_a_missing_field_is_named_and_focused_and_nothing_is_tried(qtbot, server, store):
    dialog = _dialog(qtbot, server)
    qtbot.keyClicks(dialog.host_edit, "czj-server")
    qtbot.keyClicks(dialog.user_edit, "jiandu")
    _connect(qtbot, dialog)
    assert server.urls == [] and dialog.isVisible()
    assert "请填写数据库名" in dialog.error_label.text() and dialog.error_label.isVisible()
    assert dialog.focusWidget() is dialog.database_edit
    dialog.port_edit.setText("54x")
    _connect(qtbot, dialog)
    assert (
        "端口“54x”不正确" in dialog.error_label.text() and dialog.focusWidget() is dialog.port_edit
    )


def _driver_error(text: str) -> UserError:
    """As open_database reports a connection that failed: a UserError from the driver's."""
    try:
        raise RuntimeError(text)
    except RuntimeError as cause:
        try:
            raise UserError(f"无法连接数据库服务器：{text}") from cause
        except UserError as error:
            return error


@pytest.mark.parametrize(
    ("failure", "words", "field"),
    [
        (
            _driver_error(
                'connection failed: FATAL:  password authentication failed for user "jiandu"'
            ),
            "用户名或密码不正确",
            "password_edit",
        ),
        (
            _driver_error('connection failed: FATAL:  database "jixiao" does not exist'),
            "上没有名为“jixiao”的数据库",
            "database_edit",
        ),
        (
            _driver_error(
                'connection to server at "192.168.1.10", port 5433 failed: Connection refused'
            ),
            "连接不上服务器 192.168.1.10:5433",
            "host_edit",
        ),
        (
            UserError(
                "数据库“jiandu@192.168.1.10:5433/jixiao”中已有其他程序的表，不是本程序的数据库。"
            ),
            "不是本程序的数据库",
            "database_edit",
        ),
    ],
    ids=["wrong password", "no database", "unreachable", "not this app's"],
)
def test_a_failure_is_explained_in_the_dialog_which_keeps_what_was_typed(
    qtbot, server, store, failure, words, field
):
    server.failures.append(failure)
    dialog = _dialog(qtbot, server)
    _type_everything(qtbot, dialog)
    dialog.remember_box.setChecked(True)
    _connect(qtbot, dialog)
    assert dialog.isVisible() and dialog.opened is None
    assert words in dialog.error_label.text()
    assert dialog.focusWidget() is getattr(dialog, field)
    assert dialog.user_edit.text() == "jiandu" and dialog.password_edit.text() == "秘密 p@ss"
    assert store.saved == {} and preferences.recent_servers() == []  # nothing kept yet
    _connect(qtbot, dialog)  # fixed on the server: the second try opens
    assert dialog.result() == dialog.DialogCode.Accepted and len(server.urls) == 2


def test_remember_password_keeps_it_in_the_keyring_and_fills_it_next_time(qtbot, server, store):
    dialog = _dialog(qtbot, server)
    assert dialog.remember_box.isEnabled() and not dialog.store_note.isVisible()
    _type_everything(qtbot, dialog)
    qtbot.mouseClick(dialog.remember_box, Qt.MouseButton.LeftButton)
    _connect(qtbot, dialog)
    assert store.saved == {(passwords.SERVICE, ADDRESS.key): "秘密 p@ss"}
    assert "秘密" not in _settings_text() and "jiandu@192.168.1.10:5433/jixiao" in _settings_text()

    again = _dialog(qtbot, server)  # the recent server is listed; a click fills it in
    assert again.recent_list.count() == 1 and again.recent_list.item(0).text() == ADDRESS.key
    item = again.recent_list.item(0)
    qtbot.mouseClick(
        again.recent_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=again.recent_list.visualItemRect(item).center(),
    )
    assert again.host_edit.text() == "192.168.1.10" and again.port_edit.text() == "5433"
    assert again.password_edit.text() == "秘密 p@ss" and again.remember_box.isChecked()

    qtbot.mouseClick(again.remember_box, Qt.MouseButton.LeftButton)  # untick: forgotten
    _connect(qtbot, again)
    assert store.saved == {}


def test_without_a_keyring_it_says_so_and_asks_each_time(qtbot, server, no_store):
    dialog = _dialog(qtbot, server)
    assert not dialog.remember_box.isEnabled()
    assert dialog.store_note.isVisible() and "每次连接时需要重新输入" in dialog.store_note.text()
    _type_everything(qtbot, dialog)
    _connect(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    again = _dialog(qtbot, server, preferences.recent_servers()[0])
    assert again.user_edit.text() == "jiandu" and again.password_edit.text() == ""
    assert again.focusWidget() is again.password_edit
    assert "秘密" not in _settings_text()


def test_a_plain_text_keyring_counts_as_none(store, monkeypatch):
    class PlaintextKeyring(MemoryKeyring):
        pass

    keyring.set_keyring(PlaintextKeyring())
    assert not passwords.store_available()
    assert passwords.remember("k", "pw") == passwords.NO_STORE


def test_the_file_menu_connects_and_the_window_shows_the_server_database(
    qtbot, main_window, server, store, monkeypatch
):
    monkeypatch.setattr(opening, "open_server", server)
    main_window.file_menu.server_action.trigger()
    dialog = main_window.file_menu.connect_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    _type_everything(qtbot, dialog)
    _connect(qtbot, dialog)
    assert main_window.database is server.opened[0].db
    assert main_window.opened is server.opened[0]
    server.opened.clear()  # the window owns it now

    main_window.file_menu.fill_recent()
    texts = [a.text() for a in main_window.file_menu.recent_menu.actions()]
    assert f"服务器  {ADDRESS.key}…" in texts


def test_a_keyring_that_refuses_is_told_after_connecting(
    qtbot, main_window, server, store, monkeypatch, shown_messages
):
    def refuse(_service: str, _username: str, _password: str) -> None:
        raise KeyringError("locked")

    monkeypatch.setattr(store, "set_password", refuse)
    monkeypatch.setattr(opening, "open_server", server)
    dialog = main_window.file_menu.connect_server()
    _type_everything(qtbot, dialog)
    dialog.remember_box.setChecked(True)
    _connect(qtbot, dialog)
    assert main_window.database is server.opened[0].db
    server.opened.clear()
    assert shown_messages.shown[-1][0] == "密码未保存"
    assert "下次连接时需要重新输入" in shown_messages.texts[-1]


def test_at_start_the_server_used_last_reconnects_with_its_remembered_password(
    qtbot, server, store, monkeypatch
):
    from app.ui import first_open, opening

    monkeypatch.setattr(opening, "open_server", server)
    preferences.add_recent_server(ADDRESS)
    store.set_password(passwords.SERVICE, ADDRESS.key, "pw")
    opened = first_open.open_for_gui(None)
    assert opened is server.opened[0]
    assert make_url(server.urls[0]).password == "pw"


@pytest.mark.parametrize("answer", ["连接", "取消"])
def test_at_start_without_a_password_the_dialog_asks_and_cancel_opens_the_last_file(
    qtbot, server, no_store, monkeypatch, county_file, answer
):
    from app.ui import first_open, opening

    monkeypatch.setattr(opening, "open_server", server)
    preferences.add_recent(county_file)
    preferences.add_recent_server(ADDRESS)  # used after the file
    asked: list[ConnectDialog] = []

    def user(dialog: ConnectDialog) -> int:
        asked.append(dialog)
        assert dialog.user_edit.text() == "jiandu" and dialog.password_edit.text() == ""
        if answer == "取消":
            dialog.reject()
        else:
            dialog.password_edit.setText("pw")
            dialog.try_connect()
        return dialog.result()

    monkeypatch.setattr(ConnectDialog, "exec", user)
    opened = first_open.open_for_gui(None)
    assert len(asked) == 1
    try:
        if answer == "连接":
            assert opened is server.opened[0]
        else:
            assert server.urls == [] and opened is not None and opened.db.path == county_file
    finally:
        if answer == "取消" and opened is not None:
            opened.close()


def test_opening_a_file_afterwards_means_no_server_at_the_next_start(county_file):
    preferences.add_recent_server(ADDRESS)
    assert preferences.last_server() == ADDRESS
    preferences.add_recent(county_file)
    assert preferences.last_server() is None
    assert preferences.recent_servers() == [ADDRESS]  # still offered
