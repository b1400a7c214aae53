"""A goal as a native, editable PowerPoint line chart (data embedded in the pptx's workbook).

python-pptx makes no combo charts, so the target and the required path are further series of
the same line chart: 目标 has one value (at the target year) and is drawn as a marker only;
达标所需路径 runs from the base-year value to the target (through the plan's interim targets),
dashed and without markers.
Cumulative goals show their running totals (base year = 0), as the dashboard does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.figures import goal_series
from ipdata.figures import theme as T
from ipdata.figures.goal import ACTUAL, REQUIRED, TARGET
from ipdata.trajectory.targets import path as path_at
from ipdata.trajectory.targets import path_points


@dataclass(frozen=True)
class GoalChartData:
    years: list[int]
    series: dict[str, list[float | None]]  # name -> one value per year (None = blank)
    number_format: str  # the goal's decimals ("0", "0.0" …)
    # name -> a label per year where the number format would print a figure on the wrong side of
    # its target (69.6 of ≥70 as "70"): that point's label is this text instead; None elsewhere.
    labels: dict[str, list[str | None]] = field(default_factory=dict)


def _num(x) -> float | None:
    return T.num(x)


def goal_chart_data(plan: Plan, goal: Goal, values: pd.DataFrame, row: pd.Series | None,
                    region: str | None = None) -> GoalChartData:
    """Years from the base year (or first data year) to the target year; 实际值, 目标, 达标所需路径."""
    get = (lambda k: None) if row is None else (lambda k: row.get(k))
    ty = _num(get("target_year"))
    target_year = int(ty) if ty is not None else plan.target_year_of(goal)
    s = goal_series(plan, goal.code, values, region, target_year=target_year)
    data_years = [int(y) for y in s["year"]]
    first = min([plan.base_year_of(goal), *data_years])
    last = max([target_year, *data_years])
    years = list(range(first, last + 1))
    tracked = dict(zip(data_years, s["tracked"].tolist(), strict=True))
    raw = [_num(tracked.get(y)) for y in years]
    rule = R.rule_of(row, goal)
    if goal.kind == "milestone":
        actual = [None if v is None else (1.0 if v >= 1 else 0.0) for v in raw]
        rule = R.Rule(0)
    else:  # each figure as every page shows it (ipdata.rounding)
        actual = [rule.as_float(v) for v in raw]
    series: dict[str, list[float | None]] = {ACTUAL: actual}
    labels = {ACTUAL: [rule.text(v) if v is not None and rule.digits(v) > rule.base_decimals else None
                       for v in raw]}
    target = 1.0 if goal.kind == "milestone" else _num(get("target"))
    if goal.kind != "trend" and target is not None:
        series[TARGET] = [target if y == target_year else None for y in years]
        by, bv = _num(get("base_year")), _num(get("base_value"))
        if goal.kind != "milestone" and by is not None and bv is not None and int(by) < target_year:
            by = int(by)
            # points of a straight line, not figures anyone reads: two decimals more keep it straight
            path = R.Rule(rule.base_decimals + 2)
            # through the plan's interim targets (the district's), as on the dashboard's chart
            interim = tuple(goal.targets) if region is None or plan.is_district(region) else ()
            line = path_points(by, bv, interim, target_year, target)
            series[REQUIRED] = [path.as_float(float(path_at(line, y))) if by <= y <= target_year else None
                                for y in years]
    decimals = rule.base_decimals
    fmt = "0" if decimals == 0 else "0." + "0" * decimals
    return GoalChartData(years, series, fmt, labels)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


STYLE = {  # name -> (colour, width pt, dash, marker)
    ACTUAL: (T.ACTUAL, 3.0, None, XL_MARKER_STYLE.CIRCLE),
    TARGET: (T.TARGET, None, None, XL_MARKER_STYLE.DIAMOND),
    REQUIRED: (T.REQUIRED, 2.0, MSO_LINE_DASH_STYLE.DASH, XL_MARKER_STYLE.NONE),
}


def add_goal_chart(slide, data: GoalChartData, x, y, cx, cy, *, unit: str, font_size: int = 14):
    """Add the line chart to `slide`; returns the graphic frame."""
    cd = CategoryChartData(number_format=data.number_format)
    cd.categories = [str(y) for y in data.years]
    for name, vals in data.series.items():
        cd.add_series(name, vals, number_format=data.number_format)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, cx, cy, cd)
    chart = frame.chart
    chart.font.size = Pt(font_size)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("#E5E5E5")
    va.tick_labels.number_format = data.number_format
    va.tick_labels.number_format_is_linked = False
    if unit:
        va.has_title = True
        va.axis_title.text_frame.text = unit
    if all(v is None or v >= 0 for vals in data.series.values() for v in vals):
        va.minimum_scale = 0
    for plot in chart.plots:
        for s in plot.series:
            colour, width, dash, marker = STYLE.get(s.name, (T.ACTUAL, 2.0, None, XL_MARKER_STYLE.CIRCLE))
            s.smooth = False
            if width is None:  # marker only
                s.format.line.fill.background()
            else:
                s.format.line.color.rgb = _rgb(colour)
                s.format.line.width = Pt(width)
                if dash is not None:
                    s.format.line.dash_style = dash
            s.marker.style = marker
            if marker != XL_MARKER_STYLE.NONE:
                s.marker.size = 12 if s.name == TARGET else 8
                s.marker.format.fill.solid()
                s.marker.format.fill.fore_color.rgb = _rgb(colour)
                s.marker.format.line.color.rgb = _rgb(colour)
            if s.name in (ACTUAL, TARGET):
                labels = s.data_labels
                labels.show_value = True
                labels.number_format = data.number_format
                labels.number_format_is_linked = False
                labels.font.size = Pt(font_size - 1)
                labels.font.color.rgb = _rgb(colour)
                labels.position = XL_LABEL_POSITION.ABOVE
                for i, text in enumerate(data.labels.get(s.name, [])):
                    if text is not None:  # more decimals than the format shows: say it as text
                        label = s.points[i].data_label
                        label.text_frame.text = text
                        label.position = XL_LABEL_POSITION.ABOVE
                        label.font.size = Pt(font_size - 1)
                        label.font.color.rgb = _rgb(colour)
    return frame
