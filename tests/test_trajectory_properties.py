"""Properties of the trajectory engine that must hold for any data (hypothesis)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipdata.catalogue import Goal, load_plan
from ipdata.trajectory import STATUS_RANK, compute, compute_all

PLAN = load_plan("tongzhou-2022-2025")
BACKLOG = Goal(code="backlog_rate", name="知识产权积案率", unit="%", category="保护",
               kind="level", comparator="<=", target=5.0, direction="lower",
               source="积案率降至5%以下", section="测试")
PLAN_LOW = dataclasses.replace(PLAN, goals=(*PLAN.goals, BACKLOG))
FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

values_ = st.floats(min_value=0.5, max_value=200, allow_nan=False).map(lambda x: round(x, 2))


def _frame(code: str, vals: dict[int, float], region: str = "全区") -> pd.DataFrame:
    return pd.DataFrame([(code, region, y, v) for y, v in vals.items()],
                        columns=["series", "region", "year", "value"])


def _one(plan, code, vals):
    r = compute(plan, _frame(code, vals))
    return r[r["code"] == code].iloc[0]


def _not_worse(before, after) -> None:
    c0, c1 = before["completion"], after["completion"]
    if not (math.isnan(c0) or math.isnan(c1)):
        assert c1 >= c0 - 1e-12
    r0, r1 = STATUS_RANK.get(before["status"]), STATUS_RANK.get(after["status"])
    if r0 is not None and r1 is not None:
        assert r1 >= r0, (before["status"], after["status"])
    if before["status"] == "已完成":
        assert after["status"] == "已完成"


@FAST
@given(code=st.sampled_from(["hv_invention_per10k", "ip_pledge_amount", "ip_satisfaction",
                             "overseas_patents_new", "ip_training_persons", "madrid_marks_total"]),
       base=values_, later=st.lists(values_, min_size=1, max_size=4),
       step=st.floats(min_value=0.01, max_value=50).map(lambda x: round(x, 2)))
def test_raising_the_latest_value_never_makes_things_worse(code, base, later, step):
    if PLAN.goal(code).kind == "cumulative":
        scale = PLAN.goal(code).target / 100  # yearly new values of a sensible size
        later = [round(v * scale, 2) for v in later]
    vals = {2021: base, **{2022 + i: v for i, v in enumerate(later)}}
    raised = {**vals, max(vals): vals[max(vals)] + step}
    _not_worse(_one(PLAN, code, vals), _one(PLAN, code, raised))


@FAST
@given(base=values_, later=st.lists(values_, min_size=1, max_size=4),
       step=st.floats(min_value=0.01, max_value=50).map(lambda x: round(x, 2)))
def test_lowering_a_lower_is_better_value_never_makes_things_worse(base, later, step):
    vals = {2021: base, **{2022 + i: v for i, v in enumerate(later)}}
    last = max(vals)
    lowered = {**vals, last: max(0.0, vals[last] - step)}
    _not_worse(_one(PLAN_LOW, "backlog_rate", vals), _one(PLAN_LOW, "backlog_rate", lowered))


CODES = ["hv_invention_per10k", "hv_invention_count", "population", "overseas_patents_new",
         "ops_platform", "license_trade", "case_closure_rate", "ip_standard_units_new"]

rows_ = st.lists(
    st.tuples(st.sampled_from(CODES), st.sampled_from(["全区", "川姜镇", "南通高新区"]),
              st.integers(2020, 2026), values_),
    min_size=1, max_size=40, unique_by=lambda r: r[:3],
)


@FAST
@given(rows=rows_, seed=st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(rows, seed):
    df = pd.DataFrame(rows, columns=["series", "region", "year", "value"])
    shuffled = df.sample(frac=1.0, random_state=seed.randint(0, 2**31)).reset_index(drop=True)
    targets = pd.DataFrame([("ip_standard_units_new", "川姜镇", 2025, 20.0),
                            ("case_closure_rate", "南通高新区", 2025, 92.0)],
                           columns=["series", "region", "year", "target"])
    a = compute_all(PLAN, df, targets)
    b = compute_all(PLAN, shuffled, targets.iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


@FAST
@given(rows=rows_)
def test_every_goal_gets_one_row_with_a_status_and_a_reason(rows):
    df = pd.DataFrame(rows, columns=["series", "region", "year", "value"])
    out = compute(PLAN, df)
    assert list(out["code"]) == [g.code for g in PLAN.goals]
    assert out["status"].map(bool).all() and out["status_reason"].map(bool).all()
    assert out["narrative"].str.endswith("。").all()
