"""简报: the leader's brief in one column for a phone — counts by status, what changed since the
last update, the goals needing attention with their 责任单位 — and the same card as a
1080-px-wide PNG to send on (made when clicked)."""

import streamlit as st

from ipdata import words
from ipdata.outputs.brief import brief, brief_png, card_html
from pages import components as ui


def render() -> None:
    s = ui.store()
    plan = s.plan
    b = brief(s)
    st.html(card_html(b))  # the very markup the PNG is made of
    if b.goals:
        links = st.container(horizontal=True, gap="small")
        for g in b.goals:
            links.page_link("pages/goal.py", label=g.name, icon=":material/show_chart:",
                            query_params={"code": g.code, "plan": plan.id})
    st.download_button("下载简报图片 (PNG)", data=ui.from_store(lambda: brief_png(b)),
                       file_name=f"{words.file_stem(plan, '简报', b.demo)}.png", mime="image/png",
                       on_click="ignore", type="primary", icon=":material/image:", key="brief_png",
                       help="1080 像素宽的图片，与上面的简报相同，可直接转发到手机；约需几秒")
    ui.plan_switcher(st.container())


ui.guarded(render)
