"""The one plotly theme: Chinese fonts, whole-year ticks, fixed colours, demo mark, empty state.

Every builder in this package ends with `apply_theme`, so a chart looks the same on a page, in a
PNG at slide size and in the deck.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import plotly.graph_objects as go

from ipdata.trajectory import labels as L

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
# 16:9 slide in pixels. Render at half this with scale=2 (IMAGE_ARGS) so that the fonts, set in
# CSS pixels for the screen, come out at a size readable on a projected slide.
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
IMAGE_ARGS = {"width": SLIDE_WIDTH // 2, "height": SLIDE_HEIGHT // 2, "scale": 2}

# Okabe-Ito (colour-blind safe); every label the trajectory emits has a colour.
GREEN, BLUE, SKY, ORANGE, VERMILLION, GREY = "#009E73", "#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#999999"
STATUS_COLOURS: dict[str, str] = {
    L.DONE: GREEN, L.BUILT: GREEN,
    L.AHEAD: BLUE,
    L.ON_TRACK: SKY,
    L.BEHIND: ORANGE,
    L.BACKWARD: VERMILLION, L.MISSED: VERMILLION, L.NOT_BUILT: VERMILLION,
    L.NO_DATA: GREY, L.NO_TARGET: GREY,
    L.UP: BLUE, L.DOWN: VERMILLION, L.FLAT: GREY,
    L.MET: GREEN, L.NOT_MET: VERMILLION,
}
# A glyph per status so that colour is never the only cue (tiles, bar labels, titles).
STATUS_SYMBOLS: dict[str, str] = {
    L.DONE: "✔", L.BUILT: "✔",
    L.AHEAD: "▲",
    L.ON_TRACK: "●",
    L.BEHIND: "▼",
    L.BACKWARD: "✖", L.MISSED: "✖", L.NOT_BUILT: "○",
    L.NO_DATA: "？", L.NO_TARGET: "—",
    L.UP: "↗", L.DOWN: "↘", L.FLAT: "→",
    L.MET: "✔", L.NOT_MET: "✖",
}
UNKNOWN_COLOUR, UNKNOWN_SYMBOL = GREY, "·"
# The final evaluation's verdicts (ipdata/evaluation.py): 达成 / 未达成 as a rank's, 待定 grey.
VERDICT_COLOURS: dict[str, str] = {L.MET: GREEN, L.NOT_MET: VERMILLION, L.PENDING: GREY}
VERDICT_SYMBOLS: dict[str, str] = {L.MET: "✔", L.NOT_MET: "✖", L.PENDING: "…"}

# Series colours, the same in every chart.
ACTUAL = "#1F3A68"  # dark blue
TARGET = VERMILLION
REQUIRED = "#7F7F7F"  # grey, dashed
PROJECTION = BLUE  # dotted
BAND = "rgba(86, 180, 233, 0.25)"  # light blue
# Lines per region: Okabe-Ito without yellow (too pale on white), then greys.
REGION_COLOURS = (BLUE, ORANGE, GREEN, "#CC79A7", SKY, VERMILLION, "#000000", "#7F7F7F")
REGION_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross")

BASE_FONT = 15
TITLE_FONT = 20
DEMO_MARK = "示例数据"
NO_DATA_TEXT = "暂无数据"
DEMO_NAME, NO_DATA_NAME = "demo-mark", "no-data"
# Plotly never wraps a title or a label: a line wider than the figure is cut at its edge. The
# narrowest figure is on a 390-px phone (Streamlit leaves 358 px); lines are broken to fit this.
NARROW_PX = 340
PLOT_PX = 230  # the plot area of that figure, inside the axis labels: for labels drawn on the plot
TITLE_LINE_PX, SUBTITLE_LINE_PX = 26, 20  # a title's or subtitle's line: what the top margin adds for it
MARKUP = re.compile(r"<[^>]+>")

TEMPLATE = go.layout.Template(layout={
    "font": {"family": FONT_FAMILY, "size": BASE_FONT, "color": "#222222"},
    "title": {"font": {"family": FONT_FAMILY, "size": TITLE_FONT}, "x": 0.01, "xanchor": "left"},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "hoverlabel": {"font": {"family": FONT_FAMILY, "size": BASE_FONT}, "bgcolor": "white"},
    # At the bottom of the whole figure (container), so that it never covers an axis title.
    "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.01, "yanchor": "bottom",
               "yref": "container",
               "font": {"family": FONT_FAMILY, "size": BASE_FONT}, "title": {"text": ""}},
    "xaxis": {"showgrid": False, "showline": True, "linecolor": "#444444", "ticks": "outside",
              "automargin": True, "zeroline": False},
    "yaxis": {"showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True, "zerolinecolor": "#BBBBBB",
              "automargin": True, "rangemode": "tozero"},
    "annotationdefaults": {"font": {"family": FONT_FAMILY}},
    "margin": {"l": 60, "r": 30, "t": 90, "b": 70},
    "hovermode": "closest",
    "separators": ".,",
})


def status_colour(status: Any) -> str:
    """The colour of a status or of a final verdict."""
    if not isinstance(status, str):
        return UNKNOWN_COLOUR
    return STATUS_COLOURS.get(status) or VERDICT_COLOURS.get(status, UNKNOWN_COLOUR)


def status_symbol(status: Any) -> str:
    if not isinstance(status, str):
        return UNKNOWN_SYMBOL
    return STATUS_SYMBOLS.get(status) or VERDICT_SYMBOLS.get(status, UNKNOWN_SYMBOL)


def status_badge(status: Any) -> str:
    """'● 基本符合预期' in the status colour (plotly rich text), '' without a status."""
    if not isinstance(status, str) or not status:
        return ""
    return f"<span style='color:{status_colour(status)}'>{status_symbol(status)} {status}</span>"


def text_px(text: str, font_px: float) -> float:
    """The drawn width of one line of plotly text (markup not counted): a Chinese character, a
    full-width sign or a symbol such as ● or ≥ is one em, a Latin letter or digit about 0.6 em."""
    plain = MARKUP.sub("", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return sum(font_px * (1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.6) for ch in plain)


def fit_parts(parts: list[str], font_px: float, sep: str = " · ", width: float = NARROW_PX) -> str:
    """`parts` joined by `sep` on as few lines as fit `width` (a part never split unless it alone is
    too wide): '● 基本符合预期 · 2025年目标 ≥18件<br>完成进度68.4%，序时进度75%'."""
    lines: list[str] = []
    for part in parts:
        if lines and text_px(lines[-1] + sep + part, font_px) <= width:
            lines[-1] += sep + part
        else:
            lines.append(wrap(part, font_px, width))
    return "<br>".join(lines)


def wrap(text: str, font_px: float, width: float = NARROW_PX) -> str:
    """Plain text (no markup, no entity) broken into lines that fit `width`, after a '：' or before a '（'
    where one falls on the line, else at the last character that fits."""
    if "<" in text or "&" in text or text_px(text, font_px) <= width:  # markup or entities: as is
        return text
    end = 1
    while end < len(text) and text_px(text[:end + 1], font_px) <= width:
        end += 1
    cut = max(text.rfind("：", 0, end) + 1, text.rfind("（", 1, end))
    cut = cut if cut > end // 2 else end
    return text[:cut] + "<br>" + wrap(text[cut:], font_px, width)


def year_axis(years: range) -> dict[str, Any]:
    """Whole years only: one tick per year, integer format, half a year of room at each end."""
    ys = list(years)
    if not ys:
        return {"tickformat": "d", "dtick": 1}
    return {"tickmode": "array", "tickvals": ys, "ticktext": [str(y) for y in ys],
            "tickformat": "d", "hoverformat": "d", "range": [ys[0] - 0.4, ys[-1] + 0.4]}


def apply_theme(fig: go.Figure, *, title: str | None = None, unit: str | None = None,
                years: range | None = None, watermark: str | None = None,
                subtitle: str | None = None) -> go.Figure:
    """Theme `fig` in place (and return it): fonts, colours, legend, year ticks, unit, mark."""
    fig.update_layout(template=TEMPLATE)
    # A chart is read, not explored: no axis zooms or pans, and with dragmode False plotly leaves a
    # touch to the browser, so a swipe over a chart on a phone scrolls the page (hover stays).
    fig.update_layout(dragmode=False)
    fig.update_xaxes(fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    # The essentials also on the layout itself, where a host theme (Streamlit's default
    # theme="streamlit") cannot replace them as it replaces template defaults.
    fig.update_layout(font={"family": FONT_FAMILY}, paper_bgcolor="white", plot_bgcolor="white",
                      hoverlabel={"font": {"family": FONT_FAMILY}},
                      legend={"font": {"family": FONT_FAMILY}})
    # Title and subtitle broken to fit a phone; the top margin grows with their lines (automargin).
    if title is not None:
        fig.update_layout(title={"text": wrap(title, TITLE_FONT),
                                 "font": {"family": FONT_FAMILY, "size": TITLE_FONT}})
    if subtitle:
        fig.update_layout(title={"subtitle": {"text": subtitle,
                                              "font": {"family": FONT_FAMILY, "size": BASE_FONT}}})
    # The template's top margin holds one line of each; a wrapped one pushes the plot down.
    extra = (TITLE_LINE_PX * fig.layout.title.text.count("<br>") if title else 0) + \
        (SUBTITLE_LINE_PX * subtitle.count("<br>") if subtitle else 0)
    if extra:
        fig.update_layout(margin={"t": TEMPLATE.layout.margin.t + extra})
    if years is not None:
        fig.update_xaxes(**year_axis(years))
    if unit is not None:
        fig.update_yaxes(title={"text": unit, "font": {"family": FONT_FAMILY}})
    if watermark:
        add_demo_mark(fig, watermark)
    return fig


def add_demo_mark(fig: go.Figure, text: str = DEMO_MARK) -> go.Figure:
    """A faint diagonal mark across the plot, so that exported images carry it too."""
    if any(a.name == DEMO_NAME for a in fig.layout.annotations):
        return fig
    fig.add_annotation(name=DEMO_NAME, text=text, xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, textangle=-20, opacity=0.13,
                       font={"family": FONT_FAMILY, "size": 72, "color": "#555555"})
    return fig


def add_no_data(fig: go.Figure, text: str = NO_DATA_TEXT, *, xref: str = "paper",
                yref: str = "paper", x: float = 0.5, y: float = 0.5) -> go.Figure:
    fig.add_annotation(name=NO_DATA_NAME, text=wrap(text, 22, PLOT_PX), xref=xref, yref=yref, x=x, y=y,
                       showarrow=False, font={"family": FONT_FAMILY, "size": 22, "color": "#777777"})
    return fig


def empty_figure(title: str | None = None, *, text: str = NO_DATA_TEXT, demo: bool = False,
                 years: range | None = None, unit: str | None = None) -> go.Figure:
    """A themed figure that says 暂无数据 (and why, if `text` says so) instead of raising."""
    fig = go.Figure()
    add_no_data(fig, text)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    if years is None:
        fig.update_xaxes(showticklabels=False, showline=False, ticks="")
    return apply_theme(fig, title=title, unit=unit, years=years,
                       watermark=DEMO_MARK if demo else None)


def is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return True  # pd.NA and anything not a number


def num(x: Any) -> float | None:
    return None if is_missing(x) else float(x)

