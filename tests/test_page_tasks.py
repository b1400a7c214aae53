"""重点任务 page via AppTest on a real DuckDB file: sections, counts, filters, edits as revisions."""

from streamlit.testing.v1 import AppTest

from ipdata import service
from ipdata.auth import STATISTICIAN, User
from tests.conftest import metrics, run_page


def page(user: User | None = None) -> AppTest:
    return run_page("tasks.py", user)


def shown_ids(at: AppTest) -> list[str]:
    """编号 of the read-only section tables (the editor is the last dataframe)."""
    return [i for d in at.dataframe if d.editing_mode == "read_only" for i in d.value["编号"]]


def test_renders_on_demo_data(store):
    service.load_demo(store)
    at = page()
    assert not at.exception and not at.error
    assert any("示例数据" in w.value for w in at.warning)
    assert metrics(at) == {"未启动": "4", "推进中": "14", "已完成": "9"}
    assert [h.value for h in at.subheader] == [
        "（一）加强知识产权规划", "（二）促进知识产权创造", "（三）强化知识产权运用",
        "（四）加大知识产权保护", "（五）强化知识产权服务", "（六）培养知识产权人才"]
    assert len(shown_ids(at)) == 27
    first = at.dataframe[0].value
    # 任务 and 状态 first, both pinned: on a phone the status is never beyond the right edge
    assert list(first.columns) == ["任务", "状态", "编号", "内容", "牵头单位", "责任单位", "进展说明", "更新日期"]
    assert first.iloc[0][["编号", "牵头单位", "状态"]].tolist() == ["一.1.1", "区市场监管局(知识产权局)", "已完成"]


def test_renders_on_empty_store(store):
    at = page()
    assert not at.exception and not at.error
    assert not any("示例数据" in w.value for w in at.warning)
    assert any("还没有任何任务进度" in i.value for i in at.info)
    assert metrics(at) == {"未启动": "0", "推进中": "0", "已完成": "0", "未填报": "27"}


def test_filter_by_unit_and_status(store):
    service.load_demo(store)
    at = page()
    at.selectbox(key="task_unit").set_value("区新闻出版局")
    at.run()
    assert shown_ids(at) == ["二.3.1", "二.3.2"]
    assert [h.value for h in at.subheader] == ["（二）促进知识产权创造"]
    at.multiselect(key="task_status").set_value(["已完成"])
    at.run()
    assert shown_ids(at) == ["二.3.2"]
    at.selectbox(key="task_unit").set_value(None)
    at.multiselect(key="task_status").set_value(["未启动"])
    at.run()
    assert shown_ids(at) == ["二.2.1", "三.2.1", "四.3.1", "五.2.1"]


def test_edit_status_and_note_is_a_task_edit_revision(store):
    service.load_demo(store)
    assert not page().data_editor  # a viewer sees the tasks but no editor
    at = page(User("王五", STATISTICIAN))
    at.selectbox(key="task_unit").set_value("区新闻出版局")
    at.run()
    [editor] = at.data_editor
    assert editor.value["编号"].tolist() == ["二.3.1", "二.3.2"]
    # the editor's key names the plan: edits made to one plan's rows never apply to another's
    at.session_state["task_editor_tongzhou-2022-2025_区新闻出版局_"] = {
        "edited_rows": {0: {"状态": "已完成", "进展说明": "已遴选精品版权作品 12 件"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    [save] = [b for b in at.button if b.label == "保存修改（操作人：王五）"]
    save.click()
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已保存为第 2 版：新增 0 项，修改 1 项，未变 0 项。"]
    rev = store.revisions().iloc[-1]
    assert (rev["id"], rev["kind"], rev["user"]) == (2, "task-edit", "王五")
    row = store.task_progress().set_index("task_id").loc["二.3.1"]
    assert (row["status"], row["note"]) == ("已完成", "已遴选精品版权作品 12 件")
    assert metrics(at) == {"未启动": "4", "推进中": "13", "已完成": "10"}  # the page shows fresh data
    assert store.task_progress().set_index("task_id").loc["二.3.2", "status"] == "已完成"  # untouched
