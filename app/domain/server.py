"""A database on a PostgreSQL server: the address typed in 连接服务器, the URL built from it,
and what a failed connection means, in words the user can act on.

The password is never part of an address: it is given to `url()` only, so an address can
be remembered (recent servers, the keyring's entry name) without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from app.domain.errors import UserError

DEFAULT_PORT = 5432
CONNECT_TIMEOUT_SECONDS = 5  # a wrong address answers within this, not after minutes
DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    database: str
    user: str

    @property
    def key(self) -> str:
        """How it is remembered and named: user@host:port/database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str) -> str:
        """The SQLAlchemy URL (psycopg 3); every part escaped, so any character is fine."""
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        login = quote(self.user, safe="") + (f":{quote(password, safe='')}" if password else "")
        return (
            f"{DRIVER}://{login}@{host}:{self.port}/{quote(self.database, safe='')}"
            f"?connect_timeout={CONNECT_TIMEOUT_SECONDS}"
        )


class AddressError(UserError):
    """A typed field is wrong; `field` is which: host, port, database or user."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def parse_address(host: str, port: str, database: str, user: str) -> ServerAddress:
    """Check the typed fields; the first problem is raised, naming its field."""
    host, port, database, user = host.strip(), port.strip(), database.strip(), user.strip()
    if not host:
        raise AddressError("请填写服务器地址（如 192.168.1.10 或服务器的计算机名）。", "host")
    if any(c in host for c in "/@ "):
        raise AddressError(
            f"服务器地址“{host}”不正确：只填计算机名或 IP 地址，不要带用户名或路径。", "host"
        )
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise AddressError(
            f"端口“{port}”不正确：应为 1～65535 之间的整数（PostgreSQL 默认 5432）。", "port"
        )
    if not database:
        raise AddressError("请填写数据库名（由服务器管理员建立，如 jixiao）。", "database")
    if not user:
        raise AddressError("请填写用户名（服务器上为本股室建立的登录名）。", "user")
    return ServerAddress(host, int(port), database, user)


def parse_key(key: str) -> ServerAddress | None:
    """An address remembered as `key`; None for a malformed entry."""
    user, at, rest = key.rpartition("@")
    hostport, slash, database = rest.partition("/")
    host, colon, port = hostport.rpartition(":")
    if not (at and slash and colon):
        return None
    try:
        return parse_address(host, port, database, user)
    except AddressError:
        return None


# What failed, from the driver's message (its SQLSTATE is not given for a failed connection).
# The server may answer in Chinese (lc_messages=zh_CN), so both wordings are listed.
WRONG_PASSWORD = "wrong_password"
NO_DATABASE = "no_database"
NOT_ALLOWED = "not_allowed"
UNREACHABLE = "unreachable"
_MISSING = ("does not exist", "不存在")


def failure_kind(message: str) -> str | None:
    """Which of the connection failures the driver's `message` is, if any."""
    text = message.lower()
    missing = any(sign in text for sign in _MISSING)
    if "password" in text or "认证失败" in text or (missing and ("role" in text or "角色" in text)):
        return WRONG_PASSWORD  # an unknown user is reported like a wrong password
    if missing and ("database" in text or "数据库" in text):
        return NO_DATABASE
    if "pg_hba.conf" in text:
        return NOT_ALLOWED
    if "connection" in text or "host" in text or "timeout" in text:
        return UNREACHABLE  # refused, no route, unknown name, no answer in time
    return None


def failure_field(kind: str) -> str:
    """The field to fix after this failure."""
    return {WRONG_PASSWORD: "password", NO_DATABASE: "database"}.get(kind, "host")


def failure_text(address: ServerAddress, kind: str) -> str:
    server = f"{address.host}:{address.port}"
    return {
        WRONG_PASSWORD: f"用户名或密码不正确：服务器 {server} 拒绝了用户“{address.user}”的登录。"
        "请检查用户名和密码（区分大小写）。",
        NO_DATABASE: f"服务器 {server} 上没有名为“{address.database}”的数据库。"
        "请检查数据库名，或请管理员按说明建立。",
        NOT_ALLOWED: f"服务器 {server} 不允许本计算机连接（pg_hba.conf 中没有本机的地址）。"
        "请管理员按说明允许局域网连接。",
        UNREACHABLE: f"连接不上服务器 {server}：请检查地址和端口、网络是否连通，"
        "以及服务器上的 PostgreSQL 是否已启动、防火墙是否放行该端口。",
    }[kind]
