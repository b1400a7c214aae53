"""Rollback restores a past revision exactly, as a new revision that can itself be undone."""

import pytest
from store_helpers import (
    assert_states_equal,
    current_state,
    new_store,
    rows,
    tidy_state,
    upload,
)

from ipdata.errors import IpdataError

V1 = """
series,region,year,value,source,note
population,全区,2021,120.5,统计年鉴,
gdp,全区,2021,1300,,初步数
"""
V2 = """
series,region,year,value,source,note
gdp,全区,2021,1310,,正式数
gdp,全区,2022,1400,,
"""
T2 = "task_id,status,note,updated\n一.1.1,推进中,,2023-05"
G2 = "series,region,year,target\nhv_invention_per10k,金沙街道,2025,20"


@pytest.fixture
def store(tmp_path):
    s = new_store(tmp_path / "ipdata.duckdb")
    s.apply(upload(V1), user="a")  # 1
    s.apply(upload(V2, targets=G2, tasks=T2), user="a")  # 2
    return s


def test_rollback_restores_state_exactly(store):
    at_1 = store.state_at(1)
    result = store.rollback(1, user="管理员", comment="误导入")
    assert result.revision_id == 3
    # gdp 2021 changes back, gdp 2022 / target / task (added after 1) disappear, population unchanged
    assert (result.changes.n_new, result.changes.n_changed, result.changes.n_removed,
            result.changes.n_unchanged) == (0, 1, 3, 1)
    assert result.message == "已恢复到第 1 版的数据，保存为第 3 版：新增 0 项，修改 1 项，删除 3 项，未变 1 项。"
    assert_states_equal(tidy_state(current_state(store)), tidy_state(at_1))
    assert rows(store.values(), ["series", "year", "value", "note"]) == [
        ["gdp", 2021, 1300.0, "初步数"], ["population", 2021, 120.5, None]]
    assert store.targets().empty and store.task_progress().empty
    rev = store.revisions().iloc[-1]
    assert (rev["kind"], rev["rollback_to"], rev["n_removed"], rev["comment"]) == ("rollback", 1, 3, "误导入")


def test_rollback_of_a_rollback(store):
    at_2 = store.state_at(2)
    store.rollback(1, user="a")  # 3
    result = store.rollback(2, user="a")  # 4: undo the rollback
    assert result.revision_id == 4
    assert (result.changes.n_new, result.changes.n_changed, result.changes.n_removed) == (3, 1, 0)
    assert_states_equal(tidy_state(current_state(store)), tidy_state(at_2))
    # and state_at still answers for every revision
    assert len(store.state_at(3)["values"]) == 2
    assert len(store.state_at(4)["values"]) == 3


def test_rollback_to_zero_empties(store):
    result = store.rollback(0, user="a")
    assert result.changes.n_removed == 5
    assert store.values().empty and store.targets().empty and store.task_progress().empty
    assert store.has_demo_data() is False
    assert store.latest_revision_id() == 3
    # a later import after emptying starts from nothing: everything is new
    assert store.preview(upload(V1)).n_new == 2


def test_rollback_to_current_state_is_noop(store):
    result = store.rollback(2, user="a")
    assert result.noop
    assert result.message == "当前数据已与第 2 版相同，未产生新版本。"
    assert store.latest_revision_id() == 2


@pytest.mark.parametrize("bad", [3, -1, 99])
def test_unknown_revision(store, bad):
    with pytest.raises(IpdataError, match=f"没有第 {bad} 版数据") as err:
        store.rollback(bad, user="a")
    assert "0（空）到 2" in err.value.hint
    with pytest.raises(IpdataError, match="没有第"):
        store.state_at(bad)
    assert store.latest_revision_id() == 2


def test_revision_ids_from_a_frame_are_accepted(store):
    n = store.revisions()["id"].iloc[0]  # numpy.int64, as a page would pass it
    assert store.rollback(n, user="a").message.startswith("已恢复到第 1 版的数据，保存为第 3 版")
    assert store.revisions()["rollback_to"].tolist()[-1] == 1
    with pytest.raises(IpdataError, match="没有第 1.0 版数据"):
        store.state_at(1.0)


def test_state_at_is_history(store):
    assert rows(store.state_at(1)["values"], ["series", "year", "value", "revision_id"]) == [
        ["gdp", 2021, 1300.0, 1], ["population", 2021, 120.5, 1]]
    assert rows(store.state_at(2)["values"], ["series", "year", "value", "revision_id"]) == [
        ["gdp", 2021, 1310.0, 2], ["gdp", 2022, 1400.0, 2], ["population", 2021, 120.5, 1]]
    assert store.state_at(0)["values"].empty
    assert list(store.state_at(0)) == ["values", "targets", "tasks", "notes"]


def test_rollback_keeps_demo_provenance(tmp_path):
    s = new_store(tmp_path / "db.duckdb")
    s.apply(upload(V1), user="演示", kind="demo")  # 1
    s.apply(upload(V1), user="a")  # 2: real data with the same numbers
    assert s.has_demo_data() is False
    s.rollback(1, user="a")
    assert s.has_demo_data() is True
    assert s.values()["is_demo"].tolist() == [True, True]
