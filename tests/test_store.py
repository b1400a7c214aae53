"""Store basics: a new file, apply/merge/no-op, refusals, demo flag, reopening."""

import dataclasses

import duckdb
import pandas as pd
import pytest
from store_helpers import current_state, new_store, plan, rows, upload

from ipdata.errors import IpdataError, Problem
from ipdata.store import SCHEMA_VERSION, Store

FIRST = """
series,region,year,value,source,note
population,全区,2021,120.5,统计年鉴,
gdp,全区,2021,1300,,初步数
hv_invention_count,金沙街道,2022,40,,
"""

# vs FIRST: population changed, gdp unchanged except its note, hv_invention_count absent
# (kept: an upload merges), two new keys.
SECOND = """
series,region,year,value,source,note
population,全区,2021,121.0,统计年鉴,
gdp,全区,2021,1300,,正式数
gdp,全区,2022,1400,,
overseas_patents_new,全区,2022,8,,
"""


@pytest.fixture
def store(tmp_path):
    return new_store(tmp_path / "ipdata.duckdb")


def test_new_store_has_catalogue_and_no_values(store):
    p = plan()
    cat = store.catalogue()
    assert (cat["kind"] == "goal").sum() == len(p.goals)
    assert (cat["kind"] == "task").sum() == len(p.tasks)
    assert set(cat.loc[cat["kind"] == "series", "code"]) == set(p.all_series)
    assert cat.set_index(["kind", "code"]).loc[("series", "gdp"), "name"] == "地区生产总值"
    assert store.values().empty and store.targets().empty and store.task_progress().empty
    assert store.revisions().empty
    assert store.latest_revision_id() == 0
    assert store.has_demo_data() is False
    assert list(store.values().columns) == [
        "series", "region", "year", "value", "source", "note", "revision_id", "is_demo"]
    assert list(store.targets().columns) == ["series", "region", "year", "target", "note", "revision_id", "is_demo"]
    assert list(store.task_progress().columns) == ["task_id", "status", "note", "updated", "revision_id", "is_demo"]


def test_meta_records_schema_version_and_plans_the_plan(store):
    with duckdb.connect(str(store.path)) as con:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        held = con.execute("SELECT id, base_year, target_year, digest FROM plans").fetchall()
    assert meta["schema_version"] == str(SCHEMA_VERSION) and "plan_id" not in meta  # a store holds many plans
    assert held == [("tongzhou-2022-2025", 2021, 2025, plan().digest)]


def test_apply_stores_values(store):
    result = store.apply(upload(FIRST, file_name="2022年数据.xlsx"), user="张三", comment="首次导入")
    assert result.revision_id == 1 and not result.noop
    assert result.message == "已保存为第 1 版：新增 3 项，修改 0 项，未变 0 项。"
    assert rows(store.values(), ["series", "region", "year", "value", "source", "note", "revision_id"]) == [
        ["gdp", "全区", 2021, 1300.0, None, "初步数", 1],
        ["hv_invention_count", "金沙街道", 2022, 40.0, None, None, 1],
        ["population", "全区", 2021, 120.5, "统计年鉴", None, 1],
    ]
    rev = store.revisions()
    assert rows(rev, ["id", "user", "file_name", "comment", "kind", "n_new", "n_changed", "n_removed"]) == [
        [1, "张三", "2022年数据.xlsx", "首次导入", "import", 3, 0, 0]
    ]
    assert rev.loc[0, "created_at"].endswith("+00:00")
    assert len(rev.loc[0, "sha256"]) == 64
    assert store.latest_revision_id() == 1


def test_second_apply_merges_and_counts(store):
    store.apply(upload(FIRST), user="张三")
    preview = store.preview(upload(SECOND))
    assert (preview.n_new, preview.n_changed, preview.n_unchanged) == (2, 2, 0)
    assert rows(preview.rows, ["table", "series", "year", "name", "unit", "old", "new", "change", "fields"]) == [
        ["values", "gdp", 2021, "地区生产总值", "亿元", 1300.0, 1300.0, "changed", "note"],
        ["values", "gdp", 2022, "地区生产总值", "亿元", None, 1400.0, "new", None],
        ["values", "overseas_patents_new", 2022, "新增海外专利授权", "件", None, 8.0, "new", None],
        ["values", "population", 2021, "常住人口", "万人", 120.5, 121.0, "changed", "value"],
    ]
    assert store.latest_revision_id() == 1  # preview wrote nothing

    result = store.apply(upload(SECOND), user="李四")
    assert result.message == "已保存为第 2 版：新增 2 项，修改 2 项，未变 0 项。"
    assert rows(store.values(), ["series", "year", "value", "note", "revision_id"]) == [
        ["gdp", 2021, 1300.0, "正式数", 2],
        ["gdp", 2022, 1400.0, None, 2],
        ["hv_invention_count", 2022, 40.0, None, 1],  # absent from SECOND, kept
        ["overseas_patents_new", 2022, 8.0, None, 2],
        ["population", 2021, 121.0, None, 2],
    ]
    # only the delta is written: 3 rows in revision 1 + 4 in revision 2
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT revision_id, count(*) FROM observations GROUP BY 1 ORDER BY 1").fetchall() == [
            (1, 3), (2, 4)]


def test_unchanged_rows_are_counted(store):
    store.apply(upload(FIRST), user="a")
    third = """
    series,region,year,value,source,note
    population,全区,2021,120.5,统计年鉴,
    gdp,全区,2021,1300.0000000001,,初步数
    hv_invention_count,金沙街道,2022,41,,
    """
    changes = store.preview(upload(third))
    # 1300.0000000001 is within the 1e-9 relative tolerance of 1300
    assert (changes.n_new, changes.n_changed, changes.n_unchanged) == (0, 1, 2)
    assert store.apply(upload(third), user="a").message == "已保存为第 2 版：新增 0 项，修改 1 项，未变 2 项。"


def test_value_beyond_tolerance_is_a_change(store):
    store.apply(upload("series,region,year,value\ngdp,全区,2021,1000"), user="a")
    changes = store.preview(upload("series,region,year,value\ngdp,全区,2021,1000.00001"))
    assert changes.n_changed == 1


def test_identical_reapply_is_noop(store):
    store.apply(upload(FIRST), user="a")
    store.apply(upload(SECOND), user="a")
    before = store.revisions()
    result = store.apply(upload(SECOND), user="b")
    assert result.noop and result.revision_id is None
    assert result.message == "文件内容与当前数据完全相同，未产生新版本（与第 2 版导入的文件相同）。"
    assert result.changes.is_noop and result.changes.n_unchanged == 4
    pd.testing.assert_frame_equal(store.revisions(), before)


def test_noop_from_a_different_file_does_not_claim_same_file(store):
    store.apply(upload(FIRST), user="a")
    same_values = upload(FIRST + "\n")  # different bytes, same content
    result = store.apply(same_values, user="a")
    assert result.message == "文件内容与当前数据完全相同，未产生新版本。"


def test_empty_upload_is_noop(store):
    result = store.apply(upload(), user="a")
    assert result.noop
    assert result.message == "文件中没有可导入的数据，未产生新版本。"
    assert store.latest_revision_id() == 0


def test_invalid_report_refuses_and_changes_nothing(store):
    store.apply(upload(FIRST), user="a")
    before = (current_state(store), store.revisions())
    bad = upload(SECOND, problems=(
        Problem("bad-number", "“abc”不是数字", sheet="指标数据", row=5, column="F", value="abc"),
        Problem("unknown-region", "地区名称无法识别", sheet="指标数据", row=6, column="B"),
        Problem("odd-year", "年份较早", severity="warning"),
    ))
    with pytest.raises(IpdataError) as err:
        store.apply(bad, user="a")
    assert err.value.message == "文件有 2 个错误，未导入任何数据"
    assert [p.code for p in err.value.problems] == ["bad-number", "unknown-region"]
    after = (current_state(store), store.revisions())
    for k in before[0]:
        pd.testing.assert_frame_equal(after[0][k], before[0][k])
    pd.testing.assert_frame_equal(after[1], before[1])


def test_blank_user_is_recorded_as_unsigned(store):
    store.apply(upload(FIRST), user="  ")
    assert store.revisions()["user"].tolist() == ["未署名"]


def test_warnings_alone_do_not_block(store):
    ok = upload(FIRST, problems=(Problem("odd-year", "年份较早", severity="warning"),))
    assert store.apply(ok, user="a").revision_id == 1


@pytest.mark.parametrize(
    ("values", "codes"),
    [
        ("series,region,year,value\nno_such_series,全区,2021,1", ["store-unknown-code"]),
        ("series,region,year,value\ngdp,全区,2021,1\ngdp,全区,2021,2", ["store-duplicate-key"]),
        ("series,region,year,value\ngdp,全区,2021,", ["store-missing-value"]),
        ("series,region,year,value\ngdp,,2021,5", ["store-missing-key"]),
    ],
)
def test_contract_violations_are_located_problems(store, values, codes):
    with pytest.raises(IpdataError) as err:
        store.apply(upload(values), user="a")
    assert [p.code for p in err.value.problems] == codes
    assert err.value.problems[0].sheet == "指标数据" and err.value.problems[0].column == "C"
    assert store.latest_revision_id() == 0


def test_targets_and_tasks_round_trip(store):
    result = store.apply(
        upload(
            targets="series,region,year,target,note\nhv_invention_per10k,金沙街道,2025,20,",
            tasks="task_id,status,note,updated\n一.1.1,推进中,已成立领导小组,2023-05\n二.2.3,未启动,,",
        ),
        user="王五",
        kind="task-edit",
    )
    assert result.message == "已保存为第 1 版：新增 3 项，修改 0 项，未变 0 项。"
    assert rows(store.targets(), ["series", "region", "year", "target", "revision_id"]) == [
        ["hv_invention_per10k", "金沙街道", 2025, 20.0, 1]]
    assert rows(store.task_progress(), ["task_id", "status", "note", "updated"]) == [
        ["一.1.1", "推进中", "已成立领导小组", "2023-05"], ["二.2.3", "未启动", None, None]]
    assert store.revisions().loc[0, "kind"] == "task-edit"
    changes = store.preview(upload(tasks="task_id,status\n一.1.1,已完成"))
    assert rows(changes.rows, ["table", "task_id", "name", "old", "new", "change", "fields"]) == [
        ["tasks", "一.1.1", "强化示范创建组织领导", "推进中", "已完成", "changed", "status,note,updated"]]


def test_blank_text_equals_missing_text(store):
    store.apply(upload("series,region,year,value,note\ngdp,全区,2021,1,"), user="a")
    up = upload("series,region,year,value,note\ngdp,全区,2021,1,x")
    up.observations.loc[0, "note"] = "   "
    assert store.preview(up).n_unchanged == 1


def test_demo_flag(store):
    store.apply(upload(FIRST, targets="series,region,year,target\nhv_invention_per10k,川姜镇,2025,8",
                       tasks="task_id,status\n一.1.1,推进中"), user="演示", kind="demo")
    assert store.has_demo_data() is True and store.has_official_data() is False
    assert store.values()["is_demo"].tolist() == [True, True, True]
    assert store.targets()["is_demo"].tolist() == [True] and store.task_progress()["is_demo"].tolist() == [True]
    assert store.revisions().loc[0, "kind"] == "demo"
    # demo over demo merges like any upload (tests/test_store_demo.py: official data over demo)
    changes = store.preview(upload(FIRST.replace("金沙街道,2022,40", "金沙街道,2022,42")), kind="demo")
    assert (changes.n_changed, changes.n_unchanged, changes.n_demo_removed) == (1, 2, 0)


def test_unknown_kind_is_a_programming_error(store):
    with pytest.raises(ValueError):
        store.apply(upload(FIRST), user="a", kind="rollback")


def test_reopened_store_sees_the_same(tmp_path):
    first = new_store(tmp_path / "db.duckdb")
    first.apply(upload(FIRST), user="a")
    second = Store(tmp_path / "db.duckdb", plan())
    pd.testing.assert_frame_equal(second.values(), first.values())
    pd.testing.assert_frame_equal(second.revisions(), first.revisions())
    second.apply(upload(SECOND), user="b")
    assert first.latest_revision_id() == 2
    assert len(first.values()) == 5


def test_store_for_another_plan_registers_it_and_shares_the_values(tmp_path):
    # issue 13: one store holds many plans (it used to refuse a second one); see test_store_plans.py
    first = new_store(tmp_path / "db.duckdb")
    first.apply(upload(FIRST), user="a")
    other = Store(tmp_path / "db.duckdb", dataclasses.replace(plan(), id="other-plan"))
    assert [p.id for p in other.plans()] == ["other-plan", "tongzhou-2022-2025"]
    pd.testing.assert_frame_equal(other.values(), first.values())


def test_not_a_database_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(IpdataError, match="数据库文件已损坏或不是 DuckDB 数据库，无法读取") as err:
        Store(bad, plan())
    assert "从最近的备份恢复" in err.value.hint
