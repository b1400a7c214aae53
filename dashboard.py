"""Router only: the page list, titled in the words of the plan the session shows."""

from pathlib import Path

import streamlit as st

from ipdata import words
from pages import components as ui

# A local icon: a :material/…: page icon makes every browser fetch it from fonts.gstatic.com.
ICON = Path(__file__).parent / "data" / "icon.png"
try:
    plan = ui.store().plan
except Exception:  # noqa: BLE001 - the page itself says why (ui.guarded); the router still lists the pages
    plan = None
st.set_page_config(page_title=plan.name if plan else "知识产权监测", page_icon=str(ICON), layout="wide")
# Less empty space above the content, so the overview fits a laptop screen without scrolling.
st.html("<style>.stMainBlockContainer{padding-top:4rem;padding-bottom:2rem}</style>")
st.html(ui.MENU_CSS)  # the side menu of a phone says 菜单

pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/brief.py", title="简报", icon=":material/summarize:", url_path="brief"),
    st.Page("pages/goal.py", title="指标详情", icon=":material/show_chart:", url_path="goal"),
    st.Page("pages/category.py", title="分类", icon=":material/category:", url_path="category"),
    st.Page("pages/regions.py", title=words.regions_title(plan) if plan else "分地区", icon=":material/location_city:",
            url_path="regions"),
    st.Page("pages/tasks.py", title=words.tasks_name(plan) if plan else "任务", icon=":material/task_alt:",
            url_path="tasks"),
    st.Page("pages/export.py", title="导出", icon=":material/slideshow:", url_path="export"),
    st.Page("pages/data.py", title="数据管理", icon=":material/database:", url_path="data"),
    st.Page("pages/account.py", title="账户", icon=":material/person:", url_path="account"),
]
st.navigation(pages, position="top").run()
