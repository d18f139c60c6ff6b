"""What this computer remembers for its OS user (QSettings, an .ini in the user's config
folder): the databases opened lately (files, and servers without their passwords: those
are in the OS keyring, ui/passwords.py) and who was working last. County data never lives
here: that is in the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QSettings

from app import APP_ID

if TYPE_CHECKING:  # read at the window's first paint: the address parsing loads when asked
    from app.domain.server import ServerAddress

RECENT_KEY, OPERATOR_KEY = "files/recent", "operator/last"
SERVERS_KEY = "servers/recent"  # ServerAddress.key: user@host:port/database
SERVER_LAST_KEY = "servers/used_last"  # the last database opened was a server, not a file
MAX_RECENT = 8


def preferences_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False)) / "preferences.ini"


def _settings() -> QSettings:
    return QSettings(str(preferences_path()), QSettings.Format.IniFormat)


def recent_files() -> list[Path]:
    """Most recent first; files since deleted or moved are left out."""
    value = _settings().value(RECENT_KEY, [])
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(n) for n in names if n and Path(n).is_file()]


def add_recent(path: Path) -> None:
    path = path.expanduser().resolve()
    kept = [p for p in recent_files() if p != path]
    _settings().setValue(RECENT_KEY, [str(p) for p in [path, *kept][:MAX_RECENT]])
    _settings().setValue(SERVER_LAST_KEY, False)


def recent_servers() -> list[ServerAddress]:
    """Most recent first."""
    value = _settings().value(SERVERS_KEY, [])
    keys = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    from app.domain.server import parse_key

    return [address for key in keys if (address := parse_key(str(key))) is not None]


def add_recent_server(address: ServerAddress) -> None:
    kept = [a.key for a in recent_servers() if a != address]
    _settings().setValue(SERVERS_KEY, [address.key, *kept][:MAX_RECENT])
    _settings().setValue(SERVER_LAST_KEY, True)


def last_server() -> ServerAddress | None:
    """The server to reconnect to at start, when a server was what was used last."""
    used_last = str(_settings().value(SERVER_LAST_KEY, "false")).lower() == "true"
    servers = recent_servers()
    return servers[0] if used_last and servers else None


def last_database() -> Path | None:
    files = recent_files()
    return files[0] if files else None


def remembered_operator() -> str:
    return str(_settings().value(OPERATOR_KEY, "") or "")


def remember_operator(name: str) -> None:
    _settings().setValue(OPERATOR_KEY, name)
