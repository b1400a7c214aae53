"""Every boundary docs/method.md states, from both sides, so that moving any of them fails here.

Each case is one goal's data with the class it must get, worked out by hand in the comment. A
boundary value belongs to the better class (method.md §3, §5); "just below" lies 1e-4 (relative)
under it, so a threshold moved by more than that either way fails a case; the float-noise cases
fail when the tolerance (rounding.TOLERANCE = figures.EPS) is set to 0, the "far" ones when it is
made large.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from ipdata.catalogue import Goal, load_plan
from ipdata.trajectory import DEFAULT, compute, to_records

PLAN = load_plan("tongzhou-2022-2025")
# A target of 0 (≤0件): compound growth to 0 does not exist, so Eurostat's R is linear = q.
ZERO = Goal(code="major_cases", name="重大知识产权侵权案件", unit="件", category="保护", kind="level",
            comparator="<=", target=0.0, direction="lower", source="不发生重大侵权案件", section="测试")
PLAN_ZERO = dataclasses.replace(PLAN, goals=(*PLAN.goals, ZERO))


def figures(code: str, values: dict[int, float], plan=PLAN) -> dict:
    rows = [(code, "全区", y, v) for y, v in values.items()]
    df = compute(plan, pd.DataFrame(rows, columns=["series", "region", "year", "value"]))
    return to_records(df[df["code"] == code])[0]


def with_comparator(code: str, comparator: str, direction: str = "higher"):
    goals = tuple(dataclasses.replace(g, comparator=comparator, direction=direction) if g.code == code
                  else g for g in PLAN.goals)
    return dataclasses.replace(PLAN, goals=goals)


def test_the_defaults_are_the_ones_method_md_states():
    """The cases below are written for these values; the docs name them (§3, §5, §6)."""
    assert (DEFAULT.ahead, DEFAULT.on_track, DEFAULT.eu_significant, DEFAULT.eu_moderate,
            DEFAULT.eu_no_target, DEFAULT.flat, DEFAULT.reach_horizon, DEFAULT.band_min_points) == (
        1.0, 0.9, 0.95, 0.6, 0.01, 0.01, 5, 4)


# q = c / s (method.md §3): 快于预期 from 1, 基本符合预期 from 0.9, 滞后 below.
SCHEDULE = [
    # 80 → 85 of ≥90 in 2 of 4 years: c = 5/10 = 0.5, s = 0.5, q = 1 exactly → 快于预期
    ("q-1-exactly", "case_closure_rate", {2021: 80, 2023: 85}, "快于预期", 1.0),
    # 0.4 → 9.2 of ≥18 in 2 of 4 years: c = 8.8/17.6 = 0.5, q = 1, computed 0.9999999999999998:
    # the tolerance keeps it 快于预期
    ("q-1-float-noise", "hv_invention_per10k", {2021: 0.4, 2023: 9.2}, "快于预期", 1.0),
    # 84.999: c = 0.4999, q = 0.9998 → just below 1
    ("q-just-below-1", "case_closure_rate", {2021: 80, 2023: 84.999}, "基本符合预期", 0.9998),
    # 80 → 84.5: c = 0.45, q = 0.9 exactly → 基本符合预期 (the boundary is the better class)
    ("q-0.9-exactly", "case_closure_rate", {2021: 80, 2023: 84.5}, "基本符合预期", 0.9),
    # 6 → 8.7 of ≥18 in 1 of 4 years: c = 2.7/12 = 0.225, s = 0.25, q = 0.9, which the computer
    # makes 0.8999999999999998: the tolerance keeps it 基本符合预期
    ("q-0.9-float-noise", "hv_invention_per10k", {2021: 6, 2022: 8.7}, "基本符合预期", 0.9),
    # 84.499: c = 0.4499, q = 0.8998 → 滞后 (a tolerance of 1e-4 would already lift it)
    ("q-just-below-0.9", "case_closure_rate", {2021: 80, 2023: 84.499}, "滞后", 0.8998),
]


@pytest.mark.parametrize(("code", "values", "status", "q"), [c[1:] for c in SCHEDULE],
                         ids=[c[0] for c in SCHEDULE])
def test_schedule_ratio_boundaries(code, values, status, q):
    got = figures(code, values)
    assert got["status"] == status
    assert got["schedule_ratio"] == pytest.approx(q, abs=1e-9)


def test_q_shown_on_its_side_of_the_boundary():
    """The reason prints q with the decimals it needs: 0.8998 is not '0.90' beside 低于0.9, and
    0.8999999999999998 is '0.90' beside 在0.9与1之间."""
    assert figures("case_closure_rate", {2021: 80, 2023: 84.499})["status_reason"] == (
        "完成进度44.99% ÷ 序时进度50% = 0.8998，低于0.9")
    assert figures("hv_invention_per10k", {2021: 6, 2022: 8.7})["status_reason"] == (
        "完成进度22.5% ÷ 序时进度25% = 0.90，在0.9与1之间")


# Eurostat classes (method.md §5). Cumulative goals have a base of 0, so R is linear and equals
# q: 新增贯标单位 (≥80), 2023 = half the time.
EUROSTAT = [
    # 19 + 19 = 38: R = (38/80) / 0.5 = 0.95 → 显著进展
    ("R-0.95", "ip_standard_units_new", {2022: 19, 2023: 19}, "显著进展", 0.95),
    # 19 + 18.99 = 37.99: R = 0.94975 → 适度进展
    ("R-below-0.95", "ip_standard_units_new", {2022: 19, 2023: 18.99}, "适度进展", 0.94975),
    # 12 + 12 = 24: R = 0.3 / 0.5 = 0.6 → 适度进展
    ("R-0.6", "ip_standard_units_new", {2022: 12, 2023: 12}, "适度进展", 0.6),
    # 12 + 11.99 = 23.99: R = 0.59975 → 进展不足
    ("R-below-0.6", "ip_standard_units_new", {2022: 12, 2023: 11.99}, "进展不足", 0.59975),
    # nothing new: R = 0 → 进展不足 (0 belongs to it)
    ("R-0", "ip_standard_units_new", {2022: 0, 2023: 0}, "进展不足", 0.0),
    # a level falling from 12: compound growth (11.99/12)^(1/2) − 1 < 0, R < 0 → 背离目标
    ("R-below-0", "patent_intensive_gdp_share", {2021: 12, 2023: 11.99}, "背离目标", None),
    # the same level unchanged: growth 0, R = 0 → 进展不足
    ("R-0-level", "patent_intensive_gdp_share", {2021: 12, 2023: 12}, "进展不足", 0.0),
    # ≤0件 from 12: 9.15 in 2022 is c = 2.85/12 = 0.2375 of the way in s = 0.25: R = 0.95,
    # computed as 0.9499999999999998 → still 显著进展 (the tolerance)
    ("R-0.95-float-noise", "major_cases", {2021: 12, 2022: 9.15}, "显著进展", 0.95),
    # ≤0件 from 7: 4.9 in 2023 is c = 2.1/7 = 0.3 in s = 0.5: R = 0.6, computed 0.5999999999999999
    ("R-0.6-float-noise", "major_cases", {2021: 7, 2023: 4.9}, "适度进展", 0.6),
]


@pytest.mark.parametrize(("code", "values", "cls", "r"), [c[1:] for c in EUROSTAT],
                         ids=[c[0] for c in EUROSTAT])
def test_eurostat_class_boundaries(code, values, cls, r):
    got = figures(code, values, PLAN_ZERO)
    assert got["eurostat_class"] == cls
    if r is not None:
        assert got["eurostat_ratio"] == pytest.approx(r, abs=1e-9)
    else:
        assert got["eurostat_ratio"] < 0


# Trend goals (no target): compound annual growth g against ±1 % (method.md §5), and the 1 %
# 持平 band of the direction (§3). 知识产权许可转让贸易额, one year from 1000.
TREND = [
    # 1010: g = 1.01 − 1 = 0.010000000000000009 ≥ 1 % → 显著进展; change exactly 1 % is 增长
    ("g-1%", {2021: 1000, 2022: 1010}, "显著进展", "增长"),
    # 1009.99: g = 0.99999 % → 适度进展; |change| < 1 % → 持平
    ("g-below-1%", {2021: 1000, 2022: 1009.99}, "适度进展", "持平"),
    # 1000: g = 0 → 适度进展 (0 belongs to it), 持平
    ("g-0", {2021: 1000, 2022: 1000}, "适度进展", "持平"),
    # 999.99: g = −0.001 % → 轻微背离
    ("g-below-0", {2021: 1000, 2022: 999.99}, "轻微背离", "持平"),
    # 990: g = 0.99 − 1 = −0.010000000000000009, −1 % within the tolerance → 轻微背离;
    # change exactly −1 % → 下降
    ("g-minus-1%", {2021: 1000, 2022: 990}, "轻微背离", "下降"),
    # 989.99: g = −1.001 % → 明显背离
    ("g-below-minus-1%", {2021: 1000, 2022: 989.99}, "明显背离", "下降"),
    # 990.01: change −0.999 % → 持平
    ("flat-minus-side", {2021: 1000, 2022: 990.01}, "轻微背离", "持平"),
]


@pytest.mark.parametrize(("values", "cls", "status"), [c[1:] for c in TREND], ids=[c[0] for c in TREND])
def test_trend_boundaries(values, cls, status):
    got = figures("license_trade", values)
    assert (got["eurostat_class"], got["status"]) == (cls, status)


# Strict (超过/突破: > and <) against non-strict (达/以上: ≥ and ≤) at equality (method.md §3).
@pytest.mark.parametrize(("comparator", "direction", "value", "status"), [
    (">=", "higher", 85.0, "已完成"),
    (">", "higher", 85.0, "快于预期"),  # c = (85 − 80)/(85 − 80) = 1, q = 2: not done
    ("<=", "lower", 85.0, "已完成"),
    ("<", "lower", 85.0, "快于预期"),  # base 90: c = (85 − 90)/(85 − 90) = 1, not done
])
def test_strict_and_non_strict_targets_at_equality(comparator, direction, value, status):
    plan = with_comparator("ip_satisfaction", comparator, direction)
    base = 80.0 if direction == "higher" else 90.0
    got = figures("ip_satisfaction", {2021: base, 2023: value}, plan)
    assert got["status"] == status


# The tolerance of "meets the target" (1e-9 relative, figures.satisfies): float noise counts as
# equal, a real difference does not.
@pytest.mark.parametrize(("code", "value", "met"), [
    # what 2050.2 ÷ 113.9 gives for a per-10,000 ratio of 18: meets ≥18
    ("hv_invention_per10k", 17.999999999999996, True),
    # 1e-5 short of 18 is short (a tolerance of 1e-6 relative would call it met)
    ("hv_invention_per10k", 17.99999, False),
    # float noise above 85 does not exceed 超过85%
    ("ip_satisfaction", 85.00000000000001, False),
    ("ip_satisfaction", 85.0001, True),
])
def test_tolerance_of_meeting_a_target(code, value, met):
    got = figures(code, {2021: 80 if code == "ip_satisfaction" else 8.2, 2025: value})
    assert got["final_achieved"] is met
    assert got["status"] == ("已完成" if met else "未完成")


def test_the_sentence_never_contradicts_the_tolerance():
    """17.999999999999996 meets ≥18 and is shown as 18.0件; 17.99999 misses and is shown with
    the decimals it takes (17.99999件, 差0.00001件; 17.99999 ÷ 18 = 99.99994 %, shown as
    99.9999 %, the first rounding below 100 %), never as 18.0件 or 100 %."""
    met = figures("hv_invention_per10k", {2021: 8.2, 2025: 17.999999999999996})
    assert met["narrative"] == "截至2025年，万人高价值发明专利拥有量为18.0件，已完成目标（≥18件），为目标的100%。"
    short = figures("hv_invention_per10k", {2021: 8.2, 2025: 17.99999})
    assert short["narrative"] == ("截至2025年，万人高价值发明专利拥有量为17.99999件，未完成目标（≥18件），"
                                  "差0.00001件，为目标的99.9999%。")


# The 80 % band from band_min_points (4) points on; reach year up to T + reach_horizon (2030).
def test_band_from_four_points_not_three():
    three = figures("hv_invention_per10k", {2021: 8.2, 2022: 10.5, 2023: 12.6})
    four = figures("hv_invention_per10k", {2021: 8.2, 2022: 10.5, 2023: 12.6, 2024: 14.9})
    assert three["projected"] is not None and three["projected_low"] is None
    assert four["projected_low"] is not None and four["projected_high"] is not None


@pytest.mark.parametrize(("values", "reach"), [
    # base 2022 (2021 missing): 82, 83 → 82.5 + (y − 2022.5) = 90 in 2030 = T + 5 → 2030
    ({2022: 82, 2023: 83}, 2030),
    # 81, 82 → 90 in 2031 > T + 5 → no year, and the note says so
    ({2022: 81, 2023: 82}, None),
])
def test_reach_year_horizon(values, reach):
    got = figures("case_closure_rate", values)
    assert got["reach_year"] == reach
    assert ("按当前趋势，2030年前达不到目标" in got["notes"]) is (reach is None)
