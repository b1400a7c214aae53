"""分类: the goals of one category (创造/运用/保护/管理/服务/人才) side by side."""

import streamlit as st

from ipdata.evaluation import is_final
from ipdata.figures import (
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    VERDICT_COLOURS,
    VERDICT_SYMBOLS,
    category_chart,
)
from ipdata.scorecard import tiles
from ipdata.views import status_table
from pages import components as ui


def render() -> None:
    plan = ui.store().plan
    left, right = st.columns([5, 2], vertical_alignment="bottom")
    category = left.segmented_control("类别", list(plan.categories), default=plan.categories[0],
                                      key="category") or plan.categories[0]
    ui.plan_switcher(right)
    ui.demo_banner()
    frame = ui.status()
    mine = frame[frame["category"] == category]
    if is_final(plan, frame):  # the final evaluation: verdicts, no 序时进度 marker (as on the overview)
        ui.tiles(tiles(plan, mine, final=True), {**STATUS_COLOURS, **VERDICT_COLOURS},
                 {**STATUS_SYMBOLS, **VERDICT_SYMBOLS}, plan.id)
    else:
        ui.tiles(tiles(plan, mine), STATUS_COLOURS, STATUS_SYMBOLS, plan.id)
    values = ui.current_values()
    ui.chart(category_chart(plan, category, values, mine, demo=ui.is_demo()), "category_chart", f"分类_{category}",
             narrow=category_chart(plan, category, values, mine, demo=ui.is_demo(), columns=1))
    ui.table(status_table(plan, mine))


ui.guarded(render)
