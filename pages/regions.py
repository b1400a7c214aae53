"""分<region level> (分乡镇 …): one goal across regions — ranking, contribution, trend — and a region's scorecard;
once the plan's target year has data, each region's final verdict against its own target."""

import streamlit as st

from ipdata import evaluation as E
from ipdata import inert, words
from ipdata.figures import region_chart, region_trend_chart
from ipdata.views import region_table, regions, status_table
from pages import components as ui


def render() -> None:
    plan = ui.store().plan
    ui.heading(words.regions_title(plan))
    values = ui.current_values()
    ui.demo_banner()
    places = regions(plan, values)[1:]
    if not places:
        st.info(f"当前数据中只有{plan.district}的数据。在填报模板“指标数据”表中为各{plan.region_level}增加行并上传后，"
                "这里显示分地区情况。")
        return
    frame_all = ui.status_all()
    with_regions = [g.code for g in plan.goals
                    if ((frame_all["code"] == g.code) & (frame_all["region"] != plan.district)
                        & frame_all["latest_value"].notna()).any()]
    code = st.selectbox("指标", with_regions, format_func=lambda c: plan.goal(c).name, key="region_goal")
    final = E.is_final(plan, ui.status())  # the target year's data are in: verdicts on each own target
    a, b = st.columns(2)
    name = plan.goal(code).name
    ui.chart(region_chart(plan, code, frame_all, demo=ui.is_demo(), final=final), "region_rank", f"{name}_分地区排名", a)
    ui.chart(region_trend_chart(plan, code, values, places, demo=ui.is_demo()), "region_trend", f"{name}_分地区趋势", b)
    ui.table((E.region_goal_table if final else region_table)(plan, code, frame_all))
    if final:
        verdicts = E.region_verdicts(plan, frame_all)
        st.markdown(f"#### 各{plan.region_level}终期评估（对照各自的分解目标）")
        ui.table(E.region_summary(verdicts))
    st.markdown("#### 地区记分卡")
    region = st.selectbox("地区", places, key="region_card")
    if final:
        mine = [v for v in verdicts if v.region == region]
        if mine:
            ui.table(E.verdict_table(mine, regions=True))
        else:
            st.info(f"{inert.markdown(region)}没有分解目标，终期不单独评价。")
        return
    mine = frame_all[(frame_all["region"] == region) & frame_all["latest_value"].notna()]
    ui.table(status_table(plan, mine))


ui.guarded(render)
