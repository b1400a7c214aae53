"""Web logins: a secret the browser keeps (only its hash in the store), checked on every run;
ended by logout, idleness, age, and any change to the user; the login form's outcomes."""

import datetime as dt

import duckdb
import pytest

from ipdata import logins
from ipdata.auth import ADMIN, STATISTICIAN, User, Users, hash_password, local_operator

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)
ADMIN_PW, STAT_PW = "correct horse battery", "tongzhou-stat-2025"
WANG = User("王统计", STATISTICIAN)


def later(**delta) -> dt.datetime:
    return NOW + dt.timedelta(**delta)


@pytest.fixture
def users(tmp_path):
    u = Users(tmp_path / "a.duckdb", sleep=lambda s: None)
    u.add(local_operator("root"), "admin", ADMIN, ADMIN_PW)
    u.add(User("admin", ADMIN), "王统计", STATISTICIAN, STAT_PW, ADMIN_PW)
    return u


def logouts(users: Users) -> list[tuple[str, str]]:
    ev = users.events()
    ev = ev[ev["event"] == "logout"]
    return [(r.name, r.detail if isinstance(r.detail, str) else "") for r in ev.itertuples()]


def test_a_login_is_a_secret_kept_only_as_its_hash(users, tmp_path):
    secret = logins.start(users, WANG, "10.0.0.5", now=NOW)
    assert len(secret) >= 43 and logins.resume(users, secret, now=NOW) == WANG
    assert logins.start(users, WANG, "10.0.0.5", now=NOW) != secret  # random: never the same twice
    for other in (None, "", "x", secret[:-1] + ("A" if secret[-1] != "A" else "B"), "y" * 5000):
        assert logins.resume(users, other, now=NOW) is None
    with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
        rows = con.execute("SELECT * FROM logins").fetchall()
    assert rows and not any(secret in str(v) for row in rows for v in row)  # only the SHA-256 is stored
    assert {row[1] for row in rows} == {"王统计"} and {row[5] for row in rows} == {"10.0.0.5"}


def test_logout_ends_the_login_for_good(users):
    secret = logins.start(users, WANG, now=NOW)
    logins.end(users, secret, now=later(minutes=1))
    assert logins.resume(users, secret, now=later(minutes=1)) is None
    assert logouts(users) == [("王统计", "")]


def test_idle_logins_end_after_the_setting(users, monkeypatch):
    secret = logins.start(users, WANG, now=NOW)
    assert logins.resume(users, secret, now=later(minutes=20)) == WANG  # a run: seen again
    assert logins.resume(users, secret, now=later(minutes=49)) == WANG  # 29 minutes after the last run
    assert logins.resume(users, secret, now=later(minutes=80)) is None  # 31 minutes idle (default 30)
    assert logouts(users) == [("王统计", "idle")]
    monkeypatch.setenv("IPDATA_LOGIN_IDLE_MINUTES", "5")
    secret = logins.start(users, WANG, now=NOW)
    assert logins.resume(users, secret, now=later(minutes=4)) == WANG
    assert logins.resume(users, secret, now=later(minutes=10)) is None


def test_logins_end_after_the_longest_time_however_busy(users, monkeypatch):
    monkeypatch.setenv("IPDATA_LOGIN_MAX_HOURS", "2")
    secret = logins.start(users, WANG, now=NOW)
    for minutes in range(20, 120, 20):
        assert logins.resume(users, secret, now=later(minutes=minutes)) == WANG
    assert logins.resume(users, secret, now=later(minutes=121)) is None
    assert logouts(users) == [("王统计", "expired")]


@pytest.mark.parametrize("change", ["disable", "role", "password", "behind-our-back"])
def test_a_change_to_the_user_ends_their_logins_at_the_next_run(users, tmp_path, change):
    admin = User("admin", ADMIN)
    secret = logins.start(users, WANG, now=NOW)
    other = logins.start(users, User("admin", ADMIN), now=NOW)
    if change == "disable":
        users.set_disabled(admin, "王统计", True, ADMIN_PW)
        users.set_disabled(admin, "王统计", False, ADMIN_PW)  # enabling again does not bring the login back
    elif change == "role":
        users.set_role(admin, "王统计", ADMIN, ADMIN_PW)
    elif change == "password":
        users.set_password(admin, "王统计", "a-new-long-one", ADMIN_PW)
    else:  # another process changed the row without going through Users: the fingerprint tells
        with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
            con.execute("UPDATE users SET role = 'admin' WHERE name = '王统计'")
    assert logins.resume(users, secret, now=later(minutes=1)) is None
    assert logins.resume(users, other, now=later(minutes=1)) == User("admin", ADMIN)  # others keep theirs


def test_a_changed_secrets_toml_user_is_logged_out(tmp_path):
    db = tmp_path / "a.duckdb"
    before = Users(db, secrets={"李四": {"role": "admin", "password_hash": hash_password("secret-pass-1")}})
    secret = logins.start(before, User("李四", ADMIN), now=NOW)
    assert logins.resume(before, secret, now=NOW) == User("李四", ADMIN)
    after = Users(db, secrets={"李四": {"role": "statistician", "password_hash": before.secrets["李四"]["password_hash"]}})
    assert logins.resume(after, secret, now=later(minutes=1)) is None


# --- the login form ---------------------------------------------------------------------------

def form(name: str, password: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"username": name, "password": password}).encode()


def test_the_form_starts_a_login_or_says_why_not(users):
    ok = logins.login_form(users, form("王统计", STAT_PW), "10.0.0.7", now=NOW)
    assert ok.error is None and logins.resume(users, ok.secret, now=NOW) == WANG
    assert logins.login_form(users, form("王统计", "wrong"), "10.0.0.7", now=NOW) == logins.Outcome(error="bad-credentials")
    assert logins.login_form(users, form("nobody", "wrong"), "10.0.0.7", now=NOW) == logins.Outcome(error="bad-credentials")
    assert logins.login_form(users, form("", "x"), "10.0.0.7", now=NOW).message() == (
        "登录表单不完整或过大，请在“账户”页重新输入用户名和密码。")
    assert logins.login_form(users, form("a" * 65, "x"), "10.0.0.7", now=NOW).message() == "用户名太长：最多 64 个字符。"
    assert logins.login_form(users, b"username=" + b"a" * 5000, "10.0.0.7", now=NOW).error == "form"
    for _ in range(3):
        logins.login_form(users, form("王统计", "wrong"), "10.0.0.7", now=NOW)
    throttled = logins.login_form(users, form("王统计", STAT_PW), "10.0.0.7", now=NOW)
    assert (throttled.error, throttled.wait, throttled.message()) == ("throttled", 2, "登录失败次数过多，请 2 秒后再试。")
    assert logins.login_form(users, form("王统计", STAT_PW), "10.0.0.8", now=NOW).secret  # another address gets in
