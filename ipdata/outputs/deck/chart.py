"""A goal as a native, editable PowerPoint line chart (data embedded in the pptx's workbook),
laid out so that nothing on it is under 14 pt and no two value labels overlap.

python-pptx makes no combo charts, so the target and the required path are further series of
the same line chart: 目标 has one value (at the target year) and is drawn as a marker only;
达标所需路径 runs from the base-year value to the target (through the plan's interim targets),
dashed and without markers, and not once the target year's value is in (the verdict is final).
Cumulative goals show their running totals (base year = 0), as the
dashboard does. Milestones are no line at all (a 0/1 line says nothing): see milestone.py.

Labels are placed by geometry, not left to the viewer: the plot area has a fixed place in the
chart (manual layout) and the value axis a fixed scale, so each point's position on the slide
follows from its value. `label_layout` labels the latest actual value and the target first
(the larger above, the smaller below where their labels would meet), then every other actual
point whose label fits above or below it without touching one already placed (below first where
the required path runs above the point, so that the dashed line does not cross its figure); a label that fits
nowhere is left off (the value is still in the chart's data and, for the latest and the target,
beside the chart). tests/test_export_deck.py reads the labels back from the pptx and checks the
same geometry.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.figures import goal_series
from ipdata.figures import theme as T
from ipdata.figures.goal import ACTUAL, REQUIRED, TARGET, is_final
from ipdata.outputs.deck.colours import on_white
from ipdata.trajectory.targets import path as path_at
from ipdata.trajectory.targets import path_points

FONT = 14  # pt: axes, legend (the smallest size anywhere on the deck)
LABEL_FONT = 16  # pt: value labels
# The plot area inside the chart frame (fractions): room left for the value ticks, below for the
# year ticks and the legend.
PLOT = (0.11, 0.05, 0.86, 0.72)  # x, y, w, h
MARKER = {ACTUAL: 9, TARGET: 13}  # marker sizes (pt)
LABEL_GAP = 3.0  # pt between a marker's edge and its label
LINE = 1.2  # line height of a label (× font size)
PAD = 2.0  # pt of a label's own margin, each side
# pt kept free at the frame's right edge: viewers space a figure from Chinese (目标≥ 3500 亿元),
# which the width estimate leaves out.
EDGE = 8.0
PLOT_MIN_WIDTH = 0.8  # of PLOT's width: how far plot_layout may draw its right edge in


@dataclass(frozen=True)
class GoalChartData:
    years: list[int]
    series: dict[str, list[float | None]]  # name -> one value per year (None = blank)
    number_format: str  # the goal's decimals ("0", "0.0" …)
    # name -> the label text of each point (the figure as every page prints it; None = no figure)
    texts: dict[str, list[str | None]] = field(default_factory=dict)


def goal_chart_data(plan: Plan, goal: Goal, values: pd.DataFrame, row: pd.Series | None,
                    region: str | None = None) -> GoalChartData:
    """Years from the base year (or first data year) to the target year; 实际值, 目标, 达标所需路径."""
    get = (lambda k: None) if row is None else (lambda k: row.get(k))
    ty = T.num(get("target_year"))
    target_year = int(ty) if ty is not None else plan.target_year_of(goal)
    s = goal_series(plan, goal.code, values, region, target_year=target_year)
    data_years = [int(y) for y in s["year"]]
    first = min([plan.base_year_of(goal), *data_years])
    last = max([target_year, *data_years])
    years = list(range(first, last + 1))
    tracked = dict(zip(data_years, s["tracked"].tolist(), strict=True))
    raw = [T.num(tracked.get(y)) for y in years]
    rule = R.rule_of(row, goal)
    series: dict[str, list[float | None]] = {ACTUAL: [rule.as_float(v) for v in raw]}  # as pages show it
    texts: dict[str, list[str | None]] = {ACTUAL: [None if v is None else rule.text(v) for v in raw]}
    target = T.num(get("target"))
    if goal.kind not in ("trend", "milestone") and target is not None:
        series[TARGET] = [target if y == target_year else None for y in years]
        written = get("target_text") if isinstance(get("target_text"), str) and get("target_text") else None
        words = target_label(written or R.target_number(target), goal.is_rank)
        texts[TARGET] = [words if y == target_year else None for y in years]
        by, bv = T.num(get("base_year")), T.num(get("base_value"))
        # once the row has its target year's data its verdict is final, and the path the
        # schedule (序时进度) is measured on is no longer drawn (as on the goal page's chart)
        if by is not None and bv is not None and int(by) < target_year and not is_final(row):
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
    return GoalChartData(years, series, fmt, texts)


TARGET_LABEL_WIDTH = 150.0  # pt: the widest target label kept on one line beside the last year


def target_label(written: str, is_rank: bool = False) -> str:
    """'目标' and the written target; where that is wider than TARGET_LABEL_WIDTH, without its
    bracketed rule ('≥31.47亿元（年均增长12%）' -> '≥31.47亿元'), or for a rank its bracket alone
    ('全省县（市、区）第一方阵（前10名）' -> '前10名'): the full wording is beside the chart."""
    words = f"目标{written}"
    if text_width(words) <= TARGET_LABEL_WIDTH:
        return words
    bracket = re.search(r"（([^（）]*)）$", written)
    if bracket is None:
        return words
    return f"目标{bracket.group(1) if is_rank else written[:bracket.start()]}"


# --- the value axis and the labels' geometry -----------------------------------------------------

@dataclass(frozen=True)
class Scale:
    minimum: float
    maximum: float
    major: float


def _nice_step(span: float, ticks: int = 5, whole: bool = False) -> float:
    """A round step giving about `ticks` ticks; `whole`: a whole number (a count's axis reads
    0, 1, 2, not 0, 0.5, 1 printed as 0, 1, 1)."""
    raw = span / ticks
    if whole and raw <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole and power < 10 else (1, 2, 2.5, 5, 10)
    return next(m * power for m in steps if m * power >= raw)


def tick_format(step: float) -> str:
    """The ticks' number format: as many decimals as the step has (25, not 25.00; 2.5, 7.5)."""
    decimals = max(0, -R.round_half_up(step, 9).normalize().as_tuple().exponent)
    return "0" if decimals == 0 else "0." + "0" * decimals


def label_height(size: float = LABEL_FONT) -> float:
    return size * LINE + 2 * PAD


def text_width(text: str, size: float = LABEL_FONT) -> float:
    """Estimated width (pt) of a label: a Chinese character is one em, other characters about 0.6."""
    return sum(size if ord(c) > 0x2E80 else 0.6 * size for c in text) + 2 * PAD


def axis_scale(data: GoalChartData, plot_height: float) -> Scale:
    """0 (or below the lowest value) to a round number above the highest with room for a label
    over it."""
    values = [v for vals in data.series.values() for v in vals if v is not None]
    if not values:
        return Scale(0.0, 1.0, 0.2)
    low, high = min(values), max(values)
    minimum = 0.0 if low >= 0 else low
    room = (label_height() + LABEL_GAP + MARKER[TARGET] / 2) / plot_height  # a label over the top point
    need = max(high, minimum + 1e-9)
    top = minimum + (need - minimum) / (1 - room)
    step = _nice_step(top - minimum, whole=data.number_format == "0")
    if low < 0:
        minimum = math.floor(low / step) * step
    maximum = math.ceil(top / step - 1e-9) * step
    return Scale(minimum, maximum if maximum > minimum else minimum + step, step)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def meets(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class Label:
    series: str
    index: int
    value: float
    text: str
    position: str  # "t" above the point, "b" below
    box: Box  # pt, in the chart frame


@dataclass(frozen=True)
class Frame:
    """The chart frame's size (pt) and where its plot area lies in it (fractions, as PLOT)."""
    width: float
    height: float
    layout: tuple[float, float, float, float] = PLOT

    @property
    def plot(self) -> Box:
        x, y, w, h = self.layout
        return Box(x * self.width, y * self.height, (x + w) * self.width, (y + h) * self.height)

    def point(self, index: int, count: int, value: float, scale: Scale) -> tuple[float, float]:
        """Where a point is drawn: categories centred in equal slots (crossBetween 'between')."""
        p = self.plot
        x = p.x0 + (index + 0.5) * (p.x1 - p.x0) / count
        y = p.y1 - (value - scale.minimum) / (scale.maximum - scale.minimum) * (p.y1 - p.y0)
        return x, y


def plot_layout(data: GoalChartData, width: float) -> tuple[float, float, float, float]:
    """PLOT, its right edge drawn in where a label on the last year (the target, mostly) would
    otherwise pass the frame's edge; the plot keeps at least PLOT_MIN_WIDTH of its width."""
    x, y, w, h = PLOT
    count = len(data.years)
    last = [t[-1] for t in data.texts.values() if t and t[-1]]
    if not last or count == 0:
        return PLOT
    half = max(text_width(t) for t in last) / 2
    x0 = x * width
    # x0 + (count - 0.5) / count * plot_width + half <= width - EDGE
    room = (width - EDGE - half - x0) * count / (count - 0.5)
    plot_width = max(min(w * width, room), PLOT_MIN_WIDTH * w * width)
    return (x, y, plot_width / width, h)


def label_box(frame: Frame, scale: Scale, count: int, series: str, index: int, value: float, text: str,
              position: str, size: float = LABEL_FONT) -> Box:
    x, y = frame.point(index, count, value, scale)
    w, h = text_width(text, size), label_height(size)
    off = MARKER.get(series, 9) / 2 + LABEL_GAP
    if position == "t":
        return Box(x - w / 2, y - off - h, x + w / 2, y - off)
    return Box(x - w / 2, y + off, x + w / 2, y + off + h)


def label_layout(data: GoalChartData, frame: Frame, scale: Scale) -> list[Label]:
    """The labelled points and where their labels go; no two labels meet, none leaves the plot
    (nor, sideways, the chart frame)."""
    count = len(data.years)
    plot = frame.plot
    placed: list[Label] = []

    def fits(series: str, i: int, position: str) -> Label | None:
        value, text = data.series[series][i], data.texts[series][i]
        box = label_box(frame, scale, count, series, i, value, text, position)
        # within the plot's height and the frame's width (a label past the frame's edge is
        # wrapped or cut by the viewer)
        inside = plot.y0 - 1 <= box.y0 and box.y1 <= plot.y1 + 1 and box.x0 >= 0 and box.x1 <= frame.width - EDGE
        if inside and not any(box.meets(other.box) for other in placed):
            return Label(series, i, value, text, position, box)
        return None

    actual = [i for i, v in enumerate(data.series[ACTUAL]) if v is not None]
    first: list[tuple[str, int]] = [(ACTUAL, actual[-1])] if actual else []
    if TARGET in data.series:
        first += [(TARGET, i) for i, v in enumerate(data.series[TARGET]) if v is not None]
    path = data.series.get(REQUIRED)

    def side(series: str, i: int) -> str:  # an actual value under the required path: its label below
        below = series == ACTUAL and path is not None and path[i] is not None and path[i] > data.series[series][i]
        return "b" if below else "t"

    orders = [(p, side(*p)) for p in first]
    if len(first) == 2:  # each on its side if both fit there; else the larger above, the smaller below
        a = fits(*first[0], orders[0][1])
        if a is None or _with(placed, a, fits, first[1], orders[1][1]) is None:
            first.sort(key=lambda p: -data.series[p[0]][p[1]])
            orders = [(first[0], "t"), (first[1], "b")]
    for (series, i), position in orders:
        label = fits(series, i, position) or fits(series, i, "b" if position == "t" else "t")
        if label is not None:
            placed.append(label)
    for i in reversed(actual[:-1]):  # the other years, latest first, where they fit
        first_side = side(ACTUAL, i)
        label = fits(ACTUAL, i, first_side) or fits(ACTUAL, i, "b" if first_side == "t" else "t")
        if label is not None:
            placed.append(label)
    return placed


def _with(placed: list[Label], label: Label, fits, point: tuple[str, int], position: str) -> Label | None:
    """Would `point` fit at `position` once `label` is placed? (`placed` is left as it was.)"""
    placed.append(label)
    try:
        return fits(point[0], point[1], position)
    finally:
        placed.pop()


# --- drawing -------------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


STYLE = {  # name -> (colour, width pt, dash, marker)
    ACTUAL: (T.ACTUAL, 3.0, None, XL_MARKER_STYLE.CIRCLE),
    TARGET: (T.TARGET, None, None, XL_MARKER_STYLE.DIAMOND),
    REQUIRED: (T.REQUIRED, 2.0, MSO_LINE_DASH_STYLE.DASH, XL_MARKER_STYLE.NONE),
}


def _manual_plot_layout(chart, layout: tuple[float, float, float, float]) -> None:
    """Pin the plot area (inner, fractions of the chart) so label positions follow from the data."""
    plot_area = chart._chartSpace.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    x, y, w, h = layout
    layout = etree.fromstring(
        f'<c:layout xmlns:c="{plot_area.nsmap["c"]}"><c:manualLayout><c:layoutTarget val="inner"/>'
        '<c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{x}"/><c:y val="{y}"/><c:w val="{w}"/><c:h val="{h}"/></c:manualLayout></c:layout>')
    plot_area.insert(0, layout)


def _cross_between(chart) -> None:
    """Categories centred in equal slots (the geometry label_layout assumes), said explicitly:
    python-pptx writes nothing and viewers differ on the default."""
    va = chart._chartSpace.find(f".//{qn('c:valAx')}")
    el = va.find(qn("c:crossBetween"))
    if el is None:
        el = etree.SubElement(va, qn("c:crossBetween"))
        va.remove(el)
        after = next((c for c in va if c.tag in {qn(t) for t in ("c:majorUnit", "c:minorUnit", "c:dispUnits",
                                                                  "c:extLst")}), None)
        if after is None:
            va.append(el)
        else:
            after.addprevious(el)
    el.set("val", "between")


def add_goal_chart(slide, data: GoalChartData, x, y, cx, cy):
    """Add the line chart to `slide` with its labels laid out; returns the graphic frame."""
    cd = CategoryChartData(number_format=data.number_format)
    cd.categories = [str(y) for y in data.years]
    for name, vals in data.series.items():
        cd.add_series(name, vals, number_format=data.number_format)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, cx, cy, cd)
    chart = frame.chart
    chart.font.size = Pt(FONT)
    chart.has_title = False  # else a one-series chart is titled with its series' name (实际值)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(FONT)
    width = Emu(cx).pt
    geometry = Frame(width, Emu(cy).pt, plot_layout(data, width))
    scale = axis_scale(data, geometry.plot.y1 - geometry.plot.y0)
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("#E5E5E5")
    va.tick_labels.number_format = tick_format(scale.major)
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(FONT)
    va.minimum_scale, va.maximum_scale, va.major_unit = scale.minimum, scale.maximum, scale.major
    chart.category_axis.tick_labels.font.size = Pt(FONT)
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
                s.marker.size = MARKER.get(s.name, 9)
                s.marker.format.fill.solid()
                s.marker.format.fill.fore_color.rgb = _rgb(colour)
                s.marker.format.line.color.rgb = _rgb(colour)
    by_name = {s.name: s for s in chart.plots[0].series}
    for label in label_layout(data, geometry, scale):
        colour = STYLE[label.series][0]
        dl = by_name[label.series].points[label.index].data_label
        dl.has_text_frame = True
        dl.text_frame.text = label.text
        dl.text_frame.word_wrap = False  # one line, as label_layout measured it
        run = dl.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(LABEL_FONT)
        run.font.bold = label.series == ACTUAL
        run.font.color.rgb = _rgb(on_white(colour))  # the target's vermillion is 3.9 : 1 on white
        dl.position = XL_LABEL_POSITION.ABOVE if label.position == "t" else XL_LABEL_POSITION.BELOW
    _manual_plot_layout(chart, geometry.layout)
    _cross_between(chart)
    return frame
