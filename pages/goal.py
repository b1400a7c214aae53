"""指标详情: one goal's trend against its target, both methods, the evidence (依据) and notes, the data."""

import streamlit as st

from ipdata import audit, history, inert
from ipdata.evaluation import final_verdict
from ipdata.evidence import evidence
from ipdata.figures import goal_chart
from ipdata.views import goal_data_table, goal_definition, methods_table, milestone_rule, regions
from pages import components as ui


def render() -> None:
    plan = ui.store().plan
    codes = [g.code for g in plan.goals]
    wanted = st.query_params.get("code")
    left, right, plans = st.columns([3, 1, 2], vertical_alignment="bottom")
    ui.plan_switcher(plans)
    code = left.selectbox("指标", codes, index=codes.index(wanted) if wanted in codes else 0,
                          format_func=lambda c: f"{plan.goal(c).category}｜{plan.goal(c).name}", key="goal_code")
    st.query_params["code"] = code
    values = ui.current_values()
    region = right.selectbox("地区", regions(plan, values), key="goal_region")
    ui.demo_banner()
    goal = plan.goal(code)
    row = ui.status(region).set_index("code").loc[code]
    verdict = final_verdict(plan, row.to_dict() | {"code": code}, ui.status())
    nature = f"　<small>{goal.nature}</small>" if goal.nature else ""  # 约束性/预期性 (checked words)
    badge = ui.status_badge(verdict.verdict if verdict else row["status"])  # the tile's word, once final too
    st.markdown(f"### {goal.name}　{badge}{nature}", unsafe_allow_html=True)
    if verdict:
        st.markdown(f"**终期结论：{verdict.verdict}**（{inert.markdown(verdict.reason)}）")
    st.markdown(inert.markdown(row["narrative"]))  # it names the region, which an upload names
    if row["notes"]:
        st.caption(inert.markdown(row["notes"]))
    noted = ui.notes_of(code)
    ui.chart(goal_chart(plan, code, values, row, region=region, demo=ui.is_demo(), notes=noted), "goal_chart",
             f"{goal.name}_{region}")
    a, b = st.columns(2)
    with a:
        if goal.is_rank:  # a position: no 序时进度 and no Eurostat class to compare (trajectory/rank.py)
            st.markdown("**排名目标**")
            st.markdown(inert.markdown(f"在{goal.peers}中进入{goal.tier}（前{int(goal.target or 0)}名）即达成；"
                                       "名次越小越好，不计算完成进度、序时进度和预测。"))
        elif goal.kind == "milestone":  # built or not: a percentage of it would mean nothing
            st.markdown("**建设类目标**")
            st.markdown(inert.markdown(milestone_rule(plan, goal)))
        else:
            st.markdown("**两种方法的评估**")
            ui.table(methods_table(row))
    with b:
        st.markdown("**定义与规划原文**")
        st.markdown("\n".join(f"- **{k}**：{v}" for k, v in goal_definition(plan, code)))
    st.markdown("**依据**")  # 口径, sources of the values used, 责任单位, the rule applied, notes: typed by people
    st.markdown("\n".join(f"- **{k}**：{inert.markdown(v)}" for k, v in evidence(plan, code, row, values, noted, region).items()))
    ui.notes_form(code)
    people = audit.may_see_people(ui.current_user())  # operators and file names: not for visitors
    st.markdown("**数据（含来源、备注和最后修改它的版本）**")
    revs = ui.revisions() if people else ui.revisions().assign(file_name=None)
    table = goal_data_table(plan, code, values, revs, region)
    ui.table(table)  # figures already rounded by the goal's rule (ipdata.rounding)
    st.markdown(f"**变化记录**（写入本指标数据的最近{history.HISTORY_LIMIT}个版本中改变了它的各版，最新的在前）")
    steps = history.goal_history(ui.store(), code, region)
    if steps:
        ui.table(history.history_table(steps, people))
    else:
        st.caption("还没有版本改变过这个指标。")


ui.guarded(render)
