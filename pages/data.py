"""数据管理: template and export, upload → check → preview → confirm, revision history, rollback."""

import streamlit as st

from ipdata import audit, manage, service
from ipdata.ingest import MAX_UPLOAD_BYTES
from pages import components as ui

PENDING, ROLLBACK, FLASH, UPLOADER = "data_pending", "data_rollback", "data_flash", "data_uploader"


def slot(name: str) -> str:
    """The session key of the shown plan's pending import or rollback: what was checked against
    one plan is never confirmed into another."""
    return f"{name}_{ui.shown_plan_id()}"


def done(message: str, reset_upload: bool = False) -> None:
    """Remember the message across the rerun that shows the fresh data."""
    st.session_state[FLASH] = message
    st.session_state.pop(slot(PENDING if reset_upload else ROLLBACK), None)
    if reset_upload:
        st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1  # a fresh, empty uploader
    st.rerun()


def show_changes(changes) -> None:
    c = st.columns(4 if changes.n_removed else 3)
    for col, (label, n) in zip(c, [("新增", changes.n_new), ("修改", changes.n_changed),
                                   ("未变", changes.n_unchanged), ("删除", changes.n_removed)], strict=False):
        col.metric(label, n)
    st.dataframe(manage.change_table(changes), hide_index=True, width="stretch")
    with st.expander(f"未变的 {changes.n_unchanged} 项"):
        st.dataframe(manage.change_table(changes, ("unchanged",)), hide_index=True, width="stretch")


def show_problems(report) -> None:
    """Errors and warnings in two labelled tables: errors refuse the file, warnings only inform."""
    st.markdown(f"**检查结果**：{len(report.errors)} 个错误，{len(report.warnings)} 个警告")
    for severity, title in (("error", ":red[**错误**]（必须修改：有错误的文件整份不导入）"),
                            ("warning", ":orange[**警告**]（请逐条核对：警告不阻止导入）")):
        table = manage.problem_table(report, severity).drop(columns="级别")
        if not table.empty:
            st.markdown(title)
            st.dataframe(table, hide_index=True, width="stretch")


def upload_section(s) -> None:
    st.subheader("上传数据")
    if (user := ui.need_role()) is None:
        return None
    st.caption(manage.upload_help(MAX_UPLOAD_BYTES))
    file = st.file_uploader("选择填好的表格文件（.xlsx、.xlsm、.xls、.ods）", type=list(manage.UPLOAD_TYPES),
                            key=f"upload_{st.session_state.get(UPLOADER, 0)}")
    if file is None:
        return st.session_state.pop(slot(PENDING), None)
    data, pending = file.getvalue(), st.session_state.get(slot(PENDING))
    stale = pending is not None and pending.sha256 == manage.sha256(data) and manage.is_stale(s, pending)
    if pending is None or pending.sha256 != manage.sha256(data) or stale:
        pending = st.session_state[slot(PENDING)] = manage.prepare_import(s, data, file.name)
    show_problems(pending.upload.report)
    if not pending.valid:
        return ui.show_error(pending.refusal())
    if pending.noop:
        return st.info(pending.noop_message(s))
    st.markdown("**将要发生的变化**")
    show_changes(pending.changes)
    if notice := manage.demo_removal_notice(pending.changes):
        st.warning(notice, icon=":material/delete_sweep:")
    # a fresh tick for every file: ticking one file's warnings never confirms another's
    checked = not pending.warnings or st.checkbox(manage.WARNINGS_CHECKED, key=f"warnings_checked_{pending.sha256}")
    comment = st.text_input("说明（可选，随版本保存）", key="import_comment",
                            placeholder=f"例如：{s.plan.base_year + 1}年年报；警告中的数据已与填报单位核实")
    if stale:  # someone saved since the preview: never apply what the user has not seen
        st.warning("预览之后数据已有变化，上面是重新检查的结果，请核对后再确认。")
    if not checked:
        st.caption(f"文件有 {pending.warnings} 个警告：逐条核对后勾选“{manage.WARNINGS_CHECKED}”，才能确认导入。")
    if st.button(f"确认导入（操作人：{user.name}）", type="primary", disabled=not checked) and not stale:
        done(manage.confirm_import(s, pending, user, comment, warnings_checked=checked).message, reset_upload=True)


def warnings_section(s, revisions) -> None:
    """Read the warnings any earlier import was saved with."""
    options = manage.warning_revisions(revisions)
    if not options:
        return
    with st.expander(f"导入时的警告（{len(options)} 个版本）"):
        n = st.selectbox("查看哪一版导入时的警告", list(options), format_func=options.get, key="warnings_of")
        st.dataframe(manage.revision_warning_table(s, n), hide_index=True, width="stretch")


def rollback_section(s, revisions) -> None:
    st.subheader("回滚")
    options = manage.rollback_options(revisions)
    if not options:
        return st.caption("至少有两个版本时才能回滚。")
    if (user := ui.need_role(action="回滚数据")) is None:
        return None
    n = st.selectbox("恢复到哪一版之后的数据", list(options), format_func=options.get, key="rollback_to")
    if st.button("查看回滚会改变什么"):
        st.session_state[slot(ROLLBACK)] = manage.preview_rollback(s, n)
    preview = st.session_state.get(slot(ROLLBACK))
    if preview is None or preview.target != n:
        return
    if stale := manage.is_stale(s, preview):
        preview = st.session_state[slot(ROLLBACK)] = manage.preview_rollback(s, n)
        st.warning("预览之后数据已有变化，下面是重新计算的结果，请核对后再确认。")
    show_changes(preview.changes)
    if st.button(f"确认回滚到第 {n} 版（操作人：{user.name}）", type="primary") and not stale:
        done(service.rollback(s, n, user, comment=f"回滚到第 {n} 版").message)


def render() -> None:
    s = ui.store()
    ui.heading("数据管理", level=1)
    ui.demo_banner()
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")
    left, right = st.columns(2)
    left.download_button("下载填报模板", ui.from_store(lambda: manage.template_bytes(s)),
                         manage.template_file_name(s.plan), on_click="ignore")
    people = audit.may_see_people(ui.current_user())  # operators, files, logins: not for visitors
    right.download_button("导出全部数据", ui.from_store(lambda: manage.export_bytes(s, people)),
                          manage.export_file_name(s.plan, demo=ui.is_demo()),
                          on_click="ignore")
    upload_section(s)
    st.subheader("版本记录")
    revisions = s.revisions()
    if revisions.empty:
        return st.info("还没有任何版本。下载填报模板，填写后在上方上传；每次导入保存为一个新版本，可随时回滚。")
    st.dataframe(audit.revision_log(revisions, people)[::-1], hide_index=True, width="stretch")
    warnings_section(s, revisions)
    if people:
        with st.expander("操作记录（导入、回滚、任务修改、登录和用户变更）"):
            st.dataframe(audit.audit_table(audit.events(s))[::-1], hide_index=True, width="stretch")
    else:
        st.caption("操作人、文件名、说明和操作记录（含登录和用户变更）仅统计人员和管理员登录后可见。")
    rollback_section(s, revisions)


ui.guarded(render)
