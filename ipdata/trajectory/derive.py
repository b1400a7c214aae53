"""Goal values per (series, region, year), per-10,000 ratios derived from their count where missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan

VALUE_COLUMNS = ["series", "region", "year", "value", "derived"]


def canonical_regions(plan: Plan, regions: pd.Series) -> pd.Series:
    """Map every spelling of the district (通州区, 合计 …) to plan.district; towns stay as they are."""
    # Once per distinct name, then taken onto the rows (a 400,000-row frame has ~100 names).
    codes, uniques = pd.factorize(regions.astype(str))
    names = np.array([plan.district if plan.is_district(r) else r for r in uniques], dtype=object)
    return pd.Series(names[codes], index=regions.index, dtype=object)


def _clean(plan: Plan, values: pd.DataFrame) -> pd.DataFrame:
    v = values.loc[:, ["series", "region", "year", "value"]].copy()
    v["value"] = pd.to_numeric(v["value"], errors="coerce").astype("float64")
    v = v[v["value"].notna() & v["year"].notna()]  # a blank is "no data", never zero
    v["series"] = v["series"].astype(str)
    v["region"] = canonical_regions(plan, v["region"])
    v["year"] = v["year"].astype("int64")
    # The store keeps one current value per key; should duplicates arrive anyway, their mean is
    # used so that the result cannot depend on row order.
    return v.groupby(["series", "region", "year"], as_index=False, sort=True)["value"].mean()


def goal_values(plan: Plan, values: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Values of the plan's goals (or only of the goals in `codes`); a per-10,000 ratio missing for
    a (region, year) whose count and denominator are both present is computed as
    count / denominator * factor (derived=True).

    Returns columns series, region, year, value, derived, sorted by series, region, year.
    """
    goals = plan.goals if codes is None else [plan.goal(c) for c in codes]
    if codes is not None:  # one goal's page: clean its own rows, not every series in the store
        needed = {g.code for g in goals} | {c for g in goals if g.derive
                                             for c in (g.derive.numerator.code, g.derive.denominator)}
        values = values[values["series"].isin(list(needed))]
    v = _clean(plan, values)
    goal_codes = [g.code for g in goals]
    given = v[v["series"].isin(goal_codes)].assign(derived=False)

    spec = pd.DataFrame(
        [(g.code, g.derive.numerator.code, g.derive.denominator, g.derive.factor)
         for g in goals if g.derive],
        columns=["goal", "num", "den", "factor"],
    )
    if spec.empty:
        return given[VALUE_COLUMNS].reset_index(drop=True)
    num = v.merge(spec, left_on="series", right_on="num")
    den = v.rename(columns={"series": "den", "value": "den_value"})
    both = num.merge(den, on=["den", "region", "year"])
    both = both[both["den_value"] > 0]  # a zero or negative population cannot be a denominator
    derived = pd.DataFrame({
        "series": both["goal"],
        "region": both["region"],
        "year": both["year"],
        "value": both["value"] / both["den_value"] * both["factor"],
        "derived": True,
    })
    # An uploaded ratio always wins over the derived one.
    key = ["series", "region", "year"]
    taken = pd.MultiIndex.from_frame(given[key])
    derived = derived[~pd.MultiIndex.from_frame(derived[key]).isin(taken)]
    out = pd.concat([given[VALUE_COLUMNS], derived[VALUE_COLUMNS]], ignore_index=True)
    out["derived"] = out["derived"].astype(bool)
    out["value"] = out["value"].astype(np.float64)
    return out.sort_values(key, kind="stable").reset_index(drop=True)
