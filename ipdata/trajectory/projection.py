"""Least-squares line through the points since the base year, its 80 % prediction band at the
target year, and the first year the line meets the target."""

from __future__ import annotations

import numpy as np

from ipdata.trajectory.figures import satisfies
from ipdata.trajectory.panel import Panel

# Student t, 90th percentile (two-sided 80 % band), df = 1..30. Checked against a numerical
# integral of the t density in tests/test_trajectory_projection.py; beyond 30 a Cornish-Fisher
# expansion of the normal quantile is exact to 1e-4.
_T90 = np.array([
    np.nan, 3.0777, 1.8856, 1.6377, 1.5332, 1.4759, 1.4398, 1.4149, 1.3968, 1.3830, 1.3722,
    1.3634, 1.3562, 1.3502, 1.3450, 1.3406, 1.3368, 1.3334, 1.3304, 1.3277, 1.3253, 1.3232,
    1.3212, 1.3195, 1.3178, 1.3163, 1.3150, 1.3137, 1.3125, 1.3114, 1.3104,
])
_Z90 = 1.2815516


def t90(df: np.ndarray) -> np.ndarray:
    """0.9 quantile of Student's t with df degrees of freedom (NaN for df < 1)."""
    df = np.asarray(df, dtype=float)
    z = _Z90
    d = np.maximum(np.nan_to_num(df, nan=1.0), 1.0)
    big = z + (z**3 + z) / (4 * d) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * d**2)
    small = _T90[np.clip(np.nan_to_num(df, nan=0), 0, 30).astype(int)]
    return np.where(df < 1, np.nan, np.where(df > 30, big, small))


def fit(panel: Panel) -> dict[str, np.ndarray]:
    """Ordinary least squares y = ȳ + β (x − x̄) per row over its valid points (n ≥ 2)."""
    w = panel.valid.astype(float)
    x = panel.years.astype(float)[None, :]
    y = np.where(panel.valid, panel.tracked, 0.0)
    n = w.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        xm = (w * x).sum(axis=1) / n
        ym = (w * y).sum(axis=1) / n
        dx = (x - xm[:, None]) * w
        sxx = (dx * dx).sum(axis=1)
        beta = (dx * (y - ym[:, None])).sum(axis=1) / sxx
        resid = (y - (ym[:, None] + beta[:, None] * (x - xm[:, None]))) * w
        sse = (resid * resid).sum(axis=1)
        s = np.sqrt(sse / (n - 2))
    ok = n >= 2
    return {"n": n, "xm": np.where(ok, xm, np.nan), "ym": np.where(ok, ym, np.nan),
            "beta": np.where(ok, beta, np.nan), "sxx": sxx, "s": np.where(n >= 3, s, np.nan)}


def predict(line: dict, year: np.ndarray) -> np.ndarray:
    return line["ym"] + line["beta"] * (year - line["xm"])


def clip(y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """y within [lower, upper] (NaN stays NaN): a projection cannot go where the quantity cannot."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(y), np.nan, np.minimum(np.maximum(y, lower), upper))


def project(line: dict, target_year: np.ndarray, open_: np.ndarray, band_min_points: int,
            lower: np.ndarray | None = None, upper: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Projected value at the target year, with the band where there are enough points; all
    three clipped to [lower, upper] (a share to 100 %, a count to 0, a running total to what it
    has reached). Clipping keeps low ≤ projected ≤ high.

    `open_` is False once the target year has data: a projection is then not shown.
    """
    lower = np.full(len(open_), -np.inf) if lower is None else lower
    upper = np.full(len(open_), np.inf) if upper is None else upper
    at = np.where(open_, predict(line, target_year.astype(float)), np.nan)
    n = line["n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        se = line["s"] * np.sqrt(1 + 1 / n + (target_year - line["xm"]) ** 2 / line["sxx"])
        half = t90(n - 2) * se
    half = np.where(n >= band_min_points, half, np.nan)
    raw = np.stack([at, at - half, at + half])
    with np.errstate(invalid="ignore"):
        above, below = (raw > upper).any(axis=0), (raw < lower).any(axis=0)
    return {"projected": clip(at, lower, upper), "projected_low": clip(at - half, lower, upper),
            "projected_high": clip(at + half, lower, upper),
            # helpers for the notes: the line (or its band) went where the quantity cannot
            "clipped_high": above, "clipped_low": below}


def reach_year(line: dict, latest_year: np.ndarray, target: np.ndarray, comparator: np.ndarray,
               target_year: np.ndarray, horizon: int, lower: np.ndarray | None = None,
               upper: np.ndarray | None = None) -> np.ndarray:
    """First whole year after the latest data, up to target year + horizon, in which the line
    (clipped as in `project`) meets the target; NaN if it does not (or there is no line)."""
    seen = latest_year[latest_year >= 0]  # -1 marks "no data"
    hi = int(np.max(target_year, initial=0)) + horizon
    lo = int(seen.min()) + 1 if len(seen) else hi
    years = np.arange(lo, max(hi, lo) + 1, dtype=float)[None, :]
    K = len(target)
    y = line["ym"][:, None] + line["beta"][:, None] * (years - line["xm"][:, None])
    if lower is not None and upper is not None:
        y = clip(y, lower[:, None], upper[:, None])
    ok = satisfies(y, np.broadcast_to(target[:, None], y.shape),
                   np.broadcast_to(comparator[:, None], y.shape))
    ok &= (years > latest_year[:, None]) & (years <= (target_year + horizon)[:, None])
    j = ok.argmax(axis=1) if K else np.zeros(0, dtype=int)
    return np.where(ok.any(axis=1), years[0, j] if K else np.zeros(0), np.nan)
