"""What changed since the last update (issue 14 item 5), on a real DuckDB store with several imports.

The goal followed is 万人高价值发明专利拥有量 (level, ≥18件 in 2025, base 2021, one decimal). With a
2021 base of 10.0 the completion is (x − 10) ÷ 8 and the 序时进度 (year − 2021) ÷ 4; status by the
schedule ratio q = completion ÷ 序时进度 (≥1 快于预期, 0.9–1 基本符合预期, <0.9 滞后):

    rev 1  import 2021–2023 = 10.0, 12.0, 14.0   2023: 4/8 = 50 %, 序时 50 %, q = 1.00  快于预期
    rev 2  import 2024 = 15.6                    2024: 5.6/8 = 70 %, 序时 75 %, q = 0.93 基本符合预期
    rev 3  import 2024 corrected to 14.8         4.8/8 = 60 %, q = 0.80                  滞后
    rev 4  the national plan's import (its own series only): no update of this plan
    rev 5  import 2024 = 16.4; 马德里商标 2021 = 40, 2024 = 61
                                                 6.4/8 = 80 %, q = 1.07                  快于预期
           马德里: (61 − 40) ÷ (70 − 40) = 70 %, q = 0.93                              基本符合预期
    rev 6  rollback to 3: 2024 back to 14.8 (滞后), 马德里 removed (数据不足)
"""

from __future__ import annotations

import pandas as pd
import pytest
from store_helpers import upload

from ipdata import history
from ipdata.catalogue import load_plan
from ipdata.history import Revision, State, compare, goal_history, history_table, last_update
from ipdata.store import Store
from ipdata.views import local_time

TONGZHOU = "tongzhou-2022-2025"
HV = "hv_invention_per10k"
MADRID = "madrid_marks_total"
CSV = "series,region,year,value\n"


def _values(*rows: str) -> str:
    return CSV + "\n".join(rows)


@pytest.fixture
def stores(tmp_path):
    return six_revisions(tmp_path / "ipdata.duckdb")


def six_revisions(path) -> tuple[Store, Store]:
    """(Tongzhou's store, the national plan's store) on one file, revisions 1-6 as above."""
    tz = Store(path, load_plan(TONGZHOU))
    cn = Store(path, load_plan("national-ip-2021-2025"))
    assert tz.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2022,12", f"{HV},全区,2023,14"),
                           file_name="2023年报.xlsx"), "王统计", "2023年数据").revision_id == 1
    assert tz.apply(upload(_values(f"{HV},全区,2024,15.6"), file_name="2024年报.xlsx"), "王统计").revision_id == 2
    assert tz.apply(upload(_values(f"{HV},全区,2024,14.8"), file_name="2024年报（更正）.xlsx"),
                    "王统计", "更正2024年数").revision_id == 3
    assert cn.apply(upload(_values("cn_hv_invention_per10k,全国,2024,14")), "李国家").revision_id == 4
    assert tz.apply(upload(_values(f"{HV},全区,2024,16.4", f"{MADRID},全区,2021,40", f"{MADRID},全区,2024,61"),
                           file_name="补报.xlsx"), "王统计").revision_id == 5
    assert tz.rollback(3, "王统计", "撤回补报").revision_id == 6
    return tz, cn


def _date(store: Store, n: int) -> str:
    revs = store.revisions().set_index("id")
    return local_time(revs.loc[n, "created_at"])[:10]


def test_the_last_update_is_the_rollback_and_says_each_status_change(stores):
    tz, _ = stores
    update = last_update(tz)
    assert update.revision.id == 6 and update.revision.label == "回滚到第3版"
    assert update.headline == f"自上次更新以来（第6版，{_date(tz, 6)}，回滚到第3版）：2个指标状态变化，1个转差。"
    # worse first (快于预期 → 滞后), then a change that is no judgement (→ 数据不足)
    assert update.sentences() == [
        "万人高价值发明专利拥有量由快于预期转为滞后：2024年值由16.4件修订为14.8件；"
        "完成进度60% ÷ 序时进度75% = 0.80，低于0.9。",
        "马德里商标注册量累计由基本符合预期转为数据不足：删除2021年值（原为40件）；删除2024年值（原为61件）；"
        "2021—2025年间没有数据。",
    ]
    assert [(s.code, s.direction, s.before) for s in update.changes] == [(HV, "down", 5), (MADRID, "other", 5)]


def test_another_plans_import_is_no_update_of_this_plan(stores, tmp_path):
    """Revision 4 wrote only the national plan's series: no update of Tongzhou's goals. A rollback
    restores the whole file, so revision 6 (back to 3) took the national value out again: an
    update of both plans."""
    tz, cn = stores
    assert tz.revisions_writing(list(tz.plan.all_series)) == [1, 2, 3, 5, 6]
    assert cn.revisions_writing(list(cn.plan.all_series)) == [4, 6]
    assert last_update(cn).sentences() == [
        "每万人口高价值发明专利拥有量由已完成转为数据不足：删除2024年值（原为14.0件）；"
        "只有规划基期值（2020年6.3件），还没有2021年以来的数据。"]
    # the same file seen right after revision 4: Tongzhou's last update is still revision 3
    path = tmp_path / "at4.duckdb"
    first = Store(path, load_plan(TONGZHOU))
    first.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2022,12", f"{HV},全区,2023,14")), "王统计")
    first.apply(upload(_values(f"{HV},全区,2024,15.6")), "王统计")
    first.apply(upload(_values(f"{HV},全区,2024,14.8")), "王统计")
    Store(path, load_plan("national-ip-2021-2025")).apply(
        upload(_values("cn_hv_invention_per10k,全国,2024,14")), "李国家")
    update = last_update(first)
    assert first.latest_revision_id() == 4
    assert update.revision.id == 3
    assert update.sentences() == [
        "万人高价值发明专利拥有量由基本符合预期转为滞后：2024年值由15.6件修订为14.8件；"
        "完成进度60% ÷ 序时进度75% = 0.80，低于0.9。"]
    # its plan states the 2020 base (6.3件) and ≥12件 for 2025: 14.0 meets it already
    national = last_update(Store(path, "national-ip-2021-2025"))
    assert national.revision.id == 4 and national.first  # its first data: the headline says it
    assert national.headline.endswith("：本规划的第一批数据，1个指标已可评价。")
    assert [s.sentence for s in national.changes] == [
        "每万人口高价值发明专利拥有量由数据不足转为已完成：新报2024年值14.0件；2024年值14.0件已达到目标≥12件。"]


def test_the_goal_history_lists_every_revision_that_moved_it_newest_first(stores):
    tz, _ = stores
    steps = goal_history(tz, HV)
    assert [(s.revision.id, s.old_status, s.new_status, s.direction) for s in steps] == [
        (6, "快于预期", "滞后", "down"),
        (5, "滞后", "快于预期", "up"),
        (3, "基本符合预期", "滞后", "down"),
        (2, "快于预期", "基本符合预期", "down"),
        (1, "数据不足", "快于预期", "other"),
    ]
    assert [s.why for s in steps] == [
        "2024年值由16.4件修订为14.8件；完成进度60% ÷ 序时进度75% = 0.80，低于0.9",
        "2024年值由14.8件修订为16.4件；完成进度80% ÷ 序时进度75% = 1.07，≥1",
        "2024年值由15.6件修订为14.8件；完成进度60% ÷ 序时进度75% = 0.80，低于0.9",
        "新报2024年值15.6件；完成进度70% ÷ 序时进度75% = 0.93，在0.9与1之间",
        "新报2021—2023年值（2023年为14.0件）；完成进度50% ÷ 序时进度50% = 1.00，≥1",
    ]
    assert steps[2].sentence == ("万人高价值发明专利拥有量由基本符合预期转为滞后：2024年值由15.6件修订为14.8件；"
                                 "完成进度60% ÷ 序时进度75% = 0.80，低于0.9。")


def test_a_bounded_history_starts_from_the_state_before_its_oldest_revision(stores):
    tz, _ = stores
    steps = goal_history(tz, HV, limit=2)
    assert [(s.revision.id, s.old_status, s.new_status) for s in steps] == [(6, "快于预期", "滞后"),
                                                                         (5, "滞后", "快于预期")]
    assert goal_history(tz, HV, limit=0) == []


def test_visitors_see_no_person_and_no_file_in_the_history_table(stores):
    tz, _ = stores
    steps = goal_history(tz, HV)
    visitor = history_table(steps, people=False)
    assert list(visitor.columns) == ["日期", "版本", "类型", "状态", "变化及原因"]
    assert visitor.iloc[0].tolist() == [_date(tz, 6), "第6版", "回滚到第3版", "快于预期 → 滞后",
                                        "2024年值由16.4件修订为14.8件；完成进度60% ÷ 序时进度75% = 0.80，低于0.9"]
    text = visitor.to_csv()
    for secret in ("王统计", "李国家", ".xlsx", "更正2024年数", "撤回补报"):
        assert secret not in text
    assert all("王统计" not in str(r) and "xlsx" not in str(r) for s in steps for r in s.record().values())
    staff = history_table(steps, people=True)
    assert staff[["版本", "文件", "说明", "操作人"]].values.tolist() == [
        ["第6版", "", "撤回补报", "王统计"],
        ["第5版", "补报.xlsx", "", "王统计"],
        ["第3版", "2024年报（更正）.xlsx", "更正2024年数", "王统计"],
        ["第2版", "2024年报.xlsx", "", "王统计"],
        ["第1版", "2023年报.xlsx", "2023年数据", "王统计"],
    ]
    assert steps[0].record(people=True)["comment"] == "撤回补报"


def test_an_update_that_moves_no_goal_of_the_plan_says_so(tmp_path):
    """A town's value of the plan's series is the plan's data (an update), but the district's
    statuses do not move; a task edit is no update of the goals at all."""
    store = Store(tmp_path / "x.duckdb", load_plan(TONGZHOU))
    store.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2023,14")), "王统计")
    store.apply(upload(_values(f"{HV},金沙街道,2023,20")), "王统计")
    update = last_update(store)
    assert update.revision.id == 2 and update.changes == [] and update.steps == ()
    assert update.headline == f"自上次更新以来（第2版，{_date(store, 2)}，导入）：全区各指标状态没有变化。"
    task = store.plan.tasks[0].id
    store.apply(upload(tasks=f"task_id,status\n{task},推进中"), "王统计", kind="task-edit")
    assert store.latest_revision_id() == 3 and last_update(store).revision.id == 2
    # the town's own history has it
    town = goal_history(store, HV, region="金沙街道")
    assert [(s.revision.id, s.old_status, s.new_status, s.why) for s in town] == [
        (2, "无分解目标", "无分解目标", "新报2023年值20.0件；该地区没有分解目标，只显示数值、趋势，不评价进度")]
    assert town[0].sentence.startswith("金沙街道万人高价值发明专利拥有量仍为无分解目标：")


def test_an_empty_store_has_no_update():
    plan = load_plan(TONGZHOU)
    assert history.Update(None, (), plan.district).headline == "还没有上传过这个规划的数据。"


def test_the_official_import_over_the_demo_says_the_demo_went(tmp_path):
    from ipdata import service

    store = service.open_store(tmp_path / "x.duckdb", TONGZHOU)
    service.load_demo(store)
    store.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2023,14")), "王统计")
    update = last_update(store)
    hv = next(s for s in update.steps if s.code == HV)
    assert hv.moves[:2] == ("示例数据已删除，改为正式数据", "新报2021年值10.0件")
    assert hv.moves[2] == "新报2023年值14.0件"
    madrid = next(s for s in update.steps if s.code == MADRID)
    assert (madrid.old_status, madrid.new_status, madrid.moves) == ("基本符合预期", "数据不足", ("示例数据已删除",))


# --- the wording, from two states without a store ---------------------------------------------

def _state(rows: list[tuple], targets: list[tuple] = ()) -> State:
    values = pd.DataFrame(rows, columns=["series", "region", "year", "value"]).assign(is_demo=False)
    t = pd.DataFrame(list(targets), columns=["series", "region", "year", "target"]).assign(is_demo=False)
    return State(values, t)


REV = Revision(7, "2025-03-01T02:00:00+00:00", "import")


def test_a_correction_hidden_by_rounding_is_said_as_such():
    plan = load_plan(TONGZHOU)
    before = _state([(HV, "全区", 2021, 10.0), (HV, "全区", 2024, 14.80)])
    after = _state([(HV, "全区", 2021, 10.0), (HV, "全区", 2024, 14.81)])
    [step] = compare(plan, before, after, REV)
    assert step.moves == ("2024年值略有修订（仍为14.8件）",) and not step.changed
    assert step.sentence == "万人高价值发明专利拥有量仍为滞后：2024年值略有修订（仍为14.8件）；完成进度60.1% ÷ 序时进度75% = 0.80，低于0.9。"
    assert step.revision.date == "2025-03-01"  # 02:00 UTC is 10:00 in Beijing


def test_a_region_target_a_cumulative_count_a_milestone_and_many_years():
    plan = load_plan(TONGZHOU)
    town = "金沙街道"
    before = _state([(HV, town, 2021, 10.0), (HV, town, 2023, 14.0)])
    after = _state([(HV, town, 2021, 10.0), (HV, town, 2023, 14.0)], [(HV, town, 2025, 18.0)])
    [step] = compare(plan, before, after, REV, region=town)
    # 4/8 = 50 % at 序时 50 %: q = 1.00
    assert (step.old_status, step.new_status, step.moves) == ("无分解目标", "快于预期", ("分解目标为≥18件",))
    # a yearly increment (plain decimals) and its running total's status; a milestone built
    code = "overseas_patents_new"
    before = _state([(code, "全区", 2022, 5.0)])
    after = _state([(code, "全区", y, v) for y, v in ((2022, 5.0), (2023, 7.0), (2024, 9.0), (2025, 10.0))]
                   + [("ops_platform", "全区", 2023, 1.0)])
    steps = {s.code: s for s in compare(plan, before, after, REV)}
    assert steps[code].moves == ("新报2023—2025年新增数（2025年为10件）",)
    # before: 5 of 30 in 2022 = 16.7 % at 序时 25 %, q = 0.67 滞后; after: 5 + 7 + 9 + 10 = 31 ≥ 30
    assert (steps[code].old_status, steps[code].new_status) == ("滞后", "已完成")
    assert steps[code].reason == "2025年值31件已达到目标≥30件"
    assert steps["ops_platform"].moves == ("新报2023年建设情况：已建成",)
    assert set(steps) == {code, "ops_platform"}


def test_every_state_judged_in_one_pass_is_judged_as_alone(tmp_path):
    """The history judges several states in one pass of the engine (copies of the goals, one
    per state, their series renamed): every goal of both plans' demo, and of the six revisions
    above, in every region, gets the status, reason, target and sentence it gets alone."""
    from ipdata import service
    from ipdata.trajectory import compute
    from ipdata.views import regions

    cases = []
    for plan_id in (TONGZHOU, "national-ip-2021-2025"):
        store = service.open_store(tmp_path / f"{plan_id}.duckdb", plan_id)
        service.load_demo(store)
        cases.append((store, [0, 1]))
    cases.append((six_revisions(tmp_path / "six.duckdb")[0], [0, 1, 2, 3, 5, 6]))
    ranked = Store(tmp_path / "rank.duckdb", load_plan(TONGZHOU))  # a rank goal with positions
    source = "省知识产权局通报（2025年3月）"
    ranked.apply(upload(f"series,region,year,value,source\nip_output_rank,全区,2023,12,{source}"), "王统计")
    ranked.apply(upload(f"series,region,year,value,source\nip_output_rank,全区,2024,8,{source}"), "王统计")
    cases.append((ranked, [0, 1, 2]))
    columns = ["status", "status_reason", "target_text", "narrative", "latest_value"]
    for store, revs in cases:
        plan = store.plan
        states = history._states(store, list(plan.all_series), revs)
        for region in regions(plan, store.values()):
            judged = history._judge_each(plan, states, region)
            for state, j in zip(states, judged, strict=True):
                alone = compute(plan, state.values, state.targets, region=region).set_index("code")
                for goal in plan.goals:
                    cells = [j.rows[goal.code][c] for c in columns], alone.loc[goal.code, columns].tolist()
                    assert [None if pd.isna(x) else x for x in cells[0]] == \
                        [None if pd.isna(x) else x for x in cells[1]], (plan.id, region, goal.code)


def test_a_new_revision_renews_the_cached_answer(tmp_path):
    store = Store(tmp_path / "x.duckdb", load_plan(TONGZHOU))
    store.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2023,14")), "王统计")
    assert last_update(store).revision.id == 1 and goal_history(store, HV)[0].revision.id == 1
    store.apply(upload(_values(f"{HV},全区,2024,15.6")), "王统计")
    assert last_update(store).revision.id == 2
    assert [s.revision.id for s in goal_history(store, HV)] == [2, 1]


def test_between_two_revisions_for_a_brief(stores):
    """Since revision 1 (2021-2023 only): the rollback left 2024 = 14.8 (滞后); the rollback's
    own state is revision 3's, so against revision 3 nothing moved."""
    tz, _ = stores
    since = history.between(tz, 1)
    assert since.headline == f"自第1版以来（至第6版，{_date(tz, 6)}）：1个指标状态变化，1个转差。"
    assert since.sentences() == ["万人高价值发明专利拥有量由快于预期转为滞后：新报2024年值14.8件；"
                                 "完成进度60% ÷ 序时进度75% = 0.80，低于0.9。"]
    assert [r["before_revision_id"] for r in since.records()] == [1]
    assert history.between(tz, 3, 6).steps == ()
    assert history.between(tz, 3, 6).headline.endswith("：全区各指标状态没有变化。")


def test_the_district_under_another_of_its_names_is_the_district(tmp_path):
    """A row stored as 合计 (a district alias) is the district's: its revision is in the history."""
    store = Store(tmp_path / "x.duckdb", load_plan(TONGZHOU))
    store.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2023,14")), "王统计")
    store.apply(upload(_values(f"{HV},合计,2024,15.6")), "王统计")
    assert [(s.revision.id, s.moves) for s in goal_history(store, HV)] == [
        (2, ("新报2024年值15.6件",)), (1, ("新报2021年值10.0件", "新报2023年值14.0件"))]
    assert last_update(store).revision.id == 2


def test_viewers_asking_at_once_compute_once(tmp_path, monkeypatch):
    """After an upload every viewer's next run asks for the last update at the same moment."""
    import threading
    import time

    store = Store(tmp_path / "x.duckdb", load_plan(TONGZHOU))
    store.apply(upload(_values(f"{HV},全区,2021,10", f"{HV},全区,2023,14")), "王统计")
    calls = []
    real = history._last_update

    def slow(store, region):
        calls.append(region)
        time.sleep(0.3)
        return real(store, region)

    monkeypatch.setattr(history, "_last_update", slow)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(last_update(store))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(answers) == 4 and all(a is answers[0] for a in answers)


def test_the_store_reads_a_series_as_it_stood_after_each_revision(stores):
    tz, _ = stores
    cols = ["series", "region", "year", "value", "revision_id"]
    at = {n: tz.values_at(n, [HV, MADRID])[cols].values.tolist() for n in (0, 2, 5, 6)}
    assert at[0] == []
    assert at[2] == [[HV, "全区", 2021, 10.0, 1], [HV, "全区", 2022, 12.0, 1], [HV, "全区", 2023, 14.0, 1],
                     [HV, "全区", 2024, 15.6, 2]]
    assert [r for r in at[5] if r[0] == MADRID] == [[MADRID, "全区", 2021, 40.0, 5], [MADRID, "全区", 2024, 61.0, 5]]
    assert at[6] == at[2][:3] + [[HV, "全区", 2024, 14.8, 6]]
    together = tz.series_states([HV, MADRID], [0, 2, 5, 6])
    assert {n: s["values"][cols].values.tolist() for n, s in together.items()} == at
    assert tz.values_at(6)[cols].values.tolist() == tz.values()[cols].values.tolist()
    assert tz.targets_at(6, [HV]).empty


def test_a_rank_said_as_a_position():
    """第一方阵 = top 10: 12th misses, 8th is in."""
    plan = load_plan(TONGZHOU)
    source = "省知识产权局通报（2025年3月）"

    def state(rows):
        return State(pd.DataFrame(rows, columns=["series", "region", "year", "value"]).assign(is_demo=False, source=source),
                     pd.DataFrame(columns=["series", "region", "year", "target", "is_demo"]))

    before = state([("ip_output_rank", "全区", 2023, 12.0)])
    after = state([("ip_output_rank", "全区", 2023, 12.0), ("ip_output_rank", "全区", 2024, 8.0)])
    [step] = compare(plan, before, after, REV)
    assert (step.old_status, step.new_status, step.direction) == ("未达成", "达成", "up")
    assert step.sentence == ("知识产权产出主要指标全省排名由未达成转为达成：新报2024年排名第8名；2024年在全省县(市、区)中排第8名"
                             f"（来源：{source}），进入第一方阵（前10名）；这是2024年的排名，2025年排名尚未上传。")


def test_the_first_data_of_a_plan_is_said_once_not_listed(tmp_path):
    """Every goal goes from 数据不足 to something: the headline says so, no list; the records
    keep every goal (a brief may want them)."""
    from ipdata import service

    store = service.open_store(tmp_path / "x.duckdb", TONGZHOU)
    service.load_demo(store)
    update = last_update(store)
    assert update.first and update.listed == [] and update.sentences() == []
    # 21 goals; only the rank goal has no position in the demo
    assert update.headline == f"自上次更新以来（第1版，{_date(store, 1)}，示例数据）：本规划的第一批数据，20个指标已可评价。"
    assert len(update.records()) == 20 and len(update.changes) == 20
    store.rollback(0, "王统计")
    store.rollback(1, "王统计")  # the demo again, after an empty store: first data again
    assert last_update(store).first


def test_the_overview_lists_six_changes_worse_first_and_counts_the_rest():
    from ipdata.history import Step, Update

    statuses = [("滞后", "快于预期"), ("快于预期", "滞后"), ("数据不足", "滞后"), ("基本符合预期", "已完成"),
                ("倒退", "滞后"), ("已完成", "未完成"), ("增长", "下降"), ("滞后", "滞后"), ("快于预期", "基本符合预期")]
    steps = tuple(Step(f"g{i}", f"指标{i}", "全区", True, REV, old, new, (), "", i, 6)
                  for i, (old, new) in enumerate(statuses))
    update = Update(REV, steps, "全区")
    assert [(s.name, s.direction) for s in update.changes] == [
        ("指标1", "down"), ("指标5", "down"), ("指标8", "down"), ("指标0", "up"), ("指标3", "up"), ("指标4", "up"),
        ("指标2", "other"), ("指标6", "other")]
    assert update.headline == "自上次更新以来（第7版，2025-03-01，导入）：8个指标状态变化，3个转好、3个转差。"
    assert update.sentences(6)[-1] == "另有2个指标状态变化，见各指标的“变化记录”。"
    assert update.sentences(6)[0] == "指标1由快于预期转为滞后。" and len(update.sentences(6)) == 7
