"""The final evaluation (ipdata/evaluation.py) on a real store: a workbook with 2025 data imported
through ipdata.service into DuckDB, every verdict, gap and 责任单位 computed by hand below."""

import pandas as pd
import pytest

from ipdata import evaluation as E
from ipdata import service
from ipdata.auth import local_operator
from ipdata.catalogue import COMPARATOR_LABELS, load_plan
from ipdata.figures import chart_data, goal_chart, progress_chart, region_chart
from ipdata.scorecard import scorecard, tiles
from ipdata.template import write_template
from ipdata.trajectory import compute, compute_all

PLAN = load_plan("tongzhou-2022-2025")
SOURCE = "区统计局2025年统计年报"
RANK_SOURCE = "省知识产权局2025年度知识产权工作考核通报（2026年3月）"
# (series, region, {year: value}); hand-computed verdicts in the tests below.
DATA = [
    ("hv_invention_per10k", "全区", {2021: 8.2, 2022: 10.1, 2023: 12.0, 2024: 14.9, 2025: 17.6}),  # < 18
    ("overseas_patents_new", "全区", {2021: 5, 2022: 6, 2023: 8, 2024: 9, 2025: 4}),  # 6+8+9+4 = 27 < 30
    ("madrid_marks_total", "全区", {2021: 40, 2024: 71}),  # ≥ 70 in 2024, no 2025 value
    ("case_closure_rate", "全区", {2021: 85.0, 2025: 92.4}),  # ≥ 90
    ("ip_satisfaction", "全区", {2021: 80.0, 2025: 85.0}),  # not > 85
    ("ops_platform", "全区", {2021: 0, 2023: 1}),  # built in 2023: stays built
    ("protection_demo_zone", "全区", {2021: 0, 2025: 0}),  # not built by 2025
    ("ip_pledge_amount", "全区", {2021: 12.0, 2025: 20.5}),  # > 20
    ("ip_standard_units_new", "全区", {2022: 18, 2023: 20, 2024: 21, 2025: 25}),  # 84 ≥ 80
    ("license_trade", "全区", {2021: 3200, 2025: 5500}),  # a trend: not judged
    ("hv_invention_per10k", "南通高新区", {2021: 18.0, 2025: 28.3}),  # own ≥28: met
    ("hv_invention_per10k", "川姜镇", {2021: 5.0, 2024: 8.1}),  # own ≥8: met in 2024 only
    ("hv_invention_per10k", "金沙街道", {2021: 6.0, 2025: 9.5}),  # own ≥10: missed
    ("hv_invention_per10k", "兴仁镇", {2021: 3.0, 2025: 4.0}),  # no own target: not judged
]
TARGETS = [("hv_invention_per10k", "南通高新区", 28), ("hv_invention_per10k", "川姜镇", 8),
           ("hv_invention_per10k", "金沙街道", 10)]
HV_UNITS = ("区市场监管局(知识产权局)", "区科技局", "南通高新区", "各镇(街道)")


def observations(last_year: int = 2025) -> pd.DataFrame:
    rows = [(s, r, y, v, SOURCE) for s, r, by_year in DATA for y, v in by_year.items() if y <= last_year]
    rows.append(("ip_output_rank", "全区", last_year, 8, RANK_SOURCE))
    return pd.DataFrame(rows, columns=["series", "region", "year", "value", "source"])


def import_workbook(db, tmp_path, last_year: int = 2025):
    """The workbook a statistician fills (the template, pre-filled), imported as they would."""
    store = service.open_store(db)
    targets = pd.DataFrame([(s, r, 2025, t) for s, r, t in TARGETS], columns=["series", "region", "year", "target"])
    path = tmp_path / f"{last_year}年报.xlsx"
    write_template(path, PLAN, observations=observations(last_year), targets=targets)
    upload, result = service.import_file(store, path.read_bytes(), file_name=path.name, user=local_operator("t"))
    assert upload.report.valid and result.revision_id == 1
    return store


@pytest.fixture
def final_store(db_path, tmp_path):
    return import_workbook(db_path, tmp_path)


def district(store):
    return compute(store.plan, store.values(), store.targets())


def test_headline_figure_and_summary_on_target_year_data(final_store):
    ev = E.evaluate(PLAN, district(final_store))
    # 19 numeric goals with a target (20 numeric minus the trend); met on 2025 data: 结案率, 质押,
    # 贯标 and the platform built in 2023; missed: 高价值, 海外, 满意度, 示范区; 马德里 met in 2024
    # only; 10 goals without any data.
    assert (ev.final, ev.as_of, ev.judged, ev.achieved) == (True, 2025, 19, 4)
    assert ev.figure == "达成 4 / 19"
    assert ev.summary == ("终期评估：19 项有目标的指标中达成 4 项，未达成 4 项；1 项2024年已达到目标、2025年数据尚未上传，"
                          "不计入达成；10 项尚无2025年数据。")
    assert [v.code for v in ev.met] == ["ops_platform", "ip_pledge_amount", "case_closure_rate",
                                        "ip_standard_units_new"]  # plan order
    # the scorecard (deck, overview) says the same
    card = scorecard(PLAN, district(final_store))
    assert (card.final, card.achieved, card.headline) == (True, 4, ev.summary)


def test_missed_goals_with_gaps_and_the_units_of_their_key_tasks(final_store):
    ev = E.evaluate(PLAN, district(final_store))
    missed = {v.code: v for v in ev.missed}
    assert list(missed) == ["hv_invention_per10k", "overseas_patents_new", "protection_demo_zone", "ip_satisfaction"]
    hv = missed["hv_invention_per10k"]
    # 18 − 17.6 = 0.4 件; the 高价值专利 task (二.1): lead unit first, then those by duty
    assert (hv.gap_text, hv.units, hv.tasks) == ("差0.4件", HV_UNITS, ("二.1 实施高价值专利培育工程",))
    assert hv.line == ("万人高价值发明专利拥有量：2025年为17.6件，未达到目标≥18件，差0.4件。"
                       "责任单位：区市场监管局(知识产权局)、区科技局、南通高新区、各镇(街道)（二.1 实施高价值专利培育工程）")
    # 6 + 8 + 9 + 4 = 27 of ≥30 (2021 is the base, not counted); no task clearly serves it
    assert missed["overseas_patents_new"].line == (
        "新增海外专利授权：2022—2025年累计27件，未达到目标≥30件，差3件。责任单位：规划未列出相关任务")
    # a strict target equalled: not met, nothing to subtract
    assert missed["ip_satisfaction"].reason == "2025年为85.0%，未达到目标>85%，恰为目标值，尚未超过"
    assert missed["protection_demo_zone"].reason == "截至2025年尚未建成"
    assert missed["protection_demo_zone"].units_text == E.NO_TASKS


def test_met_goals_say_by_how_much_in_points_for_a_percentage(final_store):
    met = {v.code: v for v in E.evaluate(PLAN, district(final_store)).met}
    assert met["case_closure_rate"].reason == "2025年为92.4%，达到目标≥90%，超出2.4个百分点"
    assert met["ip_pledge_amount"].gap_text == "超出0.50亿元"  # 亿元: 2 decimals; 20.50 − 20
    assert met["ip_standard_units_new"].reason == "2022—2025年累计84家，达到目标≥80家，超出4家"  # 18+20+21+25
    assert met["ops_platform"].reason == "2023年已建成"  # a milestone once built counts, whatever the year


def test_a_goal_met_only_on_earlier_data_is_pending_not_achieved(final_store):
    ev = E.evaluate(PLAN, district(final_store))
    madrid = next(v for v in ev.goals if v.code == "madrid_marks_total")
    assert (madrid.verdict, madrid.pending, madrid.year) == ("待定", E.EARLIER, 2024)
    assert madrid.reason == "2024年已达到目标，2025年数据尚未上传"
    assert "madrid_marks_total" not in {v.code for v in ev.met}
    nothing = next(v for v in ev.goals if v.code == "copyright_reg_per10k")
    assert (nothing.verdict, nothing.pending, nothing.reason) == ("待定", E.AWAITED, "尚无数据，2025年数据尚未上传")


def test_rank_and_trend_goals_are_apart_with_their_own_verdict(final_store):
    ev = E.evaluate(PLAN, district(final_store))
    [r] = ev.ranks
    assert (r.verdict, r.value_text) == ("达成", "第8名")
    assert r.reason == f"2025年在全省县(市、区)中排第8名（来源：{RANK_SOURCE}），进入第一方阵（前10名）"
    [t] = ev.trends
    assert (t.name, t.verdict) == ("知识产权许可转让贸易额", "增长")
    assert "ip_output_rank" not in {v.code for v in ev.goals} | {v.code for v in ev.trends}


def test_each_region_against_its_own_target(final_store):
    frame_all = compute_all(PLAN, final_store.values(), final_store.targets())
    verdicts = E.region_verdicts(PLAN, frame_all)
    # 兴仁镇 has no target of its own: not judged; regions in the frame's order
    assert [(v.region, v.verdict) for v in verdicts] == [("南通高新区", "达成"), ("川姜镇", "待定"), ("金沙街道", "未达成")]
    assert [v.reason for v in verdicts] == [
        "2025年为28.3件，达到分解目标≥28件，超出0.3件",
        "2024年已达到分解目标，2025年数据尚未上传",
        "2025年为9.5件，未达到分解目标≥10件，差0.5件"]
    summary = E.region_summary(verdicts)
    assert summary.to_dict("records") == [
        {"地区": "南通高新区", "终期结论": "达成 1 / 1", "达成": 1, "未达成": 0, "待定": 0, "未达成的指标": ""},
        {"地区": "川姜镇", "终期结论": "达成 0 / 1", "达成": 0, "未达成": 0, "待定": 1, "未达成的指标": ""},
        {"地区": "金沙街道", "终期结论": "达成 0 / 1", "达成": 0, "未达成": 1, "待定": 0,
         "未达成的指标": "万人高价值发明专利拥有量"}]
    table = E.region_goal_table(PLAN, "hv_invention_per10k", frame_all)
    assert table["地区"].tolist() == ["南通高新区", "金沙街道", "川姜镇", "兴仁镇"]  # by value, largest first
    assert table["终期结论"].tolist() == ["达成", "未达成", "待定", "无分解目标"]
    assert table["分解目标"].tolist() == ["2025年≥28件", "2025年≥10件", "2025年≥8件", "—"]
    assert "序时进度" not in table.columns and "完成进度" not in table.columns


def test_final_charts_draw_no_schedule(final_store):
    frame = district(final_store)
    fig = progress_chart(E.with_verdicts(PLAN, frame), final=True)
    assert "序时进度" not in {t.name for t in fig.data} and "序时进度" not in set(chart_data(fig)["series"])
    assert fig.layout.title.text.startswith("终期完成进度")
    hv = frame.set_index("code").loc["hv_invention_per10k"]
    goal = goal_chart(PLAN, "hv_invention_per10k", final_store.values(), hv)
    assert "达标所需路径" not in {t.name for t in goal.data}
    subtitle = goal.layout.title.subtitle.text
    assert "序时进度" not in subtitle and "终期完成进度" in subtitle  # (17.6 − 8.2) ÷ (18 − 8.2) = 95.9 %
    assert "95.9%" in subtitle
    frame_all = compute_all(PLAN, final_store.values(), final_store.targets())
    regions = region_chart(PLAN, "hv_invention_per10k", frame_all, final=True)
    labels = next(t for t in regions.data if t.name == "标注").text
    assert [x.split("<br>")[-1] for x in labels] == [" ✔ 达成", " ✖ 未达成", " … 待定", " 4.0件"]  # status: last line


def test_final_tiles_show_the_verdict_and_no_schedule_marker(final_store):
    t = tiles(PLAN, district(final_store), final=True).set_index("code")
    assert t.loc["madrid_marks_total", ["status", "value_text", "year_text", "gap_text"]].tolist() == [
        "待定", "71件", "2024年", "2025年数据尚未上传"]
    assert t.loc["hv_invention_per10k", ["status", "gap_text"]].tolist() == ["未达成", "差0.4件"]
    assert t.loc["license_trade", "status"] == "增长"
    assert t["elapsed_pct"].isna().all()


def test_before_the_target_year_the_progress_view_stays(db_path, tmp_path):
    store = import_workbook(db_path, tmp_path, last_year=2024)
    frame = district(store)
    ev = E.evaluate(PLAN, frame)
    assert (ev.final, ev.as_of) == (False, 2024)
    card = scorecard(PLAN, frame)
    assert card.headline.startswith("截至2024年（序时进度75%），19 项有目标的指标中：")
    assert card.headline.endswith("2025年数据尚未上传，终期结论待定。")
    assert "序时进度" in {t.name for t in progress_chart(frame).data}
    hv = frame.set_index("code").loc["hv_invention_per10k"]
    assert "达标所需路径" in {t.name for t in goal_chart(PLAN, "hv_invention_per10k", store.values(), hv).data}
    assert tiles(PLAN, frame)["elapsed_pct"].notna().any()


@pytest.mark.parametrize(("comparator", "target", "value", "verdict", "reason"), [
    (">=", 90, 90.0, "达成", "2025年为90.0%，恰好达到目标≥90%"),
    (">=", 90, 89.96, "未达成", "2025年为89.96%，未达到目标≥90%，差0.04个百分点"),  # never shown as 90.0
    (">", 85, 85.04, "达成", "2025年为85.04%，达到目标>85%，超出0.04个百分点"),
    ("<=", 5, 6.0, "未达成", "2025年为6.0%，未达到目标≤5%，差1.0个百分点"),
    ("<=", 0, 0.0, "达成", "2025年为0.0%，恰好达到目标≤0%"),
])
def test_boundaries_of_a_verdict(comparator, target, value, verdict, reason):
    """One numeric row at its target year, as the engine gives it: the sentence stays true at the bound."""
    import numpy as np

    from ipdata.trajectory.figures import satisfies

    met = bool(satisfies(np.array([value]), np.array([float(target)]), np.array([comparator]))[0])
    row = {"code": "case_closure_rate", "region": "全区", "kind": "level", "target": target, "comparator": comparator,
           "target_text": f"{COMPARATOR_LABELS[comparator]}{target}%",
           "target_year": 2025, "latest_year": 2025, "latest_value": value, "final_achieved": met,
           "status": "已完成" if met else "未完成", "decimals": 1}
    v = E.verdict_of(PLAN, row)
    assert (v.verdict, v.reason) == (verdict, reason)
