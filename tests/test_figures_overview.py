"""Progress, category and region charts; expectations written by hand from ipdata/demo.py."""

from __future__ import annotations

import pandas as pd
import pytest

from ipdata import figures as FG
from ipdata import service
from ipdata.catalogue import load_plan
from ipdata.trajectory import compute, compute_all

PLAN = load_plan()
EMPTY = pd.DataFrame(columns=["series", "region", "year", "value"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = service.open_store(tmp_path_factory.mktemp("fig") / "x.duckdb")
    service.load_demo(store)
    values, targets = store.values(), store.targets()
    return values, compute(PLAN, values, targets), compute_all(PLAN, values, targets)


def names(fig) -> list[str]:
    return [a.name for a in fig.layout.annotations]


def bars(fig):
    (bar,) = [t for t in fig.data if t.type == "bar"]
    return bar


def labels(fig) -> list[str]:
    (text,) = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    return list(text.text)


# --- progress_chart ---------------------------------------------------------------------------


def test_progress_one_bar_per_goal_coloured_by_status(demo):
    _, frame, _ = demo
    fig = FG.progress_chart(frame)
    bar = bars(fig)
    assert list(bar.y) == [g.name for g in PLAN.goals]  # plan order, top to bottom
    assert fig.layout.yaxis.autorange == "reversed"
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["万人高价值发明专利拥有量"] == "#56B4E9"  # 基本符合预期: 0.684 / 0.75 = 0.91
    assert colours["知识产权质押登记担保金额"] == "#009E73"  # 已完成: 21.4 > 20
    assert colours["知识产权服务机构从业人员"] == "#D55E00"  # 倒退: 116 < 120 at base
    assert colours["专利密集型产业增加值占GDP比重"] == "#E69F00"  # 滞后: (14.2−12.1)/(16−12.1)=0.54
    assert colours["新增海外专利授权"] == "#0072B2"  # 快于预期: 23/30 = 0.767 ≥ 0.75
    assert list(bar.marker.color) == [FG.STATUS_COLOURS[s] for s in frame["status"]]
    x = dict(zip(bar.y, bar.x, strict=True))
    assert round(x["万人高价值发明专利拥有量"], 1) == 68.4 and round(x["知识产权服务机构从业人员"], 1) == -5.0
    assert x["知识产权许可转让贸易额"] == 0  # a trend goal has no completion


def test_progress_labels_carry_symbol_and_status_and_schedule_marker(demo):
    _, frame, _ = demo
    fig = FG.progress_chart(frame)
    (labels,) = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    text = dict(zip(labels.y, labels.text, strict=True))
    assert text["万人高价值发明专利拥有量"] == "● 基本符合预期　68.4%"
    assert text["知识产权许可转让贸易额"] == "↗ 增长"
    (schedule,) = [t for t in fig.data if t.name == "序时进度"]
    assert set(schedule.x) == {75.0}  # (2024 − 2021) / (2025 − 2021)
    data = FG.chart_data(fig)
    assert set(data["series"]) == {"完成进度", "序时进度"} and (data["unit"] == "%").all()


def test_progress_several_regions_never_merge_bars(demo):
    _, _, frame_all = demo
    sub = frame_all[frame_all["code"] == "hv_invention_per10k"]
    bar = bars(FG.progress_chart(sub))
    assert len(set(bar.y)) == len(sub) == 5
    assert "万人高价值发明专利拥有量（川姜镇）" in bar.y


def test_progress_on_a_phone_writes_name_and_status_above_each_bar(demo):
    """At 390 px the goal names beside the bars took two thirds of the width and labels such as
    '● 基本符合预期　68.4%' ran past the right edge. The phone's figure writes each goal's name and
    status above its bar, on lines that fit, and gives the bars the plot's full width."""
    from ipdata.figures import overview as O
    from ipdata.figures import theme as T

    _, frame, _ = demo
    wide, narrow = FG.progress_chart(frame), FG.progress_chart(frame, narrow=True)
    assert FG.chart_data(narrow).equals(FG.chart_data(wide))  # the same chart: the downloads are the wide one's
    assert narrow.layout.yaxis.showticklabels is False  # no names beside the bars
    words = dict(zip(bars(wide).y, labels(narrow), strict=True))
    assert words["万人高价值发明专利拥有量"] == "万人高价值发明专利拥有量<br>● 基本符合预期　68.4%"
    assert words["新增海外专利授权"] == "新增海外专利授权　▲ 快于预期　76.7%"  # short enough for one line
    for w in words.values():
        assert all(T.text_px(line, O.NARROW_FONT) <= O.NARROW_TEXT_PX for line in w.split("<br>")), w
    # each goal's words end above its bar (y grows downwards, in lines of text)
    (text,) = [t for t in narrow.data if t.type == "scatter" and t.mode == "text"]
    bar = bars(narrow)
    for top, w, y in zip(text.y, text.text, bar.y, strict=True):
        assert top + w.count("<br>") + 1 <= y - bar.width / 2
    assert narrow.layout.yaxis.range[0] >= bar.y[-1] + bar.width / 2  # the last bar inside the plot
    # the x range holds the bars (168.6 % the longest, −5 % the lowest) and no room for labels
    lo, hi = narrow.layout.xaxis.range
    assert -12 < lo < -5 and 168.6 < hi < 180
    assert wide.layout.xaxis.range[1] > 215  # the wide figure keeps room right of its bars
    (schedule,) = [t for t in narrow.data if t.name == "序时进度"]
    assert set(schedule.x) == {75.0} and list(schedule.y) == [y for y, e in zip(bar.y, frame["time_elapsed"],
                                                                             strict=True) if e == e]
    final = FG.progress_chart(frame, final=True, narrow=True)
    assert [t.name for t in final.data] == ["完成进度", "状态"]  # no 序时进度 once final


def test_progress_empty_frame():
    fig = FG.progress_chart(pd.DataFrame())
    assert "no-data" in names(fig) and len(fig.data) == 0
    assert "demo-mark" in names(FG.progress_chart(pd.DataFrame(), demo=True))


# --- category_chart ---------------------------------------------------------------------------


def test_category_small_multiples_one_subplot_per_goal(demo):
    values, frame, _ = demo
    fig = FG.category_chart(PLAN, "运用", values, frame)
    goals = [g for g in PLAN.goals if g.category == "运用"]
    assert len(goals) == 5
    titles = [a.text for a in fig.layout.annotations if a.name is None]
    assert len(titles) == 5
    assert "建成区级重点产业知识产权运营平台" in titles[0] and "✔ 已建成" in titles[0]
    assert "▼ 滞后" in titles[2]  # 专利密集型产业增加值占GDP比重
    xaxes = [k for k in fig.layout.to_plotly_json() if k.startswith("xaxis")]
    assert len(xaxes) == 6  # a 3 × 2 grid
    for k in xaxes[:5]:
        ax = fig.layout[k]
        assert ax.tickformat == "d" and list(ax.tickvals) == [2021, 2022, 2023, 2024, 2025]
    # 质押 (5th goal, 亿元): the target of its own subplot is at (2025, 20)
    data = FG.chart_data(fig)
    pledge = data[(data["goal"] == "知识产权质押登记担保金额") & (data["series"] == "目标")]
    assert pledge[["year", "value"]].values.tolist() == [[2025, 20]]
    assert fig.layout.yaxis5.title.text == "亿元"
    legend = [t.name for t in fig.data if t.showlegend]
    assert sorted(legend) == sorted(set(legend))  # each series once in the legend


def test_category_without_data_and_unknown_category():
    frame = compute(PLAN, EMPTY)
    fig = FG.category_chart(PLAN, "人才", EMPTY, frame, demo=True)
    assert names(fig).count("no-data") == 2 and "demo-mark" in names(fig)
    assert "no-data" in names(FG.category_chart(PLAN, "不存在", EMPTY, None))


# --- region_chart -----------------------------------------------------------------------------


def test_region_chart_excludes_district_and_ranks_descending(demo):
    _, _, frame_all = demo
    fig = FG.region_chart(PLAN, "ip_standard_units_new", frame_all)
    bar = bars(fig)
    # 2022-2024 new units: 高新区 6+7+8, 金沙 3+4+4, 川姜 3+3+2, 兴仁 2+2+3
    assert list(bar.y) == ["南通高新区", "金沙街道", "川姜镇", "兴仁镇"]
    assert list(bar.x) == [21, 11, 8, 7]
    assert fig.layout.yaxis.autorange == "reversed"  # first (largest) on top
    assert "全区" not in bar.y
    # value, share and status each on its own line (they fit beside the bar on a phone)
    assert labels(fig)[0] == " 21家<br> （占全区35.6%）<br> ● 基本符合预期"  # 21 / 59; own target 30
    assert labels(fig)[1] == " 11家<br> （占全区18.6%）"  # 无分解目标: no status word
    assert fig.layout.xaxis.title.text == "家"
    assert fig.layout.title.text == "新增贯标单位：分镇(街道)2024年"  # the plan's region_level as written
    data = FG.chart_data(fig)
    share = data[data["series"] == "占全区比重"].set_index("region")["value"].round(1)
    assert share.to_dict() == {"南通高新区": 35.6, "金沙街道": 18.6, "川姜镇": 13.6, "兴仁镇": 11.9}
    own = data[data["series"] == "分解目标"].set_index("region")["value"].to_dict()
    assert own == {"南通高新区": 30, "川姜镇": 10}


@pytest.mark.parametrize("code", ["ip_standard_units_new", "hv_invention_per10k"])
def test_region_chart_labels_fit_beside_their_bars_on_a_phone(demo, code):
    """On a 390-px phone the plot is ~230 px wide (FG.theme.PLOT_PX): each label, drawn right of
    its bar or target tick, ends inside it. Before, one line '24.1件　● 基本符合预期' went 60 px
    past the figure's edge, where plotly cuts it."""
    from ipdata.figures import theme as T

    _, _, frame_all = demo
    fig = FG.region_chart(PLAN, code, frame_all)
    (text,) = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    hi = fig.layout.xaxis.range[1]
    for x, label in zip(text.x, text.text, strict=True):
        widest = max(T.text_px(line, T.BASE_FONT) for line in label.split("<br>"))
        assert x / hi * T.PLOT_PX + widest <= T.PLOT_PX + 0.5, (label, x, hi)
    # the title fits a phone too: '万人高价值发明专利拥有量：<br>分镇(街道)2024年' (407 px in one line)
    assert all(T.text_px(line, T.TITLE_FONT) <= T.NARROW_PX for line in fig.layout.title.text.split("<br>"))


def test_category_chart_in_one_column_for_a_phone(demo):
    values, frame, _ = demo
    wide = FG.category_chart(PLAN, "创造", values, frame)
    narrow = FG.category_chart(PLAN, "创造", values, frame, columns=1)
    domains = {tuple(narrow.layout[k].domain) for k in narrow.layout if k.startswith("xaxis")}
    assert domains == {(0.0, 1.0)}  # every goal the figure's full width, one under the other
    assert len({tuple(wide.layout[k].domain) for k in wide.layout if k.startswith("xaxis")}) == 3
    ys = sorted(tuple(narrow.layout[k].domain) for k in narrow.layout if k.startswith("yaxis"))
    assert len(ys) == 5 and all(a[1] < b[0] for a, b in zip(ys, ys[1:], strict=False))  # no overlap
    assert FG.chart_data(narrow).equals(FG.chart_data(wide))  # the same chart, laid out for a phone


def test_region_chart_colours_by_region_status(demo):
    _, _, frame_all = demo
    fig = FG.region_chart(PLAN, "hv_invention_per10k", frame_all)
    bar = bars(fig)
    assert list(bar.y) == ["南通高新区", "金沙街道", "川姜镇", "兴仁镇"]  # 24.1, 8.1, 6.6, 3.9
    # 川姜镇 4.1 → 6.6 of target 8: c = 2.5 / 3.9 = 0.64, q = 0.85 → 滞后
    assert dict(zip(bar.y, bar.marker.color, strict=True))["川姜镇"] == "#E69F00"
    # ratios have no share of the district
    assert "占全区" not in "".join(labels(fig))


def test_region_chart_of_a_given_year(demo):
    values, _, frame_all = demo
    fig = FG.region_chart(PLAN, "ip_standard_units_new", frame_all, 2023, values=values)
    assert list(bars(fig).x) == [13, 7, 6, 4]  # running totals 2022-2023
    assert "占全区34.2%" in labels(fig)[0]  # 13 / (18 + 20)


def test_region_chart_without_regions(demo):
    _, frame, _ = demo
    assert "no-data" in names(FG.region_chart(PLAN, "hv_invention_per10k", frame))  # district only
    assert "no-data" in names(FG.region_chart(PLAN, "hv_invention_per10k", pd.DataFrame()))
    assert "no-data" in names(FG.region_chart(PLAN, "hv_invention_per10k", None, demo=True))


# --- region_trend_chart -----------------------------------------------------------------------


def test_region_trend_lines_per_region(demo):
    values, _, _ = demo
    fig = FG.region_trend_chart(PLAN, "ip_standard_units_new", values, ["通州区", "川姜镇", "无此镇"])
    assert [t.name for t in fig.data] == ["全区", "川姜镇"]  # an alias is the district; no data, no line
    assert [list(t.y) for t in fig.data] == [[0, 18, 38, 59], [0, 3, 6, 8]]
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol  # not colour alone
    assert fig.layout.xaxis.tickformat == "d"
    assert list(fig.layout.xaxis.tickvals) == [2021, 2022, 2023, 2024, 2025]
    assert fig.layout.yaxis.title.text == "家"
    assert list(fig.data[1].customdata) == ["0家", "3家", "6家", "8家"]  # 累计%{customdata}
    assert len(FG.chart_data(fig)) == 8


def test_region_trend_without_data():
    fig = FG.region_trend_chart(PLAN, "hv_invention_per10k", EMPTY, ["川姜镇"], demo=True)
    assert "no-data" in names(fig) and "demo-mark" in names(fig)
    assert "no-data" in names(FG.region_trend_chart(PLAN, "hv_invention_per10k", None, []))


def test_every_builder_marks_demo(demo):
    values, frame, frame_all = demo
    figs = [
        FG.goal_chart(PLAN, "hv_invention_per10k", values, frame.iloc[0], demo=True),
        FG.progress_chart(frame, demo=True),
        FG.category_chart(PLAN, "创造", values, frame, demo=True),
        FG.region_chart(PLAN, "hv_invention_per10k", frame_all, demo=True),
        FG.region_trend_chart(PLAN, "hv_invention_per10k", values, ["全区"], demo=True),
    ]
    assert [names(f).count("demo-mark") for f in figs] == [1, 1, 1, 1, 1]
