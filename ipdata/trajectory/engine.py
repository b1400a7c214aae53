"""compute(): every figure for every goal of one region (or all regions) in one vectorised pass."""

from __future__ import annotations

import math
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan, bracketed
from ipdata.trajectory import figures as F
from ipdata.trajectory import labels as L
from ipdata.trajectory import rank
from ipdata.trajectory.derive import canonical_regions, goal_values
from ipdata.trajectory.eurostat import eurostat
from ipdata.trajectory.labels import DEFAULT, Thresholds
from ipdata.trajectory.narrative import target_text, texts
from ipdata.trajectory.panel import Panel, build_keys, build_panel
from ipdata.trajectory.projection import fit, project, reach_year
from ipdata.trajectory.targets import derived, numeric_goals, path, path_points

# The public columns, in order (the JSON objects of `status --json`).
COLUMNS = [
    "code", "name", "category", "region", "unit", "decimals", "kind", "comparator", "target", "target_text",
    "base_year", "target_year", "base_value", "latest_year", "latest_value", "n_points",
    "completion", "time_elapsed", "schedule_ratio", "status", "status_reason",
    "direction_label", "growth_rate", "eurostat_ratio", "eurostat_class", "eurostat_method",
    "projected", "projected_low", "projected_high", "projected_gap", "reach_year",
    "required_increment", "required_growth", "gap", "final_achieved", "final_pct_of_target",
    "share_of_district", "notes", "narrative", "nature", "target_rule",
    *rank.COLUMNS,  # rank goals only (rank, source, peers, tier): None on every other goal
]


def compute(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
            region: str | None = None, thresholds: Thresholds = DEFAULT) -> pd.DataFrame:
    """Figures for every goal of the plan in one region (None = the district), plan order."""
    region = plan.district if region is None or plan.is_district(region) else str(region)
    return compute_all(plan, values, targets, [region], thresholds)


def compute_all(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
                regions: list[str] | None = None,
                thresholds: Thresholds = DEFAULT) -> pd.DataFrame:
    """Figures for every (goal, region); regions None = the district and every region in the data.

    The district is always computed too, because a region without a target shows its share of it.
    """
    gv = goal_values(plan, values)
    if regions is None:
        others = sorted(set(gv["region"]) - {plan.district})
        regions = [plan.district, *others]
    else:
        regions = list(pd.unique(canonical_regions(plan, pd.Series(regions, dtype=object))))
    wanted = regions if plan.district in regions else [*regions, plan.district]
    out = _numeric(plan, gv, targets, wanted, thresholds) if numeric_goals(plan) else _no_rows()
    out = _with_rank_rows(plan, out[out["region"].isin(regions)], regions)
    out = rank.apply(plan, values, out)  # rank goals: a position, said apart from numeric progress
    return out[COLUMNS].reset_index(drop=True)


def _numeric(plan: Plan, gv: pd.DataFrame, targets: pd.DataFrame | None, regions: list[str],
             thresholds: Thresholds) -> pd.DataFrame:
    """Every figure and sentence of the numeric goals (every goal but ranks) in `regions`."""
    keys = build_keys(plan, targets, regions)
    panel = build_panel(keys, gv, plan.base_year)
    keys = _derive_targets(plan, keys, panel)
    out = _figures(keys, panel, thresholds)
    out = _add_share(out, panel, keys, plan.district)
    out["plan_target_year"] = plan.target_year
    out["district"] = plan.district  # the plan's word for its whole area: 全区, 全市, 全国
    out["status_reason"], out["notes"], out["narrative"] = texts(out, thresholds)
    # Only the base the plan states, nothing uploaded: the base is known, a latest value is not.
    only_base = (out["stated_base"] & (out["n_points"] == 1)).to_numpy(dtype=bool)
    out.loc[only_base, "latest_year"] = pd.NA
    out.loc[only_base, ["latest_value", "gap", "required_increment", "required_growth"]] = np.nan
    return out


def _no_rows() -> pd.DataFrame:
    """The numeric part of a plan with no numeric goal (ranks only): no rows, every column."""
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in [*COLUMNS, "goal_order", "region_order"]})
    return out.astype({c: "Int64" for c in ("base_year", "latest_year", "reach_year", "target_year",
                                             "n_points", "decimals", "goal_order", "region_order")})


def _figures(keys: pd.DataFrame, panel: Panel, th: Thresholds) -> pd.DataFrame:
    kind = keys["kind"].to_numpy(dtype=object)
    comparator = keys["comparator"].to_numpy(dtype=object)
    target = keys["target"].to_numpy(dtype="float64")
    target_year = keys["target_year"].to_numpy()
    sign = keys["sign"].to_numpy()
    has_target = keys["has_target"].to_numpy() | (kind == "trend")
    pending = keys["target_pending"].to_numpy(dtype=bool)

    p = F.points(panel, kind)
    p["sign"] = sign
    p["sat"] = F.satisfies(p["latest_value"], target, comparator)
    first_sat = F.first_year_satisfied(panel, target, comparator)
    p["ever_sat"] = ~np.isnan(first_sat)
    f = F.progress(p, target, target_year, sign, kind, comparator, _expected(keys, p, target, target_year))
    # A target waiting for its base-year value: time runs from that base year, not from a later
    # year standing in for it (the target cannot be derived from a stand-in).
    own_base = keys["base_year"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        f["time_elapsed"] = np.where(pending & p["has_data"],
                                     (p["latest_year"] - own_base) / (target_year - own_base),
                                     f["time_elapsed"])
    direction = F.direction_label(p, th)
    status = F.status(p, f, kind, has_target, target_year, direction, th, pending)
    growth = F.growth_rate(p, kind)
    eu = eurostat(p, f, target, target_year, kind, has_target, sign, growth, th)
    eu["eurostat_class"] = np.where(pending, L.EU_NO_DATA, eu["eurostat_class"]).astype(object)

    line = fit(panel)
    open_ = p["has_data"] & ~p["incomplete"] & (p["latest_year"] < target_year) & (kind != "milestone")
    lower, upper = _bounds(keys, panel, p)
    proj = project(line, target_year, open_, th.band_min_points, lower, upper)
    reach = reach_year(line, p["latest_year"], target, comparator, target_year, th.reach_horizon,
                       lower, upper)
    reach = np.where(kind == "milestone", first_sat, np.where(p["sat"], first_sat, reach))
    reach = np.where(open_ | p["sat"] | (kind == "milestone"), reach, np.nan)
    # No final verdict without the real total: a cumulative goal missing a year's increment has none.
    final = (p["has_data"] & ~p["incomplete"] & (p["latest_year"] >= target_year) & (kind != "trend")
             & has_target)
    final_ok = np.where(kind == "milestone", p["ever_sat"], p["sat"])
    # A milestone once built stays built: its verdict is known before the target year.
    known = final | ((kind == "milestone") & p["ever_sat"] & has_target)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(final & (kind != "milestone") & (target != 0),
                       p["latest_value"] / target * 100, np.nan)
    proj_meets = F.satisfies(proj["projected"], target, comparator)

    has = p["has_data"]
    out = keys.copy()
    out["target_text"] = [
        _target_words(c, t, u, k, rule)
        for c, t, u, k, rule in zip(comparator, target, keys["unit"], kind, keys["target_rule"], strict=True)
    ]
    out["plan_base_year"] = keys["base_year"]  # the goal's own base year (base_year becomes the one used)
    out["base_year"] = pd.array(np.where(has, p["base_year"], 0), dtype="Int64")
    out.loc[~has, "base_year"] = pd.NA
    out["latest_year"] = pd.array(np.where(has, p["latest_year"], 0), dtype="Int64")
    out.loc[~has, "latest_year"] = pd.NA
    numeric = has_target & (kind != "trend")
    cols: dict[str, Any] = {
        "base_value": p["base_value"],
        "latest_value": p["latest_value"],
        "n_points": p["n_points"],
        "completion": np.where(kind == "milestone", np.where(has, p["ever_sat"] * 1.0, np.nan),
                               np.where(numeric, f["completion"], np.nan)),
        "time_elapsed": f["time_elapsed"],
        "schedule_ratio": np.where(numeric & (kind != "milestone"), f["schedule_ratio"], np.nan),
        "status": status,
        "direction_label": direction,
        "growth_rate": growth,
        **eu,
        **proj,
        "projected_gap": np.where(numeric & open_,
                                  np.maximum(0.0, sign * (target - proj["projected"])), np.nan),
        "reach_year": pd.array(np.nan_to_num(reach, nan=0).astype("int64"), dtype="Int64"),
        "required_increment": np.where(numeric & (kind != "milestone"),
                                       f["required_increment"], np.nan),
        "required_growth": np.where(numeric, f["required_growth"], np.nan),
        "gap": np.where(numeric & (kind != "milestone"), f["gap"], np.nan),
        "final_achieved": pd.array(np.where(known, final_ok, False), dtype="boolean"),
        "final_pct_of_target": pct,
        # helpers for the text pass, dropped from the public frame
        "has_data": has,
        "has_target": has_target,
        "incomplete": p["incomplete"],
        "met_at_base": f["met_at_base"],
        "on_target": f["on_target"],
        "after_target": panel.after_target,
        "gap_years": _gap_years(panel),
        "projected_meets": proj_meets,
        "stated_base": panel.stated_base,
        "uploaded_base": panel.uploaded_base,
        "interim_checks": _interim_checks(keys, panel, p),
    }
    for name, col in cols.items():
        out[name] = col
    out.loc[np.isnan(reach), "reach_year"] = pd.NA
    out.loc[~known, "final_achieved"] = pd.NA
    return out


def _target_words(comparator: str | None, target: float, unit: str, kind: str, rule: str) -> str:
    """'≥18件'; with how a derived target came about, '≥34.63亿元（年均增长10%）'; the rule alone
    ('年均增长10%') while the base-year value it needs is missing; '' without a target."""
    if math.isnan(target) and kind != "milestone":
        return rule
    text = target_text(comparator, target, unit, kind)
    return text + bracketed(rule)


def _derive_targets(plan: Plan, keys: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    """The district's target where the plan derives it from the base (年均增长10%, 翻一番) without
    stating the base: from the value uploaded for the base year; until that value exists the
    target stays unknown (target_pending: 数据不足, the reason names the missing value)."""
    pending = keys["target_pending"].to_numpy(dtype=bool)
    if not pending.any():
        return keys
    keys = keys.copy()
    for i in np.flatnonzero(pending):
        goal = plan.goal(keys.at[i, "code"])
        years = int(keys.at[i, "target_year"]) - int(keys.at[i, "base_year"])
        target = derived(goal, float(panel.uploaded_base[i]), years)
        if target is not None:
            keys.at[i, "target"] = target
    keys["has_target"] = keys["target"].notna()
    keys["target_pending"] = pending & ~keys["has_target"].to_numpy()
    return keys


def _interim_rows(keys: pd.DataFrame, p: dict, target: np.ndarray) -> list[int]:
    """Rows whose path runs through interim targets (the district's, with data and a target)."""
    return [i for i, t in enumerate(keys["interim"]) if t and p["has_data"][i] and not np.isnan(target[i])]


def _expected(keys: pd.DataFrame, p: dict, target: np.ndarray, target_year: np.ndarray) -> np.ndarray:
    """序时进度 on the path of interim targets: (path at the latest year − base) ÷ (target − base),
    the share of the distance the path has covered; NaN where the path is a straight line."""
    out = np.full(len(keys), np.nan)
    for i in _interim_rows(keys, p, target):
        base = float(p["base_value"][i])
        points = path_points(int(p["base_year"][i]), base, keys.at[i, "interim"], int(target_year[i]),
                             float(target[i]))
        span = float(target[i]) - base
        if len(points[0]) > 2 and abs(span) > F.EPS * max(1.0, abs(float(target[i]))):
            out[i] = (float(path(points, float(p["latest_year"][i]))) - base) / span
    return out


def _interim_checks(keys: pd.DataFrame, panel: Panel, p: dict) -> list[tuple]:
    """Per row, each interim target whose year has come: (year, target, value then or NaN)."""
    out: list[tuple] = [()] * len(keys)
    target = keys["target"].to_numpy(dtype="float64")
    for i in _interim_rows(keys, p, target):
        seen = []
        for year, value in keys.at[i, "interim"]:
            j = year - int(panel.years[0])
            if p["base_year"][i] < year < keys.at[i, "target_year"] and year <= p["latest_year"][i]:
                seen.append((year, value, panel.tracked[i, j] if panel.valid[i, j] else np.nan))
        out[i] = tuple(seen)
    return out


def _with_rank_rows(plan: Plan, out: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The numeric rows and one row per rank goal and region, in plan order. A rank is no quantity
    and is not on the grid: its row carries the goal's identity and target, and trajectory/rank.py
    says the rest."""
    ranks = [g for g in plan.goals if g.is_rank]
    if not ranks:
        return out
    order = {g.code: i for i, g in enumerate(plan.goals)}
    rows = [{"code": g.code, "name": g.name, "category": g.category, "region": r, "unit": g.unit,
             "decimals": g.display_decimals, "kind": g.kind, "comparator": g.comparator,
             "target": g.target if plan.is_district(r) else np.nan,
             "target_text": g.target_text() if plan.is_district(r) else "", "target_rule": "",
             "target_year": plan.target_year_of(g), "n_points": 0, "status": L.NO_DATA,
             "status_reason": "", "notes": "", "narrative": "", "nature": g.nature,
             "goal_order": order[g.code], "region_order": j}
            for g in ranks for j, r in enumerate(regions)]
    extra = pd.DataFrame(rows)
    extra = extra.astype({c: out[c].dtype for c in extra.columns if c in out.columns})
    both = pd.concat([out, extra], ignore_index=True)
    return both.sort_values(["goal_order", "region_order"], kind="stable")


def _bounds(keys: pd.DataFrame, panel: Panel, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """What a projection can reach (docs/method.md §6): a percentage lies in [0, 100]; nothing is
    below 0 unless the goal's own data have been; a running total never falls below what it has
    already reached."""
    with np.errstate(invalid="ignore"):
        negative = (np.where(panel.valid, panel.tracked, np.inf) < 0).any(axis=1)
    lower = np.where(negative, -np.inf, 0.0)
    cumulative = (keys["kind"] == "cumulative").to_numpy()
    lower = np.where(cumulative & ~np.isnan(p["latest_value"]),
                     np.fmax(lower, p["latest_value"]), lower)
    upper = np.where((keys["unit"] == "%").to_numpy(), 100.0, np.inf)
    return lower, upper


def _gap_years(panel: Panel) -> np.ndarray:
    """'2023、2024' per row: the years missing between the first and last point."""
    cols = [np.where(panel.gap_years[:, j], f"{y}、", "") for j, y in enumerate(panel.years)]
    joined = reduce(np.char.add, cols, np.full(panel.gap_years.shape[0], "", dtype="<U1"))
    return np.char.rstrip(joined.astype(str), "、").astype(object)


def _add_share(out: pd.DataFrame, panel: Panel, keys: pd.DataFrame, district: str) -> pd.DataFrame:
    """Share of the district total in the region's latest year (additive goals only)."""
    # The district's tracked value in each goal's row of the panel, by year.
    rows = np.arange(len(keys))
    district_row = pd.Series(rows[keys["is_district"].to_numpy()],
                             index=keys.loc[keys["is_district"], "code"].to_numpy())
    drow = district_row.reindex(keys["code"]).to_numpy()
    ly = out["latest_year"].to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(drow) & ~np.isnan(ly) & keys["additive"].to_numpy() & ~keys["is_district"].to_numpy()
    j = np.where(ok, ly - panel.years[0], 0).astype(int)
    dval = np.where(ok, panel.tracked[np.nan_to_num(drow).astype(int), j], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ok & (dval > 0), out["latest_value"].to_numpy() / dval, np.nan)
    out["share_of_district"] = share
    return out


def to_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe dicts: NaN and NA become None, numpy scalars become Python ones."""
    obj = df.astype(object).where(df.notna(), None)
    recs = obj.to_dict("records")
    for r in recs:
        for k, v in r.items():
            if isinstance(v, np.generic):
                r[k] = v.item()
            elif isinstance(v, float) and math.isnan(v):
                r[k] = None
    return recs
