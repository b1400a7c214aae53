"""Shape the data for one vectorised pass: a key table (one row per goal × region) and a
key × year matrix of tracked values, so that every figure is a numpy expression over rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.trajectory.derive import canonical_regions
from ipdata.trajectory.targets import adds_up, judged_target, numeric_goals


def build_keys(plan: Plan, targets: pd.DataFrame | None, regions: list[str]) -> pd.DataFrame:
    """One row per (numeric goal, region) with the target that applies to it.

    The district is judged against the plan: the goal's own base and target years, the base the
    plan states, a target derived from the base, interim targets. Another region only against its
    own row in `targets` (目标分解), whose year is that region's target year.
    """
    goals = numeric_goals(plan)
    order = {g.code: i for i, g in enumerate(plan.goals)}
    level_like = [g.kind in ("level", "trend") for g in goals]
    frame = pd.DataFrame({
        # object columns even when empty (a plan of rank goals only has no numeric goal)
        "code": pd.Series([g.code for g in goals], dtype=object),
        "name": pd.Series([g.name for g in goals], dtype=object),
        "category": pd.Series([g.category for g in goals], dtype=object),
        "unit": pd.Series([g.unit for g in goals], dtype=object),
        "kind": pd.Series([g.kind for g in goals], dtype=object),
        "comparator": pd.Series([g.comparator for g in goals], dtype=object),
        "plan_target": np.array([judged_target(plan, g) for g in goals], dtype="float64"),
        "sign": [1.0 if g.direction == "higher" else -1.0 for g in goals],
        "is_count": [g.is_count for g in goals],
        # Every figure of the goal is shown with these decimals (ipdata.rounding).
        "decimals": [g.display_decimals for g in goals],
        # Only quantities that add up over regions have a "share of the district total".
        "additive": [adds_up(g) for g in goals],
        "nature": [g.nature for g in goals],
        "plan_rule": [g.target_rule for g in goals],
        # A stated base is a level's value in the base year; a running total starts at 0 anyway.
        "plan_base": np.array([g.base_value if ok and g.base_value is not None else np.nan
                               for g, ok in zip(goals, level_like, strict=True)], dtype="float64"),
        "plan_interim": [tuple(g.targets) for g in goals],
        "goal_base_year": np.array([plan.base_year_of(g) for g in goals], dtype="int64"),
        "goal_target_year": np.array([plan.target_year_of(g) for g in goals], dtype="int64"),
        "goal_order": [order[g.code] for g in goals],
    })
    reg = pd.DataFrame({"region": pd.Series(regions, dtype=object), "region_order": np.arange(len(regions))})
    keys = frame.merge(reg, how="cross")
    keys["is_district"] = keys["region"] == plan.district

    own = _region_targets(plan, targets)
    keys = keys.merge(own, on=["code", "region"], how="left")
    district = keys["is_district"].to_numpy()
    keys["target"] = np.where(district, keys["plan_target"], keys["own_target"])
    own_year = keys["own_year"].to_numpy(dtype="float64")
    ok_year = ~np.isnan(own_year) & (own_year > keys["goal_base_year"].to_numpy())
    keys["target_year"] = np.where(district | ~ok_year, keys["goal_target_year"], own_year).astype("int64")
    keys["base_year"] = keys["goal_base_year"]
    # What the plan says is the district's: a region has its own target and its own data.
    keys["target_rule"] = np.where(district, keys["plan_rule"], "")
    keys["stated_base"] = np.where(district, keys["plan_base"], np.nan)
    keys["interim"] = [t if d else () for t, d in zip(keys["plan_interim"], district, strict=True)]
    keys.loc[keys["kind"] == "trend", "target"] = np.nan
    keys["has_target"] = keys["target"].notna()
    # A target derived from the uploaded base-year value: known once that value is (engine).
    keys["target_pending"] = district & (keys["target_rule"] != "") & ~keys["has_target"].to_numpy()
    keys = keys.drop(columns=["plan_target", "own_target", "own_year", "plan_rule", "plan_base",
                              "plan_interim"])
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
    # Several target rows for one region: the one for the goal's target year, else the latest.
    due = {g.code: plan.target_year_of(g) for g in plan.goals}
    t["_pref"] = (t["year"] == t["series"].map(due).fillna(plan.target_year)).astype(int)
    t = t.sort_values(["series", "region", "_pref", "year", "target"]).drop_duplicates(
        ["series", "region"], keep="last")
    return t.rename(columns={"series": "code", "target": "own_target", "year": "own_year"})[cols]


@dataclass(frozen=True)
class Panel:
    """Tracked values on a regular year grid; row i belongs to key i."""

    years: np.ndarray  # (J,) calendar years, the earliest base year .. the latest target year
    tracked: np.ndarray  # (K, J) tracked value, NaN where there is no data
    valid: np.ndarray  # (K, J) a data point inside [base_year, target_year] of its key
    gap_years: np.ndarray  # (K, J) no data although inside [first point, last point]
    after_target: np.ndarray  # (K,) data after the target year exist (not used)
    # (K,) a cumulative goal missing some year's new value before its latest one: its running
    # total is unknown from the first missing year on (tracked is NaN there), so it gets no verdict.
    incomplete: np.ndarray
    base_col: np.ndarray  # (K,) column of the key's base year
    uploaded_base: np.ndarray  # (K,) the value uploaded for the base year (NaN: none)
    stated_base: np.ndarray  # (K,) the base is the plan's (`base_value`), whatever was uploaded


def build_panel(keys: pd.DataFrame, gv: pd.DataFrame, base_year: int) -> Panel:
    """`base_year`: where the grid starts when there are no keys (else at the earliest key's)."""
    K = len(keys)
    base = keys["base_year"].to_numpy(dtype="int64")
    target_year = keys["target_year"].to_numpy()
    start = int(base.min()) if K else base_year
    last = int(target_year.max()) if K else base_year + 1
    years = np.arange(start, last + 1)
    J = len(years)
    raw = np.full((K, J), np.nan)

    idx = pd.MultiIndex.from_frame(keys[["code", "region"]])
    k = idx.get_indexer(pd.MultiIndex.from_arrays([gv["series"], gv["region"]]))
    yr = gv["year"].to_numpy()
    val = gv["value"].to_numpy(dtype="float64")
    on = k >= 0
    k, yr, val = k[on], yr[on], val[on]
    after = np.zeros(K, dtype=bool)
    after[k[yr > target_year[k]]] = True
    inside = (yr >= start) & (yr <= last)
    raw[k[inside], yr[inside] - start] = val[inside]  # keys are unique (goal_values)

    rows, base_col = np.arange(K), base - start
    uploaded_base = raw[rows, base_col] if K else np.zeros(0)
    # A base the plan states is the base: completion, 序时进度 and the projection start from it.
    stated = ~np.isnan(keys["stated_base"].to_numpy(dtype="float64")) if K else np.zeros(0, dtype=bool)
    raw[rows[stated], base_col[stated]] = keys["stated_base"].to_numpy(dtype="float64")[stated]

    at = years[None, :]
    in_plan = (at >= base[:, None]) & (at <= target_year[:, None])
    cumulative = (keys["kind"] == "cumulative").to_numpy()[:, None]
    present = ~np.isnan(raw) & in_plan
    # Cumulative goals: the base year's own value is not counted; the base is 0 by definition,
    # and each later year adds its new value. A year missing before the latest one leaves the
    # running total unknown from then on: it is NaN, never the sum of the years that arrived.
    after_base = at > base[:, None]
    cum = np.cumsum(np.where(present & after_base, raw, 0.0), axis=1)
    valid = np.where(cumulative, (present & after_base) | (at == base[:, None]), present)

    first = _first_true(valid)
    lastj = _last_true(valid)
    j = np.arange(J)[None, :]
    gaps = ~valid & (j > first[:, None]) & (j < lastj[:, None])
    first_gap = np.where(gaps.any(axis=1), gaps.argmax(axis=1), J)
    known = ~cumulative | (j < first_gap[:, None])
    tracked = np.where(valid & known, np.where(cumulative, cum, raw), np.nan)
    incomplete = cumulative[:, 0] & gaps.any(axis=1)
    return Panel(years, tracked, valid, gaps, after, incomplete, base_col, uploaded_base, stated)


def _first_true(m: np.ndarray) -> np.ndarray:
    """Column of the first True per row; -1 where none."""
    return np.where(m.any(axis=1), m.argmax(axis=1), -1)


def _last_true(m: np.ndarray) -> np.ndarray:
    """Column of the last True per row; -1 where none."""
    J = m.shape[1]
    return np.where(m.any(axis=1), J - 1 - m[:, ::-1].argmax(axis=1), -1)
