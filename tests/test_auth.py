"""Roles, password logins (argon2 hashes), throttling of failed logins, and the write check."""

import datetime as dt

import pytest

from ipdata.auth import (
    ADMIN,
    ANONYMOUS,
    STATISTICIAN,
    PermissionDenied,
    User,
    Users,
    hash_password,
    local_operator,
    require,
)
from ipdata.errors import IpdataError

T0 = dt.datetime(2026, 1, 5, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def users(tmp_path):
    u = Users(tmp_path / "a.duckdb")
    u.add(local_operator("root"), "admin", ADMIN, "correct horse")
    return u


def test_first_user_by_local_operator_then_only_admins(users):
    stat = User("stat", STATISTICIAN)
    with pytest.raises(PermissionDenied, match="stat（统计人员）无权管理用户"):
        users.add(stat, "x", STATISTICIAN, "password1")
    with pytest.raises(PermissionDenied):  # a CLI operator is no longer enough once users exist
        users.add(User("someone", STATISTICIAN, "cli"), "x", STATISTICIAN, "password1")
    assert users.add(User("admin", ADMIN), "王统计", STATISTICIAN, "password1") == "已创建用户“王统计”（统计人员）。"
    assert sorted(users.list()["name"]) == ["admin", "王统计"]


def test_passwords_are_stored_only_as_argon2_hashes(users, tmp_path):
    import duckdb

    with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
        [(digest,)] = con.execute("SELECT password_hash FROM users WHERE name = 'admin'").fetchall()
    assert digest.startswith("$argon2id$") and "correct horse" not in digest
    with pytest.raises(IpdataError, match="至少 8 个字符"):
        hash_password("short")


def test_login(users):
    assert users.authenticate("admin", "correct horse", now=T0) == User("admin", ADMIN)
    with pytest.raises(PermissionDenied, match="用户名或密码不正确"):
        users.authenticate("admin", "wrong", now=T0)
    with pytest.raises(PermissionDenied, match="用户名或密码不正确"):  # same message: no user enumeration
        users.authenticate("nobody", "whatever", now=T0)


def test_failed_logins_are_slowed_down_and_logged(users):
    at = lambda s: T0 + dt.timedelta(seconds=s)  # noqa: E731
    for s in (0, 1, 2):  # three free failures
        with pytest.raises(PermissionDenied, match="不正确"):
            users.authenticate("admin", "bad", now=at(s))
    # 3 failures -> wait 2 s after the last one (at 2 s): at 3 s one second remains, even for the right password
    with pytest.raises(PermissionDenied, match="请 1 秒后再试"):
        users.authenticate("admin", "correct horse", now=at(3))
    with pytest.raises(PermissionDenied, match="不正确"):  # at 4 s allowed again; 4th failure
        users.authenticate("admin", "bad", now=at(4))
    with pytest.raises(PermissionDenied, match="请 4 秒后再试"):  # 4 failures -> 4 s after 4 s
        users.authenticate("admin", "correct horse", now=at(4))
    assert users.authenticate("admin", "correct horse", now=at(8)).role == ADMIN
    assert users.authenticate("admin", "correct horse", now=at(9)).role == ADMIN  # success resets
    events = users.events()
    logins = events[events["event"] == "login"]
    assert list(logins["ok"]) == [False] * 6 + [True, True]
    assert list(logins["detail"].fillna("")) == [
        "bad-credentials", "bad-credentials", "bad-credentials", "throttled", "bad-credentials", "throttled", "", ""]


def test_disabled_users_cannot_log_in(users):
    admin = User("admin", ADMIN)
    users.add(admin, "old", STATISTICIAN, "password1")
    assert users.set_disabled(admin, "old") == "已停用用户“old”。"
    with pytest.raises(PermissionDenied):
        users.authenticate("old", "password1", now=T0)


def test_users_from_secrets(tmp_path):
    u = Users(tmp_path / "a.duckdb", secrets={"李四": {"role": "statistician", "password_hash": hash_password("secret-pass")}})
    assert u.authenticate("李四", "secret-pass", now=T0) == User("李四", STATISTICIAN)
    assert list(u.list()["source"]) == ["secrets.toml"]


@pytest.mark.parametrize(("user", "role", "message"), [
    (None, STATISTICIAN, "未登录的访客无权修改数据"),
    (ANONYMOUS, STATISTICIAN, "未登录的访客无权修改数据"),
    (User("stat", STATISTICIAN), ADMIN, "stat（统计人员）无权修改数据"),
    ("admin", STATISTICIAN, "未登录的访客无权修改数据"),  # a bare name is not an authenticated user
])
def test_require_refuses(user, role, message):
    with pytest.raises(PermissionDenied, match=message):
        require(user, role)


def test_require_allows():
    stat = User("stat", STATISTICIAN)
    assert require(stat) is stat
    assert require(local_operator("root"), ADMIN) .via == "cli"
