"""Router only: the page list. Pages lay out what ipdata/ computes."""

import streamlit as st

st.set_page_config(page_title="通州区知识产权强县建设监测", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon="📋", default=True),
    st.Page("pages/goal.py", title="指标详情", icon="📈", url_path="goal"),
    st.Page("pages/category.py", title="分类", icon="🗂️", url_path="category"),
    st.Page("pages/regions.py", title="分镇(街道)", icon="🏘️", url_path="regions"),
    st.Page("pages/tasks.py", title="重点任务", icon="✅", url_path="tasks"),
    st.Page("pages/data.py", title="数据管理", icon="💾", url_path="data"),
]
st.navigation(pages, position="top").run()
