"""Server passwords kept in the operating system's password store (the `keyring` library:
Windows Credential Manager, the Secret Service of a Linux desktop, macOS Keychain).

Never in a settings file: where no store is available (a Linux PC without a desktop
keyring, or only a plain-text one) nothing is kept and the password is asked each time.
Entries are named by ServerAddress.key (user@host:port/database).
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

from app import APP_ID

log = logging.getLogger(__name__)

SERVICE = f"{APP_ID}-server"
NO_STORE = "本机没有可用的系统密码库，密码不会保存，每次连接时需要重新输入。"
_UNSAFE = ("fail", "null", "PlaintextKeyring")  # keyring's "no backend" and plain-text files


def store_available() -> bool:
    backend = keyring.get_keyring()
    name = type(backend).__name__
    module = type(backend).__module__.rsplit(".", 1)[-1]
    return module not in _UNSAFE and name not in _UNSAFE and backend.priority > 0


def saved_password(key: str) -> str:
    """The remembered password, or "" (none kept, or the store cannot be read now)."""
    if not store_available():
        return ""
    try:
        return keyring.get_password(SERVICE, key) or ""
    except KeyringError:
        log.warning("无法读取系统密码库", exc_info=True)
        return ""


def remember(key: str, password: str) -> str:
    """Keep the password; "" when kept, else why not (shown to the user, not fatal)."""
    if not store_available():
        return NO_STORE
    try:
        keyring.set_password(SERVICE, key, password)
    except KeyringError as exc:
        log.warning("无法保存到系统密码库", exc_info=True)
        return f"密码未能保存到系统密码库（{exc}），下次连接时需要重新输入。"
    return ""


def forget(key: str) -> None:
    """Drop a remembered password (记住密码 unticked); nothing kept is fine."""
    if not store_available():
        return
    with contextlib.suppress(KeyringError):  # PasswordDeleteError: there was none
        keyring.delete_password(SERVICE, key)
