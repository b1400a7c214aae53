"""The trajectory engine against a hand-computed table.

Every expected number below was worked out by hand (the arithmetic is in the comment next to
it) and is written out literally; none is produced by the code under test.
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from ipdata.catalogue import Goal, load_plan
from ipdata.trajectory import (
    COLUMNS,
    STATUS_LABELS,
    Thresholds,
    compute,
    compute_all,
    goal_values,
    to_records,
)

NAN = float("nan")
PLAN = load_plan("tongzhou-2022-2025")

# A lower-is-better goal (none in this plan, common in the next): 积案率 ≤ 5 %.
BACKLOG = Goal(code="backlog_rate", name="知识产权积案率", unit="%", category="保护",
               kind="level", comparator="<=", target=5.0, direction="lower",
               source="积案率降至5%以下", section="测试")
PLAN_LOW = dataclasses.replace(PLAN, goals=(*PLAN.goals, BACKLOG))


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(series, year, value) or (series, region, year, value) tuples → a values frame."""
    full = [r if len(r) == 4 else (r[0], "全区", r[1], r[2]) for r in rows]
    return pd.DataFrame(full, columns=["series", "region", "year", "value"])


def series(code: str, values: dict[int, float], region: str = "全区") -> list[tuple]:
    return [(code, region, y, v) for y, v in values.items()]


def row(df: pd.DataFrame, code: str, region: str = "全区") -> dict:
    hit = df[(df["code"] == code) & (df["region"] == region)]
    assert len(hit) == 1, (code, region)
    return to_records(hit)[0]


# (id, goal code, rows, targets rows, region, expected figures). None = "not shown" (NaN/NA).
CASES = [
    # level, 基本符合预期, 4 points with band. c = (14.9-8.2)/(18-8.2) = 6.7/9.8 = 0.683673;
    # s = 3/4; q = 0.683673/0.75 = 0.911565. LS: x̄ 2022.5, ȳ 11.55, Sxx 5, Sxy 11.1, β 2.22,
    # ŷ(2025) = 11.55 + 2.22*2.5 = 17.1; SSE 0.008, s = √0.004 = 0.0632456,
    # half band = 1.8856 * s * √(1 + 1/4 + 2.5²/5) = 1.8856 * 0.1 = 0.18856.
    # Eurostat: ((14.9/8.2)^(1/3)-1) / ((18/8.2)^(1/4)-1) = 0.220274/0.217208 = 1.014119.
    ("level-on-track", "hv_invention_per10k",
     series("hv_invention_per10k", {2021: 8.2, 2022: 10.5, 2023: 12.6, 2024: 14.9}), None, None,
     dict(status="基本符合预期", base_year=2021, base_value=8.2, latest_year=2024,
          latest_value=14.9, completion=0.683673, time_elapsed=0.75, schedule_ratio=0.911565,
          eurostat_ratio=1.014119, eurostat_class="显著进展", eurostat_method="复合增长率",
          projected=17.1, projected_low=16.91144, projected_high=17.28856, projected_gap=0.9,
          reach_year=2026, required_increment=3.1, required_growth=0.208054, gap=3.1,
          final_achieved=None, n_points=4)),
    # cumulative, 快于预期: the 2021 value (5) is not counted; 6+8+9 = 23. c = 23/30 = 0.766667,
    # q = 0.766667/0.75 = 1.022222 = Eurostat R (linear, base 0). Points (2021,0),(2022,6),
    # (2023,14),(2024,23): ȳ 10.75, Sxy 38.5, β 7.7, ŷ(2025) = 10.75 + 19.25 = 30 → meets ≥30.
    # Residuals .8 -.9 -.6 .7, SSE 2.3, half = 1.8856*√1.15*√2.5 = 3.197190.
    ("cumulative-ahead", "overseas_patents_new",
     series("overseas_patents_new", {2021: 5, 2022: 6, 2023: 8, 2024: 9}), None, None,
     dict(status="快于预期", base_value=0.0, latest_value=23.0, completion=0.766667,
          schedule_ratio=1.022222, eurostat_ratio=1.022222, eurostat_class="显著进展",
          eurostat_method="线性增量", projected=30.0, projected_low=26.80281,
          projected_high=33.19719, reach_year=2025, required_growth=None,
          required_increment=7.0, projected_gap=0.0)),
    # strict comparator (突破20亿元), met in 2022 → 已完成 early; no final verdict before 2025.
    ("strict-done-early", "ip_pledge_amount",
     series("ip_pledge_amount", {2021: 10, 2022: 21}), None, None,
     dict(status="已完成", completion=1.1, reach_year=2022, eurostat_class="目标已实现",
          gap=0.0, required_increment=0.0, final_achieved=None, final_pct_of_target=None)),
    # strict comparator (超过85%) with the value equal to the target: not 已完成.
    # c = (85-80)/(85-80) = 1, s = 2/4, q = 2.
    ("strict-equal-not-done", "ip_satisfaction",
     series("ip_satisfaction", {2021: 80, 2022: 83, 2023: 85}), None, None,
     dict(status="快于预期", completion=1.0, time_elapsed=0.5, schedule_ratio=2.0, gap=0.0)),
    # 未完成 at the target year: 89 < 90, shortfall 1, 89/90 = 98.8889 %.
    ("final-missed", "case_closure_rate",
     series("case_closure_rate", {2021: 80, 2022: 84, 2023: 86, 2024: 88, 2025: 89}), None,
     None,
     dict(status="未完成", completion=0.9, time_elapsed=1.0, gap=1.0, final_achieved=False,
          final_pct_of_target=98.888889, projected=None, projected_low=None,
          required_increment=None, reach_year=None)),
    # 已完成 at the target year with gaps 2022-2024: 210/200 = 105 %.
    ("final-done-with-gaps", "ip_service_staff",
     series("ip_service_staff", {2021: 120, 2025: 210}), None, None,
     dict(status="已完成", final_achieved=True, final_pct_of_target=105.0, completion=1.125,
          notes="2022、2023、2024年缺数据")),
    # 倒退: c = (11-12)/(16-12) = -0.25. R = (√(11/12)-1)/((16/12)^(1/4)-1)
    # = -0.042573/0.074570 = -0.570912 → 背离目标.
    ("backward", "patent_intensive_gdp_share",
     series("patent_intensive_gdp_share", {2021: 12, 2022: 11.5, 2023: 11}), None, None,
     dict(status="倒退", completion=-0.25, schedule_ratio=-0.5, eurostat_ratio=-0.570912,
          eurostat_class="背离目标", growth_rate=-0.042573)),
    # 滞后: c = 0.4/1.6 = 0.25, s = 0.5, q = 0.5. R = 0.028175/0.052810 = 0.533505 → 进展不足.
    # Line through 3 points: β 0.2, ŷ(2025) = 7.8 (no band); ŷ(y) = 7.2 + 0.2(y-2022) ≥ 8.6
    # first at 2029 (≤ 2025+5).
    ("behind", "copyright_industry_gdp_share",
     series("copyright_industry_gdp_share", {2021: 7.0, 2022: 7.2, 2023: 7.4}), None, None,
     dict(status="滞后", completion=0.25, schedule_ratio=0.5, eurostat_ratio=0.533505,
          eurostat_class="进展不足", projected=7.8, projected_low=None, reach_year=2029,
          projected_gap=0.8, notes="数据点少于4个，不给预测区间")),
    # base missing → 2022 is the base, 2023 is a gap. c = 3/5 = 0.6, s = 2/3, q = 0.9 exactly →
    # 基本符合预期 (the boundary belongs to the better class). R = 0.017494/0.019235 = 0.909468.
    # Two points: line slope 1.5, ŷ(2025) = 89.5, ŷ(2026) = 91 → reach 2026.
    ("base-missing-boundary", "case_closure_rate",
     series("case_closure_rate", {2022: 85, 2024: 88}), None, None,
     dict(status="基本符合预期", base_year=2022, base_value=85.0, completion=0.6,
          time_elapsed=0.666667, schedule_ratio=0.9, eurostat_ratio=0.909468,
          eurostat_class="适度进展", projected=89.5, reach_year=2026, projected_gap=0.5,
          notes="2021年基期值缺失，以2022年为基期；2023年缺数据；只有两个数据点，预测为两点连线，不给预测区间")),
    # target already met at the base year: 已完成, completion not applicable.
    ("met-at-base", "madrid_marks_total",
     series("madrid_marks_total", {2021: 72, 2022: 75}), None, None,
     dict(status="已完成", completion=None, eurostat_ratio=None, eurostat_class="目标已实现",
          reach_year=2021, notes="基期已达到目标，完成进度和欧盟方法不适用")),
    # met at the base, then fell below the target: 倒退.
    ("met-at-base-fell", "madrid_marks_total",
     series("madrid_marks_total", {2021: 72, 2022: 68}), None, None,
     dict(status="倒退", completion=None, eurostat_class="不适用", gap=2.0)),
    # one point only (the base is taken from it): 数据不足.
    ("one-point", "ip_service_staff", series("ip_service_staff", {2023: 150}), None, None,
     dict(status="数据不足", base_year=2023, latest_year=2023, completion=None,
          time_elapsed=0.0, eurostat_class="数据不足", projected=None,
          status_reason="只有2023年一个数据点，无法计算进度")),
    # no data at all for a cumulative goal; the base-year value alone is no data either.
    ("no-data", "ip_advantage_firms_new", series("ip_advantage_firms_new", {2021: 3}), None,
     None,
     dict(status="数据不足", base_year=None, latest_value=None, completion=None,
          status_reason="还没有2022年以来的新增数据")),
    # values after T are left out: 3+4+4 = 11, c = 11/15 = 0.733333, q = 0.977778.
    ("after-target", "ip_training_sessions",
     series("ip_training_sessions", {2022: 3, 2023: 4, 2024: 4, 2026: 10}), None, None,
     dict(status="基本符合预期", latest_year=2024, latest_value=11.0, completion=0.733333,
          schedule_ratio=0.977778, notes="2025年以后的数据不计入本规划评价")),
    # zero base: Eurostat falls back to linear increments. c = 100/200 = 0.5 = s → q = 1.
    # Still needed: (200-100)/2 = 50 a year, or (200/100)^(1/2)-1 = 41.4214 % a year.
    ("zero-base", "ip_service_staff",
     series("ip_service_staff", {2021: 0, 2022: 40, 2023: 100}), None, None,
     dict(status="快于预期", schedule_ratio=1.0, eurostat_ratio=1.0, eurostat_method="线性增量",
          growth_rate=None, required_increment=50.0, required_growth=0.414214)),
    # cumulative with a gap (docs/method.md §9): 2023's new value is missing, so the total since
    # 2022 is unknown (1 + ? + 0): no total, no progress, no projection. s = 3/4 is time only.
    ("cumulative-gap", "genuine_goods_demo_new",
     series("genuine_goods_demo_new", {2022: 1, 2024: 0}), None, None,
     dict(status="数据不足", latest_year=2024, latest_value=None, completion=None,
          time_elapsed=0.75, schedule_ratio=None, projected=None, reach_year=None, gap=None,
          required_increment=None, eurostat_class="数据不足", final_achieved=None,
          status_reason="缺少2023年的新增数，累计数不完整，无法计算进度",
          notes="2023年缺新增数，2022年以来的累计数未知，补报后再评价")),
    # a 2025-only upload of a cumulative goal: 2022-2024 missing, so no final verdict either way,
    # although 12 < 30 alone would read as 未完成.
    ("cumulative-final-gap", "overseas_patents_new",
     series("overseas_patents_new", {2025: 12}), None, None,
     dict(status="数据不足", latest_year=2025, latest_value=None, completion=None,
          time_elapsed=1.0, gap=None, final_achieved=None, final_pct_of_target=None,
          status_reason="缺少2022、2023、2024年的新增数，无法判断是否完成")),
    # the same with every year present: 6+8+9+4 = 27 < 30 → 未完成, 27/30 = 90 %.
    ("cumulative-final-complete", "overseas_patents_new",
     series("overseas_patents_new", {2022: 6, 2023: 8, 2024: 9, 2025: 4}), None, None,
     dict(status="未完成", latest_value=27.0, gap=3.0, final_achieved=False,
          final_pct_of_target=90.0)),
    # a town without its own target, 2022 missing: no share of the district is shown either
    # (the district's 30+30 = 60 is complete).
    ("cumulative-region-gap", "ip_standard_units_new",
     series("ip_standard_units_new", {2022: 30, 2023: 30})
     + series("ip_standard_units_new", {2023: 22}, "川姜镇"), None, "川姜镇",
     dict(status="数据不足", latest_value=None, share_of_district=None,
          status_reason="缺少2022年的新增数，累计数不完整，无法计算进度")),
    # milestone built in 2023: 已建成, known for good; 序时进度 (2023-2021)/4 = 0.5.
    ("milestone-built", "ops_platform", series("ops_platform", {2022: 0, 2023: 1}), None, None,
     dict(status="已建成", reach_year=2023, completion=1.0, time_elapsed=0.5,
          final_achieved=True, eurostat_class="不适用")),
    ("milestone-not-yet", "protection_demo_zone",
     series("protection_demo_zone", {2022: 0, 2024: 0}), None, None,
     dict(status="未建成", completion=0.0, final_achieved=None, reach_year=None)),
    ("milestone-missed", "public_service_platform",
     series("public_service_platform", {2025: 0}), None, None,
     dict(status="未完成", final_achieved=False)),
    # trend: 1000 → 1300 over 2 years, +30 %, CAGR √1.3-1 = 14.0175 % ≥ 1 % → 显著进展.
    ("trend-up", "license_trade", series("license_trade", {2021: 1000, 2023: 1300}), None, None,
     dict(status="增长", growth_rate=0.140175, eurostat_class="显著进展",
          eurostat_method="无目标增长率", completion=None, target=None)),
    # +0.5 % is within ±1 % → 持平; CAGR √1.005-1 = 0.2497 % in [0, 1 %) → 适度进展.
    ("trend-flat", "license_trade", series("license_trade", {2021: 1000, 2023: 1005}), None,
     None, dict(status="持平", growth_rate=0.002497, eurostat_class="适度进展")),
    ("trend-down", "license_trade", series("license_trade", {2021: 1000, 2022: 900}), None,
     None, dict(status="下降", growth_rate=-0.1, eurostat_class="明显背离")),
    # lower is better: c = (7-10)/(5-10) = 0.6, s = 0.5, q = 1.2.
    # R = (√0.7-1)/(0.5^(1/4)-1) = -0.163340/-0.159104 = 1.026627. Line: -1.5 a year → 4.0
    # in 2025 (≤ 5: meets; 2024 gives 5.5). Needed: (5-7)/2 = -1 a year.
    ("lower-better-ahead", "backlog_rate", series("backlog_rate", {2021: 10, 2023: 7}), None,
     None,
     dict(status="快于预期", completion=0.6, schedule_ratio=1.2, eurostat_ratio=1.026627,
          eurostat_class="显著进展", projected=4.0, reach_year=2025, required_increment=-1.0,
          gap=2.0, projected_gap=0.0)),
    # lower is better, moving up: c = (11-10)/(5-10) = -0.2 → 倒退.
    ("lower-better-backward", "backlog_rate", series("backlog_rate", {2021: 10, 2022: 11}),
     None, None, dict(status="倒退", completion=-0.2)),
    # a town with its own target (目标分解 20): 4+6 = 10, c = 0.5, s = 0.5, q = 1.
    ("region-own-target", "ip_standard_units_new",
     series("ip_standard_units_new", {2022: 4, 2023: 6}, "川姜镇"),
     [("ip_standard_units_new", "川姜镇", 2025, 20)], "川姜镇",
     dict(status="快于预期", target=20.0, completion=0.5, schedule_ratio=1.0)),
    # a town without a target: shown, not judged; 42 of the district's 60 = 70 %.
    ("region-no-target", "ip_standard_units_new",
     series("ip_standard_units_new", {2022: 30, 2023: 30})
     + series("ip_standard_units_new", {2022: 20, 2023: 22}, "川姜镇"), None, "川姜镇",
     dict(status="无分解目标", target=None, latest_value=42.0, share_of_district=0.7,
          completion=None, eurostat_class="不适用", direction_label="增长")),
    # per-10,000 derived from count / population: 60000/120 = 500, 70000/121 = 578.512397;
    # c = 78.512397/300 = 0.261708, s = 0.25, q = 1.046832.
    ("derived-per-10k", "copyright_reg_per10k",
     [("copyright_reg_count", "全区", 2021, 60000), ("copyright_reg_count", "全区", 2022, 70000),
      ("population", "全区", 2021, 120), ("population", "全区", 2022, 121)], None, None,
     dict(status="快于预期", base_value=500.0, latest_value=578.512397, completion=0.261708,
          schedule_ratio=1.046832)),
    # a rank (进入全省第一方阵, top 10): a position, not a quantity — no progress, no projection;
    # judged by the target year's rank (tests/test_rank.py has the sentences).
    ("rank-met", "ip_output_rank", series("ip_output_rank", {2023: 14, 2024: 12, 2025: 8}), None, None,
     dict(status="达成", latest_year=2025, latest_value=8.0, rank=8, n_points=3, final_achieved=True,
          completion=None, time_elapsed=None, schedule_ratio=None, projected=None, reach_year=None,
          base_value=None, gap=None, eurostat_class="不适用")),
    ("rank-not-met", "ip_output_rank", series("ip_output_rank", {2025: 11}), None, None,
     dict(status="未达成", rank=11, final_achieved=False, completion=None, projected=None)),
]


@pytest.mark.parametrize(("goal", "rows", "targets", "region", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hand_computed(goal, rows, targets, region, expected):
    plan = PLAN_LOW if goal == "backlog_rate" else PLAN
    t = None if targets is None else pd.DataFrame(targets,
                                                  columns=["series", "region", "year", "target"])
    got = row(compute(plan, frame(rows), t, region=region), goal, region or "全区")
    for key, want in expected.items():
        if want is None:
            assert got[key] is None, (key, got[key])
        elif isinstance(want, float):
            assert got[key] == pytest.approx(want, rel=1e-5, abs=1e-6), key
        elif key == "notes":  # each expected note is present (others may follow)
            assert want in got[key], got[key]
        else:
            assert got[key] == want, (key, got[key])


def test_table_covers_every_status_and_kind():
    statuses = {c[5]["status"] for c in CASES}
    assert set(STATUS_LABELS) <= statuses
    kinds = {PLAN_LOW.goal(c[1]).kind for c in CASES}
    assert kinds == {"level", "cumulative", "milestone", "trend", "rank"}
    assert len(CASES) >= 15


def test_narrative_example_from_the_issue():
    rows = series("hv_invention_per10k", {2021: 8.2, 2022: 10.5, 2023: 12.6, 2024: 14.9})
    got = row(compute(PLAN, frame(rows)), "hv_invention_per10k")
    assert got["narrative"] == (
        "截至2024年，万人高价值发明专利拥有量为14.9件，完成目标进度的68.4%，序时进度75%，"
        "基本符合预期；按2021年以来趋势，预计2025年达到17.1件，距目标尚差0.9件。"
    )


@pytest.mark.parametrize(("code", "values", "sentence"), [
    ("ip_pledge_amount", {2021: 10, 2022: 21},
     "截至2022年，知识产权质押登记担保金额为21.00亿元，已提前实现目标（>20亿元）。"),
    ("ip_training_persons", {2022: 500, 2023: 700},
     # 1200/2400 = 50 %, s = 50 %, q = 1; line through (2021,0),(2022,500),(2023,1200):
     # β = 600, ȳ = 566.67, ŷ(2025) = 566.67 + 600*3 = 2366.67 → "2367", short by 33.
     "截至2023年，培训各类知识产权人才2022年以来累计1200人次，完成目标进度的50%，序时进度50%，"
     "快于预期；按2021年以来趋势，预计2025年达到2367人次，距目标尚差33人次。"),
    ("case_closure_rate", {2021: 80, 2022: 84, 2023: 86, 2024: 88, 2025: 89},
     "截至2025年，案件结案率为89.0%，未完成目标（≥90%），差1.0个百分点，为目标的98.9%。"),
    ("ops_platform", {2023: 1}, "建成区级重点产业知识产权运营平台：已于2023年建成。"),
    ("license_trade", {2021: 1000, 2023: 1300},
     "截至2023年，知识产权许可转让贸易额为1300万元，比2021年增长30%，年均增长14%。"),
    ("overseas_patents_new", {}, "新增海外专利授权数据不足：还没有2022年以来的新增数据。"),
])
def test_narrative_sentences(code, values, sentence):
    got = row(compute(PLAN, frame(series(code, values))), code)
    assert got["narrative"] == sentence


def test_region_narrative_and_district_alias():
    rows = (series("ip_standard_units_new", {2022: 30, 2023: 30}, "通州区")
            + series("ip_standard_units_new", {2022: 20, 2023: 22}, "川姜镇"))
    got = row(compute(PLAN, frame(rows), region="川姜镇"), "ip_standard_units_new", "川姜镇")
    assert got["narrative"] == ("截至2023年，川姜镇新增贯标单位2022年以来累计42家，占全区的70%；"
                                "该地区没有分解目标，不评价进度。")
    # 通州区 is the district: compute(region="通州区") reports it as 全区.
    district = compute(PLAN, frame(rows), region="通州区")
    assert set(district["region"]) == {"全区"}
    assert row(district, "ip_standard_units_new")["latest_value"] == 60.0


def test_goal_values_derives_only_where_the_ratio_is_missing():
    rows = [("hv_invention_count", "全区", 2021, 984), ("population", "全区", 2021, 120),
            ("hv_invention_count", "全区", 2022, 1260), ("population", "全区", 2022, 120),
            ("hv_invention_per10k", "全区", 2022, 10.4),  # uploaded ratio wins over 10.5
            ("trademark_firms_count", "全区", 2021, 14000), ("enterprises", "全区", 2021, 100000),
            ("trademark_firms_count", "张芝山镇", 2021, 50),  # no denominator → nothing
            ("population", "全区", 2023, 0), ("hv_invention_count", "全区", 2023, 5)]
    gv = goal_values(PLAN, frame(rows))
    got = [(r.series, r.region, r.year, round(r.value, 6), r.derived) for r in gv.itertuples()]
    assert got == [
        ("hv_invention_per10k", "全区", 2021, 8.2, True),  # 984 / 120 * 1
        ("hv_invention_per10k", "全区", 2022, 10.4, False),
        ("trademark_firms_per10k_ent", "全区", 2021, 1400.0, True),  # 14000 / 100000 * 10000
    ]


def test_goal_values_of_some_goals_equal_the_same_rows_of_all():
    """A goal page asks for one goal's values: the same rows, derived ones included, as the full pass."""
    rows = [("hv_invention_count", "全区", 2021, 984), ("population", "全区", 2021, 120),
            ("hv_invention_count", "合计", 2022, 1260), ("population", "通州区", 2022, 120),
            ("overseas_patents_new", "全区", 2021, 5), ("overseas_patents_new", "川姜镇", 2022, 2),
            ("ip_pledge_amount", "全区", 2021, 10)]
    everything = goal_values(PLAN, frame(rows))
    for codes in (["hv_invention_per10k"], ["overseas_patents_new"], ["overseas_patents_new", "ip_pledge_amount"]):
        some = goal_values(PLAN, frame(rows), codes)
        expected = everything[everything["series"].isin(codes)].reset_index(drop=True)
        pd.testing.assert_frame_equal(some.reset_index(drop=True), expected, check_dtype=False)
    assert list(goal_values(PLAN, frame(rows), ["hv_invention_per10k"])["value"]) == [8.2, 10.5]


def test_output_shape_and_json():
    df = compute(PLAN, frame(series("ip_pledge_amount", {2021: 10, 2022: 21})))
    assert list(df["code"]) == [g.code for g in PLAN.goals]
    assert list(df.columns) == COLUMNS
    recs = to_records(df)
    text = json.dumps(recs, ensure_ascii=False, allow_nan=False)  # NaN would raise here
    assert "NaN" not in text and len(recs) == len(PLAN.goals)
    # every row explains itself: a status and a reason, never a bare blank
    assert all(r["status"] in STATUS_LABELS and r["status_reason"] for r in recs)


def test_empty_values():
    df = compute(PLAN, frame([]))
    assert set(df["status"]) == {"数据不足"}
    assert len(df) == len(PLAN.goals)


def test_thresholds_are_configurable():
    rows = series("case_closure_rate", {2022: 85, 2024: 88})  # q = 0.9 exactly
    strict = Thresholds(on_track=0.95)
    assert row(compute(PLAN, frame(rows), thresholds=strict), "case_closure_rate")[
        "status"] == "滞后"


def test_compute_all_covers_every_region():
    rows = (series("madrid_marks_total", {2021: 40, 2023: 55})
            + series("madrid_marks_total", {2021: 10, 2023: 16}, "南通高新区"))
    df = compute_all(PLAN, frame(rows))
    assert set(df["region"]) == {"全区", "南通高新区"}
    assert len(df) == 2 * len(PLAN.goals)
    # 16 of 55 = 29.0909 %
    assert row(df, "madrid_marks_total", "南通高新区")["share_of_district"] == pytest.approx(
        0.290909, rel=1e-5)


def test_no_nan_floats_leak_into_records():
    recs = to_records(compute(PLAN, frame([])))
    assert not any(isinstance(v, float) and math.isnan(v) for r in recs for v in r.values())
    assert not any(isinstance(v, np.generic) for r in recs for v in r.values())
