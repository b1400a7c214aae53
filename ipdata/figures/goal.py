"""One goal over the years: actual values, target, required path, projection and its band.

    goal_series(plan, code, values, region) -> year, value, tracked, derived
    is_final(figures) -> the row has its target year's data: no 达标所需路径, no 序时进度
    goal_chart(plan, code, values, figures, region, notes=...) -> the chart of the 指标详情 page
    draw_goal(fig, ...) -> the same traces into a subplot (used by the category chart)

Notes statisticians wrote on the goal (ipdata/notes.py) are drawn too: a year's note as a dotted
line at its year marked 注1, 注2 … (the note in the hover), and every note in the caption under
the chart, so that a PNG or a slide carries them; chart_notes(fig) gives them as a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ipdata import inert
from ipdata import rounding as R
from ipdata.catalogue import COMPARATOR_LABELS, Goal, Plan
from ipdata.figures import theme as T
from ipdata.figures.data import attach, attach_notes, row
from ipdata.trajectory import DEFAULT, goal_values
from ipdata.trajectory import labels as L
from ipdata.trajectory.targets import district_rule, path_points

if TYPE_CHECKING:
    from ipdata.notes import GoalNote

SERIES_COLUMNS = ["year", "value", "tracked", "derived"]
# Series names: legend entries and the `series` column of chart_data.
ACTUAL, TARGET, REQUIRED, PROJECTION = "实际值", "目标", "达标所需路径", "趋势预测"
INTERIM = "阶段目标"
BAND, BAND_LOW, BAND_HIGH = "80%预测区间", "80%预测区间下限", "80%预测区间上限"
# Notes: the marks at their years and the caption (annotation names), its size in pixels.
NOTE_MARK, NOTE_CAPTION = "note-mark", "notes-caption"
TARGET_LABEL = "target-label"  # the annotation that says the target beside its star
CAPTION_FONT, CAPTION_LINE_PX, CAPTION_CHARS, CAPTION_LINES = 12, 18, 70, 4
CAPTION_SHIFT = 34  # pixels from the plot's bottom edge: below the year ticks
PAGE_HEIGHT = 450  # the chart's height on a page (Streamlit's default); an image export is taller
MARGIN_BOTTOM = 70  # the theme's (T.TEMPLATE): room for the ticks and the legend


def _empty_series() -> pd.DataFrame:
    return pd.DataFrame({"year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64"),
                         "tracked": pd.Series(dtype="float64"), "derived": pd.Series(dtype=bool)})


def region_of(plan: Plan, region: str | None) -> str:
    return plan.district if region is None or plan.is_district(region) else str(region)


def goal_series(plan: Plan, code: str, values: pd.DataFrame | None, region: str | None = None,
                *, target_year: int | None = None) -> pd.DataFrame:
    """The values of one goal in one region (default: the district), by year.

    `value` is what was uploaded (or derived from count ÷ denominator, `derived`); `tracked` is
    what the trajectory judges: the value itself, or for cumulative goals the running total of the
    yearly new values after the base year, with the base year at 0; from a missing year on the
    running total is unknown and has no point. Cumulative goals are cut at the target year, as in
    the engine.
    """
    goal = plan.goal(code)
    region = region_of(plan, region)
    if values is None or len(values) == 0:
        return _empty_series()
    gv = goal_values(plan, values, [code])
    s = gv.loc[(gv["series"] == code) & (gv["region"] == region), ["year", "value", "derived"]]
    if goal.kind != "cumulative":
        if s.empty:
            return _empty_series()
        out = s.assign(tracked=s["value"])[SERIES_COLUMNS].reset_index(drop=True)
        return out.astype({"year": "int64", "value": "float64", "tracked": "float64", "derived": bool})
    base, last = plan.base_year_of(goal), target_year or plan.target_year_of(goal)
    s = s[(s["year"] >= base) & (s["year"] <= last)]
    if s.empty:
        return _empty_series()
    years = np.arange(base, int(s["year"].max()) + 1)
    s = s.set_index("year").reindex(years)
    value = s["value"].to_numpy(dtype="float64")
    after = years > base
    running = np.cumsum(np.where(after & ~np.isnan(value), value, 0.0))
    # A missing year leaves the running total unknown from then on (as in the engine's panel).
    known = np.cumsum(after & np.isnan(value)) == 0
    tracked = np.where(~after, 0.0, np.where(known, running, np.nan))
    out = pd.DataFrame({"year": years.astype("int64"), "value": value, "tracked": tracked,
                        "derived": s["derived"].fillna(False).astype(bool).to_numpy()})
    return out[out["year"].eq(base) | out["value"].notna()].reset_index(drop=True)


@dataclass
class Drawn:
    """What draw_goal put on the figure: chart-data rows, years covered, y extent."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)

    def year_range(self, plan: Plan) -> range:
        ys = [*self.years, plan.base_year, plan.target_year]
        return range(min(ys), max(ys) + 1)

    def y_range(self) -> list[float] | None:
        if not self.ys:
            return None
        lo, hi = min(0.0, min(self.ys)), max(0.0, max(self.ys))
        pad = (hi - lo) * 0.18 or 1.0
        return [lo - (pad * 0.4 if lo < 0 else 0), hi + pad]


def _get(fr: Mapping | pd.Series | None, key: str) -> Any:
    if fr is None:
        return None
    v = fr.get(key) if hasattr(fr, "get") else None
    return None if T.is_missing(v) and not isinstance(v, str) else v


def _hover(label: str, prefix: str = "") -> str:
    """'2024年：14.9件（预测）': the figure as rounded for every page (customdata[0]), a note after."""
    return f"%{{x}}年：{prefix}%{{customdata[0]}}%{{customdata[1]}}<extra>{label}</extra>"


def draw_goal(fig: go.Figure, plan: Plan, goal: Goal, series: pd.DataFrame, fr: Any, *,
              region: str, row_col: tuple[int, int] | None = None, shown: set[str] | None = None,
              band: bool = True, labels: bool = True) -> Drawn:
    """Add the goal's traces to `fig` (or to subplot `row_col`); legend entries once per name."""
    shown = set() if shown is None else shown
    d = Drawn()
    where = {"row": row_col[0], "col": row_col[1]} if row_col else {}

    def add(trace: go.Scatter, name: str, legend: bool = True) -> None:
        """legend=False: a trace that should not stand for its name in a shared legend."""
        trace.update(name=name, legendgroup=name, showlegend=legend and name not in shown)
        if legend:
            shown.add(name)
        fig.add_trace(trace, **where)

    # Without a row, the district's rule (a derived target as judged, not the raw product).
    rule = R.rule_of(fr, goal) if fr is not None else district_rule(plan, goal)

    def record(name: str, xs, ys) -> None:
        """Chart data: each figure as it is shown (rounded once, ipdata.rounding)."""
        for x, y in zip(xs, ys, strict=True):
            d.rows.append(row(goal.name, region, name, x, rule.as_float(y), goal.unit))
            d.years.append(int(x))
            if T.num(y) is not None:
                d.ys.append(float(y))

    if goal.kind == "milestone":
        # Among other goals (subplots) its 0/1 markers would stand badly for 实际值 in the legend.
        _draw_milestone(add, record, goal, series, fr, labels, legend=row_col is None)
        return d
    target, target_year = T.num(_get(fr, "target")), _get(fr, "target_year") or plan.target_year_of(goal)
    d.years += [plan.base_year_of(goal), int(target_year)]
    base_year, base_value = _get(fr, "base_year"), T.num(_get(fr, "base_value"))
    latest_year, latest_value = _get(fr, "latest_year"), T.num(_get(fr, "latest_value"))
    projected = T.num(_get(fr, "projected"))
    low, high = T.num(_get(fr, "projected_low")), T.num(_get(fr, "projected_high"))
    has_target = goal.kind != "trend" and target is not None
    written = f"{R.target_number(target)}{goal.unit}"  # the target as the plan writes it
    can_project = (has_target and projected is not None and latest_year is not None
                   and latest_value is not None and int(latest_year) < int(target_year))
    # The target year's data are in: the verdict is final, and the path the schedule (序时进度)
    # is measured on is no longer drawn (ipdata/evaluation.py says the verdict).
    final = is_final(fr)

    if band and can_project and low is not None and high is not None:
        ly, ty = int(latest_year), int(target_year)
        add(go.Scatter(x=[ly, ty, ty, ly], y=[latest_value, high, low, latest_value],
                       mode="lines", fill="toself", fillcolor=T.BAND, line={"width": 0},
                       hoverinfo="skip"), BAND)
        record(BAND_LOW, [ty], [low])
        record(BAND_HIGH, [ty], [high])
    # Interim targets are the plan's, so the district's: the path runs through them.
    interim = [(y, v) for y, v in goal.targets if int(target_year) > y and region == plan.district
               and (base_year is None or y > int(base_year))] if has_target else []
    if has_target and base_year is not None and base_value is not None and not final:
        xs, ys = path_points(int(base_year), base_value, tuple(interim), int(target_year), target)
        notes = [[rule.value(base_value, goal.unit), ""],
                 *[[f"{R.target_number(v)}{goal.unit}", f"（{INTERIM}）"] for _, v in interim], [written, ""]]
        add(go.Scatter(x=xs, y=ys, mode="lines", line={"color": T.REQUIRED, "dash": "dash", "width": 2},
                       customdata=notes, hovertemplate=_hover(REQUIRED)), REQUIRED)
        record(REQUIRED, xs, ys)
    if interim:
        sign = COMPARATOR_LABELS.get(goal.comparator or ">=", "≥")
        words = [f"{y}年{INTERIM} {sign}{R.target_number(v)}{goal.unit}" for y, v in interim]
        add(go.Scatter(x=[y for y, _ in interim], y=[v for _, v in interim], mode="markers+text",
                       marker={"symbol": "diamond", "size": 13, "color": T.TARGET,
                               "line": {"color": "white", "width": 1}},
                       text=words if labels else None, textposition="top left", cliponaxis=False,
                       textfont={"color": T.TARGET, "family": T.FONT_FAMILY},
                       customdata=[[f"{sign}{R.target_number(v)}{goal.unit}", ""] for _, v in interim],
                       hovertemplate=_hover(INTERIM)), INTERIM)
        record(INTERIM, [y for y, _ in interim], [v for _, v in interim])
    if can_project:
        xs, ys = [int(latest_year), int(target_year)], [latest_value, projected]
        note = ""
        if low is not None and high is not None:
            note = f"（80%区间 {rule.text(low)}—{rule.text(high)}{goal.unit}）"
        add(go.Scatter(x=xs, y=ys, mode="lines+markers",
                       line={"color": T.PROJECTION, "dash": "dot", "width": 2.5},
                       marker={"size": [0, 9], "color": T.PROJECTION, "symbol": "circle-open"},
                       customdata=[[rule.value(latest_value, goal.unit), "（最新值）"],
                                   [rule.value(projected, goal.unit), f"（预测）{note}"]],
                       hovertemplate=_hover(PROJECTION)), PROJECTION)
        record(PROJECTION, xs, ys)
    ty = int(target_year)
    valued = (has_target and not series.empty and latest_year is not None and int(latest_year) == ty
              and latest_value is not None)
    under = valued and latest_value < target  # the star just above the target-year value: its label below
    if not series.empty:
        _draw_actual(add, record, goal, series, labels, rule, under=ty if under else None)
    if has_target:
        add(go.Scatter(x=[ty], y=[target], mode="markers",
                       marker={"symbol": "star", "size": 18, "color": T.TARGET,
                               "line": {"color": "white", "width": 1}},
                       customdata=[[written, "（目标）"]],
                       hovertemplate=_hover(TARGET)), TARGET)
        record(TARGET, [ty], [target])
        if labels:
            tt = _get(fr, "target_text") or goal.target_text()
            # broken to stay on a phone's plot
            text = T.fit_parts([f"{ty}年目标", tt], T.BASE_FONT, " ", T.PLOT_PX)
            top = max([target] + ([projected] if can_project else []) + ([latest_value] if valued else []))
            _target_label(fig, where, ty, top, text, above_value=valued and not under)
    return d


def _target_label(fig: go.Figure, where: dict, year: int, top: float, text: str, above_value: bool) -> None:
    """The target's words left of its star, above whatever reaches the target year from the left
    (the projection's end, the target-year value) so that no line runs through them and the
    target-year value's own label (above its point) stays in view."""
    fig.add_annotation(x=year, y=top, text=text, showarrow=False, xanchor="right", yanchor="bottom",
                       xshift=-6, yshift=T.BASE_FONT + 10 if above_value else 6, align="right",
                       font={"color": T.TARGET, "family": T.FONT_FAMILY, "size": T.BASE_FONT},
                       name=TARGET_LABEL, **where)


def _draw_actual(add, record, goal: Goal, series: pd.DataFrame, labels: bool, rule: R.Rule,
                 under: int | None = None) -> None:
    """The values as a line with their figures above the points (below at year `under`, where the
    target's star sits just above the value)."""
    s = series[series["tracked"].notna()]
    if goal.kind == "cumulative":
        # a year's increment is not compared with the target: the goal's decimals only
        step = R.Rule(rule.decimals)
        notes = ["（基期，按0计）" if i == 0 else f"（当年新增{step.value(v, goal.unit)}）"
                 for i, v in enumerate(s["value"].tolist())]
        hover = _hover(ACTUAL, "累计")
    else:
        notes = ["（由分子÷分母计算）" if dv else "" for dv in s["derived"].tolist()]
        hover = _hover(ACTUAL)
    tracked = s["tracked"].tolist()
    add(go.Scatter(x=s["year"].tolist(), y=tracked, mode="lines+markers+text" if labels else "lines+markers",
                   line={"color": T.ACTUAL, "width": 3}, marker={"size": 9, "color": T.ACTUAL},
                   text=[rule.text(v) for v in tracked] if labels else None,
                   textposition=["bottom center" if y == under else "top center" for y in s["year"].tolist()],
                   cliponaxis=False, textfont={"color": T.ACTUAL, "family": T.FONT_FAMILY},
                   customdata=[[rule.value(v, goal.unit), n] for v, n in zip(tracked, notes, strict=True)],
                   hovertemplate=hover), ACTUAL)
    record(ACTUAL, s["year"].tolist(), s["tracked"].tolist())


def _draw_milestone(add, record, goal: Goal, series: pd.DataFrame, fr: Any, labels: bool,
                    legend: bool) -> None:
    """Done (1) / not done (0) per year as a step line; the target is 'built by the target year'."""
    if not series.empty:
        done = [bool(v >= 1) for v in series["value"]]
        colours = [T.STATUS_COLOURS[L.BUILT] if x else T.STATUS_COLOURS[L.NOT_BUILT] for x in done]
        words = [L.BUILT if x else L.NOT_BUILT for x in done]
        add(go.Scatter(x=series["year"].tolist(), y=[1 if x else 0 for x in done],
                       mode="lines+markers+text" if labels else "lines+markers", line={"color": T.ACTUAL, "shape": "hv", "width": 2},
                       marker={"size": 16, "color": colours, "symbol": ["circle" if x else "circle-open" for x in done],
                               "line": {"width": 2, "color": colours}},
                       text=[T.STATUS_SYMBOLS[L.BUILT] if x else "" for x in done] if labels else None,
                       textposition="top center", cliponaxis=False, customdata=words,
                       hovertemplate=f"%{{x}}年：%{{customdata}}<extra>{ACTUAL}</extra>"), ACTUAL, legend)
        record(ACTUAL, series["year"].tolist(), [1 if x else 0 for x in done])
    ty = _get(fr, "target_year")
    if ty is not None:
        add(go.Scatter(x=[int(ty)], y=[1], mode="markers+text",
                       marker={"symbol": "star", "size": 18, "color": T.TARGET},
                       text=[f"{int(ty)}年目标 建成"] if labels else None, textposition="bottom left",
                       cliponaxis=False, textfont={"color": T.TARGET},
                       hovertemplate=f"%{{x}}年目标：建成<extra>{TARGET}</extra>"), TARGET)
        record(TARGET, [int(ty)], [1])


def milestone_axis() -> dict[str, Any]:
    return {"tickmode": "array", "tickvals": [0, 1], "ticktext": ["未建成", "已建成"],
            "range": [-0.35, 1.45], "zeroline": False, "rangemode": "normal"}


def subtitle(goal: Goal, fr: Any) -> str:
    """'● 基本符合预期 · 2030年目标 ≥12件 · 完成进度68.4%，序时进度75%', on as many lines as a
    phone needs (theme.fit_parts)."""
    status = _get(fr, "status")
    if goal.kind != "trend" and is_final(fr) and _get(fr, "final_achieved") is not None:
        status = L.MET if bool(_get(fr, "final_achieved")) else L.NOT_MET  # the verdict every page gives
    parts = [T.status_badge(status)] if status else []
    ty = _get(fr, "target_year")
    if goal.kind == "trend":
        parts.append(f"目标：{goal.target_text()}")
    elif goal.kind == "milestone":
        parts.append(f"目标：{int(ty)}年前建成" if ty else "目标：建成")
    elif _get(fr, "target_text") and ty:
        parts.append(f"{int(ty)}年目标 {_get(fr, 'target_text')}")
    c, s = T.num(_get(fr, "completion")), T.num(_get(fr, "time_elapsed"))
    if goal.kind in ("level", "cumulative") and c is not None and is_final(fr):
        parts.append(f"终期完成进度{R.completion(c)}")  # the plan's time is up: no 序时进度
    elif goal.kind in ("level", "cumulative") and c is not None and s is not None:
        parts.append(f"完成进度{R.completion(c, s, DEFAULT.schedule_bounds)}，序时进度{R.percent(s)}")
    return T.fit_parts([p for p in parts if p], T.BASE_FONT)


def is_final(fr: Any) -> bool:
    """The row (goal × region) has data for its own target year: its verdict is final."""
    latest, due = _get(fr, "latest_year"), _get(fr, "target_year")
    return latest is not None and due is not None and int(latest) >= int(due)


def goal_chart(plan: Plan, code: str, values: pd.DataFrame | None, figures: Mapping | pd.Series | None,
               region: str | None = None, *, demo: bool = False, band: bool = True,
               notes: Sequence[GoalNote] = ()) -> go.Figure:
    """The goal's chart: values, target, required path, projection (+ 80 % band), status subtitle,
    and the goal's notes (ipdata.notes.goal_notes) marked at their years and said in the caption.

    `figures` is the goal's row of `ipdata.trajectory.compute` (status_frame) for `region`.
    """
    goal = plan.goal(code)
    region = region_of(plan, region)
    ty = _get(figures, "target_year")
    series = goal_series(plan, code, values, region, target_year=int(ty) if ty else None)
    fig = go.Figure()
    drawn = draw_goal(fig, plan, goal, series, figures, region=region, band=band)
    # A region's name comes from an upload: plotly would draw markup in it (inert.plotly).
    title = goal.name if region == plan.district else f"{goal.name}（{inert.plotly(region)}）"
    apply = {"title": title, "subtitle": subtitle(goal, figures), "years": drawn.year_range(plan),
             "unit": "" if goal.kind == "milestone" else goal.unit,
             "watermark": T.DEMO_MARK if demo else None}
    T.apply_theme(fig, **apply)
    if goal.kind == "milestone":
        fig.update_yaxes(**milestone_axis())
    elif drawn.y_range():
        fig.update_yaxes(range=drawn.y_range())
    else:  # nothing numeric drawn: no meaningless 0-4 scale
        fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    if series.empty:
        T.add_no_data(fig, f"{T.NO_DATA_TEXT}：{inert.plotly(region)}还没有{goal.name}的数据")
    if notes:
        add_notes(fig, goal, region, notes, drawn.year_range(plan))
    return attach(fig, drawn.rows)


def add_notes(fig: go.Figure, goal: Goal, region: str, notes: Sequence[GoalNote], years: range) -> None:
    """Each year's notes as a dotted line at the year marked 注n (the notes in its hover), and every
    note in a caption under the plot (whole-goal notes first); recorded for chart_notes(fig).
    A note's text is typed by a person: drawn as typed (inert.plotly), never as markup."""
    lines = [f"备注 {n.kind}：{n.text}" for n in notes if n.year == 0]
    dated: dict[int, list[GoalNote]] = {}
    for n in notes:
        if n.year:
            dated.setdefault(n.year, []).append(n)
    for i, (year, mine) in enumerate(sorted(dated.items()), start=1):
        mark = f"注{i}"
        lines += [f"{mark} {n.line}" for n in mine]
        if year not in years:  # outside the drawn years: said in the caption only
            continue
        fig.add_shape(type="line", xref="x", yref="paper", x0=year, x1=year, y0=0, y1=1,
                      line={"color": T.GREY, "dash": "dot", "width": 1.5}, layer="below")
        fig.add_annotation(name=NOTE_MARK, x=year, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=mark, showarrow=False, font={"family": T.FONT_FAMILY, "size": 13, "color": "#555555"},
                           hovertext="<br>".join(inert.plotly(n.line) for n in mine))
    shown = [_clip(x) for x in lines[:CAPTION_LINES]]
    if len(lines) > CAPTION_LINES:
        shown[-1] = f"……另有 {len(lines) - CAPTION_LINES + 1} 条备注，见图表数据的“备注”表"
    # Under the year ticks, above the legend (which keeps its place at the bottom of the figure):
    # placed in pixels from the plot, so it sits the same on the page and in a 1920×1080 export.
    fig.add_annotation(name=NOTE_CAPTION, text="<br>".join(inert.plotly(x) for x in shown),
                       xref="paper", x=0, xanchor="left", yref="paper", y=0, yanchor="top", yshift=-CAPTION_SHIFT,
                       align="left", showarrow=False,
                       font={"family": T.FONT_FAMILY, "size": CAPTION_FONT, "color": "#555555"})
    extra = CAPTION_LINE_PX * len(shown) + 6
    fig.update_layout(height=PAGE_HEIGHT + extra, margin={"b": MARGIN_BOTTOM + extra})
    attach_notes(fig, [{"goal": goal.name, "region": region, "year": n.when, "kind": n.kind, "text": n.text}
                       for n in notes])


def _clip(text: str) -> str:
    return text if len(text) <= CAPTION_CHARS else text[:CAPTION_CHARS - 1] + "…"
