"""The data behind a chart: every builder records its plotted series as tidy rows in
`fig.layout.meta`, and `chart_data(fig)` returns them as a table (for the xlsx export); the notes
drawn on a goal chart are recorded beside them, and `chart_notes(fig)` returns those."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ipdata.figures.theme import num

META_KEY = "ipdata_chart_data"
NOTES_KEY = "ipdata_chart_notes"
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


NOTE_COLUMNS = ["goal", "region", "year", "kind", "text"]
NOTE_HEADERS = {"goal": "指标", "region": "地区", "year": "年份", "kind": "类别", "text": "备注"}


def attach_notes(fig: go.Figure, rows: list[dict[str, Any]]) -> go.Figure:
    """Record the notes drawn on `fig` (goal, region, year: '2023年' or '指标整体', kind, text)."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta[NOTES_KEY] = [{c: r.get(c) for c in NOTE_COLUMNS} for r in rows]
    fig.update_layout(meta=meta)
    return fig


def chart_notes(fig: go.Figure, *, chinese_headers: bool = False) -> pd.DataFrame:
    """The notes drawn on `fig` as a table (goal, region, year, kind, text); none: no rows."""
    meta = fig.layout.meta
    rows = list(meta.get(NOTES_KEY) or []) if isinstance(meta, dict) else []
    out = pd.DataFrame(rows, columns=NOTE_COLUMNS).astype(object)
    return out.rename(columns=NOTE_HEADERS) if chinese_headers else out


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
