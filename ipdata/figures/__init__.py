"""Plotly figures for the pages and the exports, all in one theme. Plain package: no Streamlit.

    goal_chart(plan, code, values, figures, region)   one goal: values, target, path, projection
    progress_chart(frame, final)                      completion vs 序时进度 per goal (final: no 序时进度)
    category_chart(plan, category, values, frame)     a category's goals as small multiples
    region_chart(plan, code, frame_all, year, final)  regions ranked, share of the district (final: verdicts)
    region_trend_chart(plan, code, values, regions)   one line per region
    chart_data(fig)                                   the data behind any of these, as a table

Every builder takes `demo=True` to put a faint 示例数据 mark on the figure (and its exports), and
returns a figure saying 暂无数据 instead of raising when there is nothing to draw.
"""

from ipdata.figures.data import HEADERS as CHART_DATA_HEADERS
from ipdata.figures.data import chart_data
from ipdata.figures.goal import goal_chart, goal_series
from ipdata.figures.overview import category_chart, progress_chart
from ipdata.figures.regions import region_chart, region_trend_chart
from ipdata.figures.theme import (
    DEMO_MARK,
    FONT_FAMILY,
    IMAGE_ARGS,
    NO_DATA_TEXT,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    TEMPLATE,
    VERDICT_COLOURS,
    VERDICT_SYMBOLS,
    apply_theme,
    empty_figure,
    status_colour,
    status_symbol,
)

__all__ = [
    "CHART_DATA_HEADERS", "DEMO_MARK", "FONT_FAMILY", "IMAGE_ARGS", "NO_DATA_TEXT", "SLIDE_HEIGHT",
    "SLIDE_WIDTH", "STATUS_COLOURS", "STATUS_SYMBOLS", "TEMPLATE", "VERDICT_COLOURS",
    "VERDICT_SYMBOLS", "apply_theme", "category_chart",
    "chart_data", "empty_figure", "goal_chart", "goal_series", "progress_chart", "region_chart",
    "region_trend_chart", "status_colour", "status_symbol",
]
