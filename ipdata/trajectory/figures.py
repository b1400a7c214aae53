"""Completion, 序时进度, schedule ratio, what is still needed, and the status rules."""

from __future__ import annotations

import numpy as np

from ipdata import rounding
from ipdata.trajectory import labels as L
from ipdata.trajectory.labels import Thresholds
from ipdata.trajectory.panel import Panel, _first_true, _last_true

# Ratios such as 0.6 / (2/3) must land on the threshold a calculator shows (0.9), not below it;
# the same relative tolerance decides whether a value meets its target (ipdata.rounding uses it
# too, so that no figure is printed on the other side).
EPS = rounding.TOLERANCE


def satisfies(value: np.ndarray, target: np.ndarray, comparator: np.ndarray) -> np.ndarray:
    """value <comparator> target, elementwise; strict for > and < (超过/突破).

    A tolerance of EPS relative keeps a derived 17.999999999999996 from missing "≥ 18" (and a
    derived 85.00000000000001 from passing "> 85").
    """
    eps = EPS * np.maximum(1.0, np.abs(target))
    with np.errstate(invalid="ignore"):
        out = np.select(
            [comparator == ">=", comparator == ">", comparator == "<=", comparator == "<"],
            [value >= target - eps, value > target + eps, value <= target + eps,
             value < target - eps],
            default=False,
        )
    return out & ~np.isnan(value) & ~np.isnan(target)


def points(panel: Panel, kind: np.ndarray) -> dict[str, np.ndarray]:
    """First and last data point inside the plan period: the (effective) base and the latest.

    A cumulative goal's base (base year, 0) is given, so it "has data" only from its first new
    value; a milestone is always timed from the plan's base year.
    """
    jb, jt = _first_true(panel.valid), _last_true(panel.valid)
    n = panel.valid.sum(axis=1)
    has = (jb >= 0) & ~((kind == "cumulative") & (n < 2))
    jb = np.where(kind == "milestone", panel.base_col, jb)
    rows = np.arange(len(jb))
    take = lambda j: np.where(has, panel.tracked[rows, np.maximum(j, 0)], np.nan)  # noqa: E731
    return {
        "has_data": has,
        # A cumulative goal with a year missing before its latest: latest_value is NaN (unknown).
        "incomplete": has & panel.incomplete,
        "n_points": np.where(has, n, 0),
        "base_year": np.where(has, panel.years[0] + jb, -1),
        "base_value": take(jb),
        "latest_year": np.where(has, panel.years[0] + jt, -1),
        "latest_value": take(jt),
    }


def progress(p: dict, target: np.ndarray, target_year: np.ndarray, sign: np.ndarray,
             kind: np.ndarray, comparator: np.ndarray,
             expected: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """c, s, q and what is still needed. `expected`: where interim targets draw the path, the
    share of the distance base → target the path has covered by the latest year (NaN elsewhere:
    the straight line, s = time elapsed)."""
    b, t = p["base_year"].astype(float), p["latest_year"].astype(float)
    base, latest = p["base_value"], p["latest_value"]
    later = p["has_data"] & (p["n_points"] >= 2)  # a base and at least one later point
    span = target - base
    # Target already met at the base: c = (v-base)/(target-base) has no meaning.
    met_at_base = later & satisfies(base, target, comparator)
    # A strict target whose value is the base itself (超过85% from a base of 85): not met, yet
    # no distance to go either; c is not computed (a tiny span would make it explode).
    with np.errstate(invalid="ignore"):
        on_target = later & ~met_at_base & (np.abs(span) <= EPS * np.maximum(1.0, np.abs(target)))
    no_span = met_at_base | on_target
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(later & ~no_span, (latest - base) / span, np.nan)
        elapsed = np.where(p["has_data"], (t - b) / (target_year - b), np.nan)
        s = elapsed if expected is None else np.where(np.isnan(expected), elapsed, expected)
        q = np.where(s > 0, c / s, np.nan)
        # Eurostat's linear R compares yearly increments, whatever path interim targets draw.
        linear = np.where(elapsed > 0, c / elapsed, np.nan)
        remaining = target_year - t
        sat = p["sat"]
        open_ = p["has_data"] & ~sat & (remaining > 0)
        increment = np.where(sat, 0.0, np.where(open_, (target - latest) / remaining, np.nan))
        growth_ok = open_ & (kind == "level") & (latest > 0) & (target > 0)
        growth = np.where(sat, 0.0, np.where(
            growth_ok, (np.abs(target) / np.abs(latest)) ** (1 / remaining) - 1, np.nan))
    gap = np.where(p["has_data"], np.maximum(0.0, sign * (target - latest)), np.nan)
    return {"completion": c, "time_elapsed": s, "schedule_ratio": q, "linear_ratio": linear,
            "met_at_base": met_at_base,
            "on_target": on_target, "no_span": no_span,
            "required_increment": increment, "required_growth": growth, "gap": gap}


def status(p: dict, f: dict, kind: np.ndarray, has_target: np.ndarray, target_year: np.ndarray,
           direction: np.ndarray, th: Thresholds, pending: np.ndarray | None = None) -> np.ndarray:
    """The status label per key. The rules are tried in order; the first that holds wins.
    `pending`: the target is derived from a base-year value not uploaded yet (数据不足)."""
    has, sat, incomplete = p["has_data"], p["sat"], p["incomplete"]
    final = has & (p["latest_year"] >= target_year)
    one_point = p["n_points"] < 2
    c, q = f["completion"], f["schedule_ratio"]
    # Met at the base (or a strict target at the base): no completion; worse than the base is
    # 倒退, anything else that does not meet the target 滞后.
    moved_back = f["no_span"] & (p["sign"] * (p["latest_value"] - p["base_value"]) < 0)
    with np.errstate(invalid="ignore"):
        numeric = np.select(
            [~has | incomplete, sat, final, one_point, moved_back, f["no_span"], c < 0,
             q >= th.ahead - EPS, q >= th.on_track - EPS],
            [L.NO_DATA, L.DONE, L.MISSED, L.NO_DATA, L.BACKWARD, L.BEHIND, L.BACKWARD,
             L.AHEAD, L.ON_TRACK],
            default=L.BEHIND,
        )
    built = p["ever_sat"]
    milestone = np.select([~has, built, final], [L.NO_DATA, L.BUILT, L.MISSED], default=L.NOT_BUILT)
    trend = np.where(one_point, L.NO_DATA, direction)
    # Missing increments come first: without the real total there is nothing to show or judge,
    # not even for a region that has no target of its own.
    pending = np.zeros(len(kind), dtype=bool) if pending is None else pending
    return np.select(
        [kind == "trend", incomplete | pending, ~has_target, kind == "milestone"],
        [trend, L.NO_DATA, L.NO_TARGET, milestone],
        default=numeric,
    ).astype(object)


def direction_label(p: dict, th: Thresholds) -> np.ndarray:
    """增长/下降/持平 from the base to the latest point (持平 within ±flat of the base)."""
    change = p["latest_value"] - p["base_value"]
    scale = np.where(p["base_value"] != 0, np.abs(p["base_value"]), 1.0)
    with np.errstate(invalid="ignore"):
        rel = change / scale
        lab = np.select([np.abs(rel) < th.flat, rel > 0], [L.FLAT, L.UP], default=L.DOWN)
    ok = p["has_data"] & (p["n_points"] >= 2) & ~p["incomplete"]
    return np.where(ok, lab, L.NO_DATA).astype(object)


def growth_rate(p: dict, kind: np.ndarray) -> np.ndarray:
    """Compound annual growth rate base → latest; only for levels with a positive base."""
    years = (p["latest_year"] - p["base_year"]).astype(float)
    ok = (kind != "cumulative") & (kind != "milestone") & (p["base_value"] > 0) & (
        p["latest_value"] >= 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, (p["latest_value"] / p["base_value"]) ** (1 / years) - 1, np.nan)


def first_year_satisfied(panel: Panel, target: np.ndarray, comparator: np.ndarray) -> np.ndarray:
    """The first year whose data already meet the target (the milestone's 建成 year); NaN if none."""
    K, J = panel.tracked.shape
    sat = satisfies(panel.tracked, np.broadcast_to(target[:, None], (K, J)),
                    np.broadcast_to(comparator[:, None], (K, J))) & panel.valid
    j = _first_true(sat)
    return np.where(j >= 0, panel.years[0] + j, np.nan)
