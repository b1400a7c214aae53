"""The data behind a chart: every builder records its plotted series as tidy rows in
`fig.layout.meta`, and `chart_data(fig)` returns them as a table (for the xlsx export)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ipdata.figures.theme import num

META_KEY = "ipdata_chart_data"
COLUMNS = ["goal", "region", "series", "year", "value", "unit"]
HEADERS = {"goal": "指标", "region": "地区", "series": "系列", "year": "年份", "value": "数值",
           "unit": "单位"}


def row(goal: str, region: str, series: str, year: Any, value: Any, unit: str) -> dict[str, Any]:
    return {"goal": goal, "region": region, "series": series,
            "year": None if num(year) is None else int(year), "value": num(value), "unit": unit}


def attach(fig: go.Figure, rows: list[dict[str, Any]]) -> go.Figure:
    """Record `rows` as the data behind `fig` (JSON-safe: NaN is stored as None)."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta[META_KEY] = [{c: r.get(c) for c in COLUMNS} for r in rows]
    fig.update_layout(meta=meta)
    return fig


def chart_data(fig: go.Figure, *, chinese_headers: bool = False) -> pd.DataFrame:
    """The plotted series of `fig` as a tidy table (goal, region, series, year, value, unit).

    Figures not built here fall back to their traces' x/y (series = trace name).
    """
    meta = fig.layout.meta
    if isinstance(meta, dict) and META_KEY in meta:
        out = pd.DataFrame(list(meta[META_KEY]), columns=COLUMNS)
    else:
        rows = []
        for t in fig.data:
            xs, ys = getattr(t, "x", None), getattr(t, "y", None)
            if xs is None or ys is None:
                continue
            rows += [row("", "", t.name or "", x, y, "") for x, y in zip(xs, ys, strict=False)
                     if num(x) is not None]
        out = pd.DataFrame(rows, columns=COLUMNS)
    out["year"] = out["year"].astype("Int64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    return out.rename(columns=HEADERS) if chinese_headers else out
