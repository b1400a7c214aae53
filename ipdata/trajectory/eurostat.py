"""The Eurostat SDG / Open SDG progress measure, shown beside our own status.

R = actual annual growth since the base / growth needed each year to reach the target.
Compound growth (CAGR) is used where the base is positive; where the base is 0 (cumulative
goals, a zero base) growth rates do not exist and linear increments are used instead, which
makes R equal to the schedule ratio q = completion / time elapsed.
"""

from __future__ import annotations

import numpy as np

from ipdata.trajectory import labels as L
from ipdata.trajectory.figures import EPS
from ipdata.trajectory.labels import Thresholds


def eurostat(p: dict, f: dict, target: np.ndarray, target_year: np.ndarray, kind: np.ndarray,
             has_target: np.ndarray, sign: np.ndarray, growth: np.ndarray,
             th: Thresholds) -> dict[str, np.ndarray]:
    b, t = p["base_year"].astype(float), p["latest_year"].astype(float)
    base, latest = p["base_value"], p["latest_value"]
    later = p["has_data"] & (p["n_points"] >= 2) & ~p["incomplete"]
    numeric = np.isin(kind, ("level", "cumulative")) & has_target
    cagr = numeric & (kind == "level") & (base > 0) & (latest >= 0) & (target > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        actual = (latest / base) ** (1 / (t - b)) - 1
        needed = (target / base) ** (1 / (target_year - b)) - 1
        r_cagr = actual / needed
    r = np.where(cagr, r_cagr, f["linear_ratio"])
    usable = numeric & later & ~f["no_span"] & np.isfinite(r)
    r = np.where(usable, r, np.nan)
    with np.errstate(invalid="ignore"):
        cls = np.select(
            [r >= th.eu_significant - EPS, r >= th.eu_moderate - EPS, r >= 0, r < 0],
            [L.EU_SIGNIFICANT, L.EU_MODERATE, L.EU_INSUFFICIENT, L.EU_AWAY],
            default=L.EU_NA,
        )
        # Without a target (trend goals) Eurostat judges the growth rate itself, ±1 % a year.
        g = sign * growth
        no_target = np.select(
            [g >= th.eu_no_target - EPS, g >= 0, g >= -th.eu_no_target - EPS, g < 0],
            [L.EU_SIGNIFICANT, L.EU_MODERATE, L.EU_SLIGHTLY_AWAY, L.EU_CLEARLY_AWAY],
            default=L.EU_NA,
        )
    cls = np.where(numeric & p["sat"], L.EU_ACHIEVED, cls)
    cls = np.where(kind == "trend", no_target, cls)
    applies = numeric | (kind == "trend")
    cls = np.where(applies & ~later & ~(numeric & p["sat"]), L.EU_NO_DATA, cls)
    cls = np.where(applies, cls, L.EU_NA)
    method = np.select(
        [kind == "trend", usable & cagr, usable],
        [L.METHOD_NO_TARGET, L.METHOD_CAGR, L.METHOD_LINEAR],
        default="",
    )
    return {"eurostat_ratio": r, "eurostat_class": cls.astype(object),
            "eurostat_method": method.astype(object)}
