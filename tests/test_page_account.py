"""账户 page via AppTest: the login form (posted to app.py), what a login cookie shows and what
session state alone does not, and admins managing users with their own password again."""

import pytest
from streamlit.testing.v1 import AppTest

from ipdata import logins
from ipdata.auth import ADMIN, STATISTICIAN, User, Users, local_operator
from tests.conftest import ROOT, browser_cookies, page_test, sign_in

ADMIN_PW, STAT_PW = "admin-pass-long-1", "tongzhou-stat-2025"
ADMIN_USER, STAT = User("管理员甲", ADMIN), User("王统计", STATISTICIAN)


@pytest.fixture
def users(db_path):
    u = Users(db_path)
    u.add(local_operator("root"), "管理员甲", ADMIN, ADMIN_PW)
    u.add(ADMIN_USER, "王统计", STATISTICIAN, STAT_PW, ADMIN_PW)
    return u


def page(user: User | None = None, **query) -> AppTest:
    at = page_test("account.py", user)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def button(at: AppTest, label: str):
    [b] = [b for b in at.button if b.label == label]
    return b


def test_visitors_get_the_login_form_posted_to_the_login_route(users):
    at = page()
    assert not at.exception and not at.success and not at.dataframe
    form = html(at)
    assert '<form class="ip-login" method="post" action="ipdata/login">' in form
    assert 'name="username"' in form and 'name="password" type="password"' in form and "登录</button>" in form
    assert 'maxlength="64"' in form
    assert any("30 分钟无操作自动退出" in c.value for c in at.caption)


@pytest.mark.parametrize(("query", "message"), [
    ({"login": "bad-credentials"}, "用户名或密码不正确。"),
    ({"login": "throttled", "wait": "8"}, "登录失败次数过多，请 8 秒后再试。"),
    ({"login": "name"}, "用户名太长：最多 64 个字符。"),
    ({"login": "<script>", "wait": "x"}, "登录表单不完整或过大，请在“账户”页重新输入用户名和密码。"),
])
def test_the_routes_answer_is_said_in_chinese(users, query, message):
    at = page(**query)
    assert [e.value for e in at.error] == [message]


def test_a_login_cookie_shows_the_user_and_the_logout_form(users):
    at = page(STAT)
    assert not at.exception
    assert [s.value for s in at.success] == ["已登录：王统计（统计人员）"]
    assert 'action="ipdata/logout"' in html(at) and 'action="ipdata/login"' not in html(at)
    assert not at.dataframe  # no user management for statisticians


def test_session_state_alone_is_no_login(users):
    """What a resumed session carries: its state, not the browser's cookie."""
    at = AppTest.from_file(str(ROOT / "pages" / "account.py"), default_timeout=60)
    browser_cookies()
    at.session_state["ipdata_user"] = ADMIN_USER
    at.run()
    assert not at.success and 'action="ipdata/login"' in html(at)


def test_an_ended_login_says_so(users):
    secret = sign_in(STAT)
    logins.end(users, secret)
    at = AppTest.from_file(str(ROOT / "pages" / "account.py"), default_timeout=60).run()
    assert [i.value for i in at.info] == ["上次的登录已结束（已退出、长时间无操作，或账户有变更），请重新登录。"]


def test_admin_creates_a_user_only_with_their_own_password(users):
    at = page(ADMIN_USER)
    assert sorted(at.dataframe[0].value["用户名"]) == ["王统计", "管理员甲"]
    at.text_input(key="add_name").set_value("李四")
    at.text_input(key="add_password").set_value("new-pass-long-1")
    at.text_input(key="add_confirm").set_value("not-mine")
    button(at, "创建").click()
    at.run()
    assert [e.value for e in at.error] == ["你的密码不正确。"]
    assert "李四" not in users.list()["name"].tolist()
    at.text_input(key="add_name").set_value("李四")
    at.text_input(key="add_password").set_value("new-pass-long-1")
    at.text_input(key="add_confirm").set_value(ADMIN_PW)
    button(at, "创建").click()
    at.run()
    assert [s.value for s in at.success][0] == "已创建用户“李四”（统计人员）。"
    assert sorted(at.dataframe[0].value["用户名"]) == ["李四", "王统计", "管理员甲"]
    assert users.authenticate("李四", "new-pass-long-1").role == STATISTICIAN


def test_a_weak_initial_password_is_refused_with_the_policy(users):
    at = page(ADMIN_USER)
    at.text_input(key="add_name").set_value("李四")
    at.text_input(key="add_password").set_value("password123")
    at.text_input(key="add_confirm").set_value(ADMIN_PW)
    button(at, "创建").click()
    at.run()
    assert [e.value for e in at.error] == ["这是常见密码（或键盘、字母顺序、重复字符），很容易被猜中。"]
    assert any("至少 10 个字符" in i.value for i in at.info)


@pytest.mark.parametrize(("what", "message"), [
    ("disable", "已停用用户“王统计”。"),
    ("admin", "已把用户“王统计”的角色改为管理员。"),
    ("password", "已修改用户“王统计”的密码。"),
])
def test_admin_changes_a_user_and_their_login_ends(users, what, message):
    stat_secret = logins.start(users, STAT)
    at = page(ADMIN_USER)
    at.selectbox(key="change_who").set_value("王统计")
    at.selectbox(key="change_what").set_value(what)
    at.text_input(key="change_password").set_value("reset-pass-long-1")  # used by 重设密码 only
    at.text_input(key="change_confirm").set_value(ADMIN_PW)
    button(at, "执行").click()
    at.run()
    assert not at.exception and [s.value for s in at.success][0] == message
    assert logins.resume(users, stat_secret) is None  # at the statistician's next action: a visitor


def test_own_password_change_logs_out(users):
    at = page(STAT)
    at.text_input(key="own_current").set_value(STAT_PW)
    at.text_input(key="own_new").set_value("my-new-long-pass")
    at.text_input(key="own_again").set_value("my-new-long-pas")
    button(at, "修改密码").click()
    at.run()
    assert [e.value for e in at.error] == ["两次输入的新密码不一致，密码没有修改。"]
    at.text_input(key="own_current").set_value(STAT_PW)
    at.text_input(key="own_new").set_value("my-new-long-pass")
    at.text_input(key="own_again").set_value("my-new-long-pass")
    button(at, "修改密码").click()
    at.run()
    assert [s.value for s in at.success] == ["密码已修改。所有已登录的浏览器都已退出，请用新密码重新登录。"]
    assert 'action="ipdata/login"' in html(at)  # logged out here too
    assert users.authenticate("王统计", "my-new-long-pass").name == "王统计"
