"""Regions (镇/街道) of one goal: a ranking of their values, and their lines over the years."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ipdata import inert
from ipdata import rounding as R
from ipdata.catalogue import Plan
from ipdata.evaluation import with_verdicts
from ipdata.figures import theme as T
from ipdata.figures.data import attach, row
from ipdata.figures.goal import ACTUAL, goal_series, milestone_axis, region_of
from ipdata.trajectory import labels as L
from ipdata.trajectory.targets import adds_up, district_rule

VALUE, OWN_TARGET = "数值", "分解目标"


def share_label(plan: Plan) -> str:
    """The share series' name in the plan's words: 占全区比重, 占全县比重 …"""
    return f"占{plan.district}比重"


def _at_year(plan: Plan, code: str, f: pd.DataFrame, year: int, values: pd.DataFrame | None) -> pd.DataFrame:
    """Each region's tracked value in `year` (from `values`), its share of the district then."""
    if values is None:  # only the frame: the regions whose latest year is `year`
        return f[f["latest_year"] == year].assign(value=f["latest_value"], year=year)

    def at(region: str) -> float | None:
        s = goal_series(plan, code, values, region)
        hit = s.loc[s["year"] == year, "tracked"]
        return None if hit.empty else T.num(hit.iloc[0])

    district = at(plan.district)
    out = f.assign(value=[at(r) for r in f["region"]], year=year)
    # The engine's rule (additive in the plan): a ratio or a share is no part of a total.
    ok = adds_up(plan.goal(code)) and district is not None and district > 0
    return out.assign(share_of_district=[v / district if ok and v is not None else None
                                         for v in out["value"]])


def region_chart(plan: Plan, code: str, frame_all: pd.DataFrame | None, year: int | None = None,
                 *, values: pd.DataFrame | None = None, demo: bool = False, final: bool = False) -> go.Figure:
    """Per-region values of one goal as horizontal bars, largest on top; the district excluded.

    Bars are coloured by each region's status (无分解目标 grey) with the share of the district
    total in the label and hover; a star marks a region's own target where it has one.
    `year` None = each region's latest value (from `frame_all`, rows of compute_all); with a year,
    the values of that year (looked up in `values` if given, else rows whose latest year it is).
    `final` (the final evaluation): each region's verdict on its own target (达成 / 未达成 / 待定,
    ipdata/evaluation.py) instead of its progress status.
    """
    goal = plan.goal(code)
    title = f"{goal.name}：分{plan.region_level}" + (f"{year}年" if year else "最新值")
    mark = T.DEMO_MARK if demo else None
    if frame_all is None or frame_all.empty:
        return T.empty_figure(title, demo=demo, unit=goal.unit)
    f = frame_all[(frame_all["code"] == code)
                  & ~frame_all["region"].astype(str).map(plan.is_district)].copy()
    if final and not f.empty:
        f = with_verdicts(plan, f)
    if year is None:
        f = f.assign(value=f["latest_value"], year=f["latest_year"])
    else:
        f = _at_year(plan, code, f, int(year), values)
    f = f[f["value"].map(T.num).notna()] if not f.empty else f
    if f.empty:
        return T.empty_figure(title, text=f"{T.NO_DATA_TEXT}：还没有分{plan.region_level}的{goal.name}数据",
                              demo=demo)
    f = f.assign(value=f["value"].astype(float)).sort_values("value", ascending=False, kind="stable")
    years = f["year"].dropna().astype(int).unique()
    if year is None and len(years) == 1:
        title = f"{goal.name}：分{plan.region_level}{years[0]}年"
    shares = [T.num(s) for s in f["share_of_district"]]
    unit = goal.unit
    milestone = goal.kind == "milestone"
    # each region's figure rounded by the goal's rule against that region's own target
    rules = [R.rule_of(r, goal) for _, r in f.iterrows()]
    shown_vals = [("已建成" if v >= 1 else "未建成") if milestone else rule.value(v, unit)
                  for v, rule in zip(f["value"], rules, strict=True)]
    share_txt = ["" if s is None else f"（占{plan.district}{R.percent(s)}）" for s in shares]
    statuses = [s if isinstance(s, str) else "" for s in f["status"]]
    regions = f["region"].astype(str).tolist()
    shown = [inert.plotly(r) for r in regions]  # names from uploads, drawn as typed (no markup)
    said = "终期结论" if final else "状态"
    fig = go.Figure(go.Bar(
        name=VALUE, orientation="h", y=shown, x=f["value"].tolist(),
        marker={"color": [T.status_colour(s) for s in statuses]},
        showlegend=False,
        customdata=[[v, s or "—", f"{T.status_symbol(st)} {st}", "" if T.is_missing(y) else int(y)]
                    for v, s, st, y in zip(shown_vals, share_txt, statuses, f["year"], strict=True)],
        hovertemplate="%{y}（%{customdata[3]}年）：%{customdata[0]}%{customdata[1]}"
                      "<br>" + said + "：%{customdata[2]}<extra></extra>",
    ))
    data_rows = [row(goal.name, r, VALUE, y, rule.as_float(v), unit)
                 for r, y, v, rule in zip(regions, f["year"], f["value"], rules, strict=True)]
    data_rows += [row(goal.name, r, share_label(plan), y, float(R.percent(s).rstrip("%")), "%")
                  for r, y, s in zip(regions, f["year"], shares, strict=True) if s is not None]
    own = f[f["target"].map(T.num).notna()]
    if not own.empty and not milestone:
        fig.add_trace(go.Scatter(
            name=OWN_TARGET, y=[inert.plotly(r) for r in own["region"].astype(str)], x=own["target"].tolist(),
            mode="markers",  # a tall tick, so that it does not hide the value label behind it
            marker={"symbol": "line-ns", "size": 30, "line": {"width": 4, "color": T.TARGET}},
            customdata=own["target_text"].tolist(),
            hovertemplate="%{y}分解目标：%{customdata}<extra></extra>"))
        data_rows += [row(goal.name, r, OWN_TARGET, y, t, unit)
                      for r, y, t in zip(own["region"], own["target_year"], own["target"], strict=True)]
    # Labels right of the bar and of the region's target tick, so that neither hides the other:
    # the value, its share and the status on lines of their own, so that they fit beside the bar
    # on a phone too (plotly cuts a label at the figure's edge).
    targets = [T.num(t) for t in f["target"]] if not milestone else [None] * len(f)
    ends = [max(v, t or 0.0) for v, t in zip(f["value"], targets, strict=True)]
    texts = [[f" {v}", *([f" {s}"] if s else []),
              *([] if st in ("", L.NO_TARGET) else [f" {T.status_symbol(st)} {st}"])]
             for v, s, st in zip(shown_vals, share_txt, statuses, strict=True)]
    fig.add_trace(go.Scatter(
        name="标注", y=shown, mode="text", textposition="middle right", cliponaxis=False,
        x=ends, text=["<br>".join(t) for t in texts],
        showlegend=False, hoverinfo="skip", textfont={"family": T.FONT_FAMILY}))
    hi = max([*f["value"].tolist(), *own["target"].astype(float).tolist(), 0.0])
    # The x range leaves each label its room right of its bar on a phone's plot (T.PLOT_PX).
    room = [1 - max(T.text_px(x, T.BASE_FONT) for x in t) / T.PLOT_PX for t in texts]
    stretch = max([1.5, *[e / hi / r for e, r in zip(ends, room, strict=True) if hi > 0 and r > 0]])
    lines = max(len(t) for t in texts)
    T.apply_theme(fig, title=title, watermark=mark)
    fig.update_layout(height=max(320, (12 + 22 * lines) * len(f) + 230), bargap=0.3, showlegend=not own.empty)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False, zeroline=False,
                     rangemode="normal")
    if milestone:
        fig.update_xaxes(**milestone_axis(), showgrid=True)
    else:
        fig.update_xaxes(title={"text": unit}, range=[0, hi * stretch or 1], showgrid=True,
                         gridcolor="#E5E5E5")
    return attach(fig, data_rows)


def region_trend_chart(plan: Plan, code: str, values: pd.DataFrame | None, regions: list[str],
                       *, demo: bool = False) -> go.Figure:
    """One line per region over the years (tracked values: running totals for cumulative goals);
    colour and marker shape both differ per region."""
    goal = plan.goal(code)
    title = f"{goal.name}：分地区趋势"
    rule = R.Rule(goal.display_decimals)  # a region's line: no target of its own here
    district_line = district_rule(plan, goal, _base_value(plan, code, values))
    fig = go.Figure()
    data_rows, years = [], []
    for i, reg in enumerate(regions or []):
        name = region_of(plan, reg)
        s = goal_series(plan, code, values, name)
        s = s[s["tracked"].notna()]
        if s.empty:
            continue
        district = name == plan.district
        colour = T.ACTUAL if district else T.REGION_COLOURS[i % len(T.REGION_COLOURS)]
        prefix = "累计" if goal.kind == "cumulative" else ""
        label = inert.plotly(name)  # a legend entry and hover box: drawn as typed
        mine = district_line if district else rule
        fig.add_trace(go.Scatter(
            name=label, x=s["year"].tolist(), y=s["tracked"].tolist(), mode="lines+markers",
            line={"color": colour, "width": 4 if district else 2.5},
            marker={"size": 9, "color": colour, "symbol": T.REGION_SYMBOLS[i % len(T.REGION_SYMBOLS)]},
            customdata=[mine.value(v, goal.unit) for v in s["tracked"]],
            hovertemplate=f"%{{x}}年：{prefix}%{{customdata}}<extra>{label}</extra>"))
        data_rows += [row(goal.name, name, ACTUAL, y, mine.as_float(v), goal.unit)
                      for y, v in zip(s["year"], s["tracked"], strict=True)]
        years += s["year"].tolist()
    if not data_rows:
        return T.empty_figure(title, demo=demo, years=plan.years, unit=goal.unit)
    span = range(min([*years, plan.base_year_of(goal)]), max([*years, plan.target_year_of(goal)]) + 1)
    T.apply_theme(fig, title=title, unit="" if goal.kind == "milestone" else goal.unit, years=span,
                  watermark=T.DEMO_MARK if demo else None)
    if goal.kind == "milestone":
        fig.update_yaxes(**milestone_axis())
    return attach(fig, data_rows)


def _base_value(plan: Plan, code: str, values: pd.DataFrame | None) -> float | None:
    """The district's uploaded base-year value (a target derived from it rounds by it)."""
    goal = plan.goal(code)
    if not goal.target_rule or goal.base_value is not None or values is None or len(values) == 0:
        return None
    s = goal_series(plan, code, values, plan.district)
    hit = s.loc[s["year"] == plan.base_year_of(goal), "value"]
    return None if hit.empty else T.num(hit.iloc[0])
