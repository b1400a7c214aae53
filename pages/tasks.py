"""<the plan's tasks heading> (重点任务, 主要任务 …): the plan's task paragraphs with status and progress; statisticians edit them here."""

import streamlit as st

from ipdata import tasks, words
from pages import components as ui

FLASH = "tasks_flash"
HIDDEN = ["全文", "部分"]


def colour_status(table):
    """The status cell coloured as everywhere else; the label stays in the text."""
    return table.style.map(lambda s: f"background-color: {tasks.TASK_STATUS_COLOURS.get(s, '')}40",
                           subset=["状态"])


def edit_section(s, shown, key: str) -> None:
    with st.expander("编辑状态和进展说明（统计人员）"):
        if (user := ui.need_role(action="修改任务进度")) is None:
            return
        st.caption("修改下表的状态或进展说明后保存；保存为一个新版本，可在“数据管理”回滚。")
        editor = st.data_editor(
            shown[["编号", "任务", "状态", "进展说明"]].replace({"状态": {tasks.NOT_REPORTED: None}}), key=key, hide_index=True, width="stretch",
            disabled=["编号", "任务"], column_config={
                "状态": st.column_config.SelectboxColumn("状态", options=list(tasks.TASK_STATUSES)),
                "进展说明": st.column_config.TextColumn("进展说明", width="large")})
        comment = st.text_input("说明", key="task_comment")
        if st.button(f"保存修改（操作人：{user.name}）", type="primary"):
            result = tasks.save_task_edits(s, editor, user, comment)
            st.session_state[FLASH] = result.message
            st.session_state.pop(key, None)
            st.rerun()


def render() -> None:
    s = ui.store()
    plan = s.plan
    name = words.tasks_name(plan)
    ui.heading(name, level=1)
    if not plan.tasks:
        ui.demo_banner()
        return st.info(f"{plan.title}没有列出{name}，这里没有需要跟踪的任务。", icon=":material/info:")
    st.caption(f"{plan.title}“{plan.tasks_heading}”：{plan.task_count()} 项任务，共 {len(plan.tasks)} 段")
    ui.demo_banner()
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")
    progress = s.task_progress()
    table = tasks.task_table(plan, progress)
    if progress.empty:
        st.info("还没有任何任务进度。可在下方“编辑状态和进展说明”中填写，或在填报模板的“任务进度”表填写后到“数据管理”上传。")
    for col, (status, n) in zip(st.columns(4), tasks.status_counts(table).items(), strict=False):
        col.metric(status, n)
    left, right = st.columns(2)
    unit = left.selectbox("责任单位", tasks.units(plan), index=None, placeholder="全部单位", key="task_unit")
    statuses = right.multiselect("状态", list(tasks.STATUS_ORDER), placeholder="全部状态", key="task_status")
    shown = tasks.filter_tasks(table, plan, unit, statuses)
    st.caption(f"显示 {len(shown)} / {len(table)} 段")
    for section, rows in shown.groupby("部分", sort=False):
        st.subheader(section)
        ui.table(rows.drop(columns=HIDDEN), style=colour_status)
        with st.expander("任务全文"):
            for r in rows.itertuples():
                st.markdown(f"**{r.编号} {r.任务}**：{r.全文}")
    edit_section(s, shown, key=f"task_editor_{plan.id}_{unit}_{'/'.join(statuses)}")  # edits belong to one filter


ui.guarded(render)
