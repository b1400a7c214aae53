"""Tables the pages and the CLI show, computed here so that they are tested without Streamlit."""

from __future__ import annotations

import pandas as pd

from ipdata.catalogue import KIND_LABELS, Goal, Plan
from ipdata.trajectory import compute


def status_frame(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """The trajectory figures of every goal in one region (default: the district)."""
    return compute(plan, values, targets, region=region)


def _fmt_value(value: float, goal: Goal) -> str:
    """Same rule as the narrative: whole numbers for counts, one decimal otherwise."""
    if pd.isna(value):
        return "—"
    if goal.kind == "milestone":
        return "已建成" if value >= 1 else "未建成"
    return f"{value:,.0f}" if goal.is_count else f"{value:,.1f}"


def _pct(x: float) -> str:
    return "—" if pd.isna(x) else f"{x * 100:.1f}%"


def status_table(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """Human-readable columns (Chinese headers) from `status_frame`."""
    if frame.empty:
        return pd.DataFrame()
    target_year = int(frame["target_year"].max())
    return pd.DataFrame({
        "类别": frame["category"],
        "指标": frame["name"],
        "类型": frame["kind"].map(KIND_LABELS),
        "单位": frame["unit"],
        "最新年份": frame["latest_year"].astype("Int64"),
        "最新值": [_fmt_value(v, plan.goal(c)) for v, c in zip(frame["latest_value"], frame["code"], strict=True)],
        f"{target_year}年目标": frame["target_text"],
        "完成进度": frame["completion"].map(_pct),
        "序时进度": frame["time_elapsed"].map(_pct),
        "状态": frame["status"],
    }).reset_index(drop=True)


def goal_table(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
               region: str | None = None) -> pd.DataFrame:
    """One row per goal: latest tracked value, target, progress and status."""
    return status_table(plan, status_frame(plan, values, targets, region))
