"""The naive ways, run in the same process as ours so that the ratio is fair on a shared machine.

- import: pandas `read_excel` with openpyxl, then one INSERT per value into DuckDB (in a single
  transaction — autocommit per row would be slower still). No validation at all, which flatters
  the baseline: ours also validates every cell and writes a revision.
- trajectories: a per-series Python loop that filters the frame for each (goal, region) and
  computes completion, 序时进度, schedule ratio and status with the rules of docs/method.md.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.trajectory import labels as L

# --- import -----------------------------------------------------------------------------------

DDL = "CREATE TABLE observations (series VARCHAR, region VARCHAR, year BIGINT, value DOUBLE)"


def naive_import_long(xlsx: Path, db: Path) -> int:
    """指标 | 地区 | 年份 | 数值 -> one INSERT per row. Returns rows inserted."""
    frame = pd.read_excel(xlsx, engine="openpyxl")
    con = duckdb.connect(str(db))
    try:
        con.execute(DDL)
        con.begin()
        for name, region, year, value in frame.itertuples(index=False):
            con.execute("INSERT INTO observations VALUES (?, ?, ?, ?)", [name, region, int(year), float(value)])
        con.commit()
        return int(con.execute("SELECT count(*) FROM observations").fetchone()[0])
    finally:
        con.close()


def naive_import_wide(xlsx: Path, db: Path) -> int:
    """指标名称 | 地区 | 单位 | 2006年 … -> one INSERT per (row, year) cell. Returns rows inserted."""
    frame = pd.read_excel(xlsx, engine="openpyxl")
    years = [(c, int(str(c)[:4])) for c in frame.columns if str(c)[:4].isdigit()]
    con = duckdb.connect(str(db))
    try:
        con.execute(DDL)
        con.begin()
        for _, row in frame.iterrows():
            for col, year in years:
                if pd.notna(row[col]):
                    con.execute("INSERT INTO observations VALUES (?, ?, ?, ?)",
                                [row["指标名称"], row["地区"], year, float(row[col])])
        con.commit()
        return int(con.execute("SELECT count(*) FROM observations").fetchone()[0])
    finally:
        con.close()


# --- trajectories -----------------------------------------------------------------------------

EPS = 1e-9


def _satisfies(value: float, target: float, comparator: str) -> bool:
    if math.isnan(value) or math.isnan(target):
        return False
    eps = 1e-9 * max(1.0, abs(target))
    return {">=": value >= target - eps, ">": value > target + eps,
            "<=": value <= target + eps, "<": value < target - eps}.get(comparator, False)


def naive_trajectories(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Completion and status of every (goal, region), one series at a time."""
    regions = [plan.district, *sorted(set(values["region"]) - {plan.district})]
    out = []
    for goal in (g for g in plan.goals if not g.is_rank):  # a rank is a position, not on the grid
        for region in regions:
            rows = values[(values["series"] == goal.code) & (values["region"] == region)]
            obs = {int(y): float(v) for y, v in zip(rows["year"], rows["value"], strict=True)}
            target, target_year = goal.target, plan.target_year
            if region != plan.district:
                own = targets[(targets["series"] == goal.code) & (targets["region"] == region)]
                target = float(own["target"].iloc[-1]) if len(own) else None
                if len(own) and int(own["year"].iloc[-1]) > plan.base_year:
                    target_year = int(own["year"].iloc[-1])
            out.append(_one(goal, region, obs, target, target_year, plan.base_year))
    return pd.DataFrame(out)


def _one(goal, region: str, obs: dict[int, float], target: float | None, target_year: int,
         base_year: int) -> dict:
    kind, comparator = goal.kind, goal.comparator or ""
    sign = 1.0 if goal.direction == "higher" else -1.0
    tgt = math.nan if target is None or kind == "trend" else float(target)
    has_target = not math.isnan(tgt) or kind == "trend"
    years = range(base_year, target_year + 1)
    if kind == "cumulative":
        points, total = [(base_year, 0.0)], 0.0
        for y in years[1:]:
            if y in obs:
                total += obs[y]
                points.append((y, total))
    else:
        points = [(y, obs[y]) for y in years if y in obs]
    has = bool(points) and not (kind == "cumulative" and len(points) < 2)
    # a cumulative goal missing a year before its latest has no known total (docs/method.md §1)
    incomplete = kind == "cumulative" and has and points[-1][0] - base_year != len(points) - 1
    n = len(points) if has else 0
    row = {"code": goal.code, "region": region, "completion": math.nan, "time_elapsed": math.nan,
           "schedule_ratio": math.nan}
    if has:
        (b, base), (t, latest) = points[0], points[-1]
        if kind == "milestone":
            b, base = base_year, obs.get(base_year, math.nan)
        row["time_elapsed"] = (t - b) / (target_year - b)
        sat = _satisfies(latest, tgt, comparator)
        final = t >= target_year
        met_at_base = n >= 2 and sign * (tgt - base) <= 0
        c = (latest - base) / (tgt - base) if n >= 2 and not met_at_base and tgt != base else math.nan
        s = row["time_elapsed"]
        q = c / s if s > 0 else math.nan
    if kind == "trend":
        if n < 2:
            status = L.NO_DATA
        else:
            rel = (latest - base) / (abs(base) if base != 0 else 1.0)
            status = L.FLAT if abs(rel) < 0.01 else (L.UP if rel > 0 else L.DOWN)
    elif incomplete:
        status = L.NO_DATA
    elif not has_target:
        status = L.NO_TARGET
    elif kind == "milestone":
        built = has and any(_satisfies(v, tgt, comparator) for _, v in points)
        row["completion"] = float(built) if has else math.nan
        status = L.NO_DATA if not has else L.BUILT if built else L.MISSED if final else L.NOT_BUILT
    elif not has:
        status = L.NO_DATA
    else:
        row["completion"], row["schedule_ratio"] = c, q
        moved_back = met_at_base and sign * (latest - base) < 0
        status = (L.DONE if sat else L.MISSED if final else L.NO_DATA if n < 2
                  else L.BACKWARD if moved_back else L.BEHIND if met_at_base else L.BACKWARD if c < 0
                  else L.AHEAD if q >= 1.0 - EPS else L.ON_TRACK if q >= 0.9 - EPS else L.BEHIND)
    row["status"] = status
    return row
