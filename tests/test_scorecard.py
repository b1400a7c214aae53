"""The overview's scorecard and tiles, on hand-made trajectory rows and on the demo."""

import pandas as pd

from ipdata import service
from ipdata.catalogue import load_plan
from ipdata.scorecard import scorecard, tiles, tiles_html
from ipdata.views import status_frame

PLAN = load_plan()


def frame(rows):
    cols = ["code", "name", "kind", "unit", "status", "latest_year", "latest_value", "target", "gap",
            "completion", "time_elapsed", "schedule_ratio", "reach_year"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


NAN = float("nan")
MIDWAY = frame([
    ("hv_invention_per10k", "万人高价值发明专利拥有量", "level", "件", "滞后", 2023, 10.0, 18, 8.0, 0.2, 0.5, 0.4, NAN),
    ("case_closure_rate", "案件结案率", "level", "%", "已完成", 2023, 91.0, 90, -1.0, 1.2, 0.5, 2.4, 2023),
    ("ip_service_staff", "知识产权服务机构从业人员", "level", "人", "倒退", 2023, 110.0, 200, 90.0, -0.1, 0.5, -0.2, NAN),
    ("ops_platform", "建成区级重点产业知识产权运营平台", "milestone", "项", "已建成", 2023, 1.0, 1, 0.0, 1.0, 0.5, NAN, 2022),
    ("license_trade", "知识产权许可转让贸易额", "trend", "万元", "增长", 2023, 4600.0, NAN, NAN, NAN, 0.5, NAN, NAN),
])


def test_midway_scorecard():
    sc = scorecard(PLAN, MIDWAY)
    assert (sc.as_of, sc.final, sc.judged, sc.achieved) == (2023, False, 4, 2)
    assert sc.counts == {"已完成": 1, "已建成": 1, "滞后": 1, "倒退": 1, "增长": 1}
    assert sc.lagging == ("知识产权服务机构从业人员", "万人高价值发明专利拥有量")  # 倒退 before 滞后
    assert sc.headline == ("截至2023年（序时进度50%），4 项有目标的指标中：已完成 1 项，已建成 1 项，滞后 1 项，"
                           "倒退 1 项。2025年数据尚未上传，终期结论待定。")


def test_final_verdict_once_target_year_data_arrive():
    final = MIDWAY.assign(latest_year=[2025, 2025, 2024, 2025, 2025],
                          status=["未完成", "已完成", "倒退", "已建成", "增长"])
    sc = scorecard(PLAN, final)
    assert (sc.final, sc.achieved) == (True, 2)
    # the verdict on 2025 data (ipdata/evaluation.py), not the 2024 status (倒退) of the goal still awaited
    assert sc.headline == "终期评估：4 项有目标的指标中达成 2 项，未达成 1 项；1 项尚无2025年数据。"


def test_final_verdict_does_not_count_a_goal_met_only_in_an_earlier_year():
    """结案率 met in 2024, no 2025 value yet: 待定, not 达成 (issue 14)."""
    final = MIDWAY.assign(latest_year=[2025, 2024, 2024, 2025, 2025],
                          status=["未完成", "已完成", "倒退", "已建成", "增长"])
    sc = scorecard(PLAN, final)
    assert (sc.final, sc.achieved) == (True, 1)
    assert sc.headline == ("终期评估：4 项有目标的指标中达成 1 项，未达成 1 项；"
                           "1 项2024年已达到目标、2025年数据尚未上传，不计入达成；1 项尚无2025年数据。")


def test_tiles_texts_and_bars():
    t = tiles(PLAN, MIDWAY).set_index("code")
    assert t.loc["hv_invention_per10k", ["value_text", "target_text", "gap_text", "completion_pct"]].tolist() == [
        "10.0件", "≥18件", "差8.0件", 20.0]
    assert t.loc["case_closure_rate", "gap_text"] == "超出1.0个百分点"
    assert t.loc["ip_service_staff", ["value_text", "gap_text", "completion_pct"]].tolist() == ["110人", "差90人", 0.0]
    assert t.loc["ops_platform", "value_text"] == "2022年建成"
    assert t.loc["license_trade", "gap_text"] == ""


def test_tiles_html_escapes_and_links():
    t = tiles(PLAN, MIDWAY)
    t.loc[0, "name"] = "<script>x</script>"
    out = tiles_html(t, {"滞后": "#E69F00"}, {"滞后": "▼"})
    assert "<script>x" not in out and "&lt;script&gt;" in out
    assert 'href="goal?code=hv_invention_per10k"' in out
    assert out.count('class="ip-tile"') == 5


def test_demo_scorecard(tmp_path):
    store = service.open_store(tmp_path / "d.duckdb")
    service.load_demo(store)
    sc = scorecard(PLAN, status_frame(PLAN, store.values(), store.targets()))
    # achieved: 质押金额 21.4>20 and 结案率 92.4≥90 (已完成), both platforms built in 2022/2023
    assert (sc.as_of, sc.judged, sc.achieved) == (2024, 19, 4)
    assert sc.lagging[:2] == ("建成省级知识产权保护示范区", "知识产权服务机构从业人员")


def test_cumulative_goals_missing_earlier_years_are_not_counted_as_missed():
    """Only 2025 uploaded (docs/method.md §1, §7): the cumulative goals get no verdict, and the
    overview neither calls them 未完成 nor shows the 2025 increment as their total."""
    rows = [("case_closure_rate", "全区", 2025, 91.0),  # ≥ 90: 已完成
            ("hv_invention_per10k", "全区", 2025, 17.0),  # < 18: 未完成
            ("overseas_patents_new", "全区", 2025, 12.0),  # 2022-2024 missing: no verdict
            ("ip_standard_units_new", "全区", 2025, 80.0)]  # even 80 ≥ 60 alone: no verdict
    frame = status_frame(PLAN, pd.DataFrame(rows, columns=["series", "region", "year", "value"]))
    cum = frame[frame["code"].isin(["overseas_patents_new", "ip_standard_units_new"])]
    assert cum["status"].tolist() == ["数据不足", "数据不足"]
    assert cum["final_achieved"].isna().all() and cum["latest_value"].isna().all()
    assert cum["narrative"].tolist() == [
        "新增海外专利授权数据不足：缺少2022、2023、2024年的新增数，无法判断是否完成。",
        "新增贯标单位数据不足：缺少2022、2023、2024年的新增数，无法判断是否完成。"]
    assert not cum["narrative"].str.contains("未完成|累计").any()
    sc = scorecard(PLAN, frame)
    assert (sc.final, sc.achieved, sc.counts.get("未完成")) == (True, 1, 1)
    # 19 judged; 16 goals have no 2025 data; 2 have it but lack 2022-2024
    assert sc.headline == ("终期评估：19 项有目标的指标中达成 1 项，未达成 1 项；15 项尚无2025年数据；"
                           "2 项数据不全，无法判断是否完成。")
    t = tiles(PLAN, frame).set_index("code")
    assert t.loc["overseas_patents_new", ["status", "value_text", "year_text", "gap_text"]].tolist() == [
        "数据不足", "数据不全", "", ""]


def test_goal_data_table_running_total_stops_at_a_missing_year():
    from ipdata.views import goal_data_table

    values = pd.DataFrame({"series": "overseas_patents_new", "region": "全区", "year": [2021, 2022, 2024, 2025],
                           "value": [5.0, 6.0, 9.0, 4.0], "revision_id": 1, "source": None, "note": None})
    table = goal_data_table(PLAN, "overseas_patents_new", values, pd.DataFrame())
    # 2021 is the base (not counted); 2022 → 6; 2023 missing → 2024 and 2025 have no total (not 15, 19)
    assert table["年份"].tolist() == [2021, 2022, 2024, 2025]
    # what the page shows: whole numbers for a count, — where the total is unknown, no None/nan
    assert table["数值"].tolist() == ["5", "6", "9", "4"]
    assert table["2022年以来累计"].tolist() == ["基期，不计入", "6", "—", "—"]
    assert table["备注"].tolist() == ["", "", "", ""] and table["来源"].tolist() == ["", "", "", ""]
