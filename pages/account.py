"""账户: sign in and out; admins manage users here."""

import streamlit as st

from ipdata.auth import ADMIN, ROLE_LABELS, ROLES
from ipdata.views import user_table
from pages import components as ui


def admin_section(admin) -> None:
    st.subheader("用户管理")
    directory = ui.users()
    st.dataframe(user_table(directory.list(), ROLE_LABELS), hide_index=True)
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**新增用户**")
        a, b = st.columns(2)
        name = a.text_input("用户名")
        role = b.selectbox("角色", [r for r in ROLES if r != "viewer"], format_func=ROLE_LABELS.get)
        password = st.text_input("初始密码（至少 8 个字符）", type="password")
        if st.form_submit_button("创建"):
            st.success(directory.add(admin, name, role, password))
    names = [n for n in directory.list()["name"] if n != admin.name]
    if names:
        who = st.selectbox("停用用户", names, index=None, placeholder="选择用户", key="disable_user")
        if who and st.button(f"停用 {who}"):
            st.success(directory.set_disabled(admin, who))


def render() -> None:
    st.title("账户")
    user = ui.current_user()
    if user is None:
        st.caption("浏览无需登录。统计人员登录后可以上传数据、回滚版本和修改任务进度；管理员还可以管理用户。")
        with st.form("login"):
            name = st.text_input("用户名")
            password = st.text_input("密码", type="password")
            if st.form_submit_button("登录", type="primary"):
                ui.sign_in(ui.users().authenticate(name, password))
                st.rerun()
        return
    st.success(f"已登录：{user.label}", icon=":material/person:")
    if st.button("退出登录"):
        ui.sign_out()
        st.rerun()
    if user.has(ADMIN):
        admin_section(user)


ui.guarded(render)
