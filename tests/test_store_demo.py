"""Demo and official data never mix; an upload's warnings are kept with its revision."""

import pytest
from store_helpers import new_store, rows, upload

from ipdata.errors import IpdataError, Problem

DEMO_VALUES = """
series,region,year,value
gdp,全区,2021,1350
gdp,全区,2022,1420
population,全区,2021,125
hv_invention_per10k,川姜镇,2024,6.6
"""
DEMO_TARGETS = "series,region,year,target\nhv_invention_per10k,川姜镇,2025,8\nip_standard_units_new,川姜镇,2025,10"
DEMO_TASKS = "task_id,status\n一.1.1,已完成\n二.3.1,推进中\n二.2.1,未启动"
# 4 values + 2 targets + 3 task statuses
N_DEMO = 9

# Official 2025 figures; gdp/全区/2021 is also a demo key (same number, other provenance).
OFFICIAL = """
series,region,year,value
gdp,全区,2021,1350
gdp,全区,2025,1700
"""


@pytest.fixture
def demo_store(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(DEMO_VALUES, DEMO_TARGETS, DEMO_TASKS, file_name="示例数据.xlsx"), user="demo", kind="demo")
    return store


def test_official_import_removes_every_demo_item_in_the_same_revision(demo_store):
    changes = demo_store.preview(upload(OFFICIAL))
    # compared with the official data only (none yet): both rows are new, the demo goes
    assert (changes.n_new, changes.n_changed, changes.n_unchanged, changes.n_removed) == (2, 0, 0, 0)
    assert changes.n_demo_removed == N_DEMO
    assert changes.summary() == "新增 2 项，修改 0 项，未变 0 项；将删除示例数据 9 项"
    assert rows(changes.rows, ["series", "year", "old", "new", "change"]) == [
        ["gdp", 2021, None, 1350.0, "new"], ["gdp", 2025, None, 1700.0, "new"]]  # the list is the file's own
    assert demo_store.latest_revision_id() == 1  # a preview writes nothing

    result = demo_store.apply(upload(OFFICIAL, file_name="2025年报.xlsx"), user="张三")

    assert result.message == "已保存为第 2 版：新增 2 项，修改 0 项，未变 0 项；已删除示例数据 9 项。"
    assert demo_store.has_demo_data() is False and demo_store.has_official_data() is True
    assert rows(demo_store.values(), ["series", "year", "value", "revision_id", "is_demo"]) == [
        ["gdp", 2021, 1350.0, 2, False], ["gdp", 2025, 1700.0, 2, False]]
    assert demo_store.targets().empty and demo_store.task_progress().empty
    assert rows(demo_store.revisions(), ["id", "kind", "n_new", "n_removed", "n_demo_removed"]) == [
        [1, "demo", 4 + 2 + 3, 0, 0], [2, "import", 2, 0, 9]]


def test_rolling_back_past_the_official_import_brings_the_demo_back(demo_store):
    demo_store.apply(upload(OFFICIAL), user="张三")  # 2
    demo_store.rollback(1, user="张三")  # 3: exact history, so the demo (and its flags) is back
    assert demo_store.has_demo_data() is True and demo_store.has_official_data() is False
    assert demo_store.values()["is_demo"].all() and len(demo_store.values()) == 4
    assert rows(demo_store.targets(), ["series", "target", "is_demo"]) == [
        ["hv_invention_per10k", 8.0, True], ["ip_standard_units_new", 10.0, True]]
    assert demo_store.task_progress()["is_demo"].tolist() == [True, True, True]
    demo_store.rollback(2, user="张三")  # 4: and forward again
    assert demo_store.has_demo_data() is False and len(demo_store.values()) == 2


def test_a_file_with_only_tasks_still_removes_the_demo_values(demo_store):
    changes = demo_store.preview(upload(tasks="task_id,status\n一.1.1,推进中"))
    assert (changes.n_new, changes.n_demo_removed) == (1, N_DEMO)
    demo_store.apply(upload(tasks="task_id,status\n一.1.1,推进中"), user="张三")
    assert demo_store.values().empty and demo_store.targets().empty
    assert rows(demo_store.task_progress(), ["task_id", "status", "is_demo"]) == [["一.1.1", "推进中", False]]


def test_an_empty_upload_leaves_the_demo_alone(demo_store):
    result = demo_store.apply(upload(), user="张三")
    assert result.noop and result.message == "文件中没有可导入的数据，未产生新版本。"
    assert demo_store.has_demo_data() and demo_store.latest_revision_id() == 1


def test_demo_over_official_data_is_refused(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(tasks="task_id,status\n一.1.1,推进中"), user="张三")  # official: one task status
    with pytest.raises(IpdataError, match="已有上传的正式数据，不能载入示例数据") as info:
        store.apply(upload(DEMO_VALUES), user="demo", kind="demo")
    assert "--db" in info.value.hint
    assert store.latest_revision_id() == 1 and store.values().empty


def test_a_task_edit_on_demo_data_is_demo_and_goes_with_it(demo_store):
    result = demo_store.apply(upload(tasks="task_id,status\n二.2.1,推进中"), user="王五", kind="task-edit")
    assert (result.changes.n_changed, result.changes.n_demo_removed) == (1, 0)
    assert demo_store.task_progress().set_index("task_id").loc["二.2.1", "is_demo"]
    assert demo_store.has_official_data() is False  # still all demo: the banner stays
    assert demo_store.preview(upload(OFFICIAL)).n_demo_removed == N_DEMO


def test_a_task_edit_on_official_data_is_official(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(OFFICIAL), user="张三")
    store.apply(upload(tasks="task_id,status\n二.2.1,推进中"), user="王五", kind="task-edit")
    assert store.task_progress()["is_demo"].tolist() == [False] and not store.has_demo_data()


def test_an_import_without_demo_data_around_removes_nothing(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(OFFICIAL), user="张三")
    changes = store.preview(upload("series,region,year,value\ngdp,全区,2025,1710"))
    assert (changes.n_changed, changes.n_demo_removed) == (1, 0)
    assert changes.summary() == "新增 0 项，修改 1 项，未变 0 项"


WARNINGS = (
    Problem("fraction-percent", "若为 0.8% 无需修改；若本意是 80%，请填 80", sheet="指标数据", row=7, column="G",
            value=0.8, severity="warning"),
    Problem("hidden-cells", "隐藏的第 9 行有数字，已导入", sheet="指标数据", severity="warning"),
)


def test_warnings_are_kept_with_the_revision(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(OFFICIAL, problems=WARNINGS), user="张三")  # 1
    store.apply(upload("series,region,year,value\ngdp,全区,2025,1710"), user="张三")  # 2, no warnings
    store.rollback(1, user="张三")  # 3
    assert store.revisions()["n_warnings"].tolist() == [2, 0, 0]
    assert rows(store.revision_warnings(1), ["code", "severity", "sheet", "cell", "value", "message"]) == [
        ["fraction-percent", "warning", "指标数据", "G7", "0.8", "若为 0.8% 无需修改；若本意是 80%，请填 80"],
        ["hidden-cells", "warning", "指标数据", None, None, "隐藏的第 9 行有数字，已导入"]]
    assert store.revision_warnings(2).empty and store.revision_warnings(3).empty
    with pytest.raises(IpdataError, match="没有第 9 版"):
        store.revision_warnings(9)


def test_a_noop_upload_keeps_no_warnings(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(OFFICIAL), user="张三")
    assert store.apply(upload(OFFICIAL, problems=WARNINGS), user="张三").noop
    assert store.revisions()["n_warnings"].tolist() == [0]
