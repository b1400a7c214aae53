"""Many goals at once: completion vs 序时进度 bars, and a category's goals as small multiples."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ipdata import inert
from ipdata import rounding as R
from ipdata.catalogue import Plan
from ipdata.figures import theme as T
from ipdata.figures.data import attach, row
from ipdata.figures.goal import draw_goal, goal_series, milestone_axis
from ipdata.trajectory import DEFAULT

COMPLETION, SCHEDULE = "完成进度", "序时进度"
FINAL_TITLE = "终期完成进度"


def _labels(frame: pd.DataFrame) -> list[str]:
    """Goal names; with several regions in the frame, 'name（region）' so that bars never merge.
    Escaped for plotly: a region's name comes from an upload."""
    names = frame["name"].astype(str).tolist()
    if frame["region"].nunique() > 1 or len(set(names)) < len(names):
        names = [f"{n}（{r}）" for n, r in zip(names, frame["region"].astype(str), strict=True)]
    return [inert.plotly(n) for n in names]


def progress_chart(frame: pd.DataFrame, *, demo: bool = False, title: str | None = None,
                   final: bool = False, narrow: bool = False) -> go.Figure:
    """One horizontal bar per row of `frame` (status_frame): completion in %, coloured by status,
    with the status symbol and label as text; a marker at 序时进度. Rows keep the frame's order,
    top to bottom. Goals without a completion (trend goals, no data) get an empty bar and say why.
    `final` (the final evaluation, ipdata/evaluation.with_verdicts gives the verdicts as statuses):
    no 序时进度 at all — the plan's time is up; the completion alone, 终期完成进度.
    `narrow`: the same bars and data laid out for a phone (see _narrow).
    """
    title = title or (FINAL_TITLE if final else f"{COMPLETION}与{SCHEDULE}")
    if frame is None or frame.empty:
        return T.empty_figure(title, demo=demo)
    f = frame.reset_index(drop=True)
    labels = _labels(f)
    completion = [None if T.is_missing(c) else float(c) * 100 for c in f["completion"]]
    elapsed = [None if final or T.is_missing(s) else float(s) * 100 for s in f["time_elapsed"]]
    statuses = [s if isinstance(s, str) else "" for s in f["status"]]
    # Texts from the fractions, rounded as on every page (a 99.96 % that is not done is not 100 %).
    c_text = [R.completion(c, None if final else s, DEFAULT.schedule_bounds)
              for c, s in zip(f["completion"], f["time_elapsed"], strict=True)]
    e_text = [R.MISSING if final else R.percent(e) for e in f["time_elapsed"]]
    text = [f"{T.status_symbol(s)} {s}" + ("" if c is None else f"　{ct}")
            for s, c, ct in zip(statuses, completion, c_text, strict=True)]
    rows = _rows(f, c_text, e_text, final)
    if narrow:
        return attach(_narrow(labels, completion, elapsed, statuses, text, c_text, e_text, title=title,
                              final=final, demo=demo), rows)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=COMPLETION, orientation="h", y=labels, x=[0 if c is None else c for c in completion],
        marker={"color": [T.status_colour(s) for s in statuses]},
        customdata=[[s, ct, et] for s, ct, et in zip(statuses, c_text, e_text, strict=True)],
        hovertemplate="%{y}<br>" + ("终期结论" if final else "状态") + "：%{customdata[0]}<br>完成进度：%{customdata[1]}"
                      + ("" if final else "<br>序时进度：%{customdata[2]}") + "<extra></extra>",
    ))
    # Labels right of the bar's end, or of 0 for a negative bar, so they never cover the names.
    fig.add_trace(go.Scatter(
        name="状态", y=labels, x=[max(c or 0.0, 0.0) for c in completion], mode="text", text=text,
        textposition="middle right", cliponaxis=False, showlegend=False, hoverinfo="skip",
        textfont={"family": T.FONT_FAMILY, "size": 12 if len(f) > 12 else T.BASE_FONT}))
    has_e = [(lab, e, et) for lab, e, et in zip(labels, elapsed, e_text, strict=True) if e is not None]
    if has_e:
        fig.add_trace(go.Scatter(
            name=SCHEDULE, y=[lab for lab, _, _ in has_e], x=[e for _, e, _ in has_e], mode="markers",
            marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#333333"},
                    "color": "#333333"},
            customdata=[et for _, _, et in has_e],
            hovertemplate="%{y}<br>序时进度：%{customdata}<extra></extra>",
        ))
    shown = [c for c in completion if c is not None] + [e for _, e, _ in has_e]
    lo = min([0.0, *shown])
    hi = max([100.0, *shown])
    T.apply_theme(fig, title=title, watermark=T.DEMO_MARK if demo else None)
    fig.update_layout(bargap=0.3, height=max(360, 28 * len(f) + 170), showlegend=True)
    small = {"size": 12 if len(f) > 12 else T.BASE_FONT, "family": T.FONT_FAMILY}
    fig.update_xaxes(title={"text": "%"}, ticksuffix="%", range=[lo * 1.2 - 5, hi * 1.25 + 5],
                     showgrid=True, gridcolor="#E5E5E5", zeroline=True, zerolinecolor="#888888")
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, rangemode="normal",
                     type="category", tickfont=small, tickmode="array", tickvals=labels)
    return attach(fig, rows)


def _rows(f: pd.DataFrame, c_text: list[str], e_text: list[str], final: bool) -> list[dict]:
    """The chart data: the percentages as the labels print them."""
    years = f["latest_year"].tolist()
    rows = []
    for i, (_, r) in enumerate(f.iterrows()):
        region = str(r["region"])
        rows.append(row(r["name"], region, COMPLETION, years[i], _number(c_text[i]), "%"))
        if not final:
            rows.append(row(r["name"], region, SCHEDULE, years[i], _number(e_text[i]), "%"))
    return rows


# The phone layout. Names beside the bars took two thirds of a 390-px screen and the labels right of
# the bars ran past its edge; here each goal's name and status are written above its bar, which has
# the plot's full width. Heights in text lines (LINE_PX each), so that the words never overlap.
NARROW_FONT = 14
LINE_PX = 19  # one line of NARROW_FONT text, plotly's line spacing included
NARROW_TEXT_PX = 280  # a line's width: a 375-px phone's plot inside the expander, with a margin
NARROW_BAR, NARROW_GAP = 0.9, 0.7  # the bar's thickness and the space under it, in lines
NARROW_ABOVE = 0.2  # space between the words and their bar, in lines
# plotly draws a line-ns marker 1.4 × its size tall: the 序时进度 tick stands 4 px over its bar
SCHEDULE_MARK = (NARROW_BAR * LINE_PX + 4) / 1.4
NARROW_MARGIN = {"l": 12, "r": 12, "b": 80}


def _narrow(labels: list[str], completion: list[float | None], elapsed: list[float | None],
            statuses: list[str], text: list[str], c_text: list[str], e_text: list[str], *,
            title: str, final: bool, demo: bool) -> go.Figure:
    """Above each bar its name then its status and completion ('● 基本符合预期　68.4%'), on the lines
    they need within NARROW_TEXT_PX; no names on the axis; the x range just holds the bars."""
    words = [T.fit_parts([name, t], NARROW_FONT, sep="　", width=NARROW_TEXT_PX)
             for name, t in zip(labels, text, strict=True)]
    tops, bars, y = [], [], 0.0
    for w in words:  # y grows downwards (reversed axis), in lines
        tops.append(y)
        y += w.count("<br>") + 1 + NARROW_ABOVE
        bars.append(y + NARROW_BAR / 2)
        y += NARROW_BAR + NARROW_GAP
    shown = [c for c in completion if c is not None] + [e for e in elapsed if e is not None]
    lo, hi = min([0.0, *shown]), max([100.0, *shown])
    pad = (hi - lo) * 0.04
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=COMPLETION, orientation="h", y=bars, x=[0 if c is None else c for c in completion],
        width=NARROW_BAR, marker={"color": [T.status_colour(s) for s in statuses]},
        customdata=[[n, s, ct, et] for n, s, ct, et in zip(labels, statuses, c_text, e_text, strict=True)],
        hovertemplate="%{customdata[0]}<br>" + ("终期结论" if final else "状态") + "：%{customdata[1]}"
                      "<br>完成进度：%{customdata[2]}" + ("" if final else "<br>序时进度：%{customdata[3]}")
                      + "<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        name="状态", y=tops, x=[lo - pad] * len(words), mode="text", text=words, textposition="bottom right",
        cliponaxis=False, showlegend=False, hoverinfo="skip",
        textfont={"family": T.FONT_FAMILY, "size": NARROW_FONT}))
    has_e = [(b, e, et) for b, e, et in zip(bars, elapsed, e_text, strict=True) if e is not None]
    if has_e:
        fig.add_trace(go.Scatter(
            name=SCHEDULE, y=[b for b, _, _ in has_e], x=[e for _, e, _ in has_e], mode="markers",
            marker={"symbol": "line-ns", "size": SCHEDULE_MARK, "line": {"width": 3, "color": "#333333"},
                    "color": "#333333"},
            customdata=[et for _, _, et in has_e], hovertemplate="序时进度：%{customdata}<extra></extra>",
        ))
    T.apply_theme(fig, title=title, watermark=T.DEMO_MARK if demo else None)
    top = fig.layout.margin.t or T.TEMPLATE.layout.margin.t  # grown by a wrapped title
    fig.update_layout(height=top + NARROW_MARGIN["b"] + math.ceil(y * LINE_PX), showlegend=True,
                      margin={**NARROW_MARGIN, "t": top})
    fig.update_xaxes(ticksuffix="%", range=[lo - pad, hi + pad], showgrid=True, gridcolor="#E5E5E5",
                     zeroline=True, zerolinecolor="#888888", automargin=False)
    fig.update_yaxes(range=[y, 0], showticklabels=False, showgrid=False, zeroline=False, ticks="",
                     showline=False, automargin=False)
    return fig


def _number(text: str) -> float | None:
    """'68.4%' → 68.4; '—' → None."""
    return None if text == R.MISSING else float(text.rstrip("%"))


def _grid(n: int, columns: int | None = None) -> tuple[int, int]:
    """Columns × rows for n small multiples on a 16:9 area: up to 3 in a row, 4 as 2 × 2; or in
    `columns` (1: one under the other, for a phone)."""
    if columns:
        return min(columns, max(n, 1)), math.ceil(n / columns)
    if n <= 3:
        return max(n, 1), 1
    cols = 2 if n == 4 else 3
    return cols, math.ceil(n / cols)


def _wrap(text: str, width: int = 16) -> str:
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def category_chart(plan: Plan, category: str, values: pd.DataFrame | None, frame: pd.DataFrame | None,
                   *, region: str | None = None, demo: bool = False, columns: int | None = None) -> go.Figure:
    """The goals of one category side by side, each with its target, required path and projection
    (no band, to stay readable when small); each subplot is titled with the status. `columns=1`
    stacks them for a phone, where three in a row leave each ~100 px and their titles overlap."""
    goals = [g for g in plan.goals if g.category == category]
    title = f"{category}类指标"
    if not goals:
        return T.empty_figure(title, text=f"{T.NO_DATA_TEXT}：规划中没有“{category}”类指标", demo=demo)
    rows_by_code = {}
    if frame is not None and not frame.empty:
        region_name = plan.district if region is None or plan.is_district(region) else region
        sub = frame[frame["region"] == region_name] if "region" in frame else frame
        rows_by_code = {r["code"]: r for _, r in sub.iterrows()}
    cols, nrows = _grid(len(goals), columns)
    titles = []
    for g in goals:
        fr = rows_by_code.get(g.code)
        badge = T.status_badge(None if fr is None else fr.get("status"))
        titles.append(_wrap(g.name) + (f"<br>{badge}" if badge else ""))
    # make_subplots takes the gap as a share of the plot height: in one column, 100 px per gap for
    # the next subplot's two-line title (and the year ticks above it).
    height = (380 if cols > 1 else 330) * nrows + 150
    spacing = 0.1 if nrows == 1 else 0.3 if cols > 1 else 100 / (height - 150 - T.TEMPLATE.layout.margin.b)
    fig = make_subplots(rows=nrows, cols=cols, subplot_titles=titles,
                        horizontal_spacing=0.09, vertical_spacing=spacing)
    shown: set[str] = set()
    data_rows = []
    for i, g in enumerate(goals):
        r, c = i // cols + 1, i % cols + 1
        fr = rows_by_code.get(g.code)
        ty = None if fr is None or T.is_missing(fr.get("target_year")) else int(fr["target_year"])
        series = goal_series(plan, g.code, values, region, target_year=ty)
        drawn = draw_goal(fig, plan, g, series, fr, region=region or plan.district, row_col=(r, c),
                          shown=shown, band=False, labels=False)
        data_rows += drawn.rows
        fig.update_xaxes(**T.year_axis(drawn.year_range(plan)), row=r, col=c)
        if g.kind == "milestone":
            fig.update_yaxes(**milestone_axis(), row=r, col=c)
        else:
            fig.update_yaxes(title={"text": g.unit}, range=drawn.y_range(), row=r, col=c)
        if series.empty:
            ref = "" if (r, c) == (1, 1) else str(i + 1)
            T.add_no_data(fig, T.NO_DATA_TEXT, xref=f"x{ref} domain", yref=f"y{ref} domain")
    T.apply_theme(fig, title=title, watermark=T.DEMO_MARK if demo else None)
    for a in fig.layout.annotations:  # subplot titles: themed font, a little smaller
        if a.name not in (T.DEMO_NAME, T.NO_DATA_NAME):
            a.font = {"family": T.FONT_FAMILY, "size": T.BASE_FONT - 1}
    fig.update_layout(margin={"t": 150}, height=height)
    return attach(fig, data_rows)
