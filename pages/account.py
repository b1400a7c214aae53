"""账户: sign in and out, change one's own password; admins manage users (each change asks for
their own password again)."""

import streamlit as st

from ipdata import logins
from ipdata.auth import ADMIN, CHANGES, ROLE_LABELS, ROLES
from ipdata.passwords import MAX_NAME, POLICY_TEXT
from ipdata.views import user_table
from pages import components as ui

FLASH = "account_flash"


def done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def admin_section(admin) -> None:
    st.subheader("用户管理")
    listing = ui.users().list()
    st.dataframe(user_table(listing, ROLE_LABELS), hide_index=True)
    st.caption(f"{POLICY_TEXT}以下操作都要再输入你自己的密码；被修改的用户须重新登录。")
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**新增用户**")
        a, b = st.columns(2)
        name = a.text_input("用户名", max_chars=MAX_NAME, key="add_name")
        role = b.selectbox("角色", [r for r in ROLES if r != "viewer"], format_func=ROLE_LABELS.get)
        password = st.text_input("初始密码", type="password", key="add_password")
        mine = st.text_input("你的密码（确认身份）", type="password", key="add_confirm")
        if st.form_submit_button("创建"):
            done(ui.users().add(admin, name, role, password, mine, ui.client_address()))
    others = [n for n in listing["name"] if n != admin.name]
    with st.form("change_user", clear_on_submit=True):
        st.markdown("**修改用户**")
        a, b = st.columns(2)
        who = a.selectbox("用户", others, index=None, placeholder="选择用户", key="change_who")
        what = b.selectbox("操作", list(CHANGES), format_func=CHANGES.get, key="change_what")
        new_password = st.text_input("新密码（仅“重设密码”时填写）", type="password", key="change_password")
        mine = st.text_input("你的密码（确认身份）", type="password", key="change_confirm")
        if st.form_submit_button("执行"):
            if not who:
                return st.warning("请先选择要修改的用户。")
            done(ui.users().change(admin, who, what, mine, new_password, ui.client_address()))
    return None


def password_section(user) -> None:
    with st.expander("修改我的密码"), st.form("own_password", clear_on_submit=True):
        current = st.text_input("当前密码", type="password", key="own_current")
        new = st.text_input("新密码", type="password", help=POLICY_TEXT, key="own_new")
        again = st.text_input("再输入一次新密码", type="password", key="own_again")
        if st.form_submit_button("修改密码"):
            if new != again:
                return st.error("两次输入的新密码不一致，密码没有修改。")
            ui.users().set_password(user, user.name, new, current, ui.client_address())
            done("密码已修改。所有已登录的浏览器都已退出，请用新密码重新登录。")
    return None


def login_section(flash: bool) -> None:
    st.caption("浏览无需登录。统计人员登录后可以上传数据、回滚版本、修改任务进度和查看操作记录；管理员还可以管理用户。")
    if error := st.query_params.get("login"):
        wait = st.query_params.get("wait", "0")
        st.error(logins.Outcome(error=error, wait=int(wait) if wait.isdigit() else 0).message(), icon=":material/block:")
    elif ui.has_login_cookie() and not flash:
        st.info("上次的登录已结束（已退出、长时间无操作，或账户有变更），请重新登录。")
    ui.login_form()
    st.caption(f"登录后 {int(logins.idle_limit().total_seconds() // 60)} 分钟无操作自动退出；关闭浏览器也会退出。")


def render() -> None:
    ui.heading("账户", level=1)
    if flash := st.session_state.pop(FLASH, None) or ("已退出登录。" if st.query_params.get("logout") else None):
        st.success(flash, icon=":material/check_circle:")
    user = ui.current_user()
    if user is None:
        return login_section(bool(flash))
    st.success(f"已登录：{user.label}", icon=":material/person:")
    ui.logout_form()
    password_section(user)
    if user.has(ADMIN):
        admin_section(user)
    return None


ui.guarded(render)
