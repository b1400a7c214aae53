"""The theme and the goal chart: every expectation below is written by hand from the demo data
(ipdata/demo.py) or from a small frame built here, not read back from the code under test."""

from __future__ import annotations

import io
import threading

import pandas as pd
import pytest

from ipdata import figures as FG
from ipdata import service
from ipdata.catalogue import load_plan
from ipdata.figures.data import META_KEY
from ipdata.trajectory import STATUS_LABELS, compute

PLAN = load_plan()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(values, targets, status frame) of the demo data in a fresh DuckDB file."""
    store = service.open_store(tmp_path_factory.mktemp("fig") / "x.duckdb")
    service.load_demo(store)
    values, targets = store.values(), store.targets()
    return values, targets, compute(PLAN, values, targets)


def row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame[frame["code"] == code].iloc[0]


def trace(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def xy(t) -> list[tuple[int, float]]:
    return [(int(x), round(float(y), 4)) for x, y in zip(t.x, t.y, strict=True)]


def annotation_names(fig) -> list[str]:
    return [a.name for a in fig.layout.annotations]


def values_frame(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["series", "region", "year", "value"])


# --- theme -----------------------------------------------------------------------------------

EXPECTED_COLOURS = {
    "已完成": "#009E73", "已建成": "#009E73", "快于预期": "#0072B2", "基本符合预期": "#56B4E9",
    "滞后": "#E69F00", "倒退": "#D55E00", "未完成": "#D55E00", "未建成": "#D55E00",
    "数据不足": "#999999", "无分解目标": "#999999", "增长": "#0072B2", "下降": "#D55E00",
    "持平": "#999999",
    "达成": "#009E73", "未达成": "#D55E00",  # rank goals (issue 13): inside the plan's band or not
}


def test_every_status_label_has_its_colour_and_a_symbol():
    assert set(STATUS_LABELS) == set(EXPECTED_COLOURS)  # a new label must be given a colour here
    assert FG.STATUS_COLOURS == EXPECTED_COLOURS
    assert set(FG.STATUS_SYMBOLS) == set(STATUS_LABELS)
    assert all(s.strip() for s in FG.STATUS_SYMBOLS.values())
    # the symbol tells apart what the colour does not: 快于预期 and 增长 share blue
    assert FG.STATUS_SYMBOLS["快于预期"] != FG.STATUS_SYMBOLS["增长"]
    assert FG.STATUS_SYMBOLS["倒退"] != FG.STATUS_SYMBOLS["滞后"]


def test_theme_sets_fonts_background_legend_years_and_unit():
    import plotly.graph_objects as go

    fig = FG.apply_theme(go.Figure(go.Scatter(x=[2021, 2022], y=[1, 2])), title="标题",
                         unit="亿元", years=range(2021, 2026))
    full = fig.layout.template.layout
    assert FG.FONT_FAMILY.startswith("Noto Sans CJK SC")
    assert full.font.family == FG.FONT_FAMILY
    assert full.hoverlabel.font.family == FG.FONT_FAMILY
    assert full.legend.font.family == FG.FONT_FAMILY
    assert fig.layout.title.font.family == FG.FONT_FAMILY
    assert full.paper_bgcolor == "white" and full.plot_bgcolor == "white"
    assert full.legend.orientation == "h"
    assert fig.layout.title.text == "标题"
    assert fig.layout.yaxis.title.text == "亿元"
    assert list(fig.layout.xaxis.tickvals) == [2021, 2022, 2023, 2024, 2025]
    assert fig.layout.xaxis.tickformat == "d"
    assert (FG.SLIDE_WIDTH, FG.SLIDE_HEIGHT) == (1920, 1080)
    assert FG.IMAGE_ARGS["width"] * FG.IMAGE_ARGS["scale"] == 1920
    assert FG.IMAGE_ARGS["height"] * FG.IMAGE_ARGS["scale"] == 1080


# --- goal_series -----------------------------------------------------------------------------


def test_goal_series_cumulative_running_total_from_base_zero(demo):
    values, _, _ = demo
    s = FG.goal_series(PLAN, "ip_standard_units_new", values)
    # demo yearly new 15 (2021, base: not counted), 18, 20, 21
    assert s["year"].tolist() == [2021, 2022, 2023, 2024]
    assert s["tracked"].tolist() == [0, 18, 38, 59]
    assert s["value"].tolist() == [15, 18, 20, 21]


def test_goal_series_level_derived_from_count_and_population(demo):
    values, _, _ = demo
    s = FG.goal_series(PLAN, "copyright_reg_per10k", values)
    # 64740 件 / 124.5 万人 = 520; 73810 / 125.1 = 590.008; 80000 / 125 = 640; 87710 / 125.3 = 700
    assert [round(v, 3) for v in s["tracked"]] == [520, 590.008, 640, 700]
    assert s["derived"].tolist() == [True] * 4


def test_goal_series_cumulative_total_is_unknown_from_a_missing_year_on():
    v = values_frame([("overseas_patents_new", "全区", 2022, 4), ("overseas_patents_new", "全区", 2024, 7),
                      ("overseas_patents_new", "通州区", 2025, 1)])  # alias of the district
    s = FG.goal_series(PLAN, "overseas_patents_new", v)
    # 2023 is missing: 4 + ? + 7 is not 11, so 2024 and 2025 have no running total (no point)
    assert s["year"].tolist() == [2021, 2022, 2024, 2025]
    assert s["tracked"].tolist()[:2] == [0, 4] and s["tracked"].isna().tolist() == [False, False, True, True]
    assert s["value"].tolist()[1:] == [4, 7, 1]


def test_goal_series_of_a_region_and_of_nothing(demo):
    values, _, _ = demo
    assert FG.goal_series(PLAN, "ip_standard_units_new", values, "川姜镇")["tracked"].tolist() == [0, 3, 6, 8]
    assert FG.goal_series(PLAN, "ip_standard_units_new", values, "不存在镇").empty
    assert FG.goal_series(PLAN, "ip_standard_units_new", values.iloc[0:0]).empty


# --- goal_chart on the demo data ---------------------------------------------------------------


def test_goal_chart_target_required_path_projection_and_band(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"))
    assert xy(trace(fig, "实际值")) == [(2021, 8.2), (2022, 10.1), (2023, 12.0), (2024, 14.9)]
    target = trace(fig, "目标")
    assert xy(target) == [(2025, 18.0)]
    assert target_label(fig) == "2025年目标 ≥18件"
    assert xy(trace(fig, "达标所需路径")) == [(2021, 8.2), (2025, 18.0)]
    # least squares through 8.2, 10.1, 12.0, 14.9: slope 11 / 5 = 2.2, 11.3 + 2.2 × 2.5 = 16.8
    assert xy(trace(fig, "趋势预测")) == [(2024, 14.9), (2025, 16.8)]
    band = trace(fig, "80%预测区间")
    assert band.fill == "toself"
    assert [int(x) for x in band.x] == [2024, 2025, 2025, 2024]
    lo, hi = sorted(band.y[1:3])
    assert lo < 16.8 < hi


def test_goal_chart_cumulative_plots_running_totals(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "ip_standard_units_new", values, row(frame, "ip_standard_units_new"))
    assert xy(trace(fig, "实际值")) == [(2021, 0), (2022, 18), (2023, 38), (2024, 59)]
    assert xy(trace(fig, "达标所需路径")) == [(2021, 0), (2025, 80)]
    assert xy(trace(fig, "目标")) == [(2025, 80)]
    assert "累计" in trace(fig, "实际值").hovertemplate
    assert fig.layout.yaxis.title.text == "家"


def test_goal_chart_years_are_whole_numbers(demo):
    values, _, frame = demo
    for goal in PLAN.goals:
        fig = FG.goal_chart(PLAN, goal.code, values, row(frame, goal.code))
        ax = fig.layout.xaxis
        assert ax.tickformat == "d", goal.code
        assert list(ax.tickvals) == [2021, 2022, 2023, 2024, 2025], goal.code
        assert all(isinstance(v, int) for v in ax.tickvals)
        assert ax.range[0] < 2021 and ax.range[1] > 2025
        for t in fig.data:
            assert all(float(x).is_integer() for x in t.x), (goal.code, t.name)


def test_goal_chart_unit_in_axis_title_and_chinese_hover(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"))
    assert fig.layout.yaxis.title.text == "件"
    actual = trace(fig, "实际值")
    # the hover prints the figure as rounded for every page: 2024年：14.9件
    assert actual.hovertemplate.startswith("%{x}年：%{customdata[0]}")
    assert [c[0] for c in actual.customdata] == ["8.2件", "10.1件", "12.0件", "14.9件"]
    assert list(actual.text) == ["8.2", "10.1", "12.0", "14.9"]
    pct = FG.goal_chart(PLAN, "case_closure_rate", values, row(frame, "case_closure_rate"))
    assert pct.layout.yaxis.title.text == "%" and trace(pct, "实际值").customdata[-1][0] == "92.4%"
    money = FG.goal_chart(PLAN, "ip_pledge_amount", values, row(frame, "ip_pledge_amount"))
    assert money.layout.yaxis.title.text == "亿元"
    assert trace(money, "实际值").customdata[-1][0] == "21.40亿元"  # 亿元: two decimals
    count = FG.goal_chart(PLAN, "overseas_patents_new", values, row(frame, "overseas_patents_new"))
    cum = trace(count, "实际值")  # counts without decimals; a running total says so
    assert "累计%{customdata[0]}" in cum.hovertemplate and cum.customdata[-1][0] == "23件"
    assert cum.customdata[-1][1] == "（当年新增9件）"


def test_goal_chart_status_in_subtitle_with_symbol(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"))
    sub = fig.layout.title.subtitle.text
    assert "● 基本符合预期" in sub and "#56B4E9" in sub
    assert "完成进度68.4%" in sub and "序时进度75%" in sub  # 6.7 / 9.8 and 3 / 4
    assert fig.layout.title.text == "万人高价值发明专利拥有量"


def lines(text: str) -> list[str]:
    return text.split("<br>")


@pytest.mark.parametrize("code", [g.code for g in PLAN.goals])
def test_goal_chart_words_fit_a_phone(demo, code):
    """At 390 px a figure is 358 px wide and its plot ~230 px (theme.NARROW_PX, PLOT_PX); plotly
    never wraps, it cuts. The status line '● 基本符合预期 · 2025年目标 ≥18件 · 完成进度68.4%，序时
    进度75%' (≈ 440 px) lost its 序时进度; the rank's target label ran off the plot's left edge."""
    from ipdata.figures import theme as T

    values, _, frame = demo
    fig = FG.goal_chart(PLAN, code, values, row(frame, code))
    assert all(T.text_px(x, T.TITLE_FONT) <= T.NARROW_PX for x in lines(fig.layout.title.text))
    assert all(T.text_px(x, T.BASE_FONT) <= T.NARROW_PX for x in lines(fig.layout.title.subtitle.text))
    if PLAN.goal(code).kind not in ("trend", "milestone"):
        assert all(T.text_px(x, T.BASE_FONT) <= T.PLOT_PX for x in lines(target_label(fig)))
    for a in fig.layout.annotations:
        if a.name == "no-data":
            assert all(T.text_px(x, 22) <= T.PLOT_PX for x in lines(a.text))


def test_goal_chart_status_line_breaks_between_its_parts(demo):
    values, _, frame = demo
    hv = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"))
    status, progress = lines(hv.layout.title.subtitle.text)
    assert status.endswith("● 基本符合预期</span> · 2025年目标 ≥18件") and progress == "完成进度68.4%，序时进度75%"
    assert hv.layout.margin.t == 90 + 20  # the template's top margin, a line more for the subtitle
    rank = FG.goal_chart(PLAN, "ip_output_rank", values, row(frame, "ip_output_rank"))
    assert target_label(rank) == "2025年目标<br>全省县(市、区)第一方阵<br>（前10名）"
    (empty,) = [a for a in rank.layout.annotations if a.name == "no-data"]
    assert empty.text == "暂无数据：全区还没有<br>知识产权产出主要指标<br>全省排名的数据"  # 10 × 22 px a line


def target_label(fig) -> str:
    (label,) = [a for a in fig.layout.annotations if a.name == FG.goal.TARGET_LABEL]
    return label.text


def test_target_label_clears_the_lines_and_the_target_year_value(demo):
    """The target's words sit left of the star, above what reaches the target year from the left:
    the projection's end (3524 → 3741 亿元 over a ≥3500 target ran through them) and, once the
    target year has data, the value, whose own figure goes below its point when the star sits just
    above it (17.6 under the star of ≥18 was hidden)."""
    values, _, frame = demo
    hv = row(frame, "hv_invention_per10k")  # projected 16.8 < 18: the label just above the star
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, hv)
    label = next(a for a in fig.layout.annotations if a.name == FG.goal.TARGET_LABEL)
    assert (label.x, label.y, label.xanchor, label.yanchor) == (2025, 18.0, "right", "bottom")
    ahead = hv.copy()
    ahead["projected"] = 21.0  # the projection ends above the target: the label above its end
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, ahead)
    assert next(a for a in fig.layout.annotations if a.name == FG.goal.TARGET_LABEL).y == 21.0
    # the target year's value in: 17.6 under ≥18 has its figure below the point, the label above the star
    final = values[values["series"] != "hv_invention_count"]
    final = pd.concat([final, pd.DataFrame([{**values.iloc[0].to_dict(), "series": "hv_invention_per10k",
                                             "region": "全区", "year": 2025, "value": 17.6}])])
    row25 = hv.copy()
    row25[["latest_year", "latest_value", "final_achieved"]] = [2025, 17.6, False]
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", final, row25)
    actual = trace(fig, "实际值")
    assert list(actual.textposition)[-1] == "bottom center" and set(list(actual.textposition)[:-1]) == {"top center"}
    assert "✖ 未达成" in fig.layout.title.subtitle.text  # the verdict, as the pages and the report say it


def test_milestone_goal_is_a_done_timeline(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "ops_platform", values, row(frame, "ops_platform"))
    assert xy(trace(fig, "实际值")) == [(2021, 0), (2022, 0), (2023, 1), (2024, 1)]
    assert list(trace(fig, "实际值").customdata) == ["未建成", "未建成", "已建成", "已建成"]
    assert list(fig.layout.yaxis.ticktext) == ["未建成", "已建成"]
    assert {t.name for t in fig.data} == {"实际值", "目标"}
    assert "✔ 已建成" in fig.layout.title.subtitle.text


def test_trend_goal_has_values_and_direction_only(demo):
    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "license_trade", values, row(frame, "license_trade"))
    assert [t.name for t in fig.data] == ["实际值"]
    assert "增长" in fig.layout.title.subtitle.text and "明显增长" in fig.layout.title.subtitle.text


def test_region_goal_chart_uses_the_region_target(demo):
    values, targets, _ = demo
    frame = compute(PLAN, values, targets, region="川姜镇")
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"), "川姜镇")
    assert fig.layout.title.text == "万人高价值发明专利拥有量（川姜镇）"
    assert xy(trace(fig, "目标")) == [(2025, 8.0)]
    assert xy(trace(fig, "达标所需路径")) == [(2021, 4.1), (2025, 8.0)]


# --- hand-made frames -------------------------------------------------------------------------


def test_no_band_with_three_points_and_chart_data_by_hand():
    v = values_frame([("overseas_patents_new", "全区", 2021, 5), ("overseas_patents_new", "全区", 2022, 6),
                      ("overseas_patents_new", "全区", 2023, 8)])
    fr = row(compute(PLAN, v), "overseas_patents_new")
    fig = FG.goal_chart(PLAN, "overseas_patents_new", v, fr)
    assert "80%预测区间" not in {t.name for t in fig.data}
    # points (2021, 0), (2022, 6), (2023, 14): slope 14 / 2 = 7, 20/3 + 7 × 3 = 27.667 in 2025,
    # a count: 28 in the chart data as in the sentence (28 < 30, so whole is not misleading)
    expected = pd.read_csv(io.StringIO("""goal,region,series,year,value,unit
新增海外专利授权,全区,达标所需路径,2021,0,件
新增海外专利授权,全区,达标所需路径,2025,30,件
新增海外专利授权,全区,趋势预测,2023,14,件
新增海外专利授权,全区,趋势预测,2025,28,件
新增海外专利授权,全区,实际值,2021,0,件
新增海外专利授权,全区,实际值,2022,6,件
新增海外专利授权,全区,实际值,2023,14,件
新增海外专利授权,全区,目标,2025,30,件
"""))
    got = FG.chart_data(fig)
    assert list(got.columns) == ["goal", "region", "series", "year", "value", "unit"]
    got["value"] = got["value"].round(4)
    expected["year"] = expected["year"].astype("Int64")
    expected["value"] = expected["value"].astype("float64")
    pd.testing.assert_frame_equal(got, expected)
    assert list(FG.chart_data(fig, chinese_headers=True).columns) == ["指标", "地区", "系列", "年份", "数值", "单位"]


def test_band_with_four_points_from_the_frame():
    v = values_frame([("ip_service_staff", "全区", y, x) for y, x in
                      [(2021, 100), (2022, 120), (2023, 130), (2024, 155)]])
    fr = row(compute(PLAN, v), "ip_service_staff")
    fig = FG.goal_chart(PLAN, "ip_service_staff", v, fr)
    data = FG.chart_data(fig).set_index("series")
    # mean 126.25; slope (1.5·26.25 + 0.5·6.25 + 0.5·3.75 + 1.5·28.75) / 5 = 87.5 / 5 = 17.5;
    # 126.25 + 17.5 × 2.5 = 170
    assert data.loc["趋势预测", "value"].round(2).tolist() == [155, 170]
    # residuals 0, 2.5, −5, 2.5: SSE 37.5, s = √18.75 = 4.3301; half = 1.8856 × 4.3301 × √2.5
    # = 12.910: 157.09 … 182.91, people (人) shown whole in the chart data as on the page
    assert fr["projected_low"] == pytest.approx(157.090, abs=1e-3)
    assert data.loc["80%预测区间下限", "value"] == 157.0
    assert data.loc["80%预测区间上限", "value"] == 183.0
    assert "（80%区间 157—183人）" in trace(fig, "趋势预测").customdata[1][1]


def test_no_projection_once_the_target_year_has_data():
    v = values_frame([("case_closure_rate", "全区", y, x) for y, x in
                      [(2021, 86), (2022, 87), (2023, 88), (2024, 88.5), (2025, 89)]])
    fig = FG.goal_chart(PLAN, "case_closure_rate", v, row(compute(PLAN, v), "case_closure_rate"))
    names = {t.name for t in fig.data}
    assert "趋势预测" not in names and "80%预测区间" not in names
    assert "✖ 未达成" in fig.layout.title.subtitle.text  # the verdict once the target year is in


def test_chart_data_falls_back_to_traces_for_foreign_figures():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(name="甲", x=[2022, 2023], y=[1.5, None]))
    got = FG.chart_data(fig)
    assert got[["series", "year"]].values.tolist() == [["甲", 2022], ["甲", 2023]]
    assert got["value"].iloc[0] == 1.5 and pd.isna(got["value"].iloc[1])


# --- empty and demo ---------------------------------------------------------------------------


def test_goal_chart_without_data_says_so_and_still_shows_the_target():
    empty = values_frame([])
    fr = row(compute(PLAN, empty), "hv_invention_per10k")
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", empty, fr)
    no_data = [a for a in fig.layout.annotations if a.name == "no-data"]
    assert len(no_data) == 1 and no_data[0].text.startswith("暂无数据")
    assert [t.name for t in fig.data] == ["目标"]
    assert list(fig.layout.xaxis.tickvals) == [2021, 2022, 2023, 2024, 2025]
    fig = FG.goal_chart(PLAN, "ops_platform", None, None)
    assert "no-data" in annotation_names(fig)


def test_demo_mark_only_when_asked(demo):
    values, _, frame = demo
    fr = row(frame, "hv_invention_per10k")
    marked = FG.goal_chart(PLAN, "hv_invention_per10k", values, fr, demo=True)
    mark = [a for a in marked.layout.annotations if a.name == "demo-mark"]
    assert len(mark) == 1 and mark[0].text == "示例数据" and mark[0].opacity < 0.3
    assert "demo-mark" not in annotation_names(FG.goal_chart(PLAN, "hv_invention_per10k", values, fr))
    assert META_KEY in marked.layout.meta  # the data travel with the figure


# --- rendering (only where kaleido is installed) ------------------------------------------------

_RENDER = threading.Lock()  # kaleido's warm server mixes up concurrent renders


def test_png_at_slide_size_when_kaleido_is_installed(demo):
    pytest.importorskip("kaleido")
    import struct

    values, _, frame = demo
    fig = FG.goal_chart(PLAN, "hv_invention_per10k", values, row(frame, "hv_invention_per10k"))
    with _RENDER:
        png = fig.to_image(format="png", **FG.IMAGE_ARGS)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1920, 1080)
