"""What a goal is judged against when its plan says more than one number: a base the plan states,
a target derived from the base (年均增长10%, 翻一番), interim targets and the path they draw, and
which goals are counted on the numeric grid at all (docs/method.md §2, §3).

    numeric_goals(plan)                    goals judged on the grid (every goal but ranks)
    adds_up(goal)                          its regional values add up to the district's
    judged_target(plan, goal, base=None)   the district's target as judged and shown
    target_label(goal, target)             '≥10.1件（年均增长10%）'
    path(points, years)                    the piecewise-linear path base → interim targets → target
    district_rule(plan, goal, base=None)   the rounding rule of the district's figures
"""

from __future__ import annotations

import numpy as np

from ipdata import rounding as R
from ipdata.catalogue import COMPARATOR_LABELS, Goal, Plan, bracketed


def numeric_goals(plan: Plan) -> list[Goal]:
    """The goals judged on the numeric grid. A rank (进入全省第一方阵) is a position, not a
    quantity: the grid leaves it out and trajectory/rank.py says it."""
    return [g for g in plan.goals if not g.is_rank]


def adds_up(goal: Goal) -> bool:
    """Whether regional values add up to the district's (plan key `additive`): only then is a
    region's share of the district computed. A milestone (建成) is done or not, never a share."""
    return goal.additive and goal.kind not in ("milestone", "rank")


def derived(goal: Goal, base: float | None, years: int) -> float | None:
    """The target the goal's rule gives from `base` over `years` years: base × (1 + g)^years
    (年均增长g) or base × multiple (翻一番 = 2), rounded half up to the goal's decimals as a plan's
    table would print it, so that the target judged is the target shown. None without a base or
    a rule."""
    if base is None or R.is_missing(base):
        return None
    if goal.target_growth is not None:
        value = base * (1 + goal.target_growth) ** years
    elif goal.target_multiple is not None:
        value = base * goal.target_multiple
    else:
        return None
    return float(R.round_half_up(value, goal.display_decimals))


def judged_target(plan: Plan, goal: Goal, base: float | None = None) -> float | None:
    """The district's target: the plan's own; derived from the base the plan states
    (`base_value`); else derived from `base`, the uploaded base-year value (None while it is
    missing)."""
    if not goal.target_rule:
        return goal.target
    years = plan.target_year_of(goal) - plan.base_year_of(goal)
    return derived(goal, goal.base_value if goal.base_value is not None else base, years)


def target_label(goal: Goal, target: float | None, comparator: str | None = None) -> str:
    """The target as pages show it, with how it was derived: '≥10.1件（年均增长10%）'; the rule
    alone ('年均增长10%') while the target waits for the base-year value."""
    if target is None or R.is_missing(target):
        return goal.target_rule or goal.target_text()
    sign = COMPARATOR_LABELS.get(comparator or goal.comparator or ">=", "≥")
    return f"{sign}{R.target_number(target)}{goal.unit}{bracketed(goal.target_rule)}"


def path_points(base_year: int, base_value: float, interim: tuple[tuple[int, float], ...],
                target_year: int, target: float) -> tuple[list[int], list[float]]:
    """Years and values of the path: the base, each interim target after it, the final target."""
    xs, ys = [int(base_year)], [float(base_value)]
    for year, value in interim:
        if base_year < year < target_year:
            xs.append(int(year))
            ys.append(float(value))
    xs.append(int(target_year))
    ys.append(float(target))
    return xs, ys


def path(points: tuple[list[int], list[float]], years: np.ndarray | list[int] | float) -> np.ndarray:
    """The path's value in `years` (linear between its points)."""
    xs, ys = points
    return np.interp(np.asarray(years, dtype=float), xs, ys)


def district_rule(plan: Plan, goal: Goal, base: float | None = None) -> R.Rule:
    """How the district's figures of `goal` are rounded without a trajectory row at hand: its
    decimals and the target as judged (`base`: the uploaded base-year value, for a target derived
    from it); never the unrounded product of a growth rule."""
    if goal.kind == "trend":
        return R.Rule(goal.display_decimals)
    return R.Rule(goal.display_decimals, judged_target(plan, goal, base), goal.comparator)
