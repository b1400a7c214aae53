"""重点任务 core: table, units, filters, edits saved as task-edit revisions (plain pytest)."""

import datetime as dt

import pandas as pd
import pytest

from ipdata import service, tasks
from ipdata.auth import STATISTICIAN, PermissionDenied, User
from ipdata.catalogue import load_plan
from ipdata.demo import demo_tasks
from ipdata.errors import IpdataError

PLAN = load_plan("tongzhou-2022-2025")
TODAY = dt.date(2025, 3, 1)
NO_PROGRESS = pd.DataFrame(columns=["task_id", "status", "note", "updated", "revision_id"])


STAT = User("张三", STATISTICIAN)


def edits(*rows: tuple[str, str | None, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["编号", "状态", "进展说明"])


def test_units_in_order_of_first_mention():
    units = tasks.units(PLAN)
    assert units[:4] == ["区市场监管局(知识产权局)", "区知识产权工作领导小组成员单位", "南通高新区", "各镇(街道)"]
    assert len(units) == len(set(units)) == 17
    assert units[-1] == "区委组织部"


def test_task_table_on_demo_progress():
    table = tasks.task_table(PLAN, demo_tasks(PLAN))
    assert list(table.columns) == tasks.TABLE_COLUMNS
    assert len(table) == 27 and table["编号"].iloc[0] == "一.1.1" and table["编号"].iloc[-1] == "六.2.1"
    row = table.set_index("编号").loc["二.3.1"]
    assert (row["部分"], row["任务"], row["牵头单位"], row["责任单位"], row["状态"], row["更新日期"]) == (
        "（二）促进知识产权创造", "3. 实施精品版权培育工程", "", "区新闻出版局、川姜镇", "推进中", "2024-12-31")
    assert row["内容"] == "鼓励文化内容和工业制造两大领域的原始创作和衍生开发,支持优秀作品创作,培育一批精……"  # first 40 characters
    assert row["全文"].endswith("实现快登快查。")
    # demo cycle 已完成,推进中,推进中,已完成,推进中,未启动 over 27 paragraphs
    assert tasks.status_counts(table) == {"未启动": 4, "推进中": 14, "已完成": 9}


def test_task_table_without_progress_says_not_reported():
    table = tasks.task_table(PLAN, NO_PROGRESS)
    assert set(table["状态"]) == {"未填报"} and set(table["进展说明"]) == {""}
    assert tasks.status_counts(table) == {"未启动": 0, "推进中": 0, "已完成": 0, "未填报": 27}


@pytest.mark.parametrize(("unit", "statuses", "expected"), [
    ("区新闻出版局", None, ["二.3.1", "二.3.2"]),
    ("区新闻出版局", ["已完成"], ["二.3.2"]),
    ("区委组织部", None, ["六.1.1", "六.2.1"]),
    ("区司法局", None, ["四.5.1"]),
    ("中国南通(家纺)知识产权快速维权中心", None, ["四.4.1", "四.5.1", "四.6.1"]),  # by duty, by duty, lead
    (None, ["未启动"], ["二.2.1", "三.2.1", "四.3.1", "五.2.1"]),
])
def test_filter_by_unit_and_status(unit, statuses, expected):
    table = tasks.task_table(PLAN, demo_tasks(PLAN))
    assert tasks.filter_tasks(table, PLAN, unit, statuses)["编号"].tolist() == expected


def test_status_colours_cover_every_status():
    assert set(tasks.TASK_STATUS_COLOURS) == {"未启动", "推进中", "已完成", "未填报"}
    assert len(set(tasks.TASK_STATUS_COLOURS.values())) == 4


def test_edit_upload_keeps_only_changed_rows_dated_today():
    progress = demo_tasks(PLAN)
    upload = tasks.edit_upload(PLAN, edits(
        ("二.3.1", "已完成", "已完成培育"),   # changed status and note
        ("二.3.2", "已完成", "示例：已按计划完成。"),  # as stored: left out
        ("一.1.1", "已完成", "新说明"),       # note only
    ), progress, TODAY)
    assert upload.report.valid
    assert upload.tasks[["task_id", "status", "note", "updated"]].values.tolist() == [
        ["二.3.1", "已完成", "已完成培育", "2025-03-01"], ["一.1.1", "已完成", "新说明", "2025-03-01"]]
    assert upload.observations.empty and upload.targets.empty


def test_edit_upload_problems_are_located():
    upload = tasks.edit_upload(PLAN, edits(
        ("九.9.9", "已完成", None), ("二.3.1", "暂停", None), ("二.2.1", None, "有说明没状态"),
    ), NO_PROGRESS, TODAY)
    assert upload.report.flatten(["sheet", "row", "code"]) == [
        ["重点任务", 1, "task-unknown-id"], ["重点任务", 2, "task-bad-status"], ["重点任务", 3, "task-missing-status"]]
    assert upload.tasks.empty


def test_save_task_edits_is_a_revision_that_rolls_back(db_path):
    store = service.open_store(db_path)
    service.load_demo(store)
    result = tasks.save_task_edits(store, edits(("二.3.1", "已完成", "已完成培育")), STAT, "季度更新", TODAY)
    assert (result.revision_id, result.changes.n_changed) == (2, 1)
    rev = store.revisions().iloc[-1]
    assert (rev["kind"], rev["user"], rev["comment"], rev["file_name"]) == ("task-edit", "张三", "季度更新", "")
    row = store.task_progress().set_index("task_id").loc["二.3.1"]
    assert (row["status"], row["note"], row["updated"]) == ("已完成", "已完成培育", "2025-03-01")
    assert len(store.values()) > 0 and store.has_demo_data()  # values untouched by a task edit
    store.rollback(1, user="张三")
    assert store.task_progress().set_index("task_id").loc["二.3.1", "status"] == "推进中"


def test_save_task_edits_refusals_store_nothing(db_path):
    store = service.open_store(db_path)
    service.load_demo(store)
    with pytest.raises(PermissionDenied, match="未登录的访客无权修改任务进度"):
        tasks.save_task_edits(store, edits(("二.3.1", "已完成", None)), None, today=TODAY)
    with pytest.raises(IpdataError, match="1 处问题") as info:
        tasks.save_task_edits(store, edits(("二.3.1", "暂停", None)), STAT, today=TODAY)
    assert [p.code for p in info.value.problems] == ["task-bad-status"]
    unchanged = tasks.save_task_edits(store, edits(("二.3.1", "推进中", "示例：按序时推进中。")), STAT, today=TODAY)
    assert unchanged.noop and "没有修改" in unchanged.message
    assert store.latest_revision_id() == 1
