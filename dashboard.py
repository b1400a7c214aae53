"""Router only: page list and shared page config. Pages lay out what ipdata/ computes."""

import streamlit as st

st.set_page_config(page_title="通州区知识产权强县建设监测", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon="📋", default=True),
]
st.navigation(pages).run()
