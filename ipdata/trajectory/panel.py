"""Shape the data for one vectorised pass: a key table (one row per goal × region) and a
key × year matrix of tracked values, so that every figure is a numpy expression over rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.trajectory.derive import canonical_regions


def build_keys(plan: Plan, targets: pd.DataFrame | None, regions: list[str]) -> pd.DataFrame:
    """One row per (goal, region) with the target that applies to it.

    The district is judged against the plan; another region only against its own row in
    `targets` (目标分解), whose year is that region's target year.
    """
    goals = pd.DataFrame({
        "code": [g.code for g in plan.goals],
        "name": [g.name for g in plan.goals],
        "category": [g.category for g in plan.goals],
        "unit": [g.unit for g in plan.goals],
        "kind": [g.kind for g in plan.goals],
        "comparator": [g.comparator for g in plan.goals],
        "plan_target": [np.nan if g.target is None else g.target for g in plan.goals],
        "sign": [1.0 if g.direction == "higher" else -1.0 for g in plan.goals],
        "is_count": [g.is_count for g in plan.goals],
        # Every figure of the goal is shown with these decimals (ipdata.rounding).
        "decimals": [g.display_decimals for g in plan.goals],
        # Only quantities that add up over regions have a "share of the district total".
        "additive": [g.kind in ("cumulative", "trend") or (g.kind == "level" and g.derive is None
                     and g.unit != "%") for g in plan.goals],
        "goal_order": np.arange(len(plan.goals)),
    })
    reg = pd.DataFrame({"region": regions, "region_order": np.arange(len(regions))})
    keys = goals.merge(reg, how="cross")
    keys["is_district"] = keys["region"] == plan.district

    own = _region_targets(plan, targets)
    keys = keys.merge(own, on=["code", "region"], how="left")
    district = keys["is_district"].to_numpy()
    keys["target"] = np.where(district, keys["plan_target"], keys["own_target"])
    own_year = keys["own_year"].to_numpy(dtype="float64")
    ok_year = ~np.isnan(own_year) & (own_year > plan.base_year)
    keys["target_year"] = np.where(district | ~ok_year, plan.target_year, own_year).astype("int64")
    keys["base_year"] = plan.base_year
    keys.loc[keys["kind"] == "trend", "target"] = np.nan
    keys["has_target"] = keys["target"].notna()
    keys = keys.drop(columns=["plan_target", "own_target", "own_year"])
    return keys.sort_values(["goal_order", "region_order"]).reset_index(drop=True)


def _region_targets(plan: Plan, targets: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["code", "region", "own_target", "own_year"]
    if targets is None or len(targets) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c.startswith("own") else "object")
                             for c in cols})
    t = targets.loc[:, ["series", "region", "year", "target"]].copy()
    t["target"] = pd.to_numeric(t["target"], errors="coerce")
    t = t[t["target"].notna()]
    t["region"] = canonical_regions(plan, t["region"])
    t["year"] = pd.to_numeric(t["year"], errors="coerce")
    # Several target rows for one region: the one for the plan's target year, else the latest.
    t["_pref"] = (t["year"] == plan.target_year).astype(int)
    t = t.sort_values(["series", "region", "_pref", "year", "target"]).drop_duplicates(
        ["series", "region"], keep="last")
    return t.rename(columns={"series": "code", "target": "own_target", "year": "own_year"})[cols]


@dataclass(frozen=True)
class Panel:
    """Tracked values on a regular year grid; row i belongs to key i."""

    years: np.ndarray  # (J,) calendar years, base_year .. max target year
    tracked: np.ndarray  # (K, J) tracked value, NaN where there is no data
    valid: np.ndarray  # (K, J) a data point inside [base_year, target_year]
    gap_years: np.ndarray  # (K, J) no data although inside [first point, last point]
    after_target: np.ndarray  # (K,) data after the target year exist (not used)
    # (K,) a cumulative goal missing some year's new value before its latest one: its running
    # total is unknown from the first missing year on (tracked is NaN there), so it gets no verdict.
    incomplete: np.ndarray


def build_panel(keys: pd.DataFrame, gv: pd.DataFrame, base_year: int) -> Panel:
    K = len(keys)
    last = int(keys["target_year"].max()) if K else base_year + 1
    years = np.arange(base_year, last + 1)
    J = len(years)
    raw = np.full((K, J), np.nan)

    idx = pd.MultiIndex.from_frame(keys[["code", "region"]])
    k = idx.get_indexer(pd.MultiIndex.from_arrays([gv["series"], gv["region"]]))
    yr = gv["year"].to_numpy()
    val = gv["value"].to_numpy(dtype="float64")
    on = k >= 0
    k, yr, val = k[on], yr[on], val[on]
    target_year = keys["target_year"].to_numpy()
    after = np.zeros(K, dtype=bool)
    after[k[yr > target_year[k]]] = True
    inside = (yr >= base_year) & (yr <= last)
    raw[k[inside], yr[inside] - base_year] = val[inside]  # keys are unique (goal_values)

    in_plan = years[None, :] <= target_year[:, None]
    cumulative = (keys["kind"] == "cumulative").to_numpy()[:, None]
    present = ~np.isnan(raw) & in_plan
    # Cumulative goals: the base year's own value is not counted; the base is 0 by definition,
    # and each later year adds its new value. A year missing before the latest one leaves the
    # running total unknown from then on: it is NaN, never the sum of the years that arrived.
    after_base = years[None, :] > base_year
    cum = np.cumsum(np.where(present & after_base, raw, 0.0), axis=1)
    valid = np.where(cumulative, (present & after_base) | ~after_base, present)

    first = _first_true(valid)
    lastj = _last_true(valid)
    j = np.arange(J)[None, :]
    gaps = ~valid & (j > first[:, None]) & (j < lastj[:, None])
    first_gap = np.where(gaps.any(axis=1), gaps.argmax(axis=1), J)
    known = ~cumulative | (j < first_gap[:, None])
    tracked = np.where(valid & known, np.where(cumulative, cum, raw), np.nan)
    incomplete = cumulative[:, 0] & gaps.any(axis=1)
    return Panel(years, tracked, valid, gaps, after, incomplete)


def _first_true(m: np.ndarray) -> np.ndarray:
    """Column of the first True per row; -1 where none."""
    return np.where(m.any(axis=1), m.argmax(axis=1), -1)


def _last_true(m: np.ndarray) -> np.ndarray:
    """Column of the last True per row; -1 where none."""
    J = m.shape[1]
    return np.where(m.any(axis=1), J - 1 - m[:, ::-1].argmax(axis=1), -1)
