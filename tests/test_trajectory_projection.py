"""The projection's building blocks: the t quantile table and the reach-year search."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ipdata.catalogue import load_plan
from ipdata.trajectory import compute, compute_all, to_records
from ipdata.trajectory.projection import t90

PLAN = load_plan("tongzhou-2022-2025")


def _t_cdf(x: float, df: int) -> float:
    """P(T ≤ x) by integrating the Student t density numerically (independent of the table)."""
    grid = np.linspace(0.0, x, 200_001)
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    dens = c * (1 + grid**2 / df) ** (-(df + 1) / 2)
    return 0.5 + float(np.trapezoid(dens, grid))


@pytest.mark.parametrize("df", [1, 2, 3, 5, 10, 20, 30, 31, 45, 120])
def test_t90_is_the_90th_percentile(df):
    assert _t_cdf(float(t90(np.array([df]))[0]), df) == pytest.approx(0.9, abs=2e-5)


def test_t90_undefined_without_degrees_of_freedom():
    assert np.isnan(t90(np.array([0.0]))[0])


def test_no_reach_before_horizon_is_said():
    # 7.0, 7.05, 7.1: slope 0.05 a year → 7.5 by 2031, far below 8.6 → no reach year.
    rows = [("copyright_industry_gdp_share", "全区", y, v)
            for y, v in {2021: 7.0, 2022: 7.05, 2023: 7.1}.items()]
    r = to_records(compute(PLAN, pd.DataFrame(rows, columns=["series", "region", "year", "value"])))
    got = next(x for x in r if x["code"] == "copyright_industry_gdp_share")
    assert got["reach_year"] is None
    assert "按当前趋势，2030年前达不到目标" in got["notes"]
    assert got["projected"] == pytest.approx(7.2)  # 7.1 + 2 * 0.05


def test_region_target_year_from_the_target_table():
    # 南通高新区 must reach 10 by 2024: c = 4/10 = 0.4, s = (2023-2021)/(2024-2021) = 2/3,
    # q = 0.6 → 滞后.
    rows = pd.DataFrame([("ip_standard_units_new", "南通高新区", 2022, 2),
                         ("ip_standard_units_new", "南通高新区", 2023, 2)],
                        columns=["series", "region", "year", "value"])
    targets = pd.DataFrame([("ip_standard_units_new", "南通高新区", 2024, 10)],
                           columns=["series", "region", "year", "target"])
    got = to_records(compute(PLAN, rows, targets, region="南通高新区"))
    r = next(x for x in got if x["code"] == "ip_standard_units_new")
    assert (r["target_year"], r["status"]) == (2024, "滞后")
    assert r["time_elapsed"] == pytest.approx(2 / 3)
    assert r["schedule_ratio"] == pytest.approx(0.6)


def test_two_thousand_series_in_one_pass():
    """A smoke test of the vectorised path (the benchmark issue measures it properly)."""
    rng = np.random.default_rng(7)
    regions = ["全区", *[f"镇{i:03d}" for i in range(99)]]
    codes = [g.code for g in PLAN.goals]
    idx = pd.MultiIndex.from_product([codes, regions, range(2021, 2025)],
                                     names=["series", "region", "year"])
    df = idx.to_frame(index=False)
    df["value"] = rng.uniform(1, 100, len(df)).round(1)
    out = compute_all(PLAN, df)  # speed is measured by bench/, never asserted in a test
    # 21 goals since the rank goal (进入全省第一方阵, issue 13) was added: 2,100 rows
    assert len(out) == len(codes) * len(regions) == 2100
    assert out["status"].notna().all() and out["narrative"].str.len().gt(0).all()
