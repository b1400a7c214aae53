"""Tables the pages show, computed here so that they are tested without Streamlit."""

from __future__ import annotations

import pandas as pd

from ipdata.catalogue import KIND_LABELS, Plan


def _fmt_value(value: float, unit: str) -> str:
    if pd.isna(value):
        return "—"
    if unit in ("%", "亿元", "万人") or not float(value).is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def goal_table(plan: Plan, values: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """One row per goal: latest value (cumulative goals summed since the base year) and target."""
    region = region or plan.district
    rows = []
    v = values[values["region"] == region] if not values.empty else values
    for g in plan.goals:
        mine = v[v["series"] == g.code] if not v.empty else v
        latest_year, latest = None, float("nan")
        if not mine.empty:
            latest_year = int(mine["year"].max())
            if g.kind == "cumulative":
                latest = float(mine.loc[mine["year"] > plan.base_year, "value"].sum())
            else:
                latest = float(mine.loc[mine["year"] == latest_year, "value"].iloc[0])
        if g.kind == "milestone" and latest_year is not None:
            shown = "已建成" if latest >= 1 else "未建成"
        else:
            shown = _fmt_value(latest, g.unit)
        rows.append({
            "类别": g.category, "指标": g.name, "类型": KIND_LABELS[g.kind], "单位": g.unit,
            "最新年份": latest_year, "最新值": shown, f"{plan.target_year}年目标": g.target_text(),
        })
    return pd.DataFrame(rows)
