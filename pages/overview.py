"""总览: every goal with its latest value and target."""

import streamlit as st

from ipdata.views import goal_table
from pages import components as ui


def render() -> None:
    s = ui.store()
    plan = s.plan
    st.title("通州区知识产权强县建设监测")
    st.caption(f"{plan.title}（{plan.document_no}） · 基期 {plan.base_year} 年 · 目标年 {plan.target_year} 年")
    ui.demo_banner()
    values = ui.current_values()
    if values.empty:
        st.info("数据库中还没有数据。请到“数据管理”下载模板、填写后上传；或在命令行运行 "
                "`python -m ipdata demo` 载入示例数据。")
    st.subheader(f"{plan.target_year}年目标一览（{len(plan.goals)} 项）")
    table = goal_table(plan, values, ui.current_targets())
    st.dataframe(table, hide_index=True, width="stretch", height=36 * (len(table) + 1) + 4)


ui.guarded(render)
