"""The 连接服务器 fields: checked with located messages, turned into an escaped URL, and a
failed connection told apart by its driver message (English or a Chinese server's)."""

from __future__ import annotations

import pytest
from sqlalchemy import make_url

from app.domain.server import (
    NO_DATABASE,
    NOT_ALLOWED,
    UNREACHABLE,
    WRONG_PASSWORD,
    AddressError,
    ServerAddress,
    failure_field,
    failure_kind,
    failure_text,
    parse_address,
    parse_key,
)


def test_fields_are_trimmed_and_the_port_is_a_number() -> None:
    address = parse_address(" 192.168.1.10 ", "5433", " jixiao ", " jiandu ")
    assert address == ServerAddress("192.168.1.10", 5433, "jixiao", "jiandu")
    assert address.key == "jiandu@192.168.1.10:5433/jixiao"


@pytest.mark.parametrize(
    ("host", "port", "database", "user", "field", "words"),
    [
        ("", "5432", "jixiao", "u", "host", "请填写服务器地址"),
        ("u@server", "5432", "jixiao", "u", "host", "只填计算机名或 IP 地址"),
        ("postgresql://server", "5432", "jixiao", "u", "host", "不要带用户名或路径"),
        ("server", "", "jixiao", "u", "port", "端口“”不正确"),
        ("server", "54a", "jixiao", "u", "port", "1～65535"),
        ("server", "70000", "jixiao", "u", "port", "端口“70000”不正确"),
        ("server", "0", "jixiao", "u", "port", "端口“0”不正确"),
        ("server", "5432", " ", "u", "database", "请填写数据库名"),
        ("server", "5432", "jixiao", "", "user", "请填写用户名"),
    ],
)
def test_a_wrong_field_is_named(host, port, database, user, field, words) -> None:
    with pytest.raises(AddressError) as caught:
        parse_address(host, port, database, user)
    assert caught.value.field == field
    assert words in caught.value.message


def test_the_url_escapes_every_part_and_sqlalchemy_reads_it_back() -> None:
    address = ServerAddress("czj-server", 5432, "绩效 库", "jian@du")
    url = make_url(address.url("p@ss:w/o%rd #1"))
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database) == ("czj-server", 5432, "绩效 库")
    assert (url.username, url.password) == ("jian@du", "p@ss:w/o%rd #1")
    assert url.query == {"connect_timeout": "5"}


def test_an_ipv6_host_is_bracketed_and_no_password_leaves_no_colon() -> None:
    url = ServerAddress("fe80::1", 5432, "jixiao", "u").url("")
    assert url.startswith("postgresql+psycopg://u@[fe80::1]:5432/jixiao?")
    assert make_url(url).host == "fe80::1"


def test_a_remembered_key_reads_back_and_a_malformed_one_is_skipped() -> None:
    address = ServerAddress("fe80::1", 5433, "jixiao", "a@b")
    assert parse_key(address.key) == address
    assert parse_key("no-at-sign:5432/db") is None
    assert parse_key("u@host/db") is None  # no port
    assert parse_key("u@host:port/db") is None


# Messages as psycopg 3 gives them (captured from a PostgreSQL 15 server), and the same
# server answering in Chinese (lc_messages = zh_CN.UTF-8).
REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 54318 failed: Connection '
    "refused\n\tIs the server running on that host and accepting TCP/IP connections?"
)
MESSAGES = [
    (
        'connection failed: connection to server at "127.0.0.1", port 54319 failed: FATAL:  '
        'password authentication failed for user "jx"',
        WRONG_PASSWORD,
    ),
    (
        'connection to server at "10.0.0.5" failed: 致命错误:  用户 "jx" Password 认证失败',
        WRONG_PASSWORD,
    ),
    ('connection failed: FATAL:  role "nobody" does not exist', WRONG_PASSWORD),
    ('connection failed: 致命错误:  角色 "nobody" 不存在', WRONG_PASSWORD),
    ("connection failed: fe_sendauth: no password supplied", WRONG_PASSWORD),
    (
        'connection failed: connection to server at "127.0.0.1", port 54319 failed: FATAL:  '
        'database "nodb" does not exist',
        NO_DATABASE,
    ),
    ('connection failed: 致命错误:  数据库 "nodb" 不存在', NO_DATABASE),
    (
        'connection failed: FATAL:  no pg_hba.conf entry for host "192.168.1.7", user "jx", '
        'database "jixiao", no encryption',
        NOT_ALLOWED,
    ),
    (REFUSED, UNREACHABLE),
    ("failed to resolve host 'nohost.invalid': [Errno -2] Name or service not known", UNREACHABLE),
    ("connection timeout expired", UNREACHABLE),
    ("数据库“x”中已有其他程序的表，不是本程序的数据库。", None),
]


@pytest.mark.parametrize(("message", "kind"), MESSAGES)
def test_failures_are_told_apart(message: str, kind: str | None) -> None:
    assert failure_kind(message) == kind


def test_each_failure_names_the_server_and_what_to_do() -> None:
    address = ServerAddress("czj-server", 5432, "jixiao", "jiandu")
    texts = {
        kind: failure_text(address, kind)
        for kind in (WRONG_PASSWORD, NO_DATABASE, NOT_ALLOWED, UNREACHABLE)
    }
    assert "用户名或密码不正确" in texts[WRONG_PASSWORD] and "jiandu" in texts[WRONG_PASSWORD]
    assert "没有名为“jixiao”的数据库" in texts[NO_DATABASE]
    assert "pg_hba.conf" in texts[NOT_ALLOWED]
    assert "连接不上服务器 czj-server:5432" in texts[UNREACHABLE]
    assert [failure_field(k) for k in texts] == ["password", "database", "host", "host"]
