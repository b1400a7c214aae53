"""One store, many plans; plan identity (issue 13 items 1 and 2), on real DuckDB files.

Values are shared by series code between the plans of a store; task progress is each plan's own;
a store file of schema version 4 (one plan) upgrades in place with everything it showed; a plan
file changed under the same id is a pending change until confirmed; a series code with two units
is refused naming both plans."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from plan_b import EXTRA_GOAL, TONGZHOU, B, b_text, plans_dir, write_b
from store_helpers import rows, upload

from ipdata import plans as plan_registry
from ipdata import service
from ipdata.auth import Users
from ipdata.catalogue import load_plan
from ipdata.errors import IpdataError
from ipdata.store import Store, registry, stored_plans
from ipdata.trajectory import to_records
from ipdata.views import status_frame

DATA = Path(__file__).parent / "data"
V4_FILE = DATA / "store_v4.duckdb.gz"  # tests/data/make_store_v4.py
V4_SHOWN = json.loads((DATA / "store_v4.expected.json").read_text(encoding="utf-8"))


def _v4_file(tmp_path: Path) -> Path:
    path = tmp_path / "v4.duckdb"
    path.write_bytes(gzip.decompress(V4_FILE.read_bytes()))
    return path


def _sql(path: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(path)) as con:
        return con.execute(query).fetchall()


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _status(store: Store, region: str | None = None) -> dict[str, dict]:
    return {r["code"]: r for r in to_records(status_frame(store.plan, store.values(), store.targets(), region))}


# --- the upgrade of a real schema-4 file -------------------------------------------------------

def test_a_version_4_file_upgrades_in_place_and_shows_what_it_showed(tmp_path):
    """The file the schema-4 code wrote (demo, official import with a warning, task edit, import,
    rollback, a user): after the upgrade every value, target, task status, revision, warning and
    past state is what that code showed, and the status is computed from the same figures."""
    path = _v4_file(tmp_path)
    assert _sql(path, "SELECT value FROM meta WHERE key = 'plan_id'") == [(TONGZHOU,)]

    store = Store(path, load_plan(TONGZHOU))

    assert _sql(path, "SELECT value FROM meta WHERE key = 'schema_version'") == [("6",)]
    assert _records(store.values()) == V4_SHOWN["values"]
    assert _records(store.targets()) == V4_SHOWN["targets"] == []  # the rollback to 3 removed the target
    assert _records(store.task_progress()) == V4_SHOWN["tasks"]
    old_columns = list(V4_SHOWN["revisions"][0])
    assert _records(store.revisions()[old_columns]) == V4_SHOWN["revisions"]
    assert {str(n): _records(store.revision_warnings(n)) for n in range(1, 6)} == V4_SHOWN["warnings"]
    at_4 = store.state_at(4)
    assert at_4.pop("notes").empty  # notes came with schema 6
    assert {k: _records(v) for k, v in at_4.items()} == V4_SHOWN["state_at_4"]
    assert Users(path).list()["name"].tolist() == V4_SHOWN["users"] == ["王五"]
    # hand-checked against the old code's status: 2021 10.5 (base), 2022 12.3, target 18
    shown_then = {r["code"]: r for r in V4_SHOWN["status"]}
    now = _status(store)
    assert [(r["base_value"], r["latest_year"], r["latest_value"], r["target"])
            for r in (shown_then["hv_invention_per10k"], now["hv_invention_per10k"])] == [(10.5, 2022, 12.3, 18.0)] * 2
    assert now == {r["code"]: r for r in to_records(status_frame(
        store.plan, pd.DataFrame(V4_SHOWN["values"]), pd.DataFrame(V4_SHOWN["targets"],
                                                                   columns=store.targets().columns), None))}
    # the one plan is registered; every revision and task row was made under it
    assert [(p.id, p.base_year, p.target_year, p.digest) for p in store.plans()] == [
        (TONGZHOU, 2021, 2025, store.plan.digest)]
    assert store.revisions()["plan_id"].tolist() == [TONGZHOU] * 5
    assert _sql(path, "SELECT DISTINCT plan_id FROM task_progress") == [(TONGZHOU,)]
    history = store.plan_history()
    assert rows(history, ["plan_id", "action", "old_digest"]) == [[TONGZHOU, "register", None]]
    assert history["summary"][0] == "数据库由结构版本 4 升级到 6：原有数据均属于这个规划"
    assert store.plan_change is None
    # and it works as a new file: a rollback to the import of revision 4 brings the target back
    assert store.rollback(4, user="王五").revision_id == 6
    assert rows(store.targets(), ["series", "region", "year", "target"]) == [["hv_invention_per10k", "川姜镇", 2025, 9.0]]


def test_a_failed_upgrade_leaves_the_version_4_file_as_it_was(tmp_path, monkeypatch):
    path = _v4_file(tmp_path)
    before = path.read_bytes()
    tables = {t: _sql(path, f"SELECT * FROM {t} ORDER BY ALL") for t in ("observations", "task_progress", "revisions")}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(registry, "register", broken)  # after the tables were rebuilt
    with pytest.raises(RuntimeError):
        Store(path, load_plan(TONGZHOU))
    assert _sql(path, "SELECT key, value FROM meta WHERE key IN ('schema_version', 'plan_id') ORDER BY key") == [
        ("plan_id", TONGZHOU), ("schema_version", "4")]
    assert "plan_id" not in [r[0] for r in _sql(path, "DESCRIBE task_progress")]
    assert "plans" not in [r[0] for r in _sql(path, "SHOW TABLES")]
    assert {t: _sql(path, f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == tables
    monkeypatch.undo()
    assert len(Store(path, load_plan(TONGZHOU)).values()) == 4
    assert before != path.read_bytes()


def test_a_version_4_file_opened_with_another_plan_registers_both(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    path = _v4_file(tmp_path)
    store = Store(path, load_plan(directory / f"{B}.yaml"))
    assert [p.id for p in store.plans()] == [B, TONGZHOU]
    assert store.task_progress().empty  # Tongzhou's task statuses are Tongzhou's
    assert rows(store.values(), ["series", "year", "value"])[:2] == [
        ["hv_invention_per10k", 2021, 10.5], ["hv_invention_per10k", 2022, 12.3]]
    assert len(Store(path, TONGZHOU).task_progress()) == 2


def test_a_version_4_file_whose_plan_file_is_gone_is_not_touched(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    (directory / f"{TONGZHOU}.yaml").unlink()
    path = _v4_file(tmp_path)
    before = path.read_bytes()
    with pytest.raises(IpdataError) as err:
        Store(path, load_plan(directory / f"{B}.yaml"))
    assert f"其中的数据属于规划“{TONGZHOU}”" in err.value.message
    assert err.value.hint == f"把规划文件 {TONGZHOU}.yaml 放入规划目录(IPDATA_PLANS_DIR)后重试；数据库没有改动。"
    assert path.read_bytes() == before


# --- two plans in one store ----------------------------------------------------------------

def test_a_value_uploaded_once_is_the_old_plans_final_and_the_new_plans_base(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "both.duckdb"
    a = Store(db, load_plan(TONGZHOU))
    b = Store(db, load_plan(directory / f"{B}.yaml"))
    result = a.apply(upload("series,region,year,value\nhv_invention_per10k,全区,2024,17\n"
                            "hv_invention_per10k,全区,2025,19.5"), user="张三")
    assert result.revision_id == 1

    old, new = _status(a)["hv_invention_per10k"], _status(b)["hv_invention_per10k"]
    # Tongzhou 2021-2025, target ≥18: the 2025 value 19.5 is its final value, achieved
    assert (old["latest_year"], old["latest_value"], old["final_achieved"]) == (2025, 19.5, True)
    # plan B 2025-2030, target ≥30: the same value is its base; no year after it yet
    assert (new["base_year"], new["base_value"], new["target"], new["target_year"]) == (2025, 19.5, 30.0, 2030)
    assert new["latest_year"] == 2025 and new["final_achieved"] is None
    # one value, one revision, seen through both plans
    assert len(a.values()) == len(b.values()) == 2 and b.latest_revision_id() == 1
    assert a.revisions()["plan_id"].tolist() == [TONGZHOU]


def test_each_plan_keeps_its_own_task_progress_under_the_same_task_id(tmp_path, monkeypatch):
    plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "both.duckdb"
    a = Store(db, load_plan(TONGZHOU))
    twin = load_plan(tmp_path / "plans" / f"{TONGZHOU}.yaml")
    # a second plan that numbers a task 一.1.1 too: Tongzhou's own text under another id
    text = twin.text.replace(f"id: {TONGZHOU}", "id: twin-2026-2030").replace("base_year: 2021", "base_year: 2025") \
        .replace("target_year: 2025", "target_year: 2030")
    (tmp_path / "plans" / "twin-2026-2030.yaml").write_text(text, encoding="utf-8")
    b = Store(db, load_plan(tmp_path / "plans" / "twin-2026-2030.yaml"))
    a.apply(upload(tasks="task_id,status\n一.1.1,已完成"), user="张三", kind="task-edit")
    b.apply(upload(tasks="task_id,status\n一.1.1,未启动"), user="李四", kind="task-edit")
    assert rows(a.task_progress(), ["task_id", "status", "revision_id"]) == [["一.1.1", "已完成", 1]]
    assert rows(b.task_progress(), ["task_id", "status", "revision_id"]) == [["一.1.1", "未启动", 2]]
    assert rows(a.state_at(2)["tasks"], ["task_id", "status"]) == [["一.1.1", "已完成"]]
    # a rollback is of the store: to 1 removes plan twin's status, named with its plan
    changes = a.preview_rollback(1)[1].rows
    assert rows(changes[changes["change"] != "unchanged"], ["table", "task_id", "name", "change"]) == [
        ["tasks", "一.1.1", "一.1.1（twin-2026-2030）", "removed"]]
    a.rollback(1, user="张三")
    assert b.task_progress().empty and len(a.task_progress()) == 1


def test_a_series_code_with_another_unit_is_refused_naming_both_plans(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch, with_b=False)
    db = tmp_path / "both.duckdb"
    Store(db, load_plan(TONGZHOU))
    path = write_b(directory, unit="件/万人")
    with pytest.raises(IpdataError) as err:
        Store(db, load_plan(path))
    assert err.value.message == (
        f"规划“{B}”不能载入：规划“{B}”的“每万人口高价值发明专利拥有量”(代码 hv_invention_per10k)单位为“件/万人”，"
        f"而已载入的规划“{TONGZHOU}”中同一代码(“万人高价值发明专利拥有量”)的单位为“件”。"
        "同一代码的数据由数据库中各规划共用，单位和填报方式必须一致。")
    assert [p.id for p in stored_plans(db)] == [TONGZHOU]  # nothing registered


def test_a_code_of_yearly_new_counts_in_one_plan_and_levels_in_another_is_refused(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch, with_b=False)
    db = tmp_path / "both.duckdb"
    Store(db, load_plan(TONGZHOU))  # overseas_patents_new: cumulative (each year's new grants)
    path = write_b(directory, extra=EXTRA_GOAL.replace("city_trademarks", "overseas_patents_new"))
    with pytest.raises(IpdataError) as err:
        Store(db, load_plan(path))
    assert err.value.message == (
        f"规划“{B}”不能载入：规划“{B}”的“有效注册商标量”(代码 overseas_patents_new)按当年水平值填报，"
        f"而已载入的规划“{TONGZHOU}”中同一代码(“新增海外专利授权”)按每年新增数填报(累计新增)。"
        "同一代码的数据由数据库中各规划共用，单位和填报方式必须一致。")


# --- plan identity: a changed file is a pending change ---------------------------------------

def test_a_changed_plan_file_is_a_pending_change_until_confirmed(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "both.duckdb"
    first = Store(db, load_plan(directory / f"{B}.yaml"))
    assert first.plan.goal("hv_invention_per10k").target == 30
    write_b(directory, target=32, extra=EXTRA_GOAL)

    store = Store(db, load_plan(directory / f"{B}.yaml"))

    # the store keeps using the accepted version and says what the file would change
    assert store.plan.goal("hv_invention_per10k").target == 30 and len(store.plan.goals) == 2
    assert store.plan_change.lines == (
        "新增目标：有效注册商标量（city_trademarks），目标 ≥200000件",
        "目标“每万人口高价值发明专利拥有量”（hv_invention_per10k）：目标 ≥30件 → ≥32件",
    )
    assert store.plan_change.refusals == ()
    assert [p.state for p in plan_registry.list_plans(db) if p.id == B] == ["规划文件有改动，待确认"]

    message = store.update_plan("管理员")

    assert message == (f"已更新规划“{B}”（2 处改动）：新增目标：有效注册商标量（city_trademarks），目标 ≥200000件；"
                       "目标“每万人口高价值发明专利拥有量”（hv_invention_per10k）：目标 ≥30件 → ≥32件。")
    assert store.plan.goal("hv_invention_per10k").target == 32 and store.plan_change is None
    history = store.plan_history()
    assert rows(history, ["plan_id", "user", "action"]) == [[B, "unknown", "register"], [B, "管理员", "update"]]
    assert history["old_digest"][1] == first.plan.digest and history["new_digest"][1] == store.plan.digest
    assert _sql(db, f"SELECT count(*) FROM catalogue WHERE plan_id = '{B}' AND kind = 'goal'") == [(3,)]
    # another Store object on the file (a page's cached one) takes the update up with the cache key
    first.cache_key()
    assert first.plan.goal("hv_invention_per10k").target == 32 and first.plan_change is None  # not a change back
    assert Store(db, load_plan(directory / f"{B}.yaml")).plan_change is None
    assert store.update_plan("管理员") == f"规划“{B}”的规划文件与已载入的版本相同，无需更新。"


def test_comments_and_layout_of_a_plan_file_are_no_change(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    Store(db, load_plan(directory / f"{B}.yaml"))
    (directory / f"{B}.yaml").write_text("# 改了注释\n" + b_text().replace("  - {code: population", "  -   {code: population"),
                                         encoding="utf-8")
    store = Store(db, load_plan(directory / f"{B}.yaml"))
    assert store.plan_change is None
    assert _sql(db, "SELECT text FROM plans")[0][0].startswith("# 改了注释")  # the file's text, kept
    assert len(store.plan_history()) == 1


def test_a_unit_change_under_stored_values_is_refused(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    Store(db, load_plan(directory / f"{B}.yaml")).apply(
        upload("series,region,year,value\ncity_pledge,全区,2025,21.5"), user="张三")
    (directory / f"{B}.yaml").write_text(b_text().replace("unit: 亿元", "unit: 万元"), encoding="utf-8")
    store = Store(db, load_plan(directory / f"{B}.yaml"))
    assert store.plan_change.lines == ("目标“知识产权质押融资登记金额”（city_pledge）：单位 亿元 → 万元；目标 ≥50亿元 → ≥50万元；"
                                       "小数位 2 → 1",)
    refusal = ("“知识产权质押融资登记金额”(代码 city_pledge)的单位由“亿元”改为“万元”，而数据库中已有该代码按原单位填报的 1 项数据；"
               "请为新单位另起一个代码")
    assert store.plan_change.refusals == (refusal,)
    with pytest.raises(IpdataError) as err:
        store.update_plan("管理员")
    assert err.value.message == f"规划“{B}”的改动未生效：{refusal}。"
    assert store.plan.goal("city_pledge").unit == "亿元"
    # nor may a level become yearly new counts under stored values
    (directory / f"{B}.yaml").write_text(b_text().replace("kind: level\n    comparator: \">=\"\n    target: 50",
                                                          "kind: cumulative\n    comparator: \">=\"\n    target: 50"),
                                         encoding="utf-8")
    assert Store(db, load_plan(directory / f"{B}.yaml")).plan_change.refusals == (
        "“知识产权质押融资登记金额”(代码 city_pledge)的类型由“水平值”改为“累计新增”，而数据库中已有该代码按原类型填报的 1 项数据；"
        "请另起一个代码",)
    # a unit no stored value was reported in may change
    (directory / f"{B}.yaml").write_text(b_text(unit="件（万人均）"), encoding="utf-8")
    assert Store(db, load_plan(directory / f"{B}.yaml")).update_plan("管理员").startswith(f"已更新规划“{B}”（1 处改动）")


def test_a_plan_whose_file_is_gone_stays_usable_by_id(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    Store(db, load_plan(directory / f"{B}.yaml")).apply(
        upload("series,region,year,value\ncity_pledge,全区,2025,21.5"), user="张三")
    (directory / f"{B}.yaml").unlink()
    store = service.open_store(db, B)
    assert store.plan.id == B and store.plan.goal("city_pledge").target == 50 and len(store.values()) == 1
    with pytest.raises(IpdataError, match=f"规划“{B}”没有规划文件"):
        store.update_plan("管理员")
    with pytest.raises(IpdataError) as err:
        service.open_store(db, "no-such-plan")
    assert err.value.message.startswith("找不到规划“no-such-plan”")
    assert err.value.hint.startswith(f"可用的规划：{B}、{TONGZHOU}。")


# --- which plan when none is given -------------------------------------------------------------

def test_the_default_plan_is_the_setting_else_the_stores_newest_else_the_newest_file(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "x.duckdb"
    # no store yet: the newest file (B ends in 2030, Tongzhou in 2025)
    assert plan_registry.default_plan_id(db) == B
    Store(db, load_plan(TONGZHOU))
    assert plan_registry.default_plan_id(db) == TONGZHOU  # the store's newest (its only) plan
    Store(db, load_plan(directory / f"{B}.yaml"))
    assert plan_registry.default_plan_id(db) == B
    monkeypatch.setenv("IPDATA_PLAN", TONGZHOU)
    assert plan_registry.default_plan_id(db) == TONGZHOU and service.open_store(db).plan.id == TONGZHOU
    monkeypatch.delenv("IPDATA_PLAN")
    assert service.open_store(db).plan.id == B
    # ties: same years, the first file name
    write_b(directory, plan_id="alpha-2026-2030")
    assert plan_registry.default_plan_id(tmp_path / "new.duckdb") == "alpha-2026-2030"


def test_the_plans_listing_says_each_plans_state(tmp_path, monkeypatch):
    directory = plans_dir(tmp_path, monkeypatch)
    (directory / "broken-2030.yaml").write_text("plan: [", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    Store(db, load_plan(TONGZHOU))
    listed = [(p.id, p.base_year, p.target_year, p.n_goals, p.state) for p in plan_registry.list_plans(db)]
    assert listed == [(B, 2025, 2030, 2, "尚未载入"), (TONGZHOU, 2021, 2025, len(load_plan(TONGZHOU).goals), "已载入"),
                      ("broken-2030", None, None, None, "规划文件有错误")]


def test_only_an_admin_confirms_a_plan_change(tmp_path, monkeypatch):
    from ipdata.auth import ADMIN, STATISTICIAN, User

    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    Store(db, load_plan(directory / f"{B}.yaml"))
    write_b(directory, target=32)
    store = service.open_store(db, B)
    with pytest.raises(IpdataError) as err:
        service.update_plan(store, User("张三", STATISTICIAN))
    assert (err.value.message, err.value.hint) == ("张三（统计人员）无权确认规划文件的改动。", "请以管理员身份登录后再操作。")
    assert store.plan.goal("hv_invention_per10k").target == 30
    assert service.update_plan(store, User("王五", ADMIN)).startswith(f"已更新规划“{B}”（1 处改动）")
    assert store.plan_history()["user"].tolist()[-1] == "王五"
