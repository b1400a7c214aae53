"""账户 page via AppTest: sign in (and fail), sign out, admins create and disable users."""

import pytest
from streamlit.testing.v1 import AppTest

from ipdata.auth import ADMIN, STATISTICIAN, User, Users, local_operator
from tests.conftest import ROOT

TIMEOUT = 60


def page(user: User | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "account.py"), default_timeout=TIMEOUT)
    if user is not None:
        at.session_state["ipdata_user"] = user
    return at.run()


@pytest.fixture
def users(db_path):
    u = Users(db_path)
    u.add(local_operator("root"), "管理员甲", ADMIN, "admin-pass-1")
    u.add(User("管理员甲", ADMIN), "王统计", STATISTICIAN, "stat-pass-1")
    return u


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    at.button[0].click()
    return at.run()


def test_sign_in_and_out(users):
    at = login(page(), "王统计", "stat-pass-1")
    assert not at.exception
    assert at.session_state["ipdata_user"] == User("王统计", STATISTICIAN)
    assert [s.value for s in at.success] == ["已登录：王统计（统计人员）"]
    assert not at.dataframe  # no user management for statisticians
    [logout] = [b for b in at.button if b.label == "退出登录"]
    logout.click()
    at.run()
    assert "ipdata_user" not in at.session_state


def test_wrong_password_is_refused_in_chinese(users):
    at = login(page(), "王统计", "nope")
    assert not at.exception
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    assert "ipdata_user" not in at.session_state


def test_admin_creates_and_disables_users(users):
    at = page(User("管理员甲", ADMIN))
    assert sorted(at.dataframe[0].value["用户名"]) == ["王统计", "管理员甲"]
    at.text_input[0].set_value("李四")
    at.text_input[1].set_value("new-pass-123")
    [create] = [b for b in at.button if b.label == "创建"]
    create.click()
    at.run()
    assert [s.value for s in at.success][-1] == "已创建用户“李四”（统计人员）。"
    assert users.authenticate("李四", "new-pass-123").role == STATISTICIAN
    at.selectbox(key="disable_user").set_value("李四").run()
    [disable] = [b for b in at.button if b.label == "停用 李四"]
    disable.click()
    at.run()
    assert users.list().set_index("name").loc["李四", "disabled"]
